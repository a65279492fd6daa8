// The results store (bench/record/store.hpp) on real SQLite files: records
// read back equal to what was written; the schema version is kept and a
// newer file refused; a journal orphaned by a killed bench is recovered
// (Incomplete, with its steps) while one still locked by a live writer is
// left alone; list filters; a failed ingest leaves nothing half-stored.
#include "bench/record/journal.hpp"
#include "bench/record/store.hpp"
#include "bench/record/store_schema.hpp"
#include "record_samples.hpp"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <sqlite3.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace bwc::bench;
using bwc::test::ScratchDir;

namespace {

std::unique_ptr<ResultsStore> open_store(const std::string& dir) {
    auto store = ResultsStore::open(dir);
    BOOST_TEST_REQUIRE(store.ok(), store.error());
    return std::move(store).value();
}

/// Writes `record` through the store's own writer (end() ingests it).
void store_record(ResultsStore& store, const RecordData& record) {
    auto writer = store.start_record(record.header);
    BOOST_TEST_REQUIRE(writer.ok(), writer.error());
    bwc::test::write_record(**writer, record);
    BOOST_TEST_REQUIRE(!(*writer)->failure().has_value(), (*writer)->failure().value_or(""));
}

/// Runs SQL on the database file directly, as another program would.
std::string sql(const std::string& db_path, const std::string& statement) {
    sqlite3* db = nullptr;
    BOOST_TEST_REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    std::string first_value;
    char* error = nullptr;
    const int rc = sqlite3_exec(
        db, statement.c_str(),
        [](void* out, int, char** values, char**) {
            auto& text = *static_cast<std::string*>(out);
            if (text.empty() && values[0])
                text = values[0];
            return 0;
        },
        &first_value, &error);
    BOOST_TEST(rc == SQLITE_OK, (error ? error : "") << " in " << statement);
    sqlite3_free(error);
    sqlite3_close(db);
    return first_value;
}

std::vector<std::string> ids_of(const std::vector<RecordSummary>& rows) {
    std::vector<std::string> ids;
    for (const auto& row : rows)
        ids.push_back(row.record_id);
    return ids;
}

/// A child process that journals `steps` steps of `record_id` through a store
/// on `dir`, starts one more, and is then killed with SIGKILL.
void killed_mid_record(const std::string& dir, const std::string& record_id, int steps) {
    const pid_t child = fork();
    BOOST_TEST_REQUIRE(child >= 0);
    if (child == 0) {
        auto store = ResultsStore::open(dir);
        if (!store)
            _exit(3);
        auto writer = (*store)->start_record(bwc::test::sample_header(record_id, 5));
        if (!writer)
            _exit(4);
        (*writer)->identity(bwc::test::sample_identity("SN0005"));
        for (int i = 0; i < steps; ++i) {
            const std::string id = "step" + std::to_string(i);
            (*writer)->step_started(i, id, "measure");
            (*writer)->step(bwc::test::step_record(
                i, id, Outcome::Pass,
                {bwc::test::measurement("v", 1.0 * i, "V", Limit::range(0, 100), Outcome::Pass)}));
        }
        (*writer)->step_started(steps, "the_long_one", "soak");
        kill(getpid(), SIGKILL);
        _exit(5);
    }
    int status = 0;
    waitpid(child, &status, 0);
    BOOST_TEST_REQUIRE(WIFSIGNALED(status), "child exited with " << WEXITSTATUS(status));
    BOOST_TEST_REQUIRE(WTERMSIG(status) == SIGKILL);
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_store)

BOOST_AUTO_TEST_CASE(a_stored_record_reads_back_as_written) {
    ScratchDir dir("record-store");
    const RecordData written = bwc::test::sample_record("run1-bay3");
    {
        auto store = open_store(dir.path());
        store_record(*store, written);
        const auto read = store->load("run1-bay3");
        BOOST_TEST_REQUIRE(read.ok(), read.error());
        bwc::test::check_same_record(written, *read);
    }
    // And from a new process' view: a fresh open of the same directory.
    auto again = open_store(dir.path());
    BOOST_TEST(again->recovery().recovered.empty());
    const auto read = again->load("run1-bay3");
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    bwc::test::check_same_record(written, *read);
}

BOOST_AUTO_TEST_CASE(a_record_without_identity_or_device_times_reads_back) {
    ScratchDir dir("record-store");
    RecordData written;
    written.header = bwc::test::sample_header("bare-bay1", 1);
    written.header.fixtures.clear();
    written.header.calibration_ids.clear();
    written.header.device_start_ms.reset();
    written.end = RecordEnd{Verdict::Error, "", "", "no unit in the bay", 1714564900000, {}};
    auto store = open_store(dir.path());
    store_record(*store, written);
    const auto read = store->load("bare-bay1");
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    bwc::test::check_same_record(written, *read);
}

BOOST_AUTO_TEST_CASE(database_is_wal_with_a_schema_version) {
    ScratchDir dir("record-store");
    open_store(dir.path());
    const std::string db = dir.path() + "/results.sqlite";
    BOOST_TEST(sql(db, "PRAGMA journal_mode") == "wal");
    BOOST_TEST(sql(db, "SELECT value FROM meta WHERE key = 'schema_version'") ==
               std::to_string(kStoreSchemaVersion));
    BOOST_TEST(std::filesystem::is_directory(dir.path() + "/journal"));
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused_and_left_alone) {
    ScratchDir dir("record-store");
    open_store(dir.path());
    const std::string db = dir.path() + "/results.sqlite";
    const std::string newer = std::to_string(kStoreSchemaVersion + 1);
    sql(db, "UPDATE meta SET value = '" + newer + "' WHERE key = 'schema_version'");
    const auto refused = ResultsStore::open(dir.path());
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error().find(db) == 0u, refused.error());
    BOOST_TEST(refused.error().find("schema version " + newer + " is newer") != std::string::npos,
               refused.error());
    BOOST_TEST(sql(db, "SELECT value FROM meta WHERE key = 'schema_version'") == newer);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_refused_by_name) {
    ScratchDir dir("record-store");
    std::ofstream(dir.path() + "/results.sqlite") << "id,serial\n1,SN1\n";
    const auto refused = ResultsStore::open(dir.path());
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error().find(dir.path() + "/results.sqlite") == 0u, refused.error());
}

