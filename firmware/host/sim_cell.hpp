// A simple battery cell with fuel gauge and charger for host runs: coulomb
// counting with a monotonic voltage curve, charge current as commanded by the
// firmware while external power is present, load current as the camera
// draws. It is a stand-in good enough to check the charging policy's timing;
// the emulators' physical battery model replaces it.
#pragma once

#include "firmware/core/model.hpp"
#include "firmware/core/ports.hpp"

#include <functional>

namespace bwc::host {

using fw::Millis;

struct CellParams {
    double capacity_mah = 3000;
    std::int32_t empty_mv = 3000;
    std::int32_t full_mv = 4200;
    double self_discharge_percent_per_month = 2.0;
    std::string battery_id = "ID1058-0001";
    int cycle_count = 0;
};

class SimCell final : public fw::BatteryGauge, public fw::Charger {
public:
    SimCell(const fw::Clock& clock, CellParams params, double soc_percent);

    // physical inputs
    void set_external_power(bool present);
    void set_temperature(fw::DeciCelsius t);
    void set_load(std::function<std::int32_t()> load_ma) { load_ma_ = std::move(load_ma); }
    void set_soc(double percent);
    /// Charger broken: commands are accepted, no current flows.
    void set_charger_dead(bool dead);
    /// No battery fitted: the gauge reports present=false and no charge.
    void set_present(bool present);
    void swap(CellParams params, double soc_percent);

    // BatteryGauge
    fw::GaugeReading read() override;
    void reset_learned_capacity() override;
    // Charger
    void set_charge_current(std::int32_t milliamps) override;

    double soc_percent() {
        integrate();
        return charge_mah_ * 100.0 / params_.capacity_mah;
    }
    std::int32_t commanded_ma() const { return set_ma_; }

private:
    void integrate();
    std::int32_t open_circuit_mv(double soc) const;
    std::int32_t flowing_ma() const; // positive = charging

    const fw::Clock& clock_;
    CellParams params_;
    double charge_mah_;
    Millis last_{0};
    bool external_ = false;
    bool charger_dead_ = false;
    bool present_ = true;
    std::int32_t set_ma_ = 0;
    fw::DeciCelsius temperature_ = 250;
    std::function<std::int32_t()> load_ma_;
    double learned_capacity_mah_;
};

} // namespace bwc::host
