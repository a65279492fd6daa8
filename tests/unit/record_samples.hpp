// Test support for the record layer (bench/record): a scratch directory,
// sample records that use every value type, limit kind and outcome, a way to
// feed a record through any RecordWriter, and a field-by-field comparison of
// two records. Shared by the journal, store and export tests.
#pragma once

#include "bench/record/record.hpp"
#include "bench/record/record_data.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace bwc::test {

/// A fresh directory under /tmp, removed with its contents at the end.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& prefix) {
        std::string pattern = "/tmp/" + prefix + "-XXXXXX";
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

inline bench::RecordHeader sample_header(const std::string& record_id, int bay = 3,
                                         const std::string& run_id = "run-20240501") {
    bench::RecordHeader h;
    h.record_id = record_id;
    h.run_id = run_id;
    h.station = "station-3";
    h.bay = bay;
    h.operator_name = "Ana Lima";
    h.procedure_name = "eol-w120";
    h.procedure_version = "1.4";
    h.procedure_hash = "sha256:9f2c0d";
    h.procedure_path = "procedures/eol/w120.yaml";
    h.mode = "parallel";
    h.fixtures = {{"dock", "tcp://127.0.0.1:7300"}, {"psu", "serial:///dev/ttyUSB0?baud=9600"}};
    h.calibration_ids = {"vision-2024-04-30", "latency-17"};
    h.bench_version = "0.1.0";
    h.wall_start_ms = 1714564800000 + bay * 1000;
    h.device_start_ms = 1200;
    return h;
}

inline bench::UnitIdentity sample_identity(const std::string& serial) {
    return {serial, "W120", "2.4.1", "B2", "356938035643809", "AC:CC:8E:01:02:03", "BAT-7781"};
}

inline bench::MeasurementRecord measurement(std::string name, bench::Value value, std::string unit,
                                            bench::Limit limit, bench::Outcome outcome) {
    return {std::move(name), std::move(value), std::move(unit), std::move(limit), outcome};
}

inline bench::StepRecord step_record(int index, std::string id, bench::Outcome outcome,
                                     std::vector<bench::MeasurementRecord> measurements = {}) {
    bench::StepRecord s;
    s.index = index;
    s.id = std::move(id);
    s.name = "Step " + s.id;
    s.type = "measure";
    s.group = index == 0 ? "setup" : "main";
    s.outcome = outcome;
    s.wall_start_us = 1714564800000000 + index * 250000;
    s.wall_duration_us = 1000 + index * 12345;
    s.device_start_ms = 1200 + index * 250;
    s.device_end_ms = 1210 + index * 250;
    s.measurements = std::move(measurements);
    return s;
}

/// Steps using every value type, every limit kind and every outcome, with a
/// retried step (a failed attempt then a passing final one).
inline std::vector<bench::StepRecord> sample_steps() {
    using bench::Limit;
    using bench::Outcome;
    Limit marginal = Limit::range(2850, 3150);
    marginal.marginal_low = 2900;
    marginal.marginal_high = 3100;
    Limit regex;
    regex.kind = Limit::Kind::Regex;
    regex.pattern = "2\\.4\\.[0-9]+";
    (void)regex.compile();
    Limit one_of;
    one_of.kind = Limit::Kind::OneOf;
    one_of.one_of = {bench::Value{std::string("W120")}, bench::Value{120.0}, bench::Value{true},
                     bench::Value{}};
    std::vector<bench::StepRecord> steps;
    steps.push_back(
        step_record(0, "identify", Outcome::Pass,
                    {measurement("firmware", std::string("2.4.1"), "", regex, Outcome::Pass),
                     measurement("model", std::string("W120"), "", one_of, Outcome::Pass),
                     measurement("note", std::string("quote \" back\\slash\nnewline\ttab é ✓ <&>"),
                                 "", Limit{}, Outcome::Pass)}));
    steps.push_back(step_record(
        1, "battery_voltage", Outcome::Marginal,
        {measurement("vbat", 2880.0, "mV", marginal, Outcome::Marginal),
         measurement("temperature", -3.25, "°C", Limit::range(std::nullopt, 45), Outcome::Pass),
         measurement("charging", true, "", Limit::equal_to(true), Outcome::Pass),
         measurement("nothing", bench::Value{}, "", Limit{}, Outcome::Pass)}));
    auto first_try =
        step_record(2, "led_red", Outcome::Fail,
                    {measurement("hue", 48.0, "deg", Limit::range(0, 20), Outcome::Fail)});
    first_try.final_attempt = false;
    first_try.failure_code = "E_LED_RED";
    auto retry = step_record(2, "led_red", Outcome::Pass,
                             {measurement("hue", 12.5, "deg", Limit::range(0, 20), Outcome::Pass)});
    retry.attempt = 2;
    steps.push_back(first_try);
    steps.push_back(retry);
    auto fail = step_record(
        3, "charge_current", Outcome::Fail,
        {measurement("ichg", 1e300, "mA", Limit::range(400, 600), Outcome::Fail),
         measurement("ratio", std::numeric_limits<double>::infinity(), "", Limit{}, Outcome::Pass),
         measurement("noise", std::numeric_limits<double>::quiet_NaN(), "", Limit{}, Outcome::Pass),
         measurement("mode", std::string("CC"), "", Limit::equal_to(std::string("CV")),
                     Outcome::Fail),
         measurement("count", 1e15, "", Limit::equal_to(1e15), Outcome::Pass)});
    fail.failure_code = "E_CHARGE";
    steps.push_back(fail);
    auto error = step_record(4, "gnss_fix", Outcome::Error);
    error.error = "timeout: no fix after 60 s";
    error.device_start_ms.reset();
    error.device_end_ms.reset();
    steps.push_back(error);
    steps.push_back(step_record(5, "lte_attach", Outcome::Skipped));
    auto aborted = step_record(6, "offload", Outcome::Aborted);
    aborted.error = "run cancelled by the operator";
    steps.push_back(aborted);
    return steps;
}