BOOST_AUTO_TEST_CASE(sigkilled_run_is_recovered_as_incomplete_with_its_steps) {
    ScratchDir dir("record-store");
    open_store(dir.path()); // the database exists before the run, as in a station
    killed_mid_record(dir.path(), "killed-bay5", 3);

    auto store = open_store(dir.path());
    BOOST_TEST((store->recovery().recovered == std::vector<std::string>{"killed-bay5"}));
    BOOST_TEST(store->recovery().problems.empty());
    const auto read = store->load("killed-bay5");
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    BOOST_TEST((read->verdict() == Verdict::Incomplete));
    BOOST_TEST(!read->end.has_value());
    BOOST_TEST_REQUIRE(read->steps.size() == 3u);
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(read->steps[i].id == "step" + std::to_string(i));
        BOOST_TEST_REQUIRE(read->steps[i].measurements.size() == 1u);
        BOOST_TEST(std::get<double>(read->steps[i].measurements[0].value) == 1.0 * i);
    }
    BOOST_TEST(read->interrupted_step == "the_long_one");
    BOOST_TEST(read->identity.value_or(UnitIdentity{}).serial == "SN0005");
    const auto incomplete = store->list({.verdict = Verdict::Incomplete});
    BOOST_TEST_REQUIRE(incomplete.ok(), incomplete.error());
    BOOST_TEST((ids_of(*incomplete) == std::vector<std::string>{"killed-bay5"}));

    // Recovered once only.
    auto reopened = open_store(dir.path());
    BOOST_TEST(reopened->recovery().recovered.empty());
    BOOST_TEST(reopened->list()->size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_ended_journal_never_ingested_keeps_its_verdict) {
    ScratchDir dir("record-store");
    const RecordData written = bwc::test::sample_record("ended-bay2", "SN2", 2, Verdict::Fail);
    {
        // Ended, but bench died before the database had it: a plain journal.
        JournalWriter writer(dir.path() + "/journal");
        bwc::test::write_record(writer, written);
    }
    auto store = open_store(dir.path());
    BOOST_TEST((store->recovery().recovered == std::vector<std::string>{"ended-bay2"}));
    const auto read = store->load("ended-bay2");
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    bwc::test::check_same_record(written, *read);
}

