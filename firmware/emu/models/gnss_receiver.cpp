// GnssReceiverModel implementation: scenario validation, the fix/TTFF state machine run once
// per epoch, NMEA sentence building (u-blox style field formats), DOP from the sky's geometry,
// and log replay grouped into epochs. See gnss_receiver.hpp for the contract.
#include "firmware/emu/models/gnss_receiver.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <numbers>
#include <string_view>
#include <utility>
#include <variant>

namespace bwc::emu {

namespace gn = fw::gnss;

namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;
// Satellites per GSV sentence, and the most sentences a group can have: the message count is a
// single digit, so 9 x 4 satellites per constellation is all NMEA 0183 can list.
constexpr std::size_t kSatsPerGsv = 4;
constexpr std::size_t kMaxSatsPerConstellation = 36;
// PRN slots of one GSA sentence.
constexpr std::size_t kPrnsPerGsa = 12;
// DOPs are printed as "%.2f"; receivers cap them at 99.99 ("no usable geometry").
constexpr double kMaxDop = 99.99;
// Scenario limits: RMC's two-digit year is read as 1980-2079 by the firmware, and altitudes
// outside these bounds are no place a body-worn camera goes (and would widen GGA).
constexpr int kMinYear = 1980;
constexpr int kMaxYear = 2079;
constexpr double kMinAltitudeM = -1000.0;
constexpr double kMaxAltitudeM = 50'000.0;
constexpr double kMaxCn0DbHz = 99.0; // two digits in GSV

constexpr std::array<Constellation, 4> kConstellations = {
    Constellation::gps, Constellation::glonass, Constellation::galileo, Constellation::beidou};

double radians(double deg) {
    return deg * std::numbers::pi / 180.0;
}
double degrees(double rad) {
    return rad * 180.0 / std::numbers::pi;
}

std::string_view talker_of(Constellation c) {
    switch (c) {
    case Constellation::gps:
        return "GP";
    case Constellation::glonass:
        return "GL";
    case Constellation::galileo:
        return "GA";
    case Constellation::beidou:
        return "GB";
    }
    return "GN";
}

// NMEA 4.10 system id, for GSA field 18 when several constellations share the "GN" talker.
int system_id_of(Constellation c) {
    switch (c) {
    case Constellation::gps:
        return 1;
    case Constellation::glonass:
        return 2;
    case Constellation::galileo:
        return 3;
    case Constellation::beidou:
        return 4;
    }
    return 0;
}

std::pair<int, int> prn_range(Constellation c) {
    switch (c) {
    case Constellation::gps:
        return {1, 32};
    case Constellation::glonass:
        return {65, 96};
    case Constellation::galileo:
        return {1, 36};
    case Constellation::beidou:
        return {1, 63};
    }
    return {0, -1};
}

std::string join(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += fields[i];
    }
    return out;
}

// Every body built here is printable ASCII without '$' or '*', so formatting cannot fail; the
// fallback keeps a broken body from ever reaching the wire.
std::string sentence(const std::vector<std::string>& fields) {
    return gn::format_sentence(join(fields)).value_or(std::string{});
}

// Zero-padded integer, as NMEA fields are ("05" for PRN 5, "040" for an azimuth).
std::string padded(long long v, int width) {
    std::array<char, 24> buf{};
    std::snprintf(buf.data(), buf.size(), "%0*lld", width, v);
    return buf.data();
}

std::string two_digits(long long v) {
    return padded(v, 2);
}

std::string fixed(double v, int decimals) {
    std::array<char, 48> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*f", decimals, v);
    return buf.data();
}

// (d)ddmm.mmmmm as u-blox prints it: 1e-5 minutes is 1.9 cm, finer than any test needs. Done in
// integer units so that rounding 59.999996' carries into the degrees instead of printing "60".
std::string coordinate(double value, bool latitude) {
    constexpr long long kUnitsPerMinute = 100'000;
    constexpr long long kUnitsPerDegree = 60 * kUnitsPerMinute;
    const long long units = std::llround(std::abs(value) * static_cast<double>(kUnitsPerDegree));
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%0*lld%02lld.%05lld", latitude ? 2 : 3,
                  units / kUnitsPerDegree, (units % kUnitsPerDegree) / kUnitsPerMinute,
                  units % kUnitsPerMinute);
    return buf.data();
}