/// A whole record with the sample steps, ended with `verdict`.
inline bench::RecordData sample_record(const std::string& record_id,
                                       const std::string& serial = "SN0003", int bay = 3,
                                       bench::Verdict verdict = bench::Verdict::Fail) {
    bench::RecordData r;
    r.header = sample_header(record_id, bay);
    r.identity = sample_identity(serial);
    r.steps = sample_steps();
    r.evidence = {{"led_red", "evidence/" + record_id + "/led_red.png",
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                   "face camera frame, red LED"}};
    r.logs = {{0, "info", "bay " + std::to_string(bay) + " connected"},
              {0, "warning", "retrying led_red"}};
    bench::RecordEnd end;
    end.verdict = verdict;
    end.failure_code = verdict == bench::Verdict::Fail ? "E_CHARGE" : "";
    end.first_failing_step = verdict == bench::Verdict::Fail ? "charge_current" : "";
    end.cause = verdict == bench::Verdict::Error ? "dock stopped answering" : "";
    end.wall_end_ms = r.header.wall_start_ms + 95000;
    end.device_end_ms = 96200;
    r.end = end;
    return r;
}

/// Feeds `r` to `writer` in the order a runner would (end only if r has one).
inline void write_record(bench::RecordWriter& writer, const bench::RecordData& r) {
    writer.begin(r.header);
    if (r.identity)
        writer.identity(*r.identity);
    for (const auto& s : r.steps) {
        writer.step_started(s.index, s.id, s.type);
        writer.step(s);
    }
    for (const auto& e : r.evidence)
        writer.evidence(e);
    for (const auto& l : r.logs)
        writer.log(l.level, l.text);
    if (r.end)
        writer.end(*r.end);
}

/// Equal as stored values: NaN equals NaN here (it was stored and read back).
inline bool same_stored_value(const bench::Value& a, const bench::Value& b) {
    const double* x = std::get_if<double>(&a);
    const double* y = std::get_if<double>(&b);
    if (x && y && std::isnan(*x) && std::isnan(*y))
        return true;
    return a.index() == b.index() && bench::same_value(a, b);
}

inline void check_same_limit(const bench::Limit& e, const bench::Limit& a,
                             const std::string& where) {
    BOOST_TEST_CONTEXT(where) {
        BOOST_TEST((e.kind == a.kind));
        BOOST_TEST((e.low == a.low));
        BOOST_TEST((e.high == a.high));
        BOOST_TEST((e.marginal_low == a.marginal_low));
        BOOST_TEST((e.marginal_high == a.marginal_high));
        BOOST_TEST(same_stored_value(e.equals, a.equals));
        BOOST_TEST(e.pattern == a.pattern);
        BOOST_TEST_REQUIRE(e.one_of.size() == a.one_of.size());
        for (std::size_t i = 0; i < e.one_of.size(); ++i)
            BOOST_TEST(same_stored_value(e.one_of[i], a.one_of[i]));
        BOOST_TEST(e.describe() == a.describe());
    }
}

