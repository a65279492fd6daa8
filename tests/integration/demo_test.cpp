// The real bwc-demo binary, run as a separate process: a scripted day for
// each model, the charging window, --help, and bad arguments.
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using bwc::test::run_program;

namespace {
const std::string kDemo = BWC_BINARY_DIR "/firmware/bwc-demo";

nlohmann::json last_json_line(const std::string& out) {
    const auto start = out.rfind("\n{");
    BOOST_REQUIRE_MESSAGE(start != std::string::npos, "no JSON snapshot in output:\n" << out);
    return nlohmann::json::parse(out.substr(start + 1));
}
} // namespace

BOOST_AUTO_TEST_SUITE(demo_program)

BOOST_AUTO_TEST_CASE(scripted_day_for_each_model_ends_charged_and_ready) {
    for (const std::string model : {"w100", "w120"}) {
        const auto r = run_program(kDemo, {"--model", model, "--json"});
        BOOST_TEST_INFO("model " << model << "\n" << r.out << r.err);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.out.find("every step behaved as specified") != std::string::npos);
        const auto snap = last_json_line(r.out);
        BOOST_TEST(snap["schema"] == 1);
        BOOST_TEST(snap["ready_to_undock"] == true);
        BOOST_TEST(snap["battery"]["charge_state"] == "full");
        BOOST_TEST(snap["storage"]["pending_offload_bytes"] == 0);
        BOOST_TEST(snap["activity"] == "docked");
    }
}

BOOST_AUTO_TEST_CASE(too_hot_dock_refuses_to_charge_and_says_so) {
    const auto r = run_program(kDemo, {"--model", "w120", "--temperature", "41", "--json"});
    BOOST_TEST_INFO(r.out << r.err);
    BOOST_TEST(r.exit_code == 0);
    const auto snap = last_json_line(r.out);
    BOOST_TEST(snap["battery"]["charge_state"] == "temperature_high");
    BOOST_TEST(snap["battery"]["charge_current_set_ma"] == 0);
    const auto& conditions = snap["conditions"];
    BOOST_TEST((std::find(conditions.begin(), conditions.end(), "battery_not_charging") !=
                conditions.end()));
    BOOST_TEST(snap["sound"]["continuous"] == "continuous_beep");
}

BOOST_AUTO_TEST_CASE(help_teaches_and_exits_zero) {
    const auto r = run_program(kDemo, {"--help"});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out.find("--model") != std::string::npos);
    BOOST_TEST(r.out.find("--temperature") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_get_a_clear_error_and_exit_2) {
    auto r = run_program(kDemo, {"--model", "w999"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("unknown model 'w999'") != std::string::npos);
    r = run_program(kDemo, {"--temperature", "warm"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("'warm'") != std::string::npos);
    r = run_program(kDemo, {"--frobnicate"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("--frobnicate") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