std::string hemisphere(double value, bool latitude) {
    if (latitude) {
        return value < 0 ? "S" : "N";
    }
    return value < 0 ? "W" : "E";
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// hhmmss.ss (centiseconds, as u-blox) and ddmmyy of a Unix time in milliseconds.
std::string utc_time_field(std::int64_t unix_ms) {
    const std::int64_t tod = unix_ms - floor_div(unix_ms, kMillisPerDay) * kMillisPerDay;
    const std::int64_t s = tod / 1000;
    return two_digits(s / 3600) + two_digits(s / 60 % 60) + two_digits(s % 60) + "." +
           two_digits(tod % 1000 / 10);
}

std::string utc_date_field(std::int64_t unix_ms) {
    const gn::Date d = gn::date_from_days(floor_div(unix_ms, kMillisPerDay));
    return two_digits(d.day) + two_digits(d.month) + two_digits(d.year % 100);
}

// Destination point on a sphere: start, initial bearing, distance.
Position displaced(const Position& p, double distance_m, double bearing_deg) {
    if (distance_m == 0.0) {
        return p;
    }
    const double delta = distance_m / kEarthRadiusM;
    const double theta = radians(bearing_deg);
    const double phi1 = radians(p.latitude_deg);
    const double lambda1 = radians(p.longitude_deg);
    const double sin_phi2 =
        std::sin(phi1) * std::cos(delta) + std::cos(phi1) * std::sin(delta) * std::cos(theta);
    const double phi2 = std::asin(std::clamp(sin_phi2, -1.0, 1.0));
    const double lambda2 = lambda1 + std::atan2(std::sin(theta) * std::sin(delta) * std::cos(phi1),
                                                std::cos(delta) - std::sin(phi1) * std::sin(phi2));
    Position out = p;
    out.latitude_deg = degrees(phi2);
    // Back into [-180, 180) so that crossing the antimeridian prints a valid longitude.
    out.longitude_deg = std::remainder(degrees(lambda2), 360.0);
    return out;
}

struct Dop {
    double pdop;
    double hdop;
    double vdop;
};

// DOP of a single-clock solution from the used satellites' elevations and azimuths:
// Q = (G^T G)^-1 with rows [-cos(el) sin(az), -cos(el) cos(az), -sin(el), 1] in east-north-up.
// Absent when the geometry is degenerate (the matrix cannot be inverted).
std::optional<Dop> dilution(const std::vector<SatelliteSignal>& used) {
    constexpr std::size_t kN = 4;
    std::array<std::array<double, 2 * kN>, kN> m{}; // [G^T G | I], reduced to [I | Q]
    for (const auto& sat : used) {
        const double el = radians(sat.elevation_deg);
        const double az = radians(sat.azimuth_deg);
        const std::array<double, kN> g = {-std::cos(el) * std::sin(az),
                                          -std::cos(el) * std::cos(az), -std::sin(el), 1.0};
        for (std::size_t i = 0; i < kN; ++i) {
            for (std::size_t j = 0; j < kN; ++j) {
                m[i][j] += g[i] * g[j];
            }
        }
    }
    for (std::size_t i = 0; i < kN; ++i) {
        m[i][kN + i] = 1.0;
    }
    constexpr double kSingular = 1e-9;
    for (std::size_t col = 0; col < kN; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < kN; ++r) {
            if (std::abs(m[r][col]) > std::abs(m[pivot][col])) {
                pivot = r;
            }
        }
        if (std::abs(m[pivot][col]) < kSingular) {
            return std::nullopt;
        }
        std::swap(m[col], m[pivot]);
        const double p = m[col][col];
        for (auto& v : m[col]) {
            v /= p;
        }
        for (std::size_t r = 0; r < kN; ++r) {
            if (r != col) {
                const double f = m[r][col];
                for (std::size_t c = 0; c < 2 * kN; ++c) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    const double qe = m[0][kN + 0];
    const double qn = m[1][kN + 1];
    const double qu = m[2][kN + 2];
    if (qe < 0 || qn < 0 || qu < 0) {
        return std::nullopt;
    }
    return Dop{std::sqrt(qe + qn + qu), std::sqrt(qe + qn), std::sqrt(qu)};
}

std::string dop_field(double v) {
    return fixed(std::min(v, kMaxDop), 2);
}

// Printable excerpt of a log line for error messages.
std::string excerpt(std::string_view s) {
    constexpr std::size_t kMaxShown = 40;
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\x%02X", static_cast<unsigned>(c));
            out += buf.data();
        }
    }
    if (s.size() > kMaxShown) {
        out += "...";
    }
    return out + "'";
}

bool address_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// 1-based index of the UTC time field of sentence types that carry one; 0 for the others.
std::size_t time_field_index(std::string_view type) {
    if (type == "RMC" || type == "GGA" || type == "ZDA" || type == "GNS" || type == "GST" ||
        type == "GRS" || type == "GBS") {
        return 1;
    }
    if (type == "GLL") {
        return 5;
    }
    return 0;
}

// The n-th field (1-based) after the address, without a trailing "*HH".
std::string_view field(std::string_view sentence_text, std::size_t n) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto comma = sentence_text.find(',', start);
        if (comma == std::string_view::npos) {
            return {};
        }
        start = comma + 1;
    }
    auto f = sentence_text.substr(start);
    f = f.substr(0, f.find(','));
    return f.substr(0, f.find('*'));
}

