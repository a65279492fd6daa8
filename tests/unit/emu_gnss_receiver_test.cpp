// Unit tests for the emulator's GNSS receiver model (emu_gnss_receiver). The model's output is
// judged by the real firmware: every byte goes through fw::gnss::GnssManager on the same fake
// clock, and every sentence through the firmware's NMEA parser, so the tests fail whenever the
// emulated receiver says something the camera (or gpsd, which needs the same NMEA) would read
// differently from the scenario. The replay test checks against gpsd's own decode of the log.
#include "firmware/core/gnss/gnss_manager.hpp"
#include "firmware/core/gnss/nmea.hpp"
#include "firmware/emu/models/gnss_receiver.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gn = bwc::fw::gnss;
using bwc::fw::Millis;
using namespace bwc::emu;
using namespace std::chrono_literals;

namespace {

class FakeClock final : public bwc::fw::Clock {
public:
    Millis now() const override { return now_; }
    void set(Millis t) { now_ = t; }

private:
    Millis now_{0};
};

// Not zero, so that anything measured from the clock's epoch instead of the start shows up.
constexpr Millis kStart = 7'500ms;

// Munich, a positive latitude/longitude pair with minutes that do not round nicely.
constexpr Position kMunich{48.137154, 11.576124, 519.3};

Scenario gps_scenario(std::vector<double> cn0s) {
    Scenario s;
    s.position = kMunich;
    s.utc_date = gn::Date{2024, 5, 17};
    s.utc_time = gn::TimeOfDay{12, 34, 56, 0};
    constexpr std::array<int, 10> kPrns = {3, 7, 9, 16, 22, 23, 26, 27, 30, 31};
    constexpr std::array<int, 10> kEl = {21, 46, 67, 47, 8, 68, 23, 12, 35, 55};
    constexpr std::array<int, 10> kAz = {174, 259, 312, 64, 167, 103, 45, 109, 249, 5};
    for (std::size_t i = 0; i < cn0s.size(); ++i) {
        s.satellites.push_back(
            SatelliteSignal{kPrns[i], Constellation::gps, kEl[i], kAz[i], cn0s[i]});
    }
    return s;
}

// Model and firmware GNSS manager on one clock; every output byte is fed to the manager at the
// time it was produced and kept for inspection.
struct Bench {
    FakeClock clock;
    GnssReceiverModel model;
    gn::GnssManager manager;
    std::string output; // everything produced since the last clear
    std::string last_epoch;

    explicit Bench(GnssReceiverConfig config = {})
        : clock(start_clock()), model(clock, config), manager({}, kStart) {}

    static FakeClock start_clock() {
        FakeClock c;
        c.set(kStart);
        return c;
    }

    // Steps from deadline to deadline up to `until`, stopping early when `done` says so.
    void run_until(Millis until, const std::function<bool()>& done = {}) {
        while (const auto d = model.next_deadline()) {
            if (*d > until) {
                break;
            }
            clock.set(*d);
            model.advance();
            last_epoch = model.take_output();
            output += last_epoch;
            manager.feed(last_epoch, clock.now());
            if (done && done()) {
                return;
            }
        }
        clock.set(std::max(clock.now(), until));
        manager.advance(clock.now());
    }

