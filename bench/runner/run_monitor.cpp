// The run's published state (see run_monitor.hpp).
#include "bench/runner/run_monitor.hpp"

#include <algorithm>
#include <chrono>

namespace bwc::bench {

std::string_view to_string(BayPhase p) {
    switch (p) {
    case BayPhase::Waiting:
        return "waiting";
    case BayPhase::Connecting:
        return "connecting";
    case BayPhase::Running:
        return "running";
    case BayPhase::Teardown:
        return "teardown";
    case BayPhase::Done:
        return "done";
    }
    return "?";
}

RunMonitor::RunMonitor(const std::vector<int>& bays) {
    for (int b : bays) {
        BayView v;
        v.bay = b;
        bays_.push_back(std::move(v));
    }
}

void RunMonitor::update(int bay, const std::function<void(BayView&)>& change) {
    std::lock_guard lock(mutex_);
    for (BayView& v : bays_)
        if (v.bay == bay)
            change(v);
}

void RunMonitor::publish(RunEvent::Kind kind, int bay, std::string text, Outcome outcome) {
    std::lock_guard lock(mutex_);
    events_.push_back(RunEvent{next_seq_++, kind, bay, std::move(text), outcome});
    if (events_.size() > kKeepEvents)
        events_.pop_front();
}

void RunMonitor::finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
}

RunSnapshot RunMonitor::snapshot() const {
    std::lock_guard lock(mutex_);
    return RunSnapshot{bays_, prompts_, next_seq_ - 1, finished_};
}

std::vector<RunEvent> RunMonitor::events_since(std::uint64_t seq) const {
    std::lock_guard lock(mutex_);
    std::vector<RunEvent> out;
    for (const RunEvent& e : events_)
        if (e.seq > seq)
            out.push_back(e);
    return out;
}

DeviceResult<std::string> RunMonitor::ask(int bay, const PromptRequest& request,
                                          const std::atomic<bool>& cancel) {
    PendingPrompt prompt;
    {
        std::lock_guard lock(mutex_);
        prompt = PendingPrompt{next_prompt_++, bay, request};
    }
    if (auto_answer_)
        if (auto text = auto_answer_(prompt)) {
            publish(RunEvent::Kind::Log, bay,
                    "operator (automatic): " + request.text + " -> " + *text);
            return *text;
        }
    std::unique_lock lock(mutex_);
    prompts_.push_back(prompt);
    events_.push_back(
        RunEvent{next_seq_++, RunEvent::Kind::Prompt, bay, request.text, Outcome::Pass});
    while (true) {
        auto it = std::find_if(answers_.begin(), answers_.end(),
                               [&](const auto& a) { return a.first == prompt.id; });
        if (it != answers_.end()) {
            std::string text = std::move(it->second);
            answers_.erase(it);
            return text;
        }
        if (cancel.load()) {
            std::erase_if(prompts_, [&](const PendingPrompt& p) { return p.id == prompt.id; });
            return DeviceResult<std::string>::failure(
                {DeviceError::Kind::Cancelled, "",
                 "cancelled while waiting for the operator: " + request.text});
        }
        answered_.wait_for(lock, std::chrono::milliseconds(50));
    }
}

bool RunMonitor::answer(std::uint64_t prompt_id, std::string text) {
    {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(prompts_.begin(), prompts_.end(),
                               [&](const PendingPrompt& p) { return p.id == prompt_id; });
        if (it == prompts_.end())
            return false;
        prompts_.erase(it);
        answers_.emplace_back(prompt_id, std::move(text));
    }
    answered_.notify_all();
    return true;
}

} // namespace bwc::bench
