// Unit tests for the firmware core's GNSS part: the NMEA parser (gnss_nmea), the GnssManager
// (gnss_manager) and a replay of four real receiver logs checked against gpsd's decodes of the
// same logs (gnss). The gpsd *.chk files echo each input sentence followed by the JSON reports
// gpsd emitted after it, so we can compare state sentence by sentence.
#include "firmware/core/gnss/gnss_manager.hpp"
#include "firmware/core/gnss/nmea.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

// Not "gnss": that name is taken by the test suite (a namespace).
namespace gn = bwc::fw::gnss;
using bwc::fw::Millis;
using namespace std::chrono_literals;

// Boost.Test prints values of failed checks; teach it optionals and our types.
namespace boost::test_tools::tt_detail {
template <typename T>
struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& os, const std::optional<T>& v) {
        if (v) {
            print_log_value<T>()(os, *v);
        } else {
            os << "(absent)";
        }
    }
};
} // namespace boost::test_tools::tt_detail

namespace bwc::fw::gnss {
std::ostream& boost_test_print_type(std::ostream& os, ErrorKind k) {
    return os << to_string(k);
}
std::ostream& boost_test_print_type(std::ostream& os, FixType f) {
    return os << to_string(f);
}
std::ostream& boost_test_print_type(std::ostream& os, const Date& d) {
    return os << d.year << '-' << int{d.month} << '-' << int{d.day};
}
std::ostream& boost_test_print_type(std::ostream& os, const TimeOfDay& t) {
    return os << int{t.hour} << ':' << int{t.minute} << ':' << int{t.second} << '.'
              << t.millisecond;
}
} // namespace bwc::fw::gnss

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot open " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string data_path(const std::string& name) {
    return std::string(BWC_SHARED_DIR) + "/data/nmea/" + name;
}

// Lines without their CR/LF; '#' header lines are dropped (they are the logs' commentary and
// one even contains "$POLYN", which is not receiver output).
std::vector<std::string> log_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
            line.pop_back();
        }
        if (!line.empty() && line.front() != '#') {
            lines.push_back(line);
        }
    }
    return lines;
}

// The sentence part of a log line (ublox-8.log has binary UBX noise before one '$').
std::string sentence_part(const std::string& line) {
    const auto dollar = line.find('$');
    return dollar == std::string::npos ? std::string{} : line.substr(dollar);
}

std::string log_bytes_without_headers(const std::string& name) {
    std::string bytes;
    for (const auto& line : log_lines(read_file(data_path(name)))) {
        bytes += line + "\r\n";
    }
    return bytes;
}

// gpsd's ISO time, converted with the standard library's calendar (independent of ours).
std::int64_t iso_to_unix_ms(const std::string& iso) {
    // "2008-08-23T08:14:37.000Z"
    const int y = std::stoi(iso.substr(0, 4));
    const unsigned mo = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
    const int h = std::stoi(iso.substr(11, 2));
    const int mi = std::stoi(iso.substr(14, 2));
    const double s = std::stod(iso.substr(17, iso.size() - 18));
    const std::chrono::sys_days day{std::chrono::year{y} / std::chrono::month{mo} /
                                    std::chrono::day{d}};
    return day.time_since_epoch().count() * std::int64_t{86'400'000} +
           (h * 3600 + mi * 60) * std::int64_t{1000} + std::llround(s * 1000.0);
}

// Returns a copy: the Result passed in is usually a temporary.
template <typename T>
T as(const gn::Result<gn::Message>& r) {
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? std::string{} : r.error().message));
    const T* v = std::get_if<T>(&r.value());
    BOOST_TEST_REQUIRE(v != nullptr, "decoded to an unexpected sentence type");
    return *v;
}

std::string formatted(std::string_view body) {
    const auto s = gn::format_sentence(body);
    BOOST_TEST_REQUIRE(s.has_value());
    return *s;
}

struct ReplayReport {
    int tpv_fix_checked = 0;       // gpsd TPVs with mode >= 2 and a time, compared to our status
    int tpv_untimed = 0;           // gpsd TPVs with mode >= 2 but no time (no date known yet)
    int tpv_untimed_unmatched = 0; // ... for which we report no position (see notes below)
    int tpv_nofix_checked = 0;     // gpsd TPVs with mode 1, where we must show no position
    int sky_checked = 0;           // gpsd SKY reports with a satellite list, compared
    std::set<std::int64_t> gpsd_fix_times;
    std::set<std::int64_t> our_fix_times;
    gn::GnssCounters counters;
};

