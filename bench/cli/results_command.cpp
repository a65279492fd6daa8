// `bench results` (see results_command.hpp): option parsing and the three
// actions. The work is in bench/record: the store, the report, the exports.
#include "bench/cli/results_command.hpp"

#include "bench/record/export_csv.hpp"
#include "bench/record/export_junit.hpp"
#include "bench/record/record_report.hpp"
#include "bench/record/store.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace bwc::bench {
namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;

constexpr const char* kHelp =
    R"(usage: bench results list   [--serial S] [--verdict V] [--run ID] [--limit N] [--json]
       bench results show   RECORD_ID
       bench results export --format junit|csv [--run ID | --record ID] [--output FILE]
All accept --results DIR: the results directory (default: bench-results).

Test records are kept in DIR/results.sqlite, written as each run goes through
journals in DIR/journal/. A run that was killed shows up as "incomplete" with
every step that finished before.

  list     records, newest first, one line each
             --serial S    only unit S
             --verdict V   only pass, fail, error, aborted or incomplete
             --run ID      only the bays of one `bench run`
             --limit N     at most N records
             --json        a JSON array instead of the table, for scripts
  show     one record in full: header, unit identity, each step attempt with
           its measurements, limits and outcomes, evidence, log, verdict.
           RECORD_ID may be shortened to any prefix only one record has.
  export   JUnit XML (one testsuite per unit, one testcase per step) or CSV
           (one row per measurement) of a run, a record, or everything;
           to FILE, or to standard output without --output

Examples:
  bench results list --verdict fail --limit 20
  bench results list --serial SN0003
  bench results show 20240501T120000-bay3
  bench results export --format junit --run 20240501T120000 --output run.xml
  bench results export --format csv --results /data/station-3 > all.csv

Exit status: 0 done, 2 bad usage, no database, unknown record or run.
)";

struct Options {
    std::string action;
    std::vector<std::string> positional;
    std::map<std::string, std::string> values; // option name (no dashes) → value
    std::set<std::string> flags;
};

/// Which options each action takes; true when the option has a value.
const std::map<std::string, std::map<std::string, bool>>& known_options() {
    static const std::map<std::string, std::map<std::string, bool>> options{
        {"list",
         {{"serial", true},
          {"verdict", true},
          {"run", true},
          {"limit", true},
          {"json", false},
          {"results", true}}},
        {"show", {{"results", true}}},
        {"export",
         {{"format", true}, {"run", true}, {"record", true}, {"output", true}, {"results", true}}},
    };
    return options;
}

/// An error text, or nullopt with `options` filled in.
std::optional<std::string> parse(const std::vector<std::string>& args, Options& options) {
    if (args.empty())
        return "no action given";
    options.action = args.front();
    const auto known = known_options().find(options.action);
    if (known == known_options().end())
        return "unknown action '" + options.action + "' (list, show or export)";
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
            options.positional.push_back(arg);
            continue;
        }
        const std::size_t equals = arg.find('=');
        const std::string name = arg.substr(2, equals == std::string::npos ? equals : equals - 2);
        const auto option = known->second.find(name);
        if (option == known->second.end())
            return "unknown option '--" + name + "' for " + options.action;
        if (!option->second) {
            if (equals != std::string::npos)
                return "option --" + name + " takes no value";
            options.flags.insert(name);
        } else if (equals != std::string::npos) {
            options.values[name] = arg.substr(equals + 1);
        } else if (i + 1 < args.size()) {
            options.values[name] = args[++i];
        } else {
            return "option --" + name + " needs a value";
        }
    }
    return std::nullopt;
}

std::string value_or(const Options& o, const std::string& name, const std::string& fallback) {
    const auto it = o.values.find(name);
    return it == o.values.end() ? fallback : it->second;
}

int usage_error(std::ostream& err, const std::string& message) {
    err << "bench results: " << message << "\n(see bench results --help)\n";
    return kUsage;
}

int failure(std::ostream& err, const std::string& message) {
    err << "bench results: " << message << "\n";
    return kUsage;
}

/// Opens an existing store; reports what recovery found on `err`.
Result<std::unique_ptr<ResultsStore>> open_existing(const Options& o, std::ostream& err) {
    const std::string dir = value_or(o, "results", "bench-results");
    const std::string db = dir + "/" + ResultsStore::kDatabaseFile;
    if (!std::filesystem::exists(db))
        return Result<std::unique_ptr<ResultsStore>>::failure(
            "no results database at " + db + " (pass --results DIR to read another directory)");
    auto store = ResultsStore::open(dir);
    if (!store)
        return store;
    const RecoveryReport& report = (*store)->recovery();
    for (const std::string& id : report.recovered)
        err << "bench results: recovered interrupted record " << id << " from its journal\n";
    for (const std::string& problem : report.problems)
        err << "bench results: warning: " << problem << "\n";
    return store;
}

