// The test-record journal (bench/record/journal.hpp, journal_reader.hpp):
// what is written reads back field for field with every value type and limit
// kind; lines carry seq 1, 2, 3…; a torn last line is tolerated and any
// other bad line is reported with file:line; write errors reach failure();
// the file is flocked while the record is open.
#include "bench/record/journal.hpp"
#include "bench/record/journal_reader.hpp"
#include "record_samples.hpp"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace bwc::bench;
using bwc::test::ScratchDir;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

/// Writes `record` through a JournalWriter into `dir`; returns the journal path.
std::string write_journal(const std::string& dir, const RecordData& record) {
    JournalWriter writer(dir);
    bwc::test::write_record(writer, record);
    BOOST_TEST(!writer.failure().has_value(), writer.failure().value_or(""));
    return writer.path();
}

/// True when another open file description can take the lock now.
bool lock_is_free(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_TEST_REQUIRE(fd >= 0);
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_journal)

BOOST_AUTO_TEST_CASE(verdict_names_round_trip) {
    for (Verdict v :
         {Verdict::Pass, Verdict::Fail, Verdict::Error, Verdict::Aborted, Verdict::Incomplete}) {
        const auto back = parse_verdict(to_string(v));
        BOOST_TEST_REQUIRE(back.has_value(), to_string(v));
        BOOST_TEST((*back == v));
    }
    BOOST_TEST(to_string(Verdict::Incomplete) == "incomplete");
    BOOST_TEST(!parse_verdict("PASS").has_value());
    BOOST_TEST(!parse_verdict("").has_value());
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_field_type_and_limit) {
    ScratchDir dir("record-journal");
    const RecordData written = bwc::test::sample_record("run1-bay3");
    const std::string path = write_journal(dir.path() + "/journal", written);
    BOOST_TEST(path == dir.path() + "/journal/run1-bay3.jsonl");
    const auto read = read_journal(path);
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    bwc::test::check_same_record(written, *read);
    // Regex limits come back usable, not only equal.
    const auto& firmware = read->steps[0].measurements[0];
    BOOST_TEST((evaluate(firmware.limit, Value{std::string("2.4.9")}) == Outcome::Pass));
    BOOST_TEST((evaluate(firmware.limit, Value{std::string("3.0.0")}) == Outcome::Fail));
}

BOOST_AUTO_TEST_CASE(lines_are_json_with_consecutive_seq_type_and_wall_time) {
    ScratchDir dir("record-journal");
    const RecordData written = bwc::test::sample_record("seq-bay1", "SN1", 1);
    const auto lines = lines_of(read_file(write_journal(dir.path(), written)));
    // record_start, identity, step_start + step per attempt, evidence, logs, record_end
    const std::size_t expected =
        2 + 2 * written.steps.size() + written.evidence.size() + written.logs.size() + 1;
    BOOST_TEST_REQUIRE(lines.size() == expected);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto json = nlohmann::json::parse(lines[i]);
        BOOST_TEST(json.at("seq").get<std::int64_t>() == static_cast<std::int64_t>(i + 1));
        BOOST_TEST(json.at("wall_us").get<std::int64_t>() > 1700000000000000);
    }
    BOOST_TEST(nlohmann::json::parse(lines.front()).at("type") == "record_start");
    BOOST_TEST(nlohmann::json::parse(lines[1]).at("type") == "identity");
    BOOST_TEST(nlohmann::json::parse(lines[2]).at("type") == "step_start");
    BOOST_TEST(nlohmann::json::parse(lines[3]).at("type") == "step");
    BOOST_TEST(nlohmann::json::parse(lines.back()).at("type") == "record_end");
    // Values keep their JSON type; limits are structured.
    const auto step = nlohmann::json::parse(lines[5]); // battery_voltage
    BOOST_TEST(step.at("measurements")[0].at("value").is_number());
    BOOST_TEST(step.at("measurements")[0].at("limit").at("kind") == "range");
    BOOST_TEST(step.at("measurements")[0].at("limit").at("marginal_low") == 2900);
    BOOST_TEST(step.at("measurements")[2].at("value").is_boolean());
    BOOST_TEST(step.at("measurements")[3].at("value").is_null());
}

BOOST_AUTO_TEST_CASE(torn_last_line_is_dropped_and_the_rest_kept) {
    ScratchDir dir("record-journal");
    RecordData written = bwc::test::sample_record("torn-bay2", "SN2", 2);
    written.end.reset(); // the run dies before its end
    const std::string path = write_journal(dir.path(), written);
    std::string text = read_file(path);
    const std::size_t lines = lines_of(text).size();
    write_file(path, text + "{\"seq\":" + std::to_string(lines + 1) + ",\"type\":\"step\",\"wal");
    const auto read = read_journal(path);
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    bwc::test::check_same_record(written, *read);
    BOOST_TEST((read->verdict() == Verdict::Incomplete));
}

