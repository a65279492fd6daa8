// One bay's run (see bay_run.hpp).
#include "bench/runner/bay_run.hpp"

#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_runner.hpp"
#include "bench/steps/step_type.hpp"

#include <chrono>

namespace bwc::bench {
namespace {

std::int64_t wall_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// A step of the plan with its type looked up once, before the run.
struct ReadyStep {
    PlannedStep planned;
    const StepType* type = nullptr;
    StepPolicy policy;
};

class BayRun final : public BayServices {
public:
    BayRun(const RunContext& run, const Bay& bay)
        : run_(run), bay_(bay), ctx_(bay.number, "", *this, run.cancel_main) {}

    BaySummary execute();

    // BayServices
    DeviceResult<std::string> ask(const PromptRequest& prompt) override {
        return run_.monitor.ask(bay_.number, prompt, ctx_.cancel_flag());
    }
    void log(std::string_view level, std::string_view text) override {
        if (record_)
            record_->log(level, text);
        run_.monitor.publish(RunEvent::Kind::Log, bay_.number, std::string(text));
    }
    void identity(const UnitIdentity& unit) override {
        if (record_)
            record_->identity(unit);
        summary_.serial = unit.serial;
        run_.monitor.update(bay_.number, [&](BayView& v) {
            v.serial = unit.serial;
            v.model = unit.model;
        });
    }
    void evidence(const Evidence& e) override {
        if (record_)
            record_->evidence(e);
    }

private:
    bool open_record();
    std::string connect();
    Result<std::vector<ReadyStep>> prepare(Group group, const std::string& model);
    /// Runs a group; false when the bay must stop (failure, error, cancel).
    bool run_group(std::vector<ReadyStep>& steps, bool teardown);
    void note_bad(const std::string& step_id, const std::string& failure_code, Outcome outcome,
                  const std::string& error);
    void finish(Verdict verdict, std::string cause);
    void leave_batch();