// Feeds one log line by line (10 ms apart, well inside the fix timeout) and, after each line
// that gpsd also saw, compares our status with the reports gpsd emitted after that line.
// gpsd_offset is what gpsd adds to the receiver's UTC (see neo-m8n below).
ReplayReport replay_against_gpsd(const std::string& name, Millis gpsd_offset = Millis{0}) {
    const auto lines = log_lines(read_file(data_path(name)));
    const auto chk = log_lines(read_file(data_path(name + ".chk")));
    ReplayReport rep;
    gn::GnssManager mgr({}, Millis{0});
    std::size_t ci = 0;
    Millis now{0};
    for (const auto& line : lines) {
        now += 10ms;
        mgr.feed(line + "\r\n", now);
        const auto& st = mgr.status();
        if (mgr.has_position()) {
            if (const auto t = st.utc_unix_millis()) {
                rep.our_fix_times.insert(*t);
            }
        }
        // gpsd's echo skips sentences it drops ($POLYN without checksum, the cut last line).
        if (ci >= chk.size() || chk[ci] != sentence_part(line)) {
            continue;
        }
        for (++ci; ci < chk.size() && chk[ci].front() == '{'; ++ci) {
            const auto j = nlohmann::json::parse(chk[ci]);
            const auto cls = j.at("class").get<std::string>();
            BOOST_TEST_CONTEXT(name << " after '" << sentence_part(line) << "': " << chk[ci]) {
                if (cls == "TPV" && j.at("mode").get<int>() >= 2) {
                    const double lat = j.at("lat").get<double>();
                    const double lon = j.at("lon").get<double>();
                    if (!j.contains("time")) {
                        ++rep.tpv_untimed;
                        if (!mgr.has_position()) {
                            ++rep.tpv_untimed_unmatched;
                            continue;
                        }
                        BOOST_TEST(!st.utc_date.has_value());
                    } else {
                        ++rep.tpv_fix_checked;
                        const auto t =
                            iso_to_unix_ms(j.at("time").get<std::string>()) - gpsd_offset.count();
                        rep.gpsd_fix_times.insert(t);
                        BOOST_TEST_REQUIRE(mgr.has_position());
                        BOOST_TEST(st.utc_unix_millis() == std::optional<std::int64_t>{t});
                    }
                    BOOST_TEST(std::fabs(*st.latitude_deg - lat) < 1e-6);
                    BOOST_TEST(std::fabs(*st.longitude_deg - lon) < 1e-6);
                    if (j.contains("altMSL")) {
                        BOOST_TEST_REQUIRE(st.altitude_m.has_value());
                        BOOST_TEST(std::fabs(*st.altitude_m - j.at("altMSL").get<double>()) < 1e-6);
                    }
                } else if (cls == "TPV") {
                    ++rep.tpv_nofix_checked;
                    BOOST_TEST(!mgr.has_position());
                } else if (cls == "SKY" && j.contains("satellites")) {
                    ++rep.sky_checked;
                    BOOST_TEST(st.sats_in_view() == j.at("nSat").get<std::size_t>());
                    // gpsd's uSat counts used satellites among those in view; our sats_used is
                    // the whole GSA list, which can name satellites no GSV has shown yet.
                    const auto used_in_view =
                        std::count_if(st.satellites.begin(), st.satellites.end(),
                                      [](const gn::SatelliteStatus& s) { return s.used; });
                    BOOST_TEST(used_in_view == j.at("uSat").get<long>());
                    BOOST_TEST(st.sats_used.value_or(0) >= used_in_view);
                    std::map<int, const gn::SatelliteStatus*> ours;
                    for (const auto& s : st.satellites) {
                        ours[s.prn] = &s;
                    }
                    for (const auto& sat : j.at("satellites")) {
                        const int prn = sat.at("PRN").get<int>();
                        BOOST_TEST_CONTEXT("PRN " << prn) {
                            BOOST_TEST_REQUIRE(ours.count(prn) == 1U);
                            const auto& s = *ours[prn];
                            BOOST_TEST(s.used == sat.at("used").get<bool>());
                            BOOST_TEST(s.cn0_dbhz.has_value() == sat.contains("ss"));
                            if (sat.contains("ss") && s.cn0_dbhz) {
                                BOOST_TEST(*s.cn0_dbhz == sat.at("ss").get<double>());
                            }
                            BOOST_TEST(s.elevation_deg.has_value() == sat.contains("el"));
                            if (sat.contains("el") && s.elevation_deg) {
                                BOOST_TEST(*s.elevation_deg == sat.at("el").get<double>());
                            }
                            if (sat.contains("az") && s.azimuth_deg) {
                                BOOST_TEST(*s.azimuth_deg == sat.at("az").get<double>());
                            }
                        }
                    }
                }
            }
        }
    }
    BOOST_TEST(ci == chk.size(), name << ": gpsd output not fully aligned, stopped at line " << ci
                                      << " of " << chk.size());
    rep.counters = mgr.status().counters;
    return rep;
}

// Fix epochs we report that gpsd never printed a TPV for.
std::set<std::int64_t> only_ours(const ReplayReport& rep) {
    std::set<std::int64_t> extra;
    for (const auto t : rep.our_fix_times) {
        if (rep.gpsd_fix_times.count(t) == 0) {
            extra.insert(t);
        }
    }
    return extra;
}

bool gpsd_subset_of_ours(const ReplayReport& rep) {
    return std::includes(rep.our_fix_times.begin(), rep.our_fix_times.end(),
                         rep.gpsd_fix_times.begin(), rep.gpsd_fix_times.end());
}

const std::string kGga =
    "$GNGGA,171926.00,4404.14063,N,12118.85478,W,1,12,0.91,1147.2,M,-21.3,M,,*44";
const std::string kRmc = "$GNRMC,171926.00,A,4404.14063,N,12118.85478,W,0.117,,180315,,,A*76";

} // namespace

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(gnss)

BOOST_AUTO_TEST_CASE(mtk_3301_matches_gpsd) {
    const auto rep = replay_against_gpsd("mtk-3301.log");
    BOOST_TEST(rep.tpv_fix_checked == 11); // every timed TPV with mode >= 2 in the file
    BOOST_TEST(rep.tpv_nofix_checked == 17);
    BOOST_TEST(rep.sky_checked == 3);
    BOOST_TEST(rep.gpsd_fix_times.size() == 3U);
    BOOST_TEST(gpsd_subset_of_ours(rep));
    // gpsd printed no TPV after the first valid RMC (08:14:36), so it never dated that epoch.
    BOOST_TEST(only_ours(rep) ==
               (std::set<std::int64_t>{iso_to_unix_ms("2008-08-23T08:14:36.000Z")}));
    // gpsd reports 2D for the GGA at 08:14:34.590 although its quality is 0 (no fix); we
    // follow the receiver. The GGA at 08:14:36 is a fix before any valid RMC, so neither of
    // us knows the date: gpsd prints no time, we report time of day only.
    BOOST_TEST(rep.tpv_untimed == 2);
    BOOST_TEST(rep.tpv_untimed_unmatched == 1);
    // Three "$POLYN" sentences without checksum.
    BOOST_TEST(rep.counters.checksum_errors == 3U);
    BOOST_TEST(rep.counters.malformed == 0U);
}

