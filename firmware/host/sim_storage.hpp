// Recording storage for host runs: capacity, bytes written at the recording's
// bitrate as (virtual) time passes, bytes pending offload, an error switch.
// Accounting only; the emulators' storage model writes real bytes.
#pragma once

#include "firmware/core/ports.hpp"

#include <optional>

namespace bwc::host {

using fw::Millis;

class SimStorage final : public fw::Storage {
public:
    SimStorage(const fw::Clock& clock, std::int64_t capacity_bytes);

    fw::StorageStatus status() override;
    void begin_recording(std::int64_t bitrate_bps, Millis prebuffer) override;
    void end_recording() override;
    void add_bookmark() override { ++bookmarks_; }
    std::int64_t offload(std::int64_t budget_bytes) override;

    void set_error(bool error) { error_ = error; }
    /// A slow medium: reads (offload) at most this many bytes per second.
    void set_read_limit(std::optional<std::int64_t> bytes_per_s) { read_limit_ = bytes_per_s; }
    void set_used(std::int64_t used_bytes, std::int64_t pending_bytes);
    int recordings() const { return recordings_; }
    int bookmarks() const { return bookmarks_; }
    std::int64_t offloaded_bytes() const { return offloaded_; }

private:
    void integrate();

    const fw::Clock& clock_;
    std::int64_t capacity_;
    std::int64_t used_ = 0;
    std::int64_t pending_ = 0;
    std::int64_t offloaded_ = 0;
    std::optional<std::int64_t> bitrate_;
    Millis last_{0};
    bool error_ = false;
    std::optional<std::int64_t> read_limit_;
    Millis last_offload_{0};
    int recordings_ = 0;
    int bookmarks_ = 0;
};

} // namespace bwc::host