GnssModelError replay_error(const std::string& source, std::size_t line, std::string what) {
    return GnssModelError{source, line, source + ":" + std::to_string(line) + ": " + what};
}

std::optional<GnssModelError> scenario_error(std::string what) {
    return GnssModelError{"scenario", 0, "scenario: " + std::move(what)};
}

std::optional<GnssModelError> validate(const Scenario& s) {
    const auto& p = s.position;
    if (!(p.latitude_deg >= -90.0 && p.latitude_deg <= 90.0)) {
        return scenario_error("latitude " + std::to_string(p.latitude_deg) + " is outside -90..90");
    }
    if (!(p.longitude_deg >= -180.0 && p.longitude_deg <= 180.0)) {
        return scenario_error("longitude " + std::to_string(p.longitude_deg) +
                              " is outside -180..180");
    }
    if (!(p.altitude_m >= kMinAltitudeM && p.altitude_m <= kMaxAltitudeM)) {
        return scenario_error("altitude " + std::to_string(p.altitude_m) +
                              " m is outside -1000..50000");
    }
    const auto& d = s.utc_date;
    if (d.year < kMinYear || d.year > kMaxYear || d.month < 1 || d.month > 12 || d.day < 1 ||
        gn::date_from_days(gn::days_since_epoch(d)) != d) {
        return scenario_error("UTC date " + std::to_string(d.year) + "-" + std::to_string(d.month) +
                              "-" + std::to_string(d.day) +
                              " is not a calendar date in 1980..2079");
    }
    const auto& t = s.utc_time;
    if (t.hour > 23 || t.minute > 59 || t.second > 59 || t.millisecond > 999) {
        return scenario_error("UTC time is not a time of day");
    }
    if (s.rf_level_dbm && !std::isfinite(*s.rf_level_dbm)) {
        return scenario_error("RF level is not a number");
    }
    if (s.rf_level_dbm) {
        return std::nullopt; // the explicit satellite list is not used
    }
    std::array<std::size_t, kConstellations.size()> per_constellation{};
    for (std::size_t i = 0; i < s.satellites.size(); ++i) {
        const auto& sat = s.satellites[i];
        const auto name = std::string(to_string(sat.constellation)) + " " + std::to_string(sat.prn);
        const auto [lo, hi] = prn_range(sat.constellation);
        if (sat.prn < lo || sat.prn > hi) {
            return scenario_error("satellite " + name + ": PRN outside " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
        }
        if (sat.elevation_deg < 0 || sat.elevation_deg > 90) {
            return scenario_error("satellite " + name + ": elevation outside 0..90");
        }
        if (sat.azimuth_deg < 0 || sat.azimuth_deg > 359) {
            return scenario_error("satellite " + name + ": azimuth outside 0..359");
        }
        if (!(sat.cn0_dbhz >= 0.0 && sat.cn0_dbhz <= kMaxCn0DbHz)) {
            return scenario_error("satellite " + name + ": C/N0 outside 0..99 dBHz");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (s.satellites[j].prn == sat.prn &&
                s.satellites[j].constellation == sat.constellation) {
                return scenario_error("satellite " + name + " is listed twice");
            }
        }
        const auto c = static_cast<std::size_t>(sat.constellation);
        if (++per_constellation[c] > kMaxSatsPerConstellation) {
            return scenario_error(std::string(to_string(sat.constellation)) +
                                  ": more than 36 satellites, which GSV cannot list");
        }
    }
    return std::nullopt;
}

} // namespace