BOOST_AUTO_TEST_CASE(a_step_started_and_never_finished_is_named) {
    ScratchDir dir("record-journal");
    JournalWriter writer(dir.path());
    writer.begin(bwc::test::sample_header("cut-bay1", 1));
    writer.step_started(0, "identify", "identify");
    writer.step(bwc::test::step_record(0, "identify", Outcome::Pass));
    writer.step_started(1, "charge_current", "charge");
    const auto read = read_journal(writer.path());
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    BOOST_TEST(read->steps.size() == 1u);
    BOOST_TEST(read->interrupted_step == "charge_current");
    BOOST_TEST(!read->end.has_value());
}

BOOST_AUTO_TEST_CASE(corrupt_middle_line_is_an_error_naming_file_and_line) {
    ScratchDir dir("record-journal");
    const std::string path =
        write_journal(dir.path(), bwc::test::sample_record("bad-bay4", "SN4", 4));
    auto lines = lines_of(read_file(path));
    lines[2] = "{\"seq\":3,\"type\":\"step_st"; // torn, but not the last line
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    write_file(path, text);
    const auto read = read_journal(path);
    BOOST_TEST_REQUIRE(!read.ok());
    BOOST_TEST(read.error().find(path + ":3:") == 0u, read.error());
}

BOOST_AUTO_TEST_CASE(bad_fields_seq_and_order_are_errors_naming_the_line) {
    const std::string start = R"({"seq":1,"type":"record_start","wall_us":1,"journal_version":1,)"
                              R"("record_id":"r","run_id":"","station":"","bay":1,"operator":"",)"
                              R"("procedure_name":"","procedure_version":"","procedure_hash":"",)"
                              R"("procedure_path":"","mode":"","fixtures":[],"calibration_ids":[],)"
                              R"("bench_version":"","wall_start_ms":5})";
    BOOST_TEST_REQUIRE(parse_journal(start + "\n", "j").ok(),
                       parse_journal(start + "\n", "j").error());
    const std::pair<std::string, std::string> cases[] = {
        {R"({"seq":3,"type":"log","wall_us":2,"level":"info","text":"x"})", "j:2: seq 3"},
        {R"({"seq":2,"type":"log","wall_us":2,"level":7,"text":"x"})", "j:2: field 'level'"},
        {R"({"seq":2,"type":"gossip","wall_us":2})", "j:2: unknown line type 'gossip'"},
        {R"({"seq":2,"type":"record_start","wall_us":2})", "j:2: a second record_start"},
        {R"([1,2])", "j:2: expected a JSON object"},
        {R"({"seq":2,"type":"record_end","wall_us":2,"verdict":"great","failure_code":"",)"
         R"("first_failing_step":"","cause":"","wall_end_ms":1})",
         "j:2: field 'verdict': unknown verdict 'great'"},
    };
    for (const auto& [line, message] : cases) {
        const auto read = parse_journal(start + "\n" + line + "\n", "j");
        BOOST_TEST_REQUIRE(!read.ok(), line);
        BOOST_TEST(read.error().find(message) == 0u, read.error() << " / wanted " << message);
    }
    const auto not_first = parse_journal(R"({"seq":1,"type":"log","wall_us":2})"
                                         "\n",
                                         "j");
    BOOST_TEST(not_first.error().find("j:1: the first line must be record_start") == 0u,
               not_first.error());
    const auto newer = parse_journal(std::string(start).replace(start.find("\"journal_version\":1"),
                                                                19, "\"journal_version\":9") +
                                         "\n",
                                     "j");
    BOOST_TEST(newer.error().find("j:1: field 'journal_version'") == 0u, newer.error());
    BOOST_TEST(parse_journal("", "j").error() == "j: empty journal (no record_start line)");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_characters_not_bad_json) {
    ScratchDir dir("record-journal");
    JournalWriter writer(dir.path());
    writer.begin(bwc::test::sample_header("utf8-bay1", 1));
    writer.log("info", std::string("device said \xff\xfe and \xc3(") + '\x01' + " end");
    const auto read = read_journal(writer.path());
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    BOOST_TEST_REQUIRE(read->logs.size() == 1u);
    BOOST_TEST(read->logs[0].text ==
               "device said \xef\xbf\xbd\xef\xbf\xbd and \xef\xbf\xbd(\x01 end");
}

BOOST_AUTO_TEST_CASE(unwritable_directory_is_reported_by_failure) {
    ScratchDir dir("record-journal");
    const std::string blocker = dir.path() + "/a-file";
    write_file(blocker, "not a directory");
    JournalWriter writer(blocker + "/journal");
    writer.begin(bwc::test::sample_header("nowhere-bay1", 1));
    writer.step(bwc::test::step_record(0, "identify", Outcome::Pass));
    writer.end(RecordEnd{});
    const auto failure = writer.failure();
    BOOST_TEST_REQUIRE(failure.has_value());
    BOOST_TEST(failure->find(blocker + "/journal") != std::string::npos, *failure);
    const auto opened =
        JournalWriter::open(blocker + "/journal", bwc::test::sample_header("nowhere-bay2", 2));
    BOOST_TEST(!opened.ok());
}

