// `bench check` as a function (bench/procedure/check.hpp): procedure and
// station files are told apart by their top-level key, a good file gets its
// summary, anything else its diagnostics — including files that are neither.
#include "bench/procedure/check.hpp"
#include "procedure_fakes.hpp"

#include <boost/test/unit_test.hpp>

using namespace bwc::bench;

namespace {

struct Fixture {
    Fixture() { bwc::test::register_fake_steps(); }
};

const char* kProcedure = "procedure: p\nversion: 3\nproducts: [camera]\nmodels: [W120]\n"
                         "main:\n  - {id: a, type: t.noop}\n  - {id: b, type: t.noop}\n";
const char* kStation = "station: s1\nbays:\n  - {bay: 1, camera: \"tcp://127.0.0.1:7100\"}\n";

} // namespace

BOOST_FIXTURE_TEST_SUITE(procedure_check, Fixture)

BOOST_AUTO_TEST_CASE(procedure_files_are_checked_as_procedures) {
    const CheckReport r = check_text(kProcedure, "p.yaml");
    BOOST_TEST((r.kind == FileKind::Procedure));
    BOOST_TEST(r.ok());
    BOOST_TEST(r.summary.find("procedure p 3, 2 steps, sha256 ") == 0u);
    BOOST_TEST(r.summary.size() == std::string("procedure p 3, 2 steps, sha256 ").size() + 64);
}

BOOST_AUTO_TEST_CASE(station_files_are_checked_as_stations) {
    const CheckReport r = check_text(kStation, "s.yaml");
    BOOST_TEST((r.kind == FileKind::Station));
    BOOST_TEST(r.ok());
    BOOST_TEST(r.summary == "station s1, no dock, 1 bay, 0 fixtures");
    const CheckReport bad = check_text(std::string(kStation) + "bays: []\n", "s.yaml");
    BOOST_TEST((bad.kind == FileKind::Station));
    BOOST_TEST(!bad.ok());
    BOOST_TEST(bad.diagnostics.at(0).message.find("duplicate key 'bays'") == 0u);
}

BOOST_AUTO_TEST_CASE(files_that_are_neither) {
    for (const char* text : {"- 1\n- 2\n", "just text\n", "name: x\n", "procedure: a\nstation: b\n",
                             "", "\x01\x02\x03", "{", "a: [\n"}) {
        const CheckReport r = check_text(text, "x.yaml");
        BOOST_TEST(!r.ok(), "'" << text << "' passed");
        BOOST_TEST(r.diagnostics.size() == 1u, "'" << text << "'");
        BOOST_TEST(r.summary.empty());
        for (const Diagnostic& d : r.diagnostics)
            BOOST_TEST(d.text().find("x.yaml") == 0u);
    }
}

BOOST_AUTO_TEST_CASE(unreadable_files) {
    const CheckReport r = check_file("/nonexistent/dir/p.yaml");
    BOOST_TEST_REQUIRE(r.diagnostics.size() == 1u);
    BOOST_TEST(r.diagnostics[0].text() ==
               "/nonexistent/dir/p.yaml: cannot read: No such file or directory");
    const CheckReport dir = check_file("/");
    BOOST_TEST_REQUIRE(dir.diagnostics.size() == 1u);
    BOOST_TEST(dir.diagnostics[0].message.find("directory") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
