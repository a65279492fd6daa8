// The bay-side services of a step context: device time and subscription
// (see step_context.hpp).
#include "bench/steps/step_context.hpp"

#include "bench/device/camera_protocol.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace bwc::bench {

std::string_view to_string(PromptRequest::Kind k) {
    switch (k) {
    case PromptRequest::Kind::ScanSerial:
        return "scan_serial";
    case PromptRequest::Kind::Confirm:
        return "confirm";
    case PromptRequest::Kind::Text:
        return "text";
    }
    return "?";
}

DeviceResult<std::int64_t> StepContext::advance(std::int64_t ms) {
    if (ms < 0)
        return DeviceResult<std::int64_t>::failure(
            {DeviceError::Kind::Protocol, "",
             "cannot advance time by a negative " + std::to_string(ms) + " ms"});
    if (virtual_time_) {
        auto now = advance_time(*camera_, ms);
        if (now)
            device_now_ms_ = *now;
        return now;
    }
    // Real hardware: wall time passes; sleep in slices so Ctrl-C is prompt.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        if (cancelled())
            return DeviceResult<std::int64_t>::failure(
                {DeviceError::Kind::Cancelled, "",
                 "cancelled while waiting " + std::to_string(ms) + " ms"});
        const auto left = until - std::chrono::steady_clock::now();
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
    }
    auto now = read_time(*camera_);
    if (!now)
        return DeviceResult<std::int64_t>::failure(now.error());
    device_now_ms_ = now->now_ms;
    return device_now_ms_;
}

DeviceStatus StepContext::ensure_subscribed() {
    if (subscribed_)
        return DeviceStatus(std::monostate{});
    auto s = camera_->subscribe();
    if (s)
        subscribed_ = true;
    return s;
}

} // namespace bwc::bench