double cn0_from_rf_level(double rf_level_dbm) {
    return rf_level_dbm - kThermalNoiseDensityDbmPerHz - kReceiverNoiseFigureDb;
}

std::string_view to_string(Constellation c) {
    switch (c) {
    case Constellation::gps:
        return "gps";
    case Constellation::glonass:
        return "glonass";
    case Constellation::galileo:
        return "galileo";
    case Constellation::beidou:
        return "beidou";
    }
    return "unknown";
}

std::string_view to_string(GnssModelMode mode) {
    switch (mode) {
    case GnssModelMode::idle:
        return "idle";
    case GnssModelMode::scenario:
        return "scenario";
    case GnssModelMode::replay:
        return "replay";
    case GnssModelMode::replay_finished:
        return "replay_finished";
    }
    return "unknown";
}

std::vector<SatelliteSignal> default_sky(double cn0_dbhz) {
    // Elevations from 15 to 75 degrees all around the horizon: a typical open-sky view with
    // HDOP near 1, so the fix quality depends on the level alone.
    struct Slot {
        int prn;
        Constellation c;
        int el;
        int az;
    };
    constexpr std::array<Slot, 12> kSlots = {{
        {2, Constellation::gps, 75, 40},
        {5, Constellation::gps, 52, 130},
        {12, Constellation::gps, 38, 220},
        {15, Constellation::gps, 25, 310},
        {18, Constellation::gps, 60, 280},
        {21, Constellation::gps, 15, 70},
        {24, Constellation::gps, 30, 165},
        {29, Constellation::gps, 45, 355},
        {66, Constellation::glonass, 55, 95},
        {72, Constellation::glonass, 35, 250},
        {78, Constellation::glonass, 20, 20},
        {83, Constellation::glonass, 65, 190},
    }};
    std::vector<SatelliteSignal> sky;
    sky.reserve(kSlots.size());
    for (const auto& s : kSlots) {
        sky.push_back(SatelliteSignal{s.prn, s.c, s.el, s.az, cn0_dbhz});
    }
    return sky;
}

GnssReceiverModel::GnssReceiverModel(const fw::Clock& clock, GnssReceiverConfig config)
    : clock_(clock), config_(config) {
    // A non-positive period would make advance() loop forever.
    if (config_.epoch_period <= Millis{0}) {
        config_.epoch_period = GnssReceiverConfig::kDefaultEpochPeriod;
    }
}

std::optional<GnssModelError> GnssReceiverModel::set_scenario(Scenario scenario) {
    if (auto error = validate(scenario)) {
        return error;
    }
    scenario_ = std::move(scenario);
    sky_ = scenario_.rf_level_dbm ? default_sky(cn0_from_rf_level(*scenario_.rf_level_dbm))
                                  : scenario_.satellites;
    utc_start_unix_ms_ = gn::unix_millis(scenario_.utc_date, scenario_.utc_time);
    mode_ = GnssModelMode::scenario;
    start_ = clock_.now();
    next_epoch_ = start_;
    fixed_ = false;
    ever_fixed_ = false;
    searching_since_.reset();
    epochs_.clear();
    next_replay_ = 0;
    status_ = GnssModelStatus{};
    status_.mode = mode_;
    return std::nullopt;
}

