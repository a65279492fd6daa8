// What a step sees of its bay while it runs: the bay's device ports, its
// device clock (the emulator's virtual clock, or wall time on real hardware),
// the variables of the run, cancellation, operator prompts, shared fixtures,
// the log and where the unit's identity and evidence go. The runner builds
// one per bay (bench/runner/bay_run.cpp); step types only use it.
#pragma once

#include "bench/device/device_client.hpp"
#include "bench/procedure/procedure.hpp"
#include "bench/record/record.hpp"
#include "bench/station/calibration_book.hpp"
#include "bench/station/fixture_link.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bwc::bench {

/// A question for the operator, answered through the runner's published
/// state (CLI, console, or the automatic operator of an emulated station).
struct PromptRequest {
    enum class Kind { ScanSerial, Confirm, Text };
    Kind kind = Kind::Confirm;
    std::string text;
};
std::string_view to_string(PromptRequest::Kind k);

/// The runner's side of a context: everything that involves other bays or
/// people. Implemented by the bay run; a test can provide its own.
class BayServices {
public:
    virtual ~BayServices() = default;
    /// Blocks until answered; Cancelled when the run is cancelled.
    virtual DeviceResult<std::string> ask(const PromptRequest& prompt) = 0;
    virtual void log(std::string_view level, std::string_view text) = 0;
    virtual void identity(const UnitIdentity& unit) = 0;
    virtual void evidence(const Evidence& e) = 0;
};

class StepContext {
public:
    StepContext(int bay, std::string model, BayServices& services, const std::atomic<bool>& cancel)
        : bay_(bay), model_(std::move(model)), services_(services), cancel_(&cancel) {}

    int bay() const { return bay_; }
    /// The unit's model as the bay knows it ("W120").
    const std::string& model() const { return model_; }

    /// The camera's diag port; never null while a step runs.
    DeviceClient& camera() { return *camera_; }
    /// The physical port (actuators, RF, sky); null when the station has none.
    DeviceClient* physical() { return physical_; }
    /// The station's dock port, shared between bays; null without a dock.
    /// The runner holds it for a step whose type says `needs_dock`.
    DeviceClient* dock() { return dock_; }

    /// A fixture by the name the station gives it (the bay's own first, then
    /// the station's); nullptr when the station has none. The runner holds a
    /// shared fixture's lock while a step that lists it runs.
    FixtureLink* fixture(std::string_view name) const {
        for (const auto& [n, link] : fixtures_)
            if (n == name)
                return link;
        return nullptr;
    }
    /// This bay's (or, for a station kind, the station's) latest calibration
    /// record of `kind`; nullptr when there is none. The runner has checked
    /// before the run that the ones step types declare are present and current.
    const CalibrationRecord* calibration(std::string_view kind) const {
        if (!calibration_)
            return nullptr;
        const CalibrationKind* k = find_calibration_kind(kind);
        return calibration_->latest(kind, k && k->per_bay ? std::optional<int>(bay_) : std::nullopt);
    }

    /// A bound port whose connection broke (the device is lost).
    bool device_lost() const {
        return (camera_ && !camera_->connected()) || (physical_ && !physical_->connected());
    }
    /// Arms (or, with nullopt, disarms) a deadline on the bay's own ports. The
    /// dock is shared between bays; steps that use it time it themselves.
    void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
        if (camera_)
            camera_->set_deadline(deadline);
        if (physical_)
            physical_->set_deadline(deadline);
        for (FixtureLink* link : own_fixtures_)
            link->control().set_deadline(deadline);
    }

    bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }
    const std::atomic<bool>& cancel_flag() const { return *cancel_; }
    /// Teardown watches another flag than the main steps (a second Ctrl-C).
    void set_cancel_flag(const std::atomic<bool>& cancel) { cancel_ = &cancel; }

    /// Device time of this bay (last known; updated by every advance).
    std::int64_t device_now_ms() const { return device_now_ms_; }
    bool virtual_time() const { return virtual_time_; }
    /// Lets `ms` of device time pass: TIME ADVANCE on the camera in virtual
    /// time; on real hardware a cancellable sleep, then TIME.
    DeviceResult<std::int64_t> advance(std::int64_t ms);

    /// Subscribes the diag port once per bay; events then queue up.
    DeviceStatus ensure_subscribed();

    DeviceResult<std::string> ask(const PromptRequest& p) { return services_.ask(p); }
    void log(std::string_view level, std::string_view text) { services_.log(level, text); }
    void set_identity(const UnitIdentity& unit) { services_.identity(unit); }
    void attach(const Evidence& e) { services_.evidence(e); }
    /// Writes `bytes` (a PNG, a JSON dump…) as evidence of the current step
    /// into the run's evidence folder and attaches it with its SHA-256; the
    /// path written, or why not (a step that cannot keep its evidence fails).
    Result<std::string> save_evidence(std::string_view name, std::string_view bytes,
                                      std::string description);
    /// The step running now (for evidence file names) and its attempt.
    void set_current_step(std::string id, int attempt) {
        step_id_ = std::move(id);
        attempt_ = attempt;
    }
    const std::string& current_step() const { return step_id_; }
    /// Where this bay's evidence goes ("" = nowhere: evidence is refused).
    void set_evidence_dir(std::string dir) { evidence_dir_ = std::move(dir); }

    /// Variables of the run (for steps that look up earlier results).
    const Env* env() const { return env_; }

    // Set up by the runner.
    void bind(DeviceClient* camera, DeviceClient* physical, DeviceClient* dock) {
        camera_ = camera;
        physical_ = physical;
        dock_ = dock;
    }
    void set_clock(std::int64_t now_ms, bool virtual_time) {
        device_now_ms_ = now_ms;
        virtual_time_ = virtual_time;
    }
    void set_env(const Env* env) { env_ = env; }
    /// The bay's own fixtures (deadlines apply to them) and the station's shared ones.
    void bind_fixtures(std::vector<std::pair<std::string, FixtureLink*>> own,
                       std::vector<std::pair<std::string, FixtureLink*>> shared) {
        own_fixtures_.clear();
        for (const auto& [name, link] : own)
            own_fixtures_.push_back(link);
        fixtures_ = std::move(own);
        fixtures_.insert(fixtures_.end(), shared.begin(), shared.end());
    }
    void set_calibration(const CalibrationBook* book) { calibration_ = book; }
    void reset_subscription() { subscribed_ = false; }

private:
    int bay_;
    std::string model_;
    BayServices& services_;
    const std::atomic<bool>* cancel_;
    DeviceClient* camera_ = nullptr;
    DeviceClient* physical_ = nullptr;
    DeviceClient* dock_ = nullptr;
    std::int64_t device_now_ms_ = 0;
    bool virtual_time_ = true;
    bool subscribed_ = false;
    const Env* env_ = nullptr;
    std::vector<std::pair<std::string, FixtureLink*>> fixtures_;
    std::vector<FixtureLink*> own_fixtures_;
    const CalibrationBook* calibration_ = nullptr;
    std::string step_id_;
    int attempt_ = 0;
    std::string evidence_dir_;
};

} // namespace bwc::bench