BOOST_AUTO_TEST_CASE(neo_m8n_matches_gpsd) {
    // gpsd dated this 2015 log 2034-11-01: it "corrected" a GPS week rollover that did not
    // happen, adding exactly 1024 weeks. Our date is the receiver's (2015-03-18).
    const auto rep = replay_against_gpsd("neo-m8n.log", bwc::fw::weeks(1024));
    BOOST_TEST(rep.tpv_fix_checked == 22);
    BOOST_TEST(rep.sky_checked == 23);
    BOOST_TEST(rep.gpsd_fix_times.size() == 22U);
    BOOST_TEST(gpsd_subset_of_ours(rep));
    // gpsd reports a u-blox cycle when its GLL arrives; the log ends before the last GLL.
    BOOST_TEST(only_ours(rep) ==
               (std::set<std::int64_t>{iso_to_unix_ms("2015-03-18T17:19:48.000Z")}));
    // The log opens with a GLL (not decoded here), which gpsd turns into an untimed 2D TPV.
    BOOST_TEST(rep.tpv_untimed == 1);
    BOOST_TEST(rep.tpv_untimed_unmatched == 1);
    BOOST_TEST(rep.counters.checksum_errors == 0U);
    BOOST_TEST(rep.counters.malformed == 0U);
}

BOOST_AUTO_TEST_CASE(quectel_l70_matches_gpsd) {
    const auto rep = replay_against_gpsd("quectel-L70.log");
    BOOST_TEST(rep.tpv_fix_checked == 51);
    BOOST_TEST(rep.sky_checked == 3);
    BOOST_TEST(rep.gpsd_fix_times == rep.our_fix_times);
    BOOST_TEST(rep.gpsd_fix_times.size() == 16U);
    BOOST_TEST(rep.tpv_untimed == 0);
    BOOST_TEST(rep.counters.checksum_errors == 0U);
    BOOST_TEST(rep.counters.malformed == 0U);
}

BOOST_AUTO_TEST_CASE(ublox_8_matches_gpsd) {
    const auto rep = replay_against_gpsd("ublox-8.log");
    BOOST_TEST(rep.tpv_fix_checked == 76);
    BOOST_TEST(rep.sky_checked == 73);
    BOOST_TEST(rep.gpsd_fix_times == rep.our_fix_times);
    BOOST_TEST(rep.gpsd_fix_times.size() == 72U); // 73 RMCs, the last one cut off
    BOOST_TEST(rep.tpv_untimed == 0);
    // The last line of the log is cut off mid-sentence: no checksum.
    BOOST_TEST(rep.counters.checksum_errors == 1U);
    BOOST_TEST(rep.counters.malformed == 0U);
    // The UBX binary in front of the first '$' is skipped, not mistaken for a sentence.
    BOOST_TEST(rep.counters.bytes_discarded > 100U);
}

BOOST_AUTO_TEST_CASE(every_log_sentence_is_accounted_for) {
    // Each '$' line either parses or fails for a reason we can name.
    // Expected counts from grep: lines ending in "*HH" vs. not.
    const std::map<std::string, std::pair<int, int>> expected = {{"mtk-3301.log", {56, 3}},
                                                                 {"neo-m8n.log", {293, 0}},
                                                                 {"quectel-L70.log", {115, 0}},
                                                                 {"ublox-8.log", {1008, 1}}};
    for (const auto& [name, counts] : expected) {
        int ok = 0;
        int errors = 0;
        for (const auto& line : log_lines(read_file(data_path(name)))) {
            const auto r = gn::parse(sentence_part(line));
            if (r.ok()) {
                ++ok;
            } else {
                ++errors;
                BOOST_TEST(r.error().kind == gn::ErrorKind::missing_checksum,
                           name << ": " << r.error().message);
            }
        }
        BOOST_TEST_MESSAGE(name << ": " << ok << " sentences ok, " << errors << " rejected");
        BOOST_TEST(ok == counts.first, name);
        BOOST_TEST(errors == counts.second, name);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(gnss_nmea)

BOOST_AUTO_TEST_CASE(splits_talker_type_and_fields) {
    const std::string line = kGga + "\r\n"; // the Sentence views into it
    const auto s = gn::split_sentence(line);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(s->talker == "GN");
    BOOST_TEST(s->type == "GGA");
    BOOST_TEST(s->fields.size() == 14U);
    BOOST_TEST(s->fields[0] == "171926.00");
    BOOST_TEST(s->fields[13] == "");

    const auto p = gn::split_sentence("$PMTK010,001*2E");
    BOOST_TEST_REQUIRE(p.ok());
    BOOST_TEST(p->talker == "P");
    BOOST_TEST(p->type == "MTK010");
}

BOOST_AUTO_TEST_CASE(wrong_checksum_names_expected_and_found) {
    std::string bad = kGga;
    bad.back() = '5'; // *44 -> *45
    const auto r = gn::parse(bad);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().kind == gn::ErrorKind::bad_checksum);
    BOOST_TEST(r.error().message.find("expected 44") != std::string::npos, r.error().message);
    BOOST_TEST(r.error().message.find("found 45") != std::string::npos, r.error().message);

    // One flipped character in the body is caught too.
    std::string flipped = kGga;
    flipped[20] = '5';
    BOOST_TEST(gn::parse(flipped).error().kind == gn::ErrorKind::bad_checksum);

    const auto junk = gn::parse("$GPVTG,0.00,T,,M,0.000,N,0.000,K,N*3Z");
    BOOST_TEST(junk.error().kind == gn::ErrorKind::bad_checksum);
    BOOST_TEST(junk.error().message.find("'3Z'") != std::string::npos, junk.error().message);
}

BOOST_AUTO_TEST_CASE(missing_checksum_is_an_error) {
    const auto r = gn::parse("$POLYN,TIME,RESTART_OCCURRED");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().kind == gn::ErrorKind::missing_checksum);
    BOOST_TEST(r.error().message.find("expected *") != std::string::npos, r.error().message);

    BOOST_TEST(gn::parse("GPGGA,1*00").error().kind == gn::ErrorKind::missing_start);
    BOOST_TEST(gn::parse("  \r\n").error().kind == gn::ErrorKind::empty_line);
    BOOST_TEST(gn::parse(formatted("G")).error().kind == gn::ErrorKind::bad_address);
}