BOOST_AUTO_TEST_CASE(a_journal_locked_by_a_live_writer_is_not_recovered) {
    ScratchDir dir("record-store");
    auto running = open_store(dir.path());
    auto writer = running->start_record(bwc::test::sample_header("live-bay1", 1));
    BOOST_TEST_REQUIRE(writer.ok(), writer.error());
    (*writer)->step_started(0, "identify", "identify");
    (*writer)->step(bwc::test::step_record(0, "identify", Outcome::Pass));

    auto other = open_store(dir.path()); // e.g. `bench results list` during the run
    BOOST_TEST((other->recovery().live == std::vector<std::string>{"live-bay1"}));
    BOOST_TEST(other->recovery().recovered.empty());
    BOOST_TEST(!other->load("live-bay1").ok());

    (*writer)->end(RecordEnd{Verdict::Pass, "", "", "", 1714564900000, {}});
    BOOST_TEST(!(*writer)->failure().has_value(), (*writer)->failure().value_or(""));
    const auto read = other->load("live-bay1");
    BOOST_TEST_REQUIRE(read.ok(), read.error());
    BOOST_TEST((read->verdict() == Verdict::Pass));
}

BOOST_AUTO_TEST_CASE(a_corrupt_journal_is_reported_and_does_not_stop_the_store) {
    ScratchDir dir("record-store");
    open_store(dir.path());
    std::ofstream(dir.path() + "/journal/broken-bay1.jsonl") << "{\"seq\":1,\n{}\n";
    auto store = open_store(dir.path());
    BOOST_TEST_REQUIRE(store->recovery().problems.size() == 1u);
    BOOST_TEST(store->recovery().problems[0].find(dir.path() + "/journal/broken-bay1.jsonl:1:") ==
                   0u,
               store->recovery().problems[0]);
    BOOST_TEST(store->list()->empty());
}

BOOST_AUTO_TEST_CASE(list_filters_and_orders_newest_first) {
    ScratchDir dir("record-store");
    auto store = open_store(dir.path());
    // bay n starts at n seconds: the later bay is the newer record.
    const std::pair<int, Verdict> runs_a[] = {
        {1, Verdict::Pass}, {2, Verdict::Fail}, {3, Verdict::Pass}};
    for (const auto& [bay, verdict] : runs_a) {
        auto r = bwc::test::sample_record("a-bay" + std::to_string(bay), "SN" + std::to_string(bay),
                                          bay, verdict);
        r.header.run_id = "run-a";
        store_record(*store, r);
    }
    auto b = bwc::test::sample_record("b-bay4", "SN2", 4, Verdict::Error);
    b.header.run_id = "run-b";
    store_record(*store, b);

    using Ids = std::vector<std::string>;
    BOOST_TEST((ids_of(*store->list()) == Ids{"b-bay4", "a-bay3", "a-bay2", "a-bay1"}));
    BOOST_TEST((ids_of(*store->list({.serial = "SN2"})) == Ids{"b-bay4", "a-bay2"}));
    BOOST_TEST((ids_of(*store->list({.run_id = "run-a"})) == Ids{"a-bay3", "a-bay2", "a-bay1"}));
    BOOST_TEST((ids_of(*store->list({.verdict = Verdict::Pass})) == Ids{"a-bay3", "a-bay1"}));
    BOOST_TEST((ids_of(*store->list({.limit = 2})) == Ids{"b-bay4", "a-bay3"}));
    BOOST_TEST((ids_of(*store->list({.serial = "SN2", .run_id = "run-a"})) == Ids{"a-bay2"}));
    BOOST_TEST(store->list({.serial = "SN9"})->empty());

    const auto summary = store->list({.serial = "SN2", .run_id = "run-a"})->front();
    BOOST_TEST(summary.bay == 2);
    BOOST_TEST(summary.model == "W120");
    BOOST_TEST((summary.verdict == Verdict::Fail));
    BOOST_TEST(summary.failure_code == "E_CHARGE");
    BOOST_TEST(summary.first_failing_step == "charge_current");

    const auto run = store->load_run("run-a");
    BOOST_TEST_REQUIRE(run.ok(), run.error());
    BOOST_TEST_REQUIRE(run->size() == 3u);
    BOOST_TEST((*run)[0].header.record_id == "a-bay1");
    BOOST_TEST(!store->load_run("run-z").ok());
    BOOST_TEST(store->load_all()->size() == 4u);
}