inline void check_same_step(const bench::StepRecord& e, const bench::StepRecord& a) {
    BOOST_TEST_CONTEXT("step " << e.id << " attempt " << e.attempt) {
        BOOST_TEST(e.index == a.index);
        BOOST_TEST(e.id == a.id);
        BOOST_TEST(e.name == a.name);
        BOOST_TEST(e.type == a.type);
        BOOST_TEST(e.group == a.group);
        BOOST_TEST(e.attempt == a.attempt);
        BOOST_TEST(e.final_attempt == a.final_attempt);
        BOOST_TEST(bench::to_string(e.outcome) == bench::to_string(a.outcome));
        BOOST_TEST(e.wall_start_us == a.wall_start_us);
        BOOST_TEST(e.wall_duration_us == a.wall_duration_us);
        BOOST_TEST((e.device_start_ms == a.device_start_ms));
        BOOST_TEST((e.device_end_ms == a.device_end_ms));
        BOOST_TEST(e.error == a.error);
        BOOST_TEST(e.failure_code == a.failure_code);
        BOOST_TEST_REQUIRE(e.measurements.size() == a.measurements.size());
        for (std::size_t i = 0; i < e.measurements.size(); ++i) {
            const auto& em = e.measurements[i];
            const auto& am = a.measurements[i];
            BOOST_TEST(em.name == am.name);
            BOOST_TEST(bench::type_name(em.value) == bench::type_name(am.value));
            BOOST_TEST(same_stored_value(em.value, am.value),
                       em.name << ": " << bench::to_text(em.value) << " vs "
                               << bench::to_text(am.value));
            BOOST_TEST(em.unit == am.unit);
            check_same_limit(em.limit, am.limit, "measurement " + em.name);
            BOOST_TEST(bench::to_string(em.outcome) == bench::to_string(am.outcome));
        }
    }
}

/// Every field the runner gave must come back (log times are the writer's).
inline void check_same_record(const bench::RecordData& e, const bench::RecordData& a) {
    const auto& eh = e.header;
    const auto& ah = a.header;
    BOOST_TEST(eh.record_id == ah.record_id);
    BOOST_TEST(eh.run_id == ah.run_id);
    BOOST_TEST(eh.station == ah.station);
    BOOST_TEST(eh.bay == ah.bay);
    BOOST_TEST(eh.operator_name == ah.operator_name);
    BOOST_TEST(eh.procedure_name == ah.procedure_name);
    BOOST_TEST(eh.procedure_version == ah.procedure_version);
    BOOST_TEST(eh.procedure_hash == ah.procedure_hash);
    BOOST_TEST(eh.procedure_path == ah.procedure_path);
    BOOST_TEST(eh.mode == ah.mode);
    BOOST_TEST((eh.fixtures == ah.fixtures));
    BOOST_TEST((eh.calibration_ids == ah.calibration_ids));
    BOOST_TEST(eh.bench_version == ah.bench_version);
    BOOST_TEST(eh.wall_start_ms == ah.wall_start_ms);
    BOOST_TEST((eh.device_start_ms == ah.device_start_ms));
    BOOST_TEST_REQUIRE(e.identity.has_value() == a.identity.has_value());
    if (e.identity) {
        const auto& eu = *e.identity;
        const auto& au = *a.identity;
        BOOST_TEST(eu.serial == au.serial);
        BOOST_TEST(eu.model == au.model);
        BOOST_TEST(eu.firmware == au.firmware);
        BOOST_TEST(eu.hardware == au.hardware);
        BOOST_TEST(eu.imei == au.imei);
        BOOST_TEST(eu.mac == au.mac);
        BOOST_TEST(eu.battery_id == au.battery_id);
    }
    BOOST_TEST_REQUIRE(e.steps.size() == a.steps.size());
    for (std::size_t i = 0; i < e.steps.size(); ++i)
        check_same_step(e.steps[i], a.steps[i]);
    BOOST_TEST_REQUIRE(e.evidence.size() == a.evidence.size());
    for (std::size_t i = 0; i < e.evidence.size(); ++i) {
        BOOST_TEST(e.evidence[i].step_id == a.evidence[i].step_id);
        BOOST_TEST(e.evidence[i].path == a.evidence[i].path);
        BOOST_TEST(e.evidence[i].sha256 == a.evidence[i].sha256);
        BOOST_TEST(e.evidence[i].description == a.evidence[i].description);
    }
    BOOST_TEST_REQUIRE(e.logs.size() == a.logs.size());
    for (std::size_t i = 0; i < e.logs.size(); ++i) {
        BOOST_TEST(e.logs[i].level == a.logs[i].level);
        BOOST_TEST(e.logs[i].text == a.logs[i].text);
    }
    BOOST_TEST(bench::to_string(e.verdict()) == bench::to_string(a.verdict()));
    BOOST_TEST_REQUIRE(e.end.has_value() == a.end.has_value());
    if (e.end) {
        BOOST_TEST(e.end->failure_code == a.end->failure_code);
        BOOST_TEST(e.end->first_failing_step == a.end->first_failing_step);
        BOOST_TEST(e.end->cause == a.end->cause);
        BOOST_TEST(e.end->wall_end_ms == a.end->wall_end_ms);
        BOOST_TEST((e.end->device_end_ms == a.end->device_end_ms));
    }
    BOOST_TEST(e.interrupted_step == a.interrupted_step);
}

} // namespace bwc::test
