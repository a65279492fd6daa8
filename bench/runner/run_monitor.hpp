// What a run publishes while it goes, for any number of observers (the CLI's
// progress display, the console, tests): a snapshot of every bay (phase,
// current step, last measurement, verdict), a bounded log of numbered events,
// and the prompts waiting for an operator, which an observer answers with
// answer(). Bays never wait on observers: publishing is a short lock, and
// observers poll at their own pace.
#pragma once

#include "bench/record/record.hpp"
#include "bench/steps/step_context.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

enum class BayPhase { Waiting, Connecting, Running, Teardown, Done };
std::string_view to_string(BayPhase p);

struct BayView {
    int bay = 0;
    BayPhase phase = BayPhase::Waiting;
    std::string serial, model;
    std::string step_id, step_name; // current or last step
    int step_index = 0;             // 0-based position of the current step
    int step_count = 0;             // setup + main + teardown, after planning
    std::optional<MeasurementRecord> last_measurement;
    std::optional<Verdict> verdict; // once Done
    std::string first_failing_step, failure_code, cause;
    std::int64_t device_ms = 0; // device time used so far
    std::string record_id;
};

struct PendingPrompt {
    std::uint64_t id = 0;
    int bay = 0;
    PromptRequest request;
};

struct RunEvent {
    enum class Kind { Log, StepFinished, Prompt, BayDone };
    std::uint64_t seq = 0; // 1, 2, 3 … over the run
    Kind kind = Kind::Log;
    int bay = 0;
    std::string text;                // a line for people
    Outcome outcome = Outcome::Pass; // StepFinished
};

struct RunSnapshot {
    std::vector<BayView> bays;
    std::vector<PendingPrompt> prompts;
    std::uint64_t last_event = 0;
    bool finished = false;
};

class RunMonitor {
public:
    /// Bays are known up front; their views start Waiting.
    explicit RunMonitor(const std::vector<int>& bays);

    /// Changes a bay's view under the lock (keep `change` short).
    void update(int bay, const std::function<void(BayView&)>& change);
    void publish(RunEvent::Kind kind, int bay, std::string text, Outcome outcome = Outcome::Pass);
    void finish();

    RunSnapshot snapshot() const;
    /// Events after `seq`, oldest first (at most the last kKeepEvents are kept).
    std::vector<RunEvent> events_since(std::uint64_t seq) const;
    static constexpr std::size_t kKeepEvents = 4096;

    /// An answerer called the moment a prompt is posted (the emulated
    /// station's operator); returns nullopt to leave it to a person.
    using AutoAnswer = std::function<std::optional<std::string>(const PendingPrompt&)>;
    void set_auto_answer(AutoAnswer answer) { auto_answer_ = std::move(answer); }

    /// Posts a prompt and blocks until answered or `cancel` rises.
    DeviceResult<std::string> ask(int bay, const PromptRequest& request,
                                  const std::atomic<bool>& cancel);
    /// Answers a waiting prompt; false when no such prompt waits.
    bool answer(std::uint64_t prompt_id, std::string text);

private:
    mutable std::mutex mutex_;
    std::condition_variable answered_;
    std::vector<BayView> bays_;
    std::vector<PendingPrompt> prompts_;
    std::vector<std::pair<std::uint64_t, std::string>> answers_;
    std::deque<RunEvent> events_;
    std::uint64_t next_seq_ = 1;
    std::uint64_t next_prompt_ = 1;
    bool finished_ = false;
    AutoAnswer auto_answer_;
};

} // namespace bwc::bench
