// The unit table (bench/procedure/units.hpp): the codes a camera and dock test
// needs are there with their Rec. 20 names, lookups are exact, and an unknown
// unit's message suggests the code by symbol, name or spelling.
#include "bench/procedure/units.hpp"

#include <boost/test/unit_test.hpp>
#include <set>

using namespace bwc::bench;

BOOST_AUTO_TEST_SUITE(procedure_units)

BOOST_AUTO_TEST_CASE(the_units_a_camera_test_needs_are_known) {
    const std::vector<std::pair<std::string, std::string>> want{{"C26", "millisecond"},
                                                                {"SEC", "second"},
                                                                {"MIN", "minute"},
                                                                {"HUR", "hour"},
                                                                {"VLT", "volt"},
                                                                {"2Z", "millivolt"},
                                                                {"AMP", "ampere"},
                                                                {"4K", "milliampere"},
                                                                {"CEL", "degree Celsius"},
                                                                {"P1", "percent"},
                                                                {"HTZ", "hertz"},
                                                                {"MHZ", "megahertz"},
                                                                {"MTR", "metre"},
                                                                {"2N", "decibel"},
                                                                {"DBM", "decibel-milliwatts"},
                                                                {"OHM", "ohm"},
                                                                {"E45", "milliohm"},
                                                                {"AD", "byte"},
                                                                {"4L", "megabyte"},
                                                                {"E20", "megabit per second"},
                                                                {"C62", "one"},
                                                                {"E09", "milliampere hour"}};
    for (const auto& [code, name] : want) {
        const UnitInfo* u = find_unit(code);
        BOOST_TEST_REQUIRE(u != nullptr, code);
        BOOST_TEST(u->name == name);
        BOOST_TEST(u->code == code);
    }
}

BOOST_AUTO_TEST_CASE(lookups_are_exact) {
    BOOST_TEST(find_unit("c26") == nullptr); // Rec. 20 codes are upper case
    BOOST_TEST(find_unit("ms") == nullptr);  // a symbol is not a code
    BOOST_TEST(find_unit("") == nullptr);
}

BOOST_AUTO_TEST_CASE(codes_are_unique) {
    std::set<std::string_view> codes;
    for (const UnitInfo& u : all_units())
        BOOST_TEST(codes.insert(u.code).second, u.code);
}

BOOST_AUTO_TEST_CASE(unknown_units_get_a_suggestion) {
    BOOST_TEST(unknown_unit_message("ms") ==
               "unknown unit 'ms': expected a UNECE Rec. 20 code (C26 = millisecond?)");
    BOOST_TEST(unknown_unit_message("V").find("(VLT = volt?)") != std::string::npos);
    BOOST_TEST(unknown_unit_message("mAh").find("(E09 = milliampere hour?)") != std::string::npos);
    BOOST_TEST(unknown_unit_message("dBm").find("(DBM = decibel-milliwatts?)") !=
               std::string::npos);
    BOOST_TEST(unknown_unit_message("milliseconds").find("(C26 = millisecond?)") !=
               std::string::npos);
    BOOST_TEST(unknown_unit_message("c26").find("(C26 = millisecond?)") != std::string::npos);
    BOOST_TEST(unknown_unit_message("C27").find("(C26 = millisecond?)") != std::string::npos);
    BOOST_TEST(unknown_unit_message("furlongs per fortnight").find("procedures/README.md") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(describe_names_symbol_and_name) {
    BOOST_TEST(describe_unit("C26") == "C26 (ms, millisecond)");
    BOOST_TEST(describe_unit("XYZ") == "XYZ");
}

BOOST_AUTO_TEST_SUITE_END()