    const RunContext& run_;
    const Bay& bay_;
    StepContext ctx_;
    std::unique_ptr<RecordWriter> record_;
    std::unique_ptr<DeviceClient> camera_, physical_;
    std::vector<std::unique_ptr<FixtureLink>> fixtures_; // the bay's own
    Env env_;
    BaySummary summary_;
    int index_ = 0;
    int step_count_ = 0;
    std::optional<Outcome> first_bad_;
    std::string cause_;
    bool device_lost_ = false;
    bool in_batch_ = false;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::int64_t device_start_ms_ = 0;
};

bool BayRun::open_record() {
    RecordHeader h;
    h.run_id = run_.run_id;
    h.record_id = run_.run_id + "-bay" + std::to_string(bay_.number);
    h.station = run_.station.id;
    h.bay = bay_.number;
    h.operator_name = run_.options.operator_name;
    h.procedure_name = run_.procedure.name;
    h.procedure_version = run_.procedure.version;
    h.procedure_hash = run_.procedure.sha256;
    h.procedure_path = run_.procedure.path;
    h.mode = run_.options.batch ? "batch" : "parallel";
    for (const FixtureRef& f : run_.station.fixtures)
        h.fixtures.emplace_back(f.name, f.uri_text);
    for (const FixtureRef& f : bay_.fixtures)
        h.fixtures.emplace_back(f.name, f.uri_text);
    if (!run_.station.calibration.empty())
        h.calibration_ids.push_back(run_.station.calibration);
    h.bench_version = run_.options.bench_version;
    h.wall_start_ms = wall_now_ms();
    summary_.record_id = h.record_id;
    if (!run_.options.evidence_dir.empty())
        ctx_.set_evidence_dir(run_.options.evidence_dir + "/" + h.record_id);
    auto writer = run_.records(h);
    if (!writer) {
        summary_.verdict = Verdict::Error;
        summary_.cause = "cannot open the record: " + writer.error();
        return false;
    }
    record_ = std::move(writer).value();
    record_->begin(h);
    run_.monitor.update(bay_.number, [&](BayView& v) { v.record_id = h.record_id; });
    return true;
}

/// Connects the bay's ports; "" on success, else the cause.
std::string BayRun::connect() {
    run_.monitor.update(bay_.number, [](BayView& v) { v.phase = BayPhase::Connecting; });
    camera_ = std::make_unique<DeviceClient>(bay_.camera, "BWC-DIAG", run_.options.client);
    camera_->set_cancel_flag(&run_.cancel_main);
    if (auto s = camera_->connect(); !s)
        return "camera: " + s.error().message;
    if (bay_.physical) {
        physical_ = std::make_unique<DeviceClient>(*bay_.physical, "BWC-PHYS", run_.options.client);
        physical_->set_cancel_flag(&run_.cancel_main);
        if (auto s = physical_->connect(); !s)
            return "physical port: " + s.error().message;
    }
    auto time = read_time(*camera_);
    if (!time)
        return time.error().message;
    device_start_ms_ = time->now_ms;
    ctx_.set_clock(time->now_ms, time->virtual_time);
    ctx_.bind(camera_.get(), physical_.get(), run_.fixtures.dock());
    std::vector<std::pair<std::string, FixtureLink*>> own;
    for (const FixtureRef& f : bay_.fixtures) {
        auto link = make_fixture_link(f, run_.options.client);
        link->control().set_cancel_flag(&run_.cancel_main);
        if (auto s = link->connect(); !s)
            return "fixture '" + f.name + "': " + s.error().message;
        own.emplace_back(f.name, link.get());
        fixtures_.push_back(std::move(link));
    }
    ctx_.bind_fixtures(std::move(own), run_.fixtures.links());
    ctx_.set_calibration(run_.calibration);
    return "";
}

Result<std::vector<ReadyStep>> BayRun::prepare(Group group, const std::string& model) {
    using R = Result<std::vector<ReadyStep>>;
    auto planned = plan(run_.procedure, group, model);
    if (!planned)
        return R::failure(planned.error());
    std::vector<ReadyStep> ready;
    ready.reserve(planned->size());
    for (PlannedStep& p : *planned) {
        ReadyStep r;
        r.type = StepRegistry::instance().find(p.spec->type);
        if (!r.type)
            return R::failure(to_string(p.spec->pos) + ": unknown step type '" + p.spec->type +
                              "'");
        r.policy = StepPolicy{group, p.spec->repeat_on_fail, p.spec->timeout_ms, p.failure_code};
        r.planned = std::move(p);
        ready.push_back(std::move(r));
    }
    return ready;
}

void BayRun::note_bad(const std::string& step_id, const std::string& failure_code, Outcome outcome,
                      const std::string& error) {
    if (first_bad_)
        return;
    first_bad_ = outcome;
    summary_.first_failing_step = step_id;
    summary_.failure_code = failure_code.empty() ? step_id : failure_code;
    cause_ = error;
}

void BayRun::leave_batch() {
    if (in_batch_ && run_.batch) {
        run_.batch->arrive_and_drop();
        in_batch_ = false;
    }
}

bool BayRun::run_group(std::vector<ReadyStep>& steps, bool teardown) {
    for (ReadyStep& s : steps) {
        if (!teardown && ctx_.cancelled())
            return false;
        // Fixtures the step type needs: per-bay ones must exist, shared ones are taken in turn.
        std::vector<std::unique_lock<std::mutex>> held;
        std::string missing;
        for (const std::string& name : s.type->info().fixtures) {
            if (ctx_.fixture(name)) {
                if (std::mutex* m = run_.fixtures.shared(name))
                    held.emplace_back(*m);
                continue;
            }
            const std::string problem = run_.fixtures.problem(name);
            missing = problem.empty() ? "the station has no fixture '" + name +
                                            "' that step type '" + s.type->info().name + "' needs"
                                      : problem;
        }
        if (s.type->info().needs_dock) {
            if (run_.fixtures.dock())
                held.emplace_back(run_.fixtures.dock_mutex());
            else
                missing = run_.fixtures.dock_problem() + " that step type '" + s.type->info().name +
                          "' needs";
        }
        run_.monitor.update(bay_.number, [&](BayView& v) {
            v.step_id = s.planned.id;
            v.step_name = s.planned.name;
            v.step_index = index_;
        });
        StepResult result;
        std::string step_id = s.planned.id;
        auto resolved = resolve(s.planned, env_);
        if (!missing.empty() || !resolved) {
            result.outcome = Outcome::Error;
            result.error = !missing.empty() ? missing : resolved.error();
            record_unrun(s.planned.id, s.planned.name, s.planned.spec->type, s.policy, index_,
                         Outcome::Error, result.error, ctx_, *record_);
        } else if (!resolved->run) {
            record_unrun(resolved->id, resolved->name, resolved->type, s.policy, index_,
                         Outcome::Skipped, "", ctx_, *record_);
            result.outcome = Outcome::Skipped;
        } else {
            step_id = resolved->id;
            s.policy.failure_code = resolved->failure_code; // "${…}" filled in
            result = run_step(*s.type, *resolved, s.policy, index_, ctx_, *record_);
            for (const MeasurementRecord& m : result.measurements)
                env_.set(resolved->id + "." + m.name, m.value);
        }
        held.clear();
        ++index_;
        summary_.steps += std::max(1, result.attempts);
        run_.monitor.update(bay_.number, [&](BayView& v) {
            if (!result.measurements.empty())
                v.last_measurement = result.measurements.back();
            v.device_ms = ctx_.device_now_ms() - device_start_ms_;
        });
        run_.monitor.publish(RunEvent::Kind::StepFinished, bay_.number,
                             step_id + " " + std::string(to_string(result.outcome)) +
                                 (result.error.empty() ? "" : ": " + result.error),
                             result.outcome);
        if (auto broken = record_->failure()) {
            note_bad(step_id, "", Outcome::Error, "the record could not be written: " + *broken);
            return false;
        }
        if (!passed(result.outcome)) {
            note_bad(step_id, s.policy.failure_code, result.outcome, result.error);
            if (result.device_lost)
                device_lost_ = true;
            const bool stop = result.outcome != Outcome::Fail || !run_.options.continue_on_fail;
            if (stop && !teardown)
                return false;
        }
        if (!teardown && in_batch_)
            run_.batch->arrive_and_wait();
    }
    return true;
}

void BayRun::finish(Verdict verdict, std::string cause) {
    summary_.verdict = verdict;
    summary_.cause = std::move(cause);
    summary_.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    summary_.device_ms = ctx_.device_now_ms() - device_start_ms_;
    const auto closing = std::chrono::steady_clock::now();
    if (record_) {
        RecordEnd end;
        end.verdict = verdict;
        end.failure_code = summary_.failure_code;
        end.first_failing_step = summary_.first_failing_step;
        end.cause = summary_.cause;
        end.wall_end_ms = wall_now_ms();
        end.device_end_ms = ctx_.device_now_ms();
        record_->end(end);
        if (auto broken = record_->failure(); broken && summary_.verdict != Verdict::Error) {
            summary_.verdict = Verdict::Error;
            summary_.cause = "the record could not be written: " + *broken;
        }
    }
    summary_.close_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - closing).count();
    run_.monitor.update(bay_.number, [&](BayView& v) {
        v.phase = BayPhase::Done;
        v.verdict = summary_.verdict;
        v.first_failing_step = summary_.first_failing_step;
        v.failure_code = summary_.failure_code;
        v.cause = summary_.cause;
    });
    run_.monitor.publish(
        RunEvent::Kind::BayDone, bay_.number,
        std::string(to_string(summary_.verdict)) +
            (summary_.first_failing_step.empty() ? "" : " at " + summary_.first_failing_step) +
            (summary_.cause.empty() ? "" : ": " + summary_.cause));
}

BaySummary BayRun::execute() {
    summary_.bay = bay_.number;
    in_batch_ = run_.batch != nullptr;
    if (!open_record()) {
        leave_batch();
        finish(Verdict::Error, summary_.cause);
        return summary_;
    }
    if (std::string why = connect(); !why.empty()) {
        leave_batch();
        finish(Verdict::Error, "bay " + std::to_string(bay_.number) + ": " + why);
        return summary_;
    }
    // A dock procedure tests the dock's bay: the unit is the dock (its model
    // and serial); the camera seated in the bay is the station's reference unit.
    const bool dock_unit = run_.procedure.products == std::vector<std::string>{"dock"};
    DeviceClient* dock = run_.fixtures.dock();
    if (dock_unit && !dock) {
        leave_batch();
        finish(Verdict::Error, "procedure " + run_.procedure.name + " tests docks, and " +
                                   run_.fixtures.dock_problem());
        return summary_;
    }
    const std::string model =
        dock_unit ? dock->banner().get("model") : camera_->banner().get("model");
    summary_.model = model;
    summary_.serial = dock_unit ? dock->banner().get("serial") : camera_->banner().get("serial");
    run_.monitor.update(bay_.number, [&](BayView& v) {
        v.model = model;
        v.serial = summary_.serial;
    });
    if (!run_.procedure.applies_to(model)) {
        leave_batch();
        finish(Verdict::Error,
               "procedure " + run_.procedure.name + " does not apply to model " + model);
        return summary_;
    }
    for (const Parameter& p : run_.procedure.parameters)
        env_.set(p.name, p.value);
    env_.set("model", Value(model));
    env_.set("bay", Value(static_cast<double>(bay_.number)));
    env_.set("station", Value(run_.station.id));
    env_.set("serial", Value(summary_.serial));
    ctx_.set_env(&env_);

    const auto plan_started = std::chrono::steady_clock::now();
    auto setup = prepare(Group::Setup, model);
    auto main = prepare(Group::Main, model);
    auto teardown = prepare(Group::Teardown, model);
    if (!setup || !main || !teardown) {
        leave_batch();
        finish(Verdict::Error, !setup ? setup.error() : !main ? main.error() : teardown.error());
        return summary_;
    }
    step_count_ = static_cast<int>(setup->size() + main->size() + teardown->size());
    run_.monitor.update(bay_.number, [&](BayView& v) {
        v.phase = BayPhase::Running;
        v.step_count = step_count_;
    });

    const auto steps_started = std::chrono::steady_clock::now();
    summary_.plan_s = std::chrono::duration<double>(steps_started - plan_started).count();
    bool go_on = run_group(*setup, false);
    if (go_on)
        run_group(*main, false);
    leave_batch();
    const bool cancelled = ctx_.cancelled();

    // Teardown always runs, watching the second Ctrl-C only.
    run_.monitor.update(bay_.number, [](BayView& v) { v.phase = BayPhase::Teardown; });
    ctx_.set_cancel_flag(run_.cancel_teardown);
    camera_->set_cancel_flag(&run_.cancel_teardown);
    if (physical_)
        physical_->set_cancel_flag(&run_.cancel_teardown);
    for (auto& link : fixtures_)
        link->control().set_cancel_flag(&run_.cancel_teardown);
    if (device_lost_) {
        log("warning", "device lost; reconnecting for teardown");
        if (auto s = camera_->reconnect(); s) {
            ctx_.reset_subscription();
            if (physical_)
                (void)physical_->reconnect();
        }
    }
    run_group(*teardown, true);
    summary_.steps_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - steps_started).count();

