// Simple cell, gauge and charger for host runs (see sim_cell.hpp).
#include "firmware/host/sim_cell.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace bwc::host {

SimCell::SimCell(const fw::Clock& clock, CellParams params, double soc_percent)
    : clock_(clock), params_(std::move(params)),
      charge_mah_(params_.capacity_mah * std::clamp(soc_percent, 0.0, 100.0) / 100.0),
      last_(clock.now()), learned_capacity_mah_(params_.capacity_mah) {}

std::int32_t SimCell::flowing_ma() const {
    const std::int32_t in = (external_ && !charger_dead_ && present_) ? set_ma_ : 0;
    // On external power the camera runs from it; only without it does the
    // load come from the cell.
    const std::int32_t out = (!external_ && load_ma_) ? load_ma_() : 0;
    return in - out;
}

void SimCell::integrate() {
    const Millis now = clock_.now();
    if (now <= last_)
        return;
    const double hours = static_cast<double>((now - last_).count()) / 3.6e6;
    const double self = params_.capacity_mah * params_.self_discharge_percent_per_month / 100.0 *
                        hours / (30.0 * 24.0);
    charge_mah_ += flowing_ma() * hours - self;
    charge_mah_ = std::clamp(charge_mah_, 0.0, params_.capacity_mah);
    last_ = now;
}

std::int32_t SimCell::open_circuit_mv(double soc) const {
    // Piecewise-linear Li-ion curve between the empty and full voltages:
    // steep at both ends, flat in the middle.
    static constexpr double kSoc[] = {0.0, 0.05, 0.2, 0.8, 1.0};
    static constexpr double kShape[] = {0.0, 0.375, 0.54, 0.79, 1.0};
    soc = std::clamp(soc, 0.0, 1.0);
    std::size_t i = 1;
    while (i + 1 < std::size(kSoc) && soc > kSoc[i])
        ++i;
    const double t = (soc - kSoc[i - 1]) / (kSoc[i] - kSoc[i - 1]);
    const double shape = kShape[i - 1] + t * (kShape[i] - kShape[i - 1]);
    return static_cast<std::int32_t>(params_.empty_mv +
                                     (params_.full_mv - params_.empty_mv) * shape);
}

void SimCell::set_external_power(bool present) {
    integrate();
    external_ = present;
}

void SimCell::set_temperature(fw::DeciCelsius t) {
    integrate();
    temperature_ = t;
}

void SimCell::set_soc(double percent) {
    integrate();
    charge_mah_ = params_.capacity_mah * std::clamp(percent, 0.0, 100.0) / 100.0;
}

void SimCell::set_charger_dead(bool dead) {
    integrate();
    charger_dead_ = dead;
}

void SimCell::swap(CellParams params, double soc_percent) {
    integrate();
    params_ = std::move(params);
    charge_mah_ = params_.capacity_mah * std::clamp(soc_percent, 0.0, 100.0) / 100.0;
}

void SimCell::set_present(bool present) {
    integrate();
    present_ = present;
}

void SimCell::set_charge_current(std::int32_t milliamps) {
    integrate();
    set_ma_ = std::max(milliamps, 0);
}

void SimCell::reset_learned_capacity() {
    learned_capacity_mah_ = params_.capacity_mah;
}

fw::GaugeReading SimCell::read() {
    integrate();
    const double soc = charge_mah_ / params_.capacity_mah;
    fw::GaugeReading g;
    g.voltage_mv = open_circuit_mv(soc);
    g.current_ma = flowing_ma();
    g.temperature_dc = temperature_;
    g.state_of_charge_percent = static_cast<std::int32_t>(std::lround(soc * 100.0));
    g.remaining_mah = static_cast<std::int32_t>(charge_mah_);
    g.full_charge_mah = static_cast<std::int32_t>(learned_capacity_mah_);
    g.cycle_count = params_.cycle_count;
    g.battery_id = params_.battery_id;
    g.present = present_;
    if (!present_) {
        // A gauge with no cell behind it reads nothing useful.
        g.voltage_mv = 0;
        g.state_of_charge_percent = 0;
        g.remaining_mah = 0;
        g.battery_id.clear();
    }
    return g;
}

} // namespace bwc::host
