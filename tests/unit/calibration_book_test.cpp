// Calibration records (bench/station/calibration_book.hpp): a good file
// loads and the newest record of a kind wins; each mistake is one diagnostic
// at its line; a saved book reads back the same; and a run's preflight names
// the missing or expired calibration, its record, file line and expiry.
#include "bench/runner/runner.hpp"
#include "bench/station/calibration_book.hpp"
#include "bench/steps/step_type.hpp"
#include "record_samples.hpp" // ScratchDir

#include <boost/test/unit_test.hpp>
#include <fstream>

using namespace bwc::bench;

namespace {

// A step type that needs the bay's colour reference and the station's thermal offset.
class CalibratedStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{.name = "test.calibrated",
                                    .family = "test",
                                    .help = "needs calibrations",
                                    .calibrations = {"vision.colour", "thermal.offset"}};
        return i;
    }
    StepOutput measure(StepContext&, const nlohmann::json&) const override { return {}; }
};
REGISTER_STEP_TYPE(CalibratedStep);

std::string record(const std::string& id, const std::string& kind, const std::string& bay,
                   const std::string& performed, const std::string& expires) {
    return R"(    {"id": ")" + id + R"(", "kind": ")" + kind + "\"" +
           (bay.empty() ? "" : ", \"bay\": " + bay) +
           R"(, "operator": "a.tester", "instruments": ["vision VIS1"], "performed": ")" +
           performed + R"(", "expires": ")" + expires + R"(", "data": {"gain": [1, 1, 1]}})";
}

std::string book_text(const std::vector<std::string>& records) {
    std::string t = "{\n  \"schema\": 1,\n  \"station\": \"bench-3\",\n  \"records\": [\n";
    for (std::size_t i = 0; i < records.size(); ++i)
        t += records[i] + (i + 1 < records.size() ? ",\n" : "\n");
    return t + "  ]\n}\n";
}

std::string only_error(const std::string& text) {
    auto r = parse_calibration_book(text, "cal.json");
    BOOST_TEST_REQUIRE(!r.ok(), "loaded but should not:\n" << text);
    BOOST_TEST_REQUIRE(r.error().size() == 1u, "expected one diagnostic, got " << r.error().size()
                                                                               << ": "
                                                                               << r.error()[0].text());
    return r.error()[0].text();
}

} // namespace

BOOST_AUTO_TEST_SUITE(calibration_book)