BOOST_AUTO_TEST_CASE(lines_longer_than_82_characters_are_accepted) {
    const std::string chn =
        "$PMTKCHN,21422,28522,26482,25452,07442,08502,27482,10442,15452,03392,19392,02031,29342,"
        "23031,14001,11001,16001,05001,20001,22001,18001,06001,09001,13001,30001,04001,01001,"
        "24001,31001,17001,12001,32001*45";
    BOOST_TEST(chn.size() > 82U);
    const auto& other = as<gn::OtherSentence>(gn::parse(chn));
    BOOST_TEST(other.type == "MTKCHN");
}

BOOST_AUTO_TEST_CASE(decodes_gga) {
    const auto& g = as<gn::Gga>(gn::parse(kGga));
    BOOST_TEST(g.talker == "GN");
    BOOST_TEST_REQUIRE(g.time.has_value());
    BOOST_TEST(g.time->hour == 17);
    BOOST_TEST(g.time->minute == 19);
    BOOST_TEST(g.time->second == 26);
    BOOST_TEST(g.time->millisecond == 0);
    BOOST_TEST(std::fabs(*g.latitude_deg - (44 + 4.14063 / 60)) < 1e-12);
    BOOST_TEST(std::fabs(*g.longitude_deg + (121 + 18.85478 / 60)) < 1e-12); // W is negative
    BOOST_TEST(g.quality == std::optional<int>{1});
    BOOST_TEST(g.sats_used == std::optional<int>{12});
    BOOST_TEST(*g.hdop == 0.91);
    BOOST_TEST(*g.altitude_m == 1147.2);
    BOOST_TEST(*g.geoid_separation_m == -21.3);
    BOOST_TEST(g.has_fix());
}

BOOST_AUTO_TEST_CASE(decodes_rmc) {
    const auto& m = as<gn::Rmc>(
        gn::parse("$GPRMC,150119.000,A,5104.0859,N,11405.7387,W,0.09,194.17,090322,,,D*73"));
    BOOST_TEST(m.status == std::optional<char>{'A'});
    BOOST_TEST(m.time->millis_of_day() == (15 * 3600 + 1 * 60 + 19) * 1000);
    BOOST_TEST(std::fabs(*m.latitude_deg - 51.068098333) < 1e-9);
    BOOST_TEST(std::fabs(*m.longitude_deg + 114.095645000) < 1e-9);
    BOOST_TEST(*m.speed_knots == 0.09);
    BOOST_TEST(*m.course_deg == 194.17);
    BOOST_TEST((m.date == gn::Date{2022, 3, 9}));
    BOOST_TEST(!m.magnetic_variation_deg.has_value());
    BOOST_TEST(m.mode == std::optional<char>{'D'});
    BOOST_TEST(m.has_fix());

    // MTK before its first fix: status V, the placeholder 8960.000000 (= 90 deg) and 1980.
    const auto& v = as<gn::Rmc>(
        gn::parse("$GPRMC,235946.005,V,8960.000000,N,00000.000000,E,0.000,0.00,050180,,,N*47"));
    BOOST_TEST(!v.has_fix());
    BOOST_TEST(*v.latitude_deg == 90.0);
    BOOST_TEST((v.date == gn::Date{1980, 1, 5}));
    BOOST_TEST(v.time->millisecond == 5);
}

BOOST_AUTO_TEST_CASE(decodes_gsa) {
    const auto& g = as<gn::Gsa>(gn::parse("$GPGSA,A,2,21,28,08,,,,,,,,,,3.05,2.88,1.00*07"));
    BOOST_TEST(g.selection == std::optional<char>{'A'});
    BOOST_TEST(g.fix_mode == std::optional<int>{2});
    BOOST_TEST(g.prns_used == (std::vector<int>{21, 28, 8}));
    BOOST_TEST(*g.pdop == 3.05);
    BOOST_TEST(*g.hdop == 2.88);
    BOOST_TEST(*g.vdop == 1.00);
    BOOST_TEST(!g.system_id.has_value());
}

