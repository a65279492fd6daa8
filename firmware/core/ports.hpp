// The small interfaces through which hardware reaches the firmware core:
// battery fuel gauge, charger, storage. The host implements them (the
// emulator's physical models, a unit test's fakes, a real board's drivers).
//
// Contract for all ports: calls are synchronous, cheap and never block; the
// core calls them from its entry points only (an input, or advance()). A port
// that cannot answer reports it in its return value (e.g. StorageStatus::
// error), it never throws.
#pragma once

#include "firmware/core/model.hpp"

#include <cstdint>
#include <string>

namespace bwc::fw {

/// What a fuel gauge reports [SPEC §5 assumption].
struct GaugeReading {
    std::int32_t voltage_mv = 0;
    std::int32_t current_ma = 0; // positive into the battery (charging)
    DeciCelsius temperature_dc = 0;
    std::int32_t state_of_charge_percent = 0;
    std::int32_t remaining_mah = 0;
    std::int32_t full_charge_mah = 0;
    std::int32_t cycle_count = 0;
    std::string battery_id;
    bool present = true;
};

class BatteryGauge {
public:
    virtual ~BatteryGauge() = default;
    virtual GaugeReading read() = 0;
    /// After a battery replacement: forget the learned capacity.
    virtual void reset_learned_capacity() = 0;
};

/// The charger takes a current set-point; zero disables charging. It charges
/// only while external power (dock VBUS or USB-C 5 V) is present — whether
/// it is, the core learns from Camera::set_external_power().
class Charger {
public:
    virtual ~Charger() = default;
    virtual void set_charge_current(std::int32_t milliamps) = 0;
};

struct StorageStatus {
    std::int64_t capacity_bytes = 0;
    std::int64_t used_bytes = 0;
    std::int64_t pending_offload_bytes = 0; // recorded, not yet transferred
    bool error = false;                     // medium failed: camera not operational
};

/// Recording storage. The core says when a recording starts and stops and at
/// which bitrate; the storage writes (and accounts for) the bytes itself.
class Storage {
public:
    virtual ~Storage() = default;
    virtual StorageStatus status() = 0;
    virtual void begin_recording(std::int64_t bitrate_bps, Millis prebuffer) = 0;
    virtual void end_recording() = 0;
    virtual void add_bookmark() = 0;
    /// Move up to `budget_bytes` of pending recordings over the dock link;
    /// returns how many moved (0 when the link is down on the storage side).
    virtual std::int64_t offload(std::int64_t budget_bytes) = 0;
};

} // namespace bwc::fw