    // The manager's TTFF, or absent when no fix came within `limit` of now.
    std::optional<Millis> run_until_fix(Millis limit) {
        run_until(clock.now() + limit, [this] { return manager.has_position(); });
        return manager.status().time_to_first_fix;
    }
};

std::vector<std::string> sentences_of(const std::string& bytes) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < bytes.size()) {
        const auto end = bytes.find("\r\n", start);
        BOOST_REQUIRE_MESSAGE(end != std::string::npos, "output does not end in CRLF");
        out.push_back(bytes.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

// Every sentence: standard length, and accepted by the firmware's parser (checksum included).
void check_all_sentences(const std::string& bytes) {
    const auto lines = sentences_of(bytes);
    BOOST_TEST(!lines.empty());
    for (const auto& line : lines) {
        BOOST_TEST(line.size() + 2 <= 82U, line);
        const auto parsed = gn::parse(line);
        BOOST_TEST(parsed.ok(), line << ": " << parsed.error().message);
    }
}

template <typename T>
std::vector<T> decoded(const std::string& bytes, std::string_view talker = {}) {
    std::vector<T> out;
    for (const auto& line : sentences_of(bytes)) {
        const auto parsed = gn::parse(line);
        BOOST_REQUIRE(parsed.ok());
        if (const auto* v = std::get_if<T>(&parsed.value())) {
            if (talker.empty() || v->talker == talker) {
                out.push_back(*v);
            }
        }
    }
    return out;
}

// C/N0 by PRN over all GSV sentences of one epoch.
std::map<int, std::optional<int>> gsv_cn0(const std::string& epoch) {
    std::map<int, std::optional<int>> out;
    for (const auto& gsv : decoded<gn::Gsv>(epoch)) {
        for (const auto& sat : gsv.satellites) {
            out[sat.prn] = sat.snr_dbhz;
        }
    }
    return out;
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
    // Haversine on the IUGG mean sphere, written independently of the model.
    constexpr double kR = 6'371'008.8;
    const auto rad = [](double d) { return d * std::numbers::pi / 180.0; };
    const double dlat = rad(lat2 - lat1);
    const double dlon = rad(lon2 - lon1);
    const double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(rad(lat1)) * std::cos(rad(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kR * std::asin(std::sqrt(a));
}

std::int64_t scenario_unix_ms(const Scenario& s) {
    return gn::unix_millis(s.utc_date, s.utc_time);
}

// "2017-01-10T00:09:41.000Z" -> Unix milliseconds.
std::int64_t iso_unix_ms(const std::string& iso) {
    const gn::Date d{std::stoi(iso.substr(0, 4)),
                     static_cast<std::uint8_t>(std::stoi(iso.substr(5, 2))),
                     static_cast<std::uint8_t>(std::stoi(iso.substr(8, 2)))};
    const gn::TimeOfDay t{static_cast<std::uint8_t>(std::stoi(iso.substr(11, 2))),
                          static_cast<std::uint8_t>(std::stoi(iso.substr(14, 2))),
                          static_cast<std::uint8_t>(std::stoi(iso.substr(17, 2))),
                          static_cast<std::uint16_t>(std::stoi(iso.substr(20, 3)))};
    return gn::unix_millis(d, t);
}

std::string data_path(const std::string& name) {
    return BWC_SHARED_DIR "/data/nmea/" + name;
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_gnss_receiver)

BOOST_AUTO_TEST_CASE(scenario_fix_reaches_the_firmware) {
    Bench b;
    // Four strong satellites (4th strongest 42 dBHz >= 40: cold start 30 s), one weak but
    // tracked, one below the tracking threshold.
    const auto scenario = gps_scenario({45, 44, 43, 42, 30, 20});
    BOOST_REQUIRE(!b.model.set_scenario(scenario));
    BOOST_TEST((b.model.next_deadline() == kStart)); // first epoch at once

    const auto ttff = b.run_until_fix(300s);
    BOOST_REQUIRE(ttff.has_value());
    BOOST_TEST(ttff->count() == 30'000);
    BOOST_TEST((b.model.status().ttff == ttff));

    const auto& st = b.manager.status();
    BOOST_TEST((st.fix == gn::FixType::fix_3d));
    BOOST_REQUIRE(st.latitude_deg && st.longitude_deg && st.altitude_m);
    BOOST_TEST(std::abs(*st.latitude_deg - kMunich.latitude_deg) < 1e-5);
    BOOST_TEST(std::abs(*st.longitude_deg - kMunich.longitude_deg) < 1e-5);
    BOOST_TEST(std::abs(*st.altitude_m - kMunich.altitude_m) < 0.05);
    BOOST_REQUIRE(st.utc_unix_millis().has_value());
    BOOST_TEST(*st.utc_unix_millis() ==
               scenario_unix_ms(scenario) + (b.clock.now() - kStart).count());
    BOOST_TEST((st.sats_used == 5));
    BOOST_REQUIRE(st.sats_in_view() == 6U);
    for (std::size_t i = 0; i < scenario.satellites.size(); ++i) {
        const auto& want = scenario.satellites[i];
        const auto it =
            std::find_if(st.satellites.begin(), st.satellites.end(),
                         [&](const gn::SatelliteStatus& s) { return s.prn == want.prn; });
        BOOST_REQUIRE(it != st.satellites.end());
        BOOST_TEST((it->system == gn::System::gps));
        BOOST_TEST((it->elevation_deg == want.elevation_deg));
        BOOST_TEST((it->azimuth_deg == want.azimuth_deg));
        const bool tracked = want.cn0_dbhz >= GnssReceiverConfig::kDefaultTrackingThresholdDbHz;
        BOOST_TEST(it->used == tracked);
        BOOST_TEST(it->cn0_dbhz.has_value() == tracked);
        if (tracked) {
            BOOST_TEST(*it->cn0_dbhz == static_cast<int>(want.cn0_dbhz));
        }
    }
    BOOST_TEST(st.counters.checksum_errors == 0U);
    BOOST_TEST(st.counters.malformed == 0U);
    BOOST_TEST(st.hdop.has_value());

    const auto ms = b.model.status();
    BOOST_TEST(ms.has_fix);
    BOOST_TEST(ms.sats_used == 5);
    BOOST_TEST(ms.sats_in_view == 6);
    BOOST_REQUIRE(ms.position.has_value());
    BOOST_TEST(ms.position->latitude_deg == kMunich.latitude_deg);

    // GPS-only sky: every sentence has the GP talker.
    for (const auto& line : sentences_of(b.output)) {
        BOOST_TEST(line.substr(0, 3) == "$GP", line);
    }
    check_all_sentences(b.output);
}

BOOST_AUTO_TEST_CASE(before_the_fix_like_a_cold_started_receiver) {
    Bench b;
    BOOST_REQUIRE(!b.model.set_scenario(gps_scenario({45, 44, 43, 42, 20})));
    b.run_until(kStart + 10s);
    BOOST_TEST(!b.manager.has_position());
    BOOST_TEST(b.manager.status().counters.sentences_ok > 0U);
    const auto ggas = decoded<gn::Gga>(b.output);
    const auto rmcs = decoded<gn::Rmc>(b.output);
    const auto gsas = decoded<gn::Gsa>(b.output);
    BOOST_TEST(ggas.size() == 11U); // epochs at 0..10 s
    for (const auto& g : ggas) {
        BOOST_TEST((g.quality == 0));
        BOOST_TEST(!g.latitude_deg.has_value());
        BOOST_TEST(!g.longitude_deg.has_value());
        BOOST_TEST(!g.time.has_value());
    }
    for (const auto& r : rmcs) {
        BOOST_TEST((r.status == 'V'));
        BOOST_TEST(!r.latitude_deg.has_value());
        BOOST_TEST(!r.has_fix());
    }
    for (const auto& g : gsas) {
        BOOST_TEST((g.fix_mode == 1));
        BOOST_TEST(g.prns_used.empty());
    }
    // Only tracked satellites, with C/N0 but no elevation/azimuth (no almanac yet).
    const auto& sats = b.manager.status().satellites;
    BOOST_TEST(sats.size() == 4U);
    for (const auto& s : sats) {
        BOOST_TEST(s.cn0_dbhz.has_value());
        BOOST_TEST(!s.elevation_deg.has_value());
    }
    BOOST_TEST(!b.model.status().has_fix);
    BOOST_TEST(!b.model.status().position.has_value());
    check_all_sentences(b.output);
}

BOOST_AUTO_TEST_CASE(multi_constellation_talkers_and_multipart_gsv) {
    Bench b;
    Scenario s = gps_scenario({});
    s.rf_level_dbm = -125.0; // default sky: 8 GPS + 4 GLONASS at 46 dBHz
    BOOST_REQUIRE(!b.model.set_scenario(s));
    BOOST_REQUIRE(b.run_until_fix(300s).has_value());
    b.run_until(b.clock.now() + 1s); // one more complete epoch after the fix
    const auto& epoch = b.last_epoch;
    BOOST_TEST(decoded<gn::Gga>(epoch, "GN").size() == 1U);
    BOOST_TEST(decoded<gn::Rmc>(epoch, "GN").size() == 1U);
    const auto gsas = decoded<gn::Gsa>(epoch, "GN");
    BOOST_REQUIRE(gsas.size() == 2U);
    BOOST_TEST((gsas[0].system_id == 1));
    BOOST_TEST(gsas[0].prns_used.size() == 8U);
    BOOST_TEST((gsas[1].system_id == 2));
    BOOST_TEST(gsas[1].prns_used.size() == 4U);
    const auto gp = decoded<gn::Gsv>(epoch, "GP");
    const auto gl = decoded<gn::Gsv>(epoch, "GL");
    BOOST_REQUIRE(gp.size() == 2U);
    BOOST_REQUIRE(gl.size() == 1U);
    for (std::size_t i = 0; i < gp.size(); ++i) {
        BOOST_TEST(gp[i].message_count == 2);
        BOOST_TEST(gp[i].message_index == static_cast<int>(i + 1));
        BOOST_TEST((gp[i].sats_in_view == 8));
        BOOST_TEST(gp[i].satellites.size() == 4U);
    }
    const int cn0 = static_cast<int>(std::lround(cn0_from_rf_level(-125.0)));
    BOOST_TEST(cn0 == 46);
    const auto& st = b.manager.status();
    BOOST_TEST((st.sats_used == 12));
    BOOST_TEST(st.sats_in_view() == 12U);
    int glonass = 0;
    for (const auto& sat : st.satellites) {
        BOOST_TEST(sat.used);
        BOOST_TEST((sat.cn0_dbhz == cn0));
        glonass += sat.system == gn::System::glonass ? 1 : 0;
    }
    BOOST_TEST(glonass == 4);
    BOOST_TEST((st.fix == gn::FixType::fix_3d));
    BOOST_REQUIRE(st.hdop.has_value());
    BOOST_TEST(*st.hdop < 2.0); // the default sky is spread for good geometry
    check_all_sentences(b.output);

    // Ten GPS satellites: three GSV parts of 4, 4 and 2.
    Bench c;
    BOOST_REQUIRE(!c.model.set_scenario(gps_scenario({45, 45, 45, 45, 45, 45, 45, 45, 45, 45})));
    BOOST_REQUIRE(c.run_until_fix(300s).has_value());
    const auto parts = decoded<gn::Gsv>(c.last_epoch, "GP");
    BOOST_REQUIRE(parts.size() == 3U);
    BOOST_TEST(parts[0].satellites.size() == 4U);
    BOOST_TEST(parts[1].satellites.size() == 4U);
    BOOST_TEST(parts[2].satellites.size() == 2U);
    BOOST_TEST(parts[2].message_index == 3);
    BOOST_TEST(c.manager.status().sats_in_view() == 10U);
    check_all_sentences(c.output);
}

BOOST_AUTO_TEST_CASE(ttff_grows_as_the_level_drops) {
    std::optional<Millis> previous;
    for (const double level : {-128.0, -133.0, -138.0, -143.0, -146.0}) {
        Bench b;
        Scenario s = gps_scenario({});
        s.rf_level_dbm = level;
        BOOST_REQUIRE(!b.model.set_scenario(s));
        const auto ttff = b.run_until_fix(600s);
        BOOST_TEST_CONTEXT("level " << level << " dBm") {
            BOOST_REQUIRE(ttff.has_value());
            // 30 s at >= 40 dBHz, then 6 s per dB; C/N0 = level + 171.
            const double cn0 = level + 171.0;
            const auto expected =
                30'000 + static_cast<std::int64_t>(6'000 * std::max(0.0, 40 - cn0));
            BOOST_TEST(ttff->count() == expected);
            if (previous) {
                BOOST_TEST(ttff->count() > previous->count());
            }
            check_all_sentences(b.output);
        }
        previous = ttff;
    }
    // Below the tracking threshold (24 dBHz < 25): no fix at all.
    Bench weak;
    Scenario s = gps_scenario({});
    s.rf_level_dbm = -147.0;
    BOOST_REQUIRE(!weak.model.set_scenario(s));
    BOOST_TEST(!weak.run_until_fix(600s).has_value());
    BOOST_TEST(!weak.model.status().has_fix);
    BOOST_TEST(weak.model.status().sats_tracked == 0);
    BOOST_TEST(weak.model.status().sats_in_view == 12);
    // Three satellites above the threshold are not enough either.
    Bench three;
    BOOST_REQUIRE(!three.model.set_scenario(gps_scenario({45, 45, 45, 24, 20})));
    BOOST_TEST(!three.run_until_fix(600s).has_value());
    BOOST_TEST(three.model.status().sats_tracked == 3);
}

BOOST_AUTO_TEST_CASE(no_signal_gives_no_fix_and_empty_gsv) {
    Bench b;
    Scenario s = gps_scenario({45, 45, 45, 45});
    s.no_signal = true;
    BOOST_REQUIRE(!b.model.set_scenario(s));
    BOOST_TEST(!b.run_until_fix(300s).has_value());
    BOOST_TEST(b.manager.status().sats_in_view() == 0U);
    BOOST_TEST(b.output.find("$GPGSV,1,1,00*79\r\n") != std::string::npos);
    BOOST_TEST(b.model.status().sats_in_view == 0);
    check_all_sentences(b.output);
}

BOOST_AUTO_TEST_CASE(utc_follows_the_clock_across_midnight) {
    Bench b;
    Scenario s = gps_scenario({45, 45, 45, 45});
    s.utc_date = gn::Date{2023, 12, 31};
    s.utc_time = gn::TimeOfDay{23, 59, 50, 0};
    BOOST_REQUIRE(!b.model.set_scenario(s));
    BOOST_REQUIRE(b.run_until_fix(300s).has_value()); // at +30 s: 2024-01-01 00:00:20
    const auto& st = b.manager.status();
    BOOST_TEST((st.utc_date == gn::Date{2024, 1, 1}));
    BOOST_TEST((st.utc_time == gn::TimeOfDay{0, 0, 20, 0}));
}

BOOST_AUTO_TEST_CASE(fault_offset_displaces_the_position) {
    struct Case {
        double offset_m;
        double bearing_deg;
    };
    for (const auto c : {Case{250.0, 0.0}, Case{1000.0, 90.0}, Case{-40.0, 0.0}}) {
        Bench b;
        b.model.set_faults(GnssFaults{.offset_m = c.offset_m, .offset_bearing_deg = c.bearing_deg});
        BOOST_REQUIRE(!b.model.set_scenario(gps_scenario({45, 45, 45, 45})));
        BOOST_REQUIRE(b.run_until_fix(300s).has_value());
        const auto& st = b.manager.status();
        const double d = distance_m(kMunich.latitude_deg, kMunich.longitude_deg, *st.latitude_deg,
                                    *st.longitude_deg);
        BOOST_TEST_CONTEXT("offset " << c.offset_m << " m at " << c.bearing_deg << " deg") {
            BOOST_TEST(std::abs(d - std::abs(c.offset_m)) <= 0.01 * std::abs(c.offset_m));
            if (c.bearing_deg == 0.0) {
                // Northwards (southwards when negative): longitude untouched.
                BOOST_TEST((*st.latitude_deg > kMunich.latitude_deg) == (c.offset_m > 0));
                BOOST_TEST(std::abs(*st.longitude_deg - kMunich.longitude_deg) < 1e-6);
            } else {
                BOOST_TEST(*st.longitude_deg > kMunich.longitude_deg);
            }
            BOOST_TEST(std::abs(*st.altitude_m - kMunich.altitude_m) < 0.05);
            const auto reported = b.model.status().position;
            BOOST_REQUIRE(reported.has_value());
            BOOST_TEST(std::abs(reported->latitude_deg - *st.latitude_deg) < 1e-6);
        }
    }
}

BOOST_AUTO_TEST_CASE(fault_cn0_drop_lowers_cn0_and_delays_the_fix) {
    const std::vector<double> cn0s = {45, 44, 43, 42, 41, 38};
    Bench b;
    BOOST_REQUIRE(!b.model.set_scenario(gps_scenario(cn0s)));
    BOOST_REQUIRE(b.run_until_fix(300s).has_value());
    const auto before = gsv_cn0(b.last_epoch);
    b.model.set_faults(GnssFaults{.cn0_drop_db = 7.0});
    b.run_until(b.clock.now() + 1s);
    const auto after = gsv_cn0(b.last_epoch);
    BOOST_REQUIRE(before.size() == cn0s.size());
    BOOST_REQUIRE(after.size() == cn0s.size());
    for (const auto& [prn, cn0] : before) {
        BOOST_REQUIRE(cn0.has_value());
        BOOST_REQUIRE(after.at(prn).has_value());
        BOOST_TEST(*after.at(prn) == *cn0 - 7, "PRN " << prn);
    }
    BOOST_TEST(b.manager.has_position()); // all still at or above 31 dBHz

    // From a cold start the drop lengthens the TTFF: 4th strongest 42 - 7 = 35 dBHz.
    Bench slow;
    slow.model.set_faults(GnssFaults{.cn0_drop_db = 7.0});
    BOOST_REQUIRE(!slow.model.set_scenario(gps_scenario(cn0s)));
    const auto ttff = slow.run_until_fix(300s);
    BOOST_REQUIRE(ttff.has_value());
    BOOST_TEST(ttff->count() == 30'000 + 5 * 6'000);

    // A drop that leaves fewer than four satellites tracked prevents the fix.
    Bench none;
    none.model.set_faults(GnssFaults{.cn0_drop_db = 18.0}); // 45..42 -> 27..24: three tracked
    BOOST_REQUIRE(!none.model.set_scenario(gps_scenario(cn0s)));
    BOOST_TEST(!none.run_until_fix(600s).has_value());
    BOOST_TEST(none.model.status().sats_tracked == 3);
    check_all_sentences(b.output + slow.output + none.output);
}

BOOST_AUTO_TEST_CASE(fault_no_fix_and_recovery) {
    Bench b;
    b.model.set_faults(GnssFaults{.no_fix = true});
    BOOST_REQUIRE(!b.model.set_scenario(gps_scenario({45, 44, 43, 42})));
    BOOST_TEST(!b.run_until_fix(300s).has_value());
    BOOST_TEST(b.model.status().sats_tracked == 4);
    BOOST_TEST(!b.model.status().has_fix);
    // Satellites are visibly tracked.
    const auto& sats = b.manager.status().satellites;
    BOOST_TEST(sats.size() == 4U);
    for (const auto& s : sats) {
        BOOST_TEST(s.cn0_dbhz.has_value());
    }

    // Clearing the fault: still a cold start (never fixed), measured from the clearing.
    b.model.set_faults({});
    const Millis cleared = b.clock.now();
    BOOST_REQUIRE(b.run_until_fix(300s).has_value());
    BOOST_TEST((b.clock.now() - cleared).count() == 31'000); // next epoch + 30 s

    // Setting it while fixed drops the fix at the next epoch; clearing it again is a hot start.
    b.model.set_faults(GnssFaults{.no_fix = true});
    b.run_until(b.clock.now() + 1s);
    BOOST_TEST(!b.manager.has_position());
    BOOST_TEST(!b.model.status().has_fix);
    b.model.set_faults({});
    b.run_until(b.clock.now() + 2s);
    BOOST_TEST(b.manager.has_position());
    check_all_sentences(b.output);
}

BOOST_AUTO_TEST_CASE(deadlines_and_clock_jumps) {
    FakeClock clock;
    clock.set(kStart);
    GnssReceiverConfig config;
    config.max_catch_up_epochs = 5;
    GnssReceiverModel model(clock, config);
    BOOST_TEST(!model.next_deadline().has_value());
    model.advance();
    BOOST_TEST(model.take_output().empty());
    BOOST_REQUIRE(!model.set_scenario(gps_scenario({45, 45, 45, 45})));
    BOOST_TEST((model.next_deadline() == kStart));
    model.advance();
    BOOST_TEST((model.next_deadline() == kStart + 1s));
    BOOST_TEST(!model.take_output().empty());
    clock.set(kStart + 999ms);
    model.advance();
    BOOST_TEST(model.take_output().empty()); // nothing due yet
    clock.set(kStart + 100s);
    model.advance();
    BOOST_TEST(decoded<gn::Gga>(model.take_output()).size() == 5U);
    BOOST_TEST(model.status().epochs_skipped == 95U);
    BOOST_TEST((model.next_deadline() == kStart + 101s));
    model.stop();
    BOOST_TEST(!model.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(invalid_scenario_is_refused) {
    FakeClock clock;
    GnssReceiverModel model(clock);
    Scenario s = gps_scenario({45});
    s.position.latitude_deg = 95.0;
    const auto error = model.set_scenario(s);
    BOOST_REQUIRE(error.has_value());
    BOOST_TEST(error->message.find("latitude") != std::string::npos, error->message);
    BOOST_TEST(!model.next_deadline().has_value()); // still idle

    s = gps_scenario({45});
    s.satellites[0].prn = 70; // a GLONASS number on a GPS satellite
    BOOST_TEST(model.set_scenario(s).has_value());
    s = gps_scenario({45});
    s.utc_date = gn::Date{2023, 2, 29};
    BOOST_TEST(model.set_scenario(s).has_value());
}

BOOST_AUTO_TEST_CASE(replay_reproduces_the_logs_fixes) {
    // gpsd's decode of the same log: every TPV with a position, by UTC.
    std::map<std::int64_t, std::pair<double, double>> gpsd_fixes;
    {
        std::ifstream chk(data_path("ublox-8.log.chk"));
        BOOST_REQUIRE(chk.good());
        std::string line;
        while (std::getline(chk, line)) {
            if (line.empty() || line.front() != '{') {
                continue;
            }
            const auto j = nlohmann::json::parse(line);
            if (j.value("class", "") == "TPV" && j.value("mode", 0) >= 2 && j.contains("lat")) {
                gpsd_fixes[iso_unix_ms(j.at("time").get<std::string>())] = {
                    j.at("lat").get<double>(), j.at("lon").get<double>()};
            }
        }
    }
    BOOST_REQUIRE(gpsd_fixes.size() == 72U);

    Bench b;
    const auto info = b.model.replay_file(data_path("ublox-8.log"));
    BOOST_REQUIRE_MESSAGE(info.ok(), info.error().message);
    // 72 complete epochs plus the truncated RMC the capture ends with.
    BOOST_TEST(info->epochs == 73U);
    BOOST_TEST(info->noise_bytes_dropped == 144U); // the UBX binary before the first '$'

    std::set<std::int64_t> seen;
    std::optional<Millis> last_deadline;
    while (const auto d = b.model.next_deadline()) {
        if (last_deadline) {
            BOOST_TEST((*d - *last_deadline == 1s)); // one epoch per second of clock time
        }
        last_deadline = d;
        b.run_until(*d);
        const auto& st = b.manager.status();
        // Only epochs that brought a fix sentence; the last one holds just the truncated RMC.
        if (!b.manager.has_position() || st.last_fix_at != b.clock.now()) {
            continue;
        }
        const auto utc = st.utc_unix_millis();
        BOOST_REQUIRE(utc.has_value());
        BOOST_TEST_CONTEXT("epoch at UTC " << *utc) {
            // Each epoch brings exactly one new time: grouping follows the log's time field.
            BOOST_TEST(seen.insert(*utc).second);
            const auto it = gpsd_fixes.find(*utc);
            BOOST_REQUIRE(it != gpsd_fixes.end());
            BOOST_TEST(std::abs(*st.latitude_deg - it->second.first) < 1e-8);
            BOOST_TEST(std::abs(*st.longitude_deg - it->second.second) < 1e-8);
            BOOST_TEST((st.fix == gn::FixType::fix_3d));
            BOOST_TEST(b.model.status().has_fix);
            BOOST_TEST(b.model.status().sats_in_view == 25);
        }
    }
    BOOST_TEST(seen.size() == gpsd_fixes.size());
    BOOST_TEST((b.model.status().mode == GnssModelMode::replay_finished));
    BOOST_TEST(b.manager.status().counters.checksum_errors == 1U); // the truncated last line
    BOOST_TEST(b.manager.status().counters.malformed == 0U);
    BOOST_TEST(b.output.find("#") == std::string::npos); // headers are not output
}

BOOST_AUTO_TEST_CASE(replay_groups_lines_into_epochs) {
    FakeClock clock;
    clock.set(kStart);
    GnssReceiverModel model(clock);
    const auto info = model.replay({
        "# header",
        "$GPRMC,120000.00,V,,,,,,,010124,,,N*7E\r",
        "$GPGSV,1,1,00*79",
        "",
        "$GPRMC,120001.00,V,,,,,,,010124,,,N*7F",
        "$GPGSV,1,1,00*79",
        "$PMTK001,314,3*36",
    });
    BOOST_REQUIRE_MESSAGE(info.ok(), info.error().message);
    BOOST_TEST(info->epochs == 2U);
    BOOST_TEST(info->sentences == 5U);
    model.advance();
    BOOST_TEST(model.take_output() ==
               "$GPRMC,120000.00,V,,,,,,,010124,,,N*7E\r\n$GPGSV,1,1,00*79\r\n");
    clock.set(kStart + 1s);
    model.advance();
    BOOST_TEST(model.take_output() == "$GPRMC,120001.00,V,,,,,,,010124,,,N*7F\r\n"
                                      "$GPGSV,1,1,00*79\r\n$PMTK001,314,3*36\r\n");
    BOOST_TEST(!model.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(replay_errors_name_the_file_and_line) {
    FakeClock clock;
    GnssReceiverModel model(clock);

    const std::string missing = "/nonexistent/dir/receiver.log";
    const auto no_file = model.replay_file(missing);
    BOOST_REQUIRE(!no_file.ok());
    BOOST_TEST(no_file.error().source == missing);
    BOOST_TEST(no_file.error().message.find(missing) != std::string::npos, no_file.error().message);

    const auto path =
        (std::filesystem::temp_directory_path() / "emu_gnss_receiver_bad_line.log").string();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << "# a log\r\n$GPGSV,1,1,00*79\r\n\r\nGPGGA,120000.00,,,,,0,00,,,,,,*5A\r\n";
    }
    const auto bad = model.replay_file(path);
    std::filesystem::remove(path);
    BOOST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().source == path);
    BOOST_TEST(bad.error().line == 4U);
    BOOST_TEST(bad.error().message.find(path + ":4:") != std::string::npos, bad.error().message);
    BOOST_TEST(!model.next_deadline().has_value()); // a refused log changes nothing

    const auto binary = model.replay({"$GPGSV,1,1,00*79", std::string("$GP\x01GGA,,*00")}, "mem");
    BOOST_REQUIRE(!binary.ok());
    BOOST_TEST(binary.error().message.find("mem:2:") == 0U, binary.error().message);

    const auto empty = model.replay({"# only a header"}, "mem");
    BOOST_TEST(!empty.ok());
}

BOOST_AUTO_TEST_SUITE_END()