BOOST_AUTO_TEST_CASE(decodes_gsv) {
    const auto& g =
        as<gn::Gsv>(gn::parse("$GPGSV,4,2,13,11,40,245,29,12,05,034,,14,43,055,30,17,06,324,*74"));
    BOOST_TEST(g.message_count == 4);
    BOOST_TEST(g.message_index == 2);
    BOOST_TEST(g.sats_in_view == std::optional<int>{13});
    BOOST_TEST_REQUIRE(g.satellites.size() == 4U);
    BOOST_TEST(g.satellites[0].prn == 11);
    BOOST_TEST(g.satellites[0].elevation_deg == std::optional<int>{40});
    BOOST_TEST(g.satellites[0].azimuth_deg == std::optional<int>{245});
    BOOST_TEST(g.satellites[0].snr_dbhz == std::optional<int>{29});
    BOOST_TEST(!g.satellites[1].snr_dbhz.has_value()); // in view, not tracked
    BOOST_TEST(!g.signal_id.has_value());

    // NMEA 4.10 adds a signal id after the satellite blocks.
    const auto& s = as<gn::Gsv>(gn::parse(formatted("GAGSV,1,1,02,05,40,120,33,09,,,,7")));
    BOOST_TEST(s.satellites.size() == 2U);
    BOOST_TEST(s.signal_id == std::optional<int>{7});
}

BOOST_AUTO_TEST_CASE(empty_fields_are_absent_not_zero) {
    // No fix yet: quality and satellite count are a real 0, HDOP is empty.
    const auto& g = as<gn::Gga>(
        gn::parse("$GPGGA,235946.005,8960.000000,N,00000.000000,E,0,0,,137.000,M,13.000,M,,*49"));
    BOOST_TEST(g.quality == std::optional<int>{0});
    BOOST_TEST(g.sats_used == std::optional<int>{0});
    BOOST_TEST(!g.hdop.has_value());
    BOOST_TEST(!g.has_fix());

    const auto& e = as<gn::Gga>(gn::parse(formatted("GPGGA,,,,,,,,,,,,,,")));
    BOOST_TEST(!e.time.has_value());
    BOOST_TEST(!e.latitude_deg.has_value());
    BOOST_TEST(!e.longitude_deg.has_value());
    BOOST_TEST(!e.quality.has_value());
    BOOST_TEST(!e.altitude_m.has_value());

    const auto& gsa = as<gn::Gsa>(gn::parse("$GPGSA,A,1,,,,,,,,,,,,,,,*1E"));
    BOOST_TEST(gsa.prns_used.empty());
    BOOST_TEST(!gsa.pdop.has_value());
    BOOST_TEST(!gsa.hdop.has_value());
    BOOST_TEST(!gsa.vdop.has_value());

    const auto& gsv = as<gn::Gsv>(gn::parse("$GPGSV,2,1,06,21,,,40,28,,,47,25,,,43,07,,,40*71"));
    BOOST_TEST(!gsv.satellites[0].elevation_deg.has_value());
    BOOST_TEST(!gsv.satellites[0].azimuth_deg.has_value());
    BOOST_TEST(gsv.satellites[0].snr_dbhz == std::optional<int>{40});

    const auto& rmc = as<gn::Rmc>(gn::parse(kRmc));
    BOOST_TEST(!rmc.course_deg.has_value());
}

BOOST_AUTO_TEST_CASE(bad_fields_are_named) {
    const auto r = gn::parse(formatted("GPGGA,12x000,4404.1,N,12118.8,W,1,5,1.0,10,M,0,M,,"));
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().kind == gn::ErrorKind::bad_field);
    BOOST_TEST(r.error().message.find("GGA field 1") != std::string::npos, r.error().message);
    BOOST_TEST(r.error().message.find("'12x000'") != std::string::npos, r.error().message);

    const auto hemi = gn::parse(formatted("GPGGA,120000,4404.1,X,12118.8,W,1,5,1.0,10,M,0,M,,"));
    BOOST_TEST(hemi.error().message.find("field 3") != std::string::npos, hemi.error().message);

    const auto lat = gn::parse(formatted("GPGGA,120000,9104.1,N,12118.8,W,1,5,1.0,10,M,0,M,,"));
    BOOST_TEST(lat.error().kind == gn::ErrorKind::bad_field);

    const auto short_rmc = gn::parse(formatted("GPRMC,120000,A,4404.1,N"));
    BOOST_TEST(short_rmc.error().kind == gn::ErrorKind::missing_field);

    const auto index = gn::parse(formatted("GPGSV,2,3,05,01,10,100,20"));
    BOOST_TEST(index.error().message.find("message index") != std::string::npos);

    const auto nan = gn::parse(formatted("GPGSA,A,3,01,,,,,,,,,,,,nan,1.0,1.0"));
    BOOST_TEST(nan.error().message.find("PDOP") != std::string::npos, nan.error().message);
}

BOOST_AUTO_TEST_CASE(format_sentence_round_trips) {
    const std::string body = "GPGGA,235959.250,3345.1234,S,07012.5000,W,2,07,1.2,-12.5,M,30.1,M,,";
    const auto line = formatted(body);
    BOOST_TEST(line.front() == '$');
    BOOST_TEST(line.substr(line.size() - 2) == "\r\n");
    BOOST_TEST(line.substr(line.size() - 5, 3) ==
               "*" + std::string{"0123456789ABCDEF"[gn::checksum(body) >> 4]} +
                   std::string{"0123456789ABCDEF"[gn::checksum(body) & 15]});
    const auto& g = as<gn::Gga>(gn::parse(line));
    BOOST_TEST((g.time == gn::TimeOfDay{23, 59, 59, 250}));
    BOOST_TEST(std::fabs(*g.latitude_deg + (33 + 45.1234 / 60)) < 1e-12);
    BOOST_TEST(std::fabs(*g.longitude_deg + (70 + 12.5 / 60)) < 1e-12);
    BOOST_TEST(g.quality == std::optional<int>{2});
    BOOST_TEST(g.sats_used == std::optional<int>{7});
    BOOST_TEST(*g.altitude_m == -12.5);

    // Real sentences re-formatted from their body come out byte for byte the same.
    for (const std::string& real : {kGga, kRmc, std::string{"$GPGSA,A,1,,,,,,,,,,,,,,,*1E"}}) {
        const auto body_of = real.substr(1, real.find('*') - 1);
        BOOST_TEST(formatted(body_of) == real + "\r\n");
    }

    BOOST_TEST(!gn::format_sentence("").has_value());
    BOOST_TEST(!gn::format_sentence("GPGGA,1*2").has_value());
    BOOST_TEST(!gn::format_sentence("GPGGA,$").has_value());
    BOOST_TEST(!gn::format_sentence("GPGGA,\r\n").has_value());
}