int list(const Options& o, std::ostream& out, std::ostream& err) {
    if (!o.positional.empty())
        return usage_error(err, "list takes no argument '" + o.positional.front() + "'");
    RecordFilter filter;
    filter.serial = value_or(o, "serial", "");
    filter.run_id = value_or(o, "run", "");
    if (o.values.count("verdict")) {
        filter.verdict = parse_verdict(o.values.at("verdict"));
        if (!filter.verdict)
            return usage_error(err, "unknown verdict '" + o.values.at("verdict") +
                                        "' (pass, fail, error, aborted, incomplete)");
    }
    if (o.values.count("limit")) {
        const std::string& text = o.values.at("limit");
        const auto [end, ec] =
            std::from_chars(text.data(), text.data() + text.size(), filter.limit);
        if (ec != std::errc() || end != text.data() + text.size() || filter.limit < 1)
            return usage_error(err, "--limit wants a whole number from 1, not '" + text + "'");
    }
    auto store = open_existing(o, err);
    if (!store)
        return failure(err, store.error());
    auto rows = (*store)->list(filter);
    if (!rows)
        return failure(err, rows.error());
    if (!o.flags.count("json")) {
        out << format_record_table(*rows);
        return kOk;
    }
    auto json = nlohmann::json::array();
    for (const RecordSummary& s : *rows)
        json.push_back({{"record_id", s.record_id},
                        {"run_id", s.run_id},
                        {"station", s.station},
                        {"bay", s.bay},
                        {"serial", s.serial},
                        {"model", s.model},
                        {"firmware", s.firmware},
                        {"procedure", s.procedure_name},
                        {"procedure_version", s.procedure_version},
                        {"verdict", to_string(s.verdict)},
                        {"failure_code", s.failure_code},
                        {"first_failing_step", s.first_failing_step},
                        {"wall_start_ms", s.wall_start_ms},
                        {"wall_end_ms", s.wall_end_ms ? nlohmann::json(*s.wall_end_ms)
                                                      : nlohmann::json(nullptr)}});
    out << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kOk;
}

int show(const Options& o, std::ostream& out, std::ostream& err) {
    if (o.positional.size() != 1)
        return usage_error(err, "show wants one RECORD_ID");
    auto store = open_existing(o, err);
    if (!store)
        return failure(err, store.error());
    auto record = (*store)->load(o.positional.front());
    if (!record)
        return failure(err, record.error());
    out << format_record_report(*record);
    return kOk;
}

int export_records(const Options& o, std::ostream& out, std::ostream& err) {
    if (!o.positional.empty())
        return usage_error(err, "export takes no argument '" + o.positional.front() + "'");
    const std::string format = value_or(o, "format", "");
    if (format != "junit" && format != "csv")
        return usage_error(err, format.empty() ? "export needs --format junit or --format csv"
                                               : "unknown format '" + format + "' (junit, csv)");
    if (o.values.count("run") && o.values.count("record"))
        return usage_error(err, "give --run or --record, not both");
    auto store = open_existing(o, err);
    if (!store)
        return failure(err, store.error());
    Result<std::vector<RecordData>> records = std::vector<RecordData>{};
    if (o.values.count("run")) {
        records = (*store)->load_run(o.values.at("run"));
    } else if (o.values.count("record")) {
        auto one = (*store)->load(o.values.at("record"));
        records = one ? Result<std::vector<RecordData>>(std::vector<RecordData>{std::move(*one)})
                      : Result<std::vector<RecordData>>::failure(one.error());
    } else {
        records = (*store)->load_all();
    }
    if (!records)
        return failure(err, records.error());
    const std::string text = format == "junit" ? export_junit(*records) : export_csv(*records);
    if (!o.values.count("output")) {
        out << text;
        return kOk;
    }
    const std::string& path = o.values.at("output");
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file)
        return failure(err, "cannot write " + path);
    err << "bench results: wrote " << records->size() << " record(s) to " << path << "\n";
    return kOk;
}

} // namespace

int results_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    for (const std::string& arg : args)
        if (arg == "--help" || arg == "-h") {
            out << kHelp;
            return kOk;
        }
    Options options;
    if (auto error = parse(args, options))
        return usage_error(err, *error);
    if (options.action == "list")
        return list(options, out, err);
    if (options.action == "show")
        return show(options, out, err);
    return export_records(options, out, err);
}

} // namespace bwc::bench