BOOST_AUTO_TEST_CASE(record_ids_that_are_not_file_names_are_refused) {
    ScratchDir dir("record-journal");
    for (const std::string id : {"", "../escape", "a/b", ".hidden"}) {
        const auto opened = JournalWriter::open(dir.path(), bwc::test::sample_header(id));
        BOOST_TEST(!opened.ok(), "'" << id << "' was accepted");
    }
    BOOST_TEST(std::filesystem::is_empty(dir.path()));
}

BOOST_AUTO_TEST_CASE(a_record_id_cannot_be_journaled_twice) {
    ScratchDir dir("record-journal");
    write_journal(dir.path(), bwc::test::sample_record("twice-bay1", "SN1", 1));
    const auto again = JournalWriter::open(dir.path(), bwc::test::sample_header("twice-bay1", 1));
    BOOST_TEST_REQUIRE(!again.ok());
    BOOST_TEST(again.error().find("already exists") != std::string::npos, again.error());
}

BOOST_AUTO_TEST_CASE(begin_again_with_the_same_id_adds_nothing_another_id_fails) {
    ScratchDir dir("record-journal");
    const auto header = bwc::test::sample_header("begun-bay1", 1);
    auto writer = JournalWriter::open(dir.path(), header);
    BOOST_TEST_REQUIRE(writer.ok(), writer.error());
    (*writer)->begin(header);
    (*writer)->end(RecordEnd{});
    BOOST_TEST(!(*writer)->failure().has_value());
    BOOST_TEST(lines_of(read_file((*writer)->path())).size() == 2u);

    auto other = JournalWriter::open(dir.path(), bwc::test::sample_header("begun-bay2", 2));
    BOOST_TEST_REQUIRE(other.ok(), other.error());
    (*other)->begin(bwc::test::sample_header("begun-bay9", 9));
    BOOST_TEST((*other)->failure().has_value());
}

BOOST_AUTO_TEST_CASE(journal_is_locked_while_open_and_released_by_end) {
    ScratchDir dir("record-journal");
    JournalWriter writer(dir.path());
    writer.begin(bwc::test::sample_header("lock-bay1", 1));
    BOOST_TEST(!lock_is_free(writer.path()));
    writer.end(RecordEnd{});
    BOOST_TEST(lock_is_free(writer.path()));
}

BOOST_AUTO_TEST_CASE(end_hook_runs_before_the_lock_goes_and_its_error_is_kept) {
    ScratchDir dir("record-journal");
    bool lock_was_held = false;
    std::optional<Result<RecordData>> seen;
    std::size_t handed_steps = 0;
    JournalWriter writer(
        dir.path(),
        [&](const std::string& path, const RecordData& record) -> std::optional<std::string> {
            lock_was_held = !lock_is_free(path);
            seen = read_journal(path);
            handed_steps = record.steps.size();
            return std::string("database is locked");
        });
    const RecordData sample = bwc::test::sample_record("hook-bay1", "SN1", 1);
    bwc::test::write_record(writer, sample);
    BOOST_TEST(lock_was_held);
    BOOST_TEST_REQUIRE(seen.has_value());
    BOOST_TEST_REQUIRE(seen->ok(), seen->error());
    BOOST_TEST(seen->value().end.has_value()); // record_end was written before the hook
    // The record handed over in memory is the one in the journal.
    BOOST_TEST(handed_steps == sample.steps.size());
    BOOST_TEST(seen->value().steps.size() == handed_steps);
    BOOST_TEST(writer.failure().value_or("") == "database is locked");
}

BOOST_AUTO_TEST_CASE(disk_full_keeps_what_fitted_and_reports_failure) {
    ScratchDir dir("record-journal");
    // A child process with a small file size limit stands in for a full disk.
    const pid_t child = fork();
    BOOST_TEST_REQUIRE(child >= 0);
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{3000, 3000};
        setrlimit(RLIMIT_FSIZE, &limit);
        JournalWriter writer(dir.path());
        writer.begin(bwc::test::sample_header("full-bay1", 1));
        for (int i = 0; i < 100 && !writer.failure(); ++i)
            writer.step(bwc::test::step_record(i, "step" + std::to_string(i), Outcome::Pass));
        const auto failure = writer.failure();
        _exit(failure && failure->find("cannot write journal") != std::string::npos ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    BOOST_TEST_REQUIRE(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0, "the child saw no write failure");
    const auto read = read_journal(JournalWriter::journal_path(dir.path(), "full-bay1"));
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    BOOST_TEST(!read->steps.empty());
    BOOST_TEST(read->steps.size() < 100u);
    for (std::size_t i = 0; i < read->steps.size(); ++i)
        BOOST_TEST(read->steps[i].id == "step" + std::to_string(i));
}

BOOST_AUTO_TEST_SUITE_END()