void GnssReceiverModel::stop() {
    mode_ = GnssModelMode::idle;
    epochs_.clear();
    fixed_ = false;
    status_ = GnssModelStatus{};
}

std::string GnssReceiverModel::take_output() {
    std::string out;
    out.swap(output_);
    return out;
}

std::optional<Millis> GnssReceiverModel::next_deadline() const {
    if (mode_ == GnssModelMode::scenario || mode_ == GnssModelMode::replay) {
        return next_epoch_;
    }
    return std::nullopt;
}

void GnssReceiverModel::advance() {
    const Millis now = clock_.now();
    if (!next_deadline() || now < next_epoch_) {
        return;
    }
    const auto due = static_cast<std::size_t>((now - next_epoch_) / config_.epoch_period) + 1;
    if (due > config_.max_catch_up_epochs) {
        const auto skip = due - config_.max_catch_up_epochs;
        next_epoch_ += config_.epoch_period * static_cast<std::int64_t>(skip);
        status_.epochs_skipped += skip;
        next_replay_ += skip; // replay epochs keep their place in virtual time
    }
    while ((mode_ == GnssModelMode::scenario || mode_ == GnssModelMode::replay) &&
           next_epoch_ <= now) {
        if (mode_ == GnssModelMode::scenario) {
            scenario_epoch(next_epoch_);
        } else if (next_replay_ < epochs_.size()) {
            replay_epoch(next_replay_++, next_epoch_);
        }
        if (mode_ == GnssModelMode::replay && next_replay_ >= epochs_.size()) {
            mode_ = GnssModelMode::replay_finished;
            status_.mode = mode_;
        }
        next_epoch_ += config_.epoch_period;
    }
}

GnssModelStatus GnssReceiverModel::status() const {
    return status_;
}

void GnssReceiverModel::emit(const std::string& bytes) {
    if (output_.size() + bytes.size() > config_.max_buffered_bytes) {
        ++status_.epochs_skipped;
        return;
    }
    output_ += bytes;
    ++status_.epochs_emitted;
}

GnssReceiverModel::SkyState GnssReceiverModel::sky_now() const {
    SkyState s;
    if (scenario_.no_signal) {
        return s;
    }
    std::vector<double> tracked_cn0;
    for (auto sat : sky_) {
        sat.cn0_dbhz = std::clamp(sat.cn0_dbhz - faults_.cn0_drop_db, 0.0, kMaxCn0DbHz);
        const bool tracked = sat.cn0_dbhz >= config_.tracking_threshold_dbhz;
        s.sats.push_back(sat);
        s.tracked.push_back(tracked);
        if (tracked) {
            tracked_cn0.push_back(sat.cn0_dbhz);
        }
    }
    s.tracked_count = static_cast<int>(tracked_cn0.size());
    if (tracked_cn0.size() >= static_cast<std::size_t>(kMinSatellitesForFix)) {
        std::sort(tracked_cn0.begin(), tracked_cn0.end(), std::greater<>{});
        s.fourth_cn0 = tracked_cn0[static_cast<std::size_t>(kMinSatellitesForFix - 1)];
    }
    return s;
}

Millis GnssReceiverModel::ttff_for(const SkyState& sky) const {
    if (ever_fixed_) {
        return config_.hot_start_ttff;
    }
    const double deficit_db = std::max(0.0, config_.strong_cn0_dbhz - sky.fourth_cn0.value_or(0));
    const double ms = static_cast<double>(config_.cold_start_ttff.count()) +
                      static_cast<double>(config_.ttff_per_db.count()) * deficit_db;
    return Millis{static_cast<std::int64_t>(std::ceil(ms))};
}