BOOST_AUTO_TEST_CASE(the_newest_record_of_a_kind_and_bay_wins) {
    auto book = parse_calibration_book(
        book_text({record("C1", "vision.colour", "1", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
                   record("C2", "vision.colour", "1", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
                   record("C3", "vision.colour", "2", "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z"),
                   record("T1", "thermal.offset", "", "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z")}),
        "cal.json");
    BOOST_TEST_REQUIRE(book.ok());
    BOOST_TEST(book->station == "bench-3");
    BOOST_TEST_REQUIRE(book->latest("vision.colour", 1) != nullptr);
    BOOST_TEST(book->latest("vision.colour", 1)->id == "C2");
    BOOST_TEST(book->latest("vision.colour", 2)->id == "C3");
    BOOST_TEST(book->latest("vision.colour", 3) == nullptr);
    BOOST_TEST(book->latest("thermal.offset", std::nullopt)->id == "T1");
    BOOST_TEST(book->latest("vision.colour", 1)->pos.line == 6);
    BOOST_TEST(book->latest("vision.colour", 1)->data["gain"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(each_mistake_is_one_diagnostic_at_its_line) {
    const std::string good_times = "\"2026-01-01T00:00:00Z\"";
    BOOST_TEST(only_error(book_text({record("C1", "vision.color", "1", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z")}))
                   .find("cal.json:5:") == 0);
    BOOST_TEST(only_error(book_text({record("C1", "vision.color", "1", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z")}))
                   .find("unknown calibration kind 'vision.color' (did you mean 'vision.colour'?)") !=
               std::string::npos);
    BOOST_TEST(only_error(book_text({record("C1", "vision.colour", "", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z")}))
                   .find("needs a bay") != std::string::npos);
    BOOST_TEST(only_error(book_text({record("T1", "thermal.offset", "2", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z")}))
                   .find("is a station calibration: no bay") != std::string::npos);
    BOOST_TEST(only_error(book_text({record("C1", "vision.colour", "1", "2026-01-01T00:00:00Z",
                                            "2025-12-01T00:00:00Z")}))
                   .find("is not after performed") != std::string::npos);
    BOOST_TEST(only_error(book_text({record("C1", "vision.colour", "1", "2026-02-30T00:00:00Z",
                                            "2026-03-01T00:00:00Z")}))
                   .find("performed must be a UTC time") != std::string::npos);
    BOOST_TEST(only_error(book_text({record("C1", "vision.colour", "1", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z"),
                                     record("C1", "vision.colour", "2", "2026-01-01T00:00:00Z",
                                            "2026-02-01T00:00:00Z")}))
                   .find("cal.json:6:") == 0);
    std::string no_operator = book_text({record("C1", "vision.colour", "1", "2026-01-01T00:00:00Z",
                                                "2026-02-01T00:00:00Z")});
    no_operator.replace(no_operator.find("a.tester"), 8, "");
    BOOST_TEST(only_error(no_operator).find("names who performed it") != std::string::npos);
    BOOST_TEST(only_error("{\"schema\": 2, \"station\": \"x\", \"records\": []}")
                   .find("calibration schema 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_saved_book_reads_back_the_same) {
    bwc::test::ScratchDir dir("bwc-cal");
    CalibrationBook book;
    book.path = dir.path() + "/sub/cal.json";
    book.station = "bench-9";
    CalibrationRecord r;
    r.id = "CAL-1";
    r.kind = "actuator.latency";
    r.bay = 4;
    r.operator_name = "o";
    r.instruments = {"actuator ACT4"};
    r.performed = format_utc_time(1'790'000'000);
    r.expires = format_utc_time(1'790'000'000 + 86'400 * 30);
    r.data = {{"latency_ms", 12.5}};
    book.add(r);
    BOOST_TEST(save_calibration_book(book) == "");
    auto back = load_calibration_book(book.path);
    BOOST_TEST_REQUIRE(back.ok(), (back.ok() ? "" : back.error()[0].text()));
    const CalibrationRecord* got = back->latest("actuator.latency", 4);
    BOOST_TEST_REQUIRE(got != nullptr);
    BOOST_TEST(got->performed_s == 1'790'000'000);
    BOOST_TEST(got->expires_s == 1'790'000'000 + 86'400 * 30);
    BOOST_TEST(got->data["latency_ms"].get<double>() == 12.5);
    BOOST_TEST(got->instruments == r.instruments);
    BOOST_TEST(!std::filesystem::exists(book.path + ".tmp"));
}

BOOST_AUTO_TEST_CASE(utc_times_round_trip_and_reject_what_is_not_one) {
    BOOST_TEST(*parse_utc_time("1970-01-01T00:00:00Z") == 0);
    BOOST_TEST(format_utc_time(*parse_utc_time("2026-11-24T10:15:00Z")) == "2026-11-24T10:15:00Z");
    for (const char* bad : {"2026-11-24 10:15:00Z", "2026-11-24T10:15:00", "2026-13-01T00:00:00Z",
                            "2026-02-29T00:00:00Z", "2026-11-24T10:15:00+01:00", ""})
        BOOST_TEST(!parse_utc_time(bad), bad);
}

BOOST_AUTO_TEST_CASE(a_run_is_refused_naming_the_missing_or_expired_calibration) {
    bwc::test::ScratchDir dir("bwc-cal-run");
    const std::string path = dir.path() + "/cal.json";
    {
        std::ofstream out(path);
        out << book_text({record("COL-1", "vision.colour", "1", "2020-01-01T00:00:00Z",
                                 "2020-02-01T00:00:00Z"),
                          record("COL-2", "vision.colour", "2", "2026-01-01T00:00:00Z",
                                 "2099-01-01T00:00:00Z"),
                          record("TH-1", "thermal.offset", "", "2026-01-01T00:00:00Z",
                                 "2099-01-01T00:00:00Z")});
    }
    Procedure p;
    p.name = "look";
    StepSpec spec;
    spec.id = "leds";
    spec.type = "test.calibrated";
    p.main.push_back(spec);
    Station st;
    st.id = "bench-3";
    st.calibration = path;
    for (int n : {1, 2, 3}) {
        Bay b;
        b.number = n;
        st.bays.push_back(b);
    }
    RecordFactory no_records = [](const RecordHeader&) {
        return Result<std::unique_ptr<RecordWriter>>::failure("not used");
    };
    Runner runner(p, st, no_records, {});
    const auto problems = runner.preflight();
    BOOST_TEST_REQUIRE(problems.size() == 2u);
    // Bay 1's record expired: named with its line and expiry.
    BOOST_TEST(problems[0].find("calibration 'vision.colour' of bay 1") == 0, problems[0]);
    BOOST_TEST(problems[0].find("record 'COL-1' (" + path + ":5) expired 2020-02-01T00:00:00Z") !=
                   std::string::npos,
               problems[0]);
    BOOST_TEST(problems[0].find("step 'leds' (test.calibrated)") != std::string::npos);
    // Bay 3 has none.
    BOOST_TEST(problems[1].find("calibration 'vision.colour' of bay 3") == 0, problems[1]);
    BOOST_TEST(problems[1].find("is missing from " + path) != std::string::npos, problems[1]);
    // The run refuses every bay with the first problem as its cause.
    const RunSummary s = runner.run();
    BOOST_TEST_REQUIRE(s.bays.size() == 3u);
    for (const BaySummary& b : s.bays) {
        BOOST_TEST(to_string(b.verdict) == "error");
        BOOST_TEST(b.cause.find("the run was refused: calibration 'vision.colour' of bay 1") == 0);
    }
    // Without a calibration file every need is missing.
    st.calibration.clear();
    Runner bare(p, st, no_records, {});
    BOOST_TEST(bare.preflight().size() == 4u); // colour for bays 1-3, thermal for the station
}

BOOST_AUTO_TEST_SUITE_END()