    if (cancelled) {
        finish(Verdict::Aborted,
               "cancelled by the operator" + (summary_.first_failing_step.empty()
                                                  ? std::string()
                                                  : " during " + summary_.first_failing_step));
    } else if (!first_bad_) {
        finish(Verdict::Pass, "");
    } else if (*first_bad_ == Outcome::Fail) {
        finish(Verdict::Fail, "");
    } else {
        finish(Verdict::Error, (device_lost_ ? "device lost: " : "") + cause_);
    }
    return summary_;
}

} // namespace

FixturePool::FixturePool(const Station& station, const ClientOptions& options,
                         const std::atomic<bool>& cancel) {
    for (const FixtureRef& f : station.fixtures) {
        Shared s;
        s.name = f.name;
        s.mutex = std::make_unique<std::mutex>();
        s.link = make_fixture_link(f, options);
        s.link->control().set_cancel_flag(&cancel);
        if (auto c = s.link->connect(); !c)
            s.problem = "fixture '" + f.name + "' is not available: " + c.error().message;
        if (!f.shared)
            s.mutex.reset(); // a station fixture marked unshared is not locked
        shared_.push_back(std::move(s));
    }
    if (!station.dock) {
        dock_problem_ = "the station has no dock";
        return;
    }
    dock_ = std::make_unique<DeviceClient>(station.dock->uri, "BWC-DOCK", options);
    dock_->set_cancel_flag(&cancel);
    if (auto c = dock_->connect(); !c)
        dock_problem_ = "the dock is not available: " + c.error().message;
}

std::mutex* FixturePool::shared(const std::string& name) {
    for (Shared& s : shared_)
        if (s.name == name)
            return s.mutex.get();
    return nullptr;
}

std::vector<std::pair<std::string, FixtureLink*>> FixturePool::links() const {
    std::vector<std::pair<std::string, FixtureLink*>> out;
    for (const Shared& s : shared_)
        if (s.problem.empty())
            out.emplace_back(s.name, s.link.get());
    return out;
}

std::string FixturePool::problem(const std::string& name) const {
    for (const Shared& s : shared_)
        if (s.name == name)
            return s.problem;
    return "";
}

BaySummary run_bay(const RunContext& run, const Bay& bay) {
    BayRun r(run, bay);
    return r.execute();
}

} // namespace bwc::bench
