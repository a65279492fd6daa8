// Judging and rendering a fault-coverage run (see coverage_report.hpp).
#include "bench/coverage/coverage_report.hpp"

#include <algorithm>
#include <cstdio>

namespace bwc::bench {
namespace {

std::string cell(std::string s) {
    // A Markdown table cell: pipes escaped, no line breaks.
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out.empty() ? "—" : out;
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", s);
    return buf;
}

} // namespace

FaultRow::Result FaultRow::judge() const {
    if (!planned)
        return Result::NotPlanned;
    if (actual.verdict == "pass")
        return Result::Escaped;
    if (actual.verdict != "fail")
        return Result::Error;
    if (actual.first_failing_step == expected_step && actual.failure_code == expected_code)
        return Result::Caught;
    return Result::CaughtElsewhere;
}

std::string_view to_string(FaultRow::Result r) {
    switch (r) {
    case FaultRow::Result::Caught:
        return "caught";
    case FaultRow::Result::CaughtElsewhere:
        return "caught elsewhere";
    case FaultRow::Result::Escaped:
        return "ESCAPED";
    case FaultRow::Result::Error:
        return "error";
    case FaultRow::Result::NotPlanned:
        return "not planned";
    }
    return "?";
}

int CoverageReport::count(FaultRow::Result r) const {
    return static_cast<int>(std::count_if(faults.begin(), faults.end(),
                                          [r](const FaultRow& f) { return f.judge() == r; }));
}

bool CoverageReport::clean() const {
    return (!faults.empty() || good_units > 0) &&
           count(FaultRow::Result::Caught) == static_cast<int>(faults.size()) &&
           false_fails.empty();
}

std::string CoverageReport::markdown() const {
    std::string md = "# Fault coverage: " + model + " end of line\n\n";
    md += "Procedure `" + procedure + "` (sha256 `" + procedure_sha256.substr(0, 12) + "`). ";
    if (faults.empty()) {
        md += "Good units only.\n\n";
    } else {
        md += "Each fault of `bwc-emu --list-faults --model " + model +
              "` was injected into one emulated unit with the value in the plan; the run must "
              "fail first at the expected step with the expected failure code.\n\n";
        md +=
            "| fault | SPEC | expected step | expected code | verdict | first failing step | code "
            "| result |\n";
        md += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
        for (const FaultRow& f : faults)
            md += "| `" + f.fault + "` | " + cell(f.spec_row) + " | " + cell(f.expected_step) +
                  " | " + cell(f.expected_code) + " | " + cell(f.actual.verdict) + " | " +
                  cell(f.actual.first_failing_step) + " | " + cell(f.actual.failure_code) + " | " +
                  std::string(to_string(f.judge())) + " |\n";
        md += "\n**" + std::to_string(count(FaultRow::Result::Caught)) + " of " +
              std::to_string(faults.size()) + " faults caught at their expected step**; escaped " +
              std::to_string(count(FaultRow::Result::Escaped)) + ", caught elsewhere " +
              std::to_string(count(FaultRow::Result::CaughtElsewhere)) + ", errors " +
              std::to_string(count(FaultRow::Result::Error)) + ", not planned " +
              std::to_string(count(FaultRow::Result::NotPlanned)) + ".\n\n";
    }
    md += "**Good units: " + std::to_string(good_units) + " run, " +
          std::to_string(false_fails.size()) + " false fails**";
    md += good_units > 0 ? " (random vision render conditions and unit seeds per station run).\n"
                         : ".\n";
    for (const UnitOutcome& u : false_fails)
        md += "- " + u.serial + ": " + u.verdict + " at " + cell(u.first_failing_step) + " " +
              cell(u.failure_code) + ": " + cell(u.cause) + "\n";
    md += "\nWall time of the whole coverage run: " + seconds(wall_s) + " s.\n";
    return md;
}

nlohmann::json CoverageReport::json() const {
    nlohmann::json rows = nlohmann::json::array();
    for (const FaultRow& f : faults)
        rows.push_back({{"fault", f.fault},
                        {"spec", f.spec_row},
                        {"expected_step", f.expected_step},
                        {"expected_code", f.expected_code},
                        {"verdict", f.actual.verdict},
                        {"first_failing_step", f.actual.first_failing_step},
                        {"failure_code", f.actual.failure_code},
                        {"cause", f.actual.cause},
                        {"result", std::string(to_string(f.judge()))}});
    nlohmann::json ff = nlohmann::json::array();
    for (const UnitOutcome& u : false_fails)
        ff.push_back({{"serial", u.serial},
                      {"verdict", u.verdict},
                      {"first_failing_step", u.first_failing_step},
                      {"failure_code", u.failure_code},
                      {"cause", u.cause}});
    return {{"model", model},
            {"procedure", procedure},
            {"procedure_sha256", procedure_sha256},
            {"faults", rows},
            {"caught", count(FaultRow::Result::Caught)},
            {"escaped", count(FaultRow::Result::Escaped)},
            {"caught_elsewhere", count(FaultRow::Result::CaughtElsewhere)},
            {"errors", count(FaultRow::Result::Error)},
            {"not_planned", count(FaultRow::Result::NotPlanned)},
            {"good_units", good_units},
            {"false_fails", ff},
            {"clean", clean()},
            {"wall_s", wall_s}};
}

} // namespace bwc::bench