void GnssReceiverModel::scenario_epoch(Millis t) {
    const SkyState sky = sky_now();
    const bool can_fix = !faults_.no_fix && sky.tracked_count >= kMinSatellitesForFix;
    if (!can_fix) {
        fixed_ = false;
        searching_since_.reset();
    } else {
        if (!searching_since_) {
            searching_since_ = t;
        }
        if (!fixed_ && t - *searching_since_ >= ttff_for(sky)) {
            fixed_ = true;
            ever_fixed_ = true;
            if (!status_.ttff) {
                status_.ttff = t - start_;
            }
        }
    }

    std::string bytes;
    for (const auto& s : scenario_sentences(t, sky)) {
        bytes += s;
    }
    emit(bytes);

    status_.has_fix = fixed_;
    status_.sats_in_view = static_cast<int>(sky.sats.size());
    status_.sats_tracked = sky.tracked_count;
    status_.sats_used = fixed_ ? sky.tracked_count : 0;
    status_.position.reset();
    if (fixed_) {
        status_.position =
            displaced(scenario_.position, faults_.offset_m, faults_.offset_bearing_deg);
    }
}

std::vector<std::string> GnssReceiverModel::scenario_sentences(Millis t,
                                                               const SkyState& sky) const {
    // Constellations the receiver is set up for: those of the scenario's sky. One alone keeps
    // its own talker (a GPS-only receiver says "GP"); several share "GN" as on u-blox M8.
    std::vector<Constellation> systems;
    for (const auto c : kConstellations) {
        if (std::any_of(sky_.begin(), sky_.end(),
                        [c](const SatelliteSignal& s) { return s.constellation == c; })) {
            systems.push_back(c);
        }
    }
    const std::string talker = systems.empty()       ? "GP"
                               : systems.size() == 1 ? std::string(talker_of(systems[0]))
                                                     : "GN";

    // A cold-started receiver knows UTC only once it has decoded the satellites' data, which
    // this model ties to the first fix; until then time and date fields stay empty.
    const std::int64_t unix_ms = utc_start_unix_ms_ + (t - start_).count();
    const std::string time = ever_fixed_ ? utc_time_field(unix_ms) : "";
    const std::string date = ever_fixed_ ? utc_date_field(unix_ms) : "";

    std::vector<SatelliteSignal> used;
    if (fixed_) {
        for (std::size_t i = 0; i < sky.sats.size(); ++i) {
            if (sky.tracked[i]) {
                used.push_back(sky.sats[i]);
            }
        }
    }
    const auto dop = fixed_ ? dilution(used) : std::nullopt;
    const std::string pdop = fixed_ ? dop_field(dop ? dop->pdop : kMaxDop) : "";
    const std::string hdop = fixed_ ? dop_field(dop ? dop->hdop : kMaxDop) : "";
    const std::string vdop = fixed_ ? dop_field(dop ? dop->vdop : kMaxDop) : "";

    std::vector<std::string> out;
    if (fixed_) {
        const Position p =
            displaced(scenario_.position, faults_.offset_m, faults_.offset_bearing_deg);
        const std::string lat = coordinate(p.latitude_deg, true);
        const std::string ns = hemisphere(p.latitude_deg, true);
        const std::string lon = coordinate(p.longitude_deg, false);
        const std::string ew = hemisphere(p.longitude_deg, false);
        // A static receiver: speed zero, no course; geoid separation is not modelled, so GGA
        // leaves it empty and gpsd applies its own geoid model.
        out.push_back(sentence(
            {talker + "RMC", time, "A", lat, ns, lon, ew, "0.000", "", date, "", "", "A"}));
        out.push_back(sentence({talker + "GGA", time, lat, ns, lon, ew, "1",
                                two_digits(static_cast<long long>(used.size())), hdop,
                                fixed(p.altitude_m, 1), "M", "", "", "", ""}));
    } else {
        out.push_back(
            sentence({talker + "RMC", time, "V", "", "", "", "", "", "", date, "", "", "N"}));
        out.push_back(sentence(
            {talker + "GGA", time, "", "", "", "", "0", "00", "", "", "", "", "", "", ""}));
    }

    // GSA: one per constellation under "GN" (with the NMEA 4.10 system id so that Galileo and
    // BeiDou PRNs are not mistaken for GPS), else one; more than 12 PRNs continue in another.
    const auto gsa_systems =
        talker == "GN"
            ? systems
            : std::vector<Constellation>{systems.empty() ? Constellation::gps : systems[0]};
    for (const auto c : gsa_systems) {
        std::vector<std::string> prns;
        for (const auto& s : used) {
            if (s.constellation == c) {
                prns.push_back(two_digits(s.prn));
            }
        }
        std::size_t next = 0;
        do {
            std::vector<std::string> f = {talker + "GSA", "A", fixed_ ? "3" : "1"};
            for (std::size_t k = 0; k < kPrnsPerGsa; ++k) {
                f.push_back(next + k < prns.size() ? prns[next + k] : "");
            }
            f.insert(f.end(), {pdop, hdop, vdop});
            if (talker == "GN") {
                f.push_back(std::to_string(system_id_of(c)));
            }
            out.push_back(sentence(f));
            next += kPrnsPerGsa;
        } while (next < prns.size());
    }

    // GSV per constellation. Before the first fix the receiver has no almanac: it lists only
    // the satellites it tracks, without elevation and azimuth. Afterwards it lists all in view
    // and leaves C/N0 empty for those it does not track.
    const auto gsv_systems =
        systems.empty() ? std::vector<Constellation>{Constellation::gps} : systems;
    for (const auto c : gsv_systems) {
        std::vector<std::string> blocks;
        for (std::size_t i = 0; i < sky.sats.size(); ++i) {
            const auto& s = sky.sats[i];
            if (s.constellation != c || (!ever_fixed_ && !sky.tracked[i])) {
                continue;
            }
            const std::string cn0 =
                sky.tracked[i] ? two_digits(std::lround(s.cn0_dbhz)) : std::string{};
            blocks.push_back(two_digits(s.prn) + "," +
                             (ever_fixed_ ? two_digits(s.elevation_deg) : "") + "," +
                             (ever_fixed_ ? padded(s.azimuth_deg, 3) : "") + "," + cn0);
        }
        const std::size_t count =
            std::max<std::size_t>(1, (blocks.size() + kSatsPerGsv - 1) / kSatsPerGsv);
        for (std::size_t m = 0; m < count; ++m) {
            std::vector<std::string> f = {std::string(talker_of(c)) + "GSV", std::to_string(count),
                                          std::to_string(m + 1),
                                          two_digits(static_cast<long long>(blocks.size()))};
            for (std::size_t k = m * kSatsPerGsv; k < blocks.size() && k < (m + 1) * kSatsPerGsv;
                 ++k) {
                f.push_back(blocks[k]);
            }
            out.push_back(sentence(f));
        }
    }
    return out;
}