BOOST_AUTO_TEST_CASE(records_load_by_unique_prefix_only) {
    ScratchDir dir("record-store");
    auto store = open_store(dir.path());
    store_record(*store, bwc::test::sample_record("20240501T1200-bay1", "SN1", 1));
    store_record(*store, bwc::test::sample_record("20240501T1200-bay2", "SN2", 2));
    store_record(*store, bwc::test::sample_record("20240502T0900-bay1", "SN3", 1));
    const auto unique = store->load("20240502");
    BOOST_TEST_REQUIRE(unique.ok(), unique.error());
    BOOST_TEST(unique->header.record_id == "20240502T0900-bay1");
    const auto ambiguous = store->load("20240501T1200");
    BOOST_TEST_REQUIRE(!ambiguous.ok());
    BOOST_TEST(ambiguous.error().find("ambiguous") != std::string::npos, ambiguous.error());
    BOOST_TEST(ambiguous.error().find("20240501T1200-bay2") != std::string::npos);
    const auto unknown = store->load("1999");
    BOOST_TEST_REQUIRE(!unknown.ok());
    BOOST_TEST(unknown.error().find("no record '1999'") == 0u, unknown.error());
}

BOOST_AUTO_TEST_CASE(a_record_id_is_stored_once) {
    ScratchDir dir("record-store");
    auto store = open_store(dir.path());
    store_record(*store, bwc::test::sample_record("once-bay1", "SN1", 1));
    const auto again = store->start_record(bwc::test::sample_header("once-bay1", 1));
    BOOST_TEST_REQUIRE(!again.ok());
    BOOST_TEST(again.error().find("already stored") != std::string::npos, again.error());
}

BOOST_AUTO_TEST_CASE(eight_bays_ending_together_are_all_stored) {
    ScratchDir dir("record-store");
    auto store = open_store(dir.path());
    std::vector<std::thread> bays;
    std::vector<std::string> failures(8);
    for (int bay = 1; bay <= 8; ++bay)
        bays.emplace_back([&, bay] {
            const auto r = bwc::test::sample_record("par-bay" + std::to_string(bay),
                                                    "SN" + std::to_string(bay), bay);
            auto writer = store->start_record(r.header);
            if (!writer) {
                failures[bay - 1] = writer.error();
                return;
            }
            bwc::test::write_record(**writer, r);
            failures[bay - 1] = (*writer)->failure().value_or("");
        });
    for (auto& t : bays)
        t.join();
    for (const auto& failure : failures)
        BOOST_TEST(failure.empty(), failure);
    BOOST_TEST(store->list()->size() == 8u);
    for (int bay = 1; bay <= 8; ++bay)
        BOOST_TEST(store->load("par-bay" + std::to_string(bay))->steps.size() ==
                   bwc::test::sample_steps().size());
}

BOOST_AUTO_TEST_CASE(a_failed_ingest_leaves_no_part_of_the_record) {
    ScratchDir dir("record-store");
    open_store(dir.path());
    // Another program's trigger makes the last measurement insert fail.
    sql(dir.path() + "/results.sqlite",
        "CREATE TRIGGER refuse BEFORE INSERT ON measurements WHEN NEW.name = 'count' "
        "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END");
    auto store = open_store(dir.path());
    const auto result = store->ingest(bwc::test::sample_record("half-bay1"), "journal/x.jsonl");
    BOOST_TEST_REQUIRE(!result.ok());
    BOOST_TEST(result.error().find("refused by test trigger") != std::string::npos, result.error());
    const std::string db = dir.path() + "/results.sqlite";
    for (const char* table :
         {"records", "steps", "measurements", "fixtures", "calibrations", "evidence", "logs"})
        BOOST_TEST(sql(db, std::string("SELECT count(*) FROM ") + table) == "0", table);
}

BOOST_AUTO_TEST_SUITE_END()