BOOST_AUTO_TEST_CASE(calendar_arithmetic) {
    BOOST_TEST(gn::days_since_epoch({1970, 1, 1}) == 0);
    BOOST_TEST(gn::unix_millis({2022, 3, 9}, {15, 1, 19, 0}) ==
               iso_to_unix_ms("2022-03-09T15:01:19.000Z"));
    BOOST_TEST(gn::unix_millis({2000, 2, 29}, {23, 59, 59, 999}) ==
               iso_to_unix_ms("2000-02-29T23:59:59.999Z"));
    for (std::int64_t d = 3650; d < 3650 + 50'000; d += 7) {
        BOOST_TEST_REQUIRE(gn::days_since_epoch(gn::date_from_days(d)) == d);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(gnss_manager)

BOOST_AUTO_TEST_CASE(fix_from_gga_and_rmc) {
    gn::GnssManager m({}, Millis{0});
    BOOST_TEST(!m.has_position());
    BOOST_TEST(!m.next_deadline().has_value());
    m.feed(kRmc + "\r\n", 1000ms);
    BOOST_TEST(m.has_position());
    BOOST_TEST((m.status().utc_date == gn::Date{2015, 3, 18}));
    BOOST_TEST(m.status().fix == gn::FixType::fix_2d); // RMC alone says nothing about height
    m.feed(kGga + "\r\n", 1000ms);
    const auto& st = m.status();
    BOOST_TEST(st.fix == gn::FixType::fix_3d);
    BOOST_TEST(*st.altitude_m == 1147.2);
    BOOST_TEST(st.sats_used == std::optional<int>{12});
    BOOST_TEST(*st.hdop == 0.91);
    BOOST_TEST(st.utc_unix_millis() ==
               std::optional<std::int64_t>{iso_to_unix_ms("2015-03-18T17:19:26.000Z")});
    BOOST_TEST(st.counters.sentences_ok == 2U);
}

BOOST_AUTO_TEST_CASE(gsa_mode_decides_dimension) {
    gn::GnssManager m({}, Millis{0});
    m.feed("$GPGSA,A,2,21,28,08,,,,,,,,,,3.05,2.88,1.00*07\r\n", 10ms);
    m.feed("$GPGGA,081439.000,5212.981832,N,00653.104686,E,1,3,2.88,102.930,M,47.093,M,,*5A\r\n",
           20ms);
    BOOST_TEST(m.status().fix == gn::FixType::fix_2d); // despite the altitude in GGA
    BOOST_TEST(m.status().sats_used == std::optional<int>{3});
    BOOST_TEST(*m.status().pdop == 3.05);
}

BOOST_AUTO_TEST_CASE(byte_by_byte_feeding_equals_whole_lines) {
    for (const std::string name : {"neo-m8n.log", "ublox-8.log", "mtk-3301.log"}) {
        const auto bytes = log_bytes_without_headers(name);
        gn::GnssManager whole({}, Millis{0});
        gn::GnssManager bytewise({}, Millis{0});
        gn::GnssManager odd_chunks({}, Millis{0});
        whole.feed(bytes, 5ms);
        for (const char c : bytes) {
            bytewise.feed(std::string_view(&c, 1), 5ms);
        }
        for (std::size_t i = 0, n = 1; i < bytes.size(); i += n, n = n % 97 + 13) {
            odd_chunks.feed(std::string_view(bytes).substr(i, n), 5ms);
        }
        for (const auto* m : {&bytewise, &odd_chunks}) {
            BOOST_TEST_CONTEXT(name) {
                const auto& a = whole.status();
                const auto& b = m->status();
                BOOST_TEST(a.counters.sentences_ok >= 56U);
                BOOST_TEST(b.counters.sentences_ok == a.counters.sentences_ok);
                BOOST_TEST(b.counters.checksum_errors == a.counters.checksum_errors);
                BOOST_TEST(b.counters.malformed == a.counters.malformed);
                BOOST_TEST(b.counters.bytes_discarded == a.counters.bytes_discarded);
                BOOST_TEST((b.fix == a.fix));
                BOOST_TEST(b.latitude_deg == a.latitude_deg);
                BOOST_TEST(b.longitude_deg == a.longitude_deg);
                BOOST_TEST(b.altitude_m == a.altitude_m);
                BOOST_TEST(b.utc_unix_millis() == a.utc_unix_millis());
                BOOST_TEST(b.sats_in_view() == a.sats_in_view());
                BOOST_TEST(b.sats_used == a.sats_used);
            }
        }
        BOOST_TEST(whole.has_position());
    }
}

BOOST_AUTO_TEST_CASE(any_line_ending_works) {
    for (const std::string eol : {"\r\n", "\n", "\r", "\n\r"}) {
        gn::GnssManager m({}, Millis{0});
        m.feed(kRmc + eol + kGga + eol, 1ms);
        BOOST_TEST(m.status().counters.sentences_ok == 2U);
        BOOST_TEST(m.status().counters.checksum_errors == 0U);
        BOOST_TEST(m.status().fix == gn::FixType::fix_3d);
    }
    // A missing line ending is survived: the next '$' closes the previous sentence.
    gn::GnssManager m({}, Millis{0});
    m.feed(kRmc + kGga + "\n", 1ms);
    BOOST_TEST(m.status().counters.sentences_ok == 2U);
}

BOOST_AUTO_TEST_CASE(fix_lost_exactly_at_timeout) {
    const Millis timeout = gn::GnssConfig::kDefaultFixTimeout;
    BOOST_TEST(timeout.count() == 3000);
    for (const Millis t0 : {Millis{1000}, Millis{123'457}}) {
        gn::GnssManager m({}, Millis{0});
        m.feed(kGga + "\r\n", t0);
        BOOST_TEST(m.next_deadline() == std::optional<Millis>{t0 + timeout});
        m.advance(t0 + timeout - 1ms);
        BOOST_TEST(m.has_position());
        m.advance(t0 + timeout);
        BOOST_TEST(!m.has_position());
        BOOST_TEST((m.status().fix == gn::FixType::none));
        BOOST_TEST(!m.status().latitude_deg.has_value()); // no stale position on display
        BOOST_TEST(!m.next_deadline().has_value());
    }
    // timeout + 1 ms via feed() of a non-fix sentence, and a configured timeout.
    gn::GnssConfig cfg;
    cfg.fix_timeout = 10s;
    gn::GnssManager m(cfg, Millis{0});
    m.feed(kGga + "\r\n", 1s);
    m.feed("$GNVTG,,T,,M,0.117,N,0.216,K,A*3F\r\n", 11s - 1ms);
    BOOST_TEST(m.has_position());
    m.feed(kGga + "\r\n", 11s - 1ms); // a new fix sentence restarts the timeout
    m.feed("$GNVTG,,T,,M,0.117,N,0.216,K,A*3F\r\n", 21s - 2ms);
    BOOST_TEST(m.has_position());
    m.feed("$GNVTG,,T,,M,0.117,N,0.216,K,A*3F\r\n", 21s);
    BOOST_TEST(!m.has_position());
}

BOOST_AUTO_TEST_CASE(receiver_saying_no_fix_drops_it_at_once) {
    gn::GnssManager m({}, Millis{0});
    m.feed(kGga + "\r\n", 1s);
    BOOST_TEST(m.has_position());
    m.feed("$GPRMC,081434.590,V,5212.978993,N,00653.097906,E,0.052,0.00,230808,,,N*46\r\n", 2s);
    BOOST_TEST(!m.has_position());
    m.feed(kGga + "\r\n", 3s);
    m.feed("$GPGGA,081434.590,5212.978993,N,00653.097906,E,0,3,,102.907,M,47.093,M,,*42\r\n", 4s);
    BOOST_TEST(!m.has_position());
}

BOOST_AUTO_TEST_CASE(time_to_first_fix) {
    gn::GnssManager m({}, Millis{500});
    m.feed("$GPGGA,235946.005,8960.000000,N,00000.000000,E,0,0,,137.000,M,13.000,M,,*49\r\n",
           1500ms);
    BOOST_TEST(!m.status().time_to_first_fix.has_value());
    m.feed(kGga + "\r\n", 7500ms);
    BOOST_TEST(m.status().time_to_first_fix == std::optional<Millis>{7000ms});
    m.feed(kGga + "\r\n", 8500ms); // later fixes do not move it
    BOOST_TEST(m.status().time_to_first_fix == std::optional<Millis>{7000ms});
    m.advance(20s); // nor does losing the fix
    m.feed(kGga + "\r\n", 21s);
    BOOST_TEST(m.status().time_to_first_fix == std::optional<Millis>{7000ms});

    m.reset(30s);
    BOOST_TEST(!m.has_position());
    BOOST_TEST(!m.status().time_to_first_fix.has_value());
    m.feed(kGga + "\r\n", 42'250ms);
    BOOST_TEST(m.status().time_to_first_fix == std::optional<Millis>{12'250ms});
}

BOOST_AUTO_TEST_CASE(disabled_manager_ignores_input) {
    gn::GnssConfig cfg;
    cfg.enabled = false;
    gn::GnssManager m(cfg, Millis{0});
    m.feed(kRmc + "\r\n" + kGga + "\r\n", 1s);
    BOOST_TEST(!m.status().enabled);
    BOOST_TEST(!m.has_position());
    BOOST_TEST(m.status().counters.sentences_ok == 0U);
    BOOST_TEST(!m.next_deadline().has_value());

    m.set_enabled(true, 2s);
    m.feed(kGga + "\r\n", 5s);
    BOOST_TEST(m.has_position());
    BOOST_TEST(m.status().time_to_first_fix == std::optional<Millis>{3s}); // from enabling

    m.set_enabled(false, 6s);
    BOOST_TEST(!m.has_position());
    BOOST_TEST(!m.status().latitude_deg.has_value());
    BOOST_TEST(!m.next_deadline().has_value());
    m.feed(kGga + "\r\n", 7s);
    BOOST_TEST(!m.has_position());
    BOOST_TEST(m.status().counters.sentences_ok == 0U);
}

BOOST_AUTO_TEST_CASE(overlong_line_is_dropped_and_counted) {
    gn::GnssManager m({}, Millis{0});
    const std::string garbage = "$GPGGA," + std::string(100'000, '7');
    // Also split the garbage in chunks: the bound must hold across feed() calls.
    for (std::size_t i = 0; i < garbage.size(); i += 4096) {
        m.feed(std::string_view(garbage).substr(i, 4096), 1ms);
    }
    m.feed("\r\n" + kGga + "\r\n", 2ms);
    BOOST_TEST(m.status().counters.overlong_lines == 1U);
    BOOST_TEST(m.status().counters.sentences_ok == 1U);
    BOOST_TEST(m.has_position());

    // Exactly at the limit is still accepted.
    gn::GnssConfig cfg;
    cfg.max_line_length = kGga.size();
    gn::GnssManager edge(cfg, Millis{0});
    edge.feed(kGga + "\r\n", 1ms);
    BOOST_TEST(edge.status().counters.sentences_ok == 1U);
    cfg.max_line_length = kGga.size() - 1;
    gn::GnssManager over(cfg, Millis{0});
    over.feed(kGga + "\r\n", 1ms);
    BOOST_TEST(over.status().counters.overlong_lines == 1U);
    BOOST_TEST(!over.has_position());
}

BOOST_AUTO_TEST_CASE(errors_are_counted) {
    gn::GnssManager m({}, Millis{0});
    std::string bad = kGga;
    bad.back() = '5';
    m.feed(bad + "\r\n", 1ms);
    m.feed("$POLYN,EPH,0,00000000\r\n", 1ms);
    m.feed(formatted("GPGGA,1x,,,,,,,,,,,,,"), 1ms);
    m.feed("binary\x01\x02 noise\r\n", 1ms);
    const auto& st = m.status();
    BOOST_TEST(st.counters.checksum_errors == 2U);
    BOOST_TEST(st.counters.malformed == 1U);
    BOOST_TEST(st.counters.sentences_ok == 0U);
    BOOST_TEST(st.counters.bytes_discarded == 14U);
    BOOST_TEST_REQUIRE(st.last_error.has_value());
    BOOST_TEST(st.last_error->kind == gn::ErrorKind::bad_field);
    BOOST_TEST(!m.has_position());
}

BOOST_AUTO_TEST_CASE(gsv_groups_merge_per_talker) {
    gn::GnssManager m({}, Millis{0});
    const std::string gp1 = "$GPGSV,4,1,13,01,53,280,36,03,29,301,24,04,55,223,37,08,38,166,16*7C";
    const std::string gp2 = "$GPGSV,4,2,13,11,40,245,29,12,05,034,,14,43,055,30,17,06,324,*74";
    const std::string gp3 = "$GPGSV,4,3,13,22,24,112,25,23,08,249,,25,12,069,22,31,58,133,24*7A";
    const std::string gp4 = "$GPGSV,4,4,13,32,76,331,31*48";
    const std::string gl1 = "$GLGSV,3,1,10,66,37,078,27,67,62,349,26,68,20,296,25,75,04,018,*6E";
    const std::string gl2 = "$GLGSV,3,2,10,76,43,057,25,77,43,139,26,78,04,176,19,82,25,245,26*67";
    const std::string gl3 = "$GLGSV,3,3,10,83,27,309,29,84,01,353,*63";
    // Interleaved talkers, and a GP group with a lost part that must not be shown.
    m.feed(gp1 + "\r\n" + gl1 + "\r\n" + gp2 + "\r\n" + gl2 + "\r\n" + gp4 + "\r\n", 1ms);
    BOOST_TEST(m.status().sats_in_view() == 0U);
    m.feed(gl3 + "\r\n", 2ms);
    BOOST_TEST(m.status().sats_in_view() == 10U);
    m.feed(gp1 + "\r\n" + gp2 + "\r\n" + gp3 + "\r\n" + gp4 + "\r\n", 3ms);
    const auto& st = m.status();
    BOOST_TEST(st.sats_in_view() == 23U);
    int glonass = 0;
    for (const auto& s : st.satellites) {
        glonass += s.system == gn::System::glonass ? 1 : 0;
        if (s.prn == 12) {
            BOOST_TEST(!s.cn0_dbhz.has_value());
        }
        if (s.prn == 32) {
            BOOST_TEST(s.cn0_dbhz == std::optional<int>{31});
        }
    }
    BOOST_TEST(glonass == 10);

    // GNGSA pair: used flags per constellation; the list counts 14 where GGA says 12.
    m.feed("$GNGSA,A,3,01,11,31,14,22,32,04,25,03,,,,1.56,0.91,1.27*15\r\n"
           "$GNGSA,A,3,67,83,76,82,68,,,,,,,,1.56,0.91,1.27*1D\r\n" +
               kGga + "\r\n",
           4ms);
    BOOST_TEST(m.status().sats_used == std::optional<int>{14});
    int used = 0;
    for (const auto& s : m.status().satellites) {
        used += s.used ? 1 : 0;
    }
    BOOST_TEST(used == 14);
}

BOOST_AUTO_TEST_CASE(gga_after_midnight_advances_the_date) {
    gn::GnssManager m({}, Millis{0});
    m.feed(formatted("GPRMC,235959.000,A,4404.1,N,12118.8,W,0.0,,311224,,,A"), 1ms);
    BOOST_TEST((m.status().utc_date == gn::Date{2024, 12, 31}));
    m.feed(formatted("GPGGA,000000.000,4404.1,N,12118.8,W,1,5,1.0,10,M,0,M,,"), 2ms);
    BOOST_TEST((m.status().utc_date == gn::Date{2025, 1, 1}));
    BOOST_TEST(m.status().utc_unix_millis() ==
               std::optional<std::int64_t>{iso_to_unix_ms("2025-01-01T00:00:00.000Z")});
}

BOOST_AUTO_TEST_SUITE_END()