fw::Result<ReplayInfo, GnssModelError> GnssReceiverModel::replay(std::vector<std::string> lines,
                                                                 std::string source) {
    std::vector<Epoch> epochs;
    Epoch current;
    std::optional<std::string> current_time;
    std::vector<std::string> empty_time_addresses; // time-carrying sentences with empty time
    ReplayInfo info;
    const auto new_epoch = [&] {
        if (!current.empty()) {
            epochs.push_back(std::move(current));
            current.clear();
        }
        current_time.reset();
        empty_time_addresses.clear();
    };

    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        const std::size_t number = i + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') {
            continue;
        }
        const auto dollar = line.find('$');
        if (dollar == std::string_view::npos) {
            return replay_error(source, number, "not an NMEA sentence (no '$'): " + excerpt(line));
        }
        info.noise_bytes_dropped += dollar;
        const std::string_view text = line.substr(dollar);
        for (std::size_t k = 0; k < text.size(); ++k) {
            const auto c = static_cast<unsigned char>(text[k]);
            if (c < 0x20 || c > 0x7E) {
                return replay_error(source, number,
                                    "not an NMEA sentence (non-printable byte at column " +
                                        std::to_string(dollar + k + 1) + "): " + excerpt(text));
            }
        }
        const auto address = text.substr(1, text.find_first_of(",*") - 1);
        const bool proprietary = !address.empty() && address.front() == 'P';
        if (address.size() < (proprietary ? 2U : 3U) ||
            !std::all_of(address.begin(), address.end(), address_char)) {
            return replay_error(source, number,
                                "not an NMEA sentence (bad address): " + excerpt(text));
        }
        if (!proprietary) {
            if (const auto n = time_field_index(address.substr(2))) {
                const std::string time(field(text, n));
                if (!time.empty()) {
                    if (current_time && *current_time != time) {
                        new_epoch();
                    }
                    current_time = time;
                } else {
                    const std::string a(address);
                    if (std::find(empty_time_addresses.begin(), empty_time_addresses.end(), a) !=
                        empty_time_addresses.end()) {
                        new_epoch();
                    }
                    empty_time_addresses.push_back(a);
                }
            }
        }
        current.push_back(std::string(text) + "\r\n");
        ++info.sentences;
    }
    new_epoch();
    if (epochs.empty()) {
        return GnssModelError{source, 0, source + ": contains no NMEA sentences"};
    }
    info.epochs = epochs.size();

    epochs_ = std::move(epochs);
    next_replay_ = 0;
    mode_ = GnssModelMode::replay;
    start_ = clock_.now();
    next_epoch_ = start_;
    fixed_ = false;
    ever_fixed_ = false;
    status_ = GnssModelStatus{};
    status_.mode = mode_;
    return info;
}

