// The bay-side services of a step context: device time and subscription
// (see step_context.hpp).
#include "bench/steps/step_context.hpp"

#include "bench/device/camera_protocol.hpp"
#include "firmware/core/sha256.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
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

Result<std::string> StepContext::save_evidence(std::string_view name, std::string_view bytes,
                                               std::string description) {
    if (evidence_dir_.empty())
        return Result<std::string>::failure("this run keeps no evidence (no evidence folder)");
    std::error_code ec;
    std::filesystem::create_directories(evidence_dir_, ec);
    if (ec)
        return Result<std::string>::failure("cannot create " + evidence_dir_ + ": " + ec.message());
    // Step ids may hold loop values ("wifi-${ch}" → "wifi-6"): keep file names tame.
    std::string file = step_id_ + "-a" + std::to_string(attempt_) + "-" + std::string(name);
    for (char& c : file)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            c = '_';
    const std::string path = evidence_dir_ + "/" + file;
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out)
            return Result<std::string>::failure("cannot write evidence " + path + ": " +
                                                std::strerror(errno));
    }
    fw::Sha256 hash;
    hash.update(bytes);
    attach(Evidence{step_id_, path, hash.hex_digest(), std::move(description)});
    return path;
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
