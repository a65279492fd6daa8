// Recording storage accounting for host runs (see sim_storage.hpp).
#include "firmware/host/sim_storage.hpp"

#include <algorithm>

namespace bwc::host {

SimStorage::SimStorage(const fw::Clock& clock, std::int64_t capacity_bytes)
    : clock_(clock), capacity_(capacity_bytes), last_(clock.now()) {}

void SimStorage::integrate() {
    const Millis now = clock_.now();
    if (bitrate_ && now > last_) {
        const std::int64_t bytes = *bitrate_ / 8 * (now - last_).count() / 1000;
        const std::int64_t written = std::min(bytes, capacity_ - used_);
        used_ += written;
        pending_ += written;
    }
    last_ = now;
}

fw::StorageStatus SimStorage::status() {
    integrate();
    return {capacity_, used_, pending_, error_};
}

void SimStorage::begin_recording(std::int64_t bitrate_bps, Millis prebuffer) {
    integrate();
    if (error_)
        return;
    bitrate_ = bitrate_bps;
    ++recordings_;
    // The pre-buffer's video joins the recording when it starts.
    const std::int64_t pre =
        std::min(bitrate_bps / 8 * prebuffer.count() / 1000, capacity_ - used_);
    used_ += pre;
    pending_ += pre;
}

void SimStorage::end_recording() {
    integrate();
    bitrate_.reset();
}

std::int64_t SimStorage::offload(std::int64_t budget_bytes) {
    integrate();
    if (error_)
        return 0;
    const Millis now = clock_.now();
    if (read_limit_) {
        const Millis since = std::max(now - last_offload_, Millis{0});
        budget_bytes = std::min(budget_bytes, *read_limit_ * since.count() / 1000);
    }
    last_offload_ = now;
    const std::int64_t moved = std::clamp<std::int64_t>(budget_bytes, 0, pending_);
    pending_ -= moved;
    used_ -= moved; // offloaded recordings are deleted from the camera
    offloaded_ += moved;
    return moved;
}

void SimStorage::set_used(std::int64_t used_bytes, std::int64_t pending_bytes) {
    integrate();
    used_ = std::clamp<std::int64_t>(used_bytes, 0, capacity_);
    pending_ = std::clamp<std::int64_t>(pending_bytes, 0, used_);
}

} // namespace bwc::host