fw::Result<ReplayInfo, GnssModelError> GnssReceiverModel::replay_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return GnssModelError{path, 0, path + ": cannot open for reading"};
    }
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    // getline stops at EOF or on a read error; only the latter leaves badbit (a directory
    // opens fine on Linux but fails here).
    if (in.bad() || (!in.eof() && in.fail())) {
        return GnssModelError{path, lines.size() + 1,
                              path + ":" + std::to_string(lines.size() + 1) + ": read error"};
    }
    return replay(std::move(lines), path);
}

void GnssReceiverModel::replay_epoch(std::size_t index, Millis t) {
    std::string bytes;
    replay_gsv_in_view_.reset();
    for (const auto& s : epochs_[index]) {
        bytes += s;
        count_replayed_fix(s, t);
    }
    // An epoch without GSV (a truncated capture) leaves the last report standing.
    if (replay_gsv_in_view_) {
        status_.sats_in_view = *replay_gsv_in_view_;
    }
    emit(bytes);
}

// The diag status during a replay is what the log says: decoded with the firmware's parser.
void GnssReceiverModel::count_replayed_fix(const std::string& text, Millis t) {
    const auto parsed = gn::parse(text);
    if (!parsed) {
        return;
    }
    const auto& m = parsed.value();
    std::optional<bool> fix;
    if (const auto* gga = std::get_if<gn::Gga>(&m)) {
        if (gga->has_fix() && gga->latitude_deg && gga->longitude_deg) {
            fix = true;
            status_.position =
                Position{*gga->latitude_deg, *gga->longitude_deg, gga->altitude_m.value_or(0.0)};
            status_.sats_used = gga->sats_used.value_or(0);
        } else if (gga->quality) {
            fix = false;
        }
    } else if (const auto* rmc = std::get_if<gn::Rmc>(&m)) {
        if (rmc->has_fix() && rmc->latitude_deg && rmc->longitude_deg) {
            fix = true;
            const double alt = status_.position ? status_.position->altitude_m : 0.0;
            status_.position = Position{*rmc->latitude_deg, *rmc->longitude_deg, alt};
        } else if (rmc->status || rmc->mode) {
            fix = false;
        }
    } else if (const auto* gsv = std::get_if<gn::Gsv>(&m)) {
        if (gsv->message_index == 1) {
            replay_gsv_in_view_ = replay_gsv_in_view_.value_or(0) + gsv->sats_in_view.value_or(0);
        }
    }
    if (fix) {
        status_.has_fix = *fix;
        if (!*fix) {
            status_.position.reset();
            status_.sats_used = 0;
        } else if (!status_.ttff) {
            status_.ttff = t - start_;
        }
    }
}

} // namespace bwc::emu
