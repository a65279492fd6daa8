// run_if expressions (bench/procedure/expression.hpp): literals, names,
// comparisons, membership, logic and precedence evaluate as documented;
// syntax errors carry the offset of the offending character; evaluation
// errors name the unknown name or the values that do not compare.
#include "bench/procedure/expression.hpp"

#include <boost/test/unit_test.hpp>
#include <map>

using namespace bwc::bench;

namespace {

struct Names {
    std::map<std::string, Value, std::less<>> values{
        {"model", Value(std::string("W120"))},
        {"bay", Value(3.0)},
        {"strict", Value(true)},
        {"scan.serial", Value(std::string("SN0001"))},
        {"hold-record.threshold_ms", Value(2990.0)},
        {"nothing", Value()},
    };
    mutable std::vector<std::string> asked;
    const Value* operator()(std::string_view name) const {
        asked.emplace_back(name);
        const auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    }
};

bool eval(const std::string& text) {
    auto e = Expression::parse(text);
    BOOST_TEST_REQUIRE(e.ok(), text << ": " << e.error().message);
    Names names;
    auto r = e->evaluate(names);
    BOOST_TEST_REQUIRE(r.ok(), text << ": " << r.error());
    return *r;
}

std::string eval_error(const std::string& text) {
    auto e = Expression::parse(text);
    BOOST_TEST_REQUIRE(e.ok(), text << ": " << e.error().message);
    Names names;
    auto r = e->evaluate(names);
    BOOST_TEST_REQUIRE(!r.ok(), text << " evaluated but should not");
    return r.error();
}

Expression::SyntaxError syntax_error(const std::string& text) {
    auto e = Expression::parse(text);
    BOOST_TEST_REQUIRE(!e.ok(), text << " parsed but should not");
    return e.error();
}

} // namespace

BOOST_AUTO_TEST_SUITE(procedure_expression)

BOOST_AUTO_TEST_CASE(comparisons) {
    BOOST_TEST(eval("model == \"W120\""));
    BOOST_TEST(eval("model == 'W120'"));
    BOOST_TEST(!eval("model != \"W120\""));
    BOOST_TEST(eval("bay == 3"));
    BOOST_TEST(eval("bay != 3.5"));
    BOOST_TEST(eval("bay < 4 and bay <= 3 and bay > 2 and bay >= 3"));
    BOOST_TEST(!eval("bay > 3"));
    BOOST_TEST(eval("hold-record.threshold_ms > 2900"));
    BOOST_TEST(eval("scan.serial == \"SN0001\""));
    BOOST_TEST(eval("strict == true"));
    BOOST_TEST(eval("-2.5 < 0 and 1e3 == 1000"));
}

BOOST_AUTO_TEST_CASE(logic_and_precedence) {
    BOOST_TEST(eval("strict"));
    BOOST_TEST(!eval("not strict"));
    BOOST_TEST(eval("not not strict"));
    // and binds tighter than or
    BOOST_TEST(eval("true or false and false"));
    BOOST_TEST(!eval("(true or false) and false"));
    BOOST_TEST(eval("not bay == 4"));
    BOOST_TEST(eval("model == \"W120\" and (bay == 1 or bay == 3)"));
}

BOOST_AUTO_TEST_CASE(membership) {
    BOOST_TEST(eval("bay in [1, 2, 3]"));
    BOOST_TEST(!eval("bay in [1, 2]"));
    BOOST_TEST(eval("model not in [\"W100\"]"));
    BOOST_TEST(!eval("model in []"));
    BOOST_TEST(eval("model in ['W100', 'W120'] and not (bay in [7, 8])"));
}

BOOST_AUTO_TEST_CASE(and_or_short_circuit) {
    // The right side would be an error; it is not evaluated.
    BOOST_TEST(!eval("false and unknown_name"));
    BOOST_TEST(eval("true or unknown_name == 1"));
}

BOOST_AUTO_TEST_CASE(names_are_listed_with_offsets) {
    auto e = Expression::parse("model == \"W120\" and scan.serial != 'x' or bay in [1]");
    BOOST_TEST_REQUIRE(e.ok());
    const auto& names = e->names();
    BOOST_TEST_REQUIRE(names.size() == 3u);
    BOOST_TEST(names[0].name == "model");
    BOOST_TEST(names[0].offset == 0u);
    BOOST_TEST(names[1].name == "scan.serial");
    BOOST_TEST(names[1].offset == 20u);
    BOOST_TEST(names[2].name == "bay");
    BOOST_TEST(names[2].offset == 42u);
}

BOOST_AUTO_TEST_CASE(evaluation_errors_name_the_problem) {
    BOOST_TEST(eval_error("modle == \"W120\"") == "unknown name 'modle'");
    BOOST_TEST(eval_error("bay == \"3\"").find("cannot compare number 3 with text \"3\"") !=
               std::string::npos);
    BOOST_TEST(eval_error("model < \"X\"").find("compare numbers") != std::string::npos);
    BOOST_TEST(eval_error("bay and strict").find("'and' needs true or false, got number 3") !=
               std::string::npos);
    BOOST_TEST(eval_error("bay").find("run_if needs true or false") != std::string::npos);
    BOOST_TEST(eval_error("bay in [1, \"3\"]").find("cannot compare") != std::string::npos);
    BOOST_TEST(eval_error("nothing == 1").find("cannot compare") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(syntax_errors_point_at_the_character) {
    auto e = syntax_error("bay !! 3");
    BOOST_TEST(e.offset == 4u);
    BOOST_TEST(e.message.find("'!' is not an operator") != std::string::npos);
    e = syntax_error("model = \"W120\"");
    BOOST_TEST(e.offset == 6u);
    BOOST_TEST(e.message.find("'=='") != std::string::npos);
    e = syntax_error("bay == 3 && strict");
    BOOST_TEST(e.offset == 9u);
    BOOST_TEST(e.message.find("'and'") != std::string::npos);
    e = syntax_error("model == \"W120");
    BOOST_TEST(e.offset == 9u);
    BOOST_TEST(e.message.find("no closing") != std::string::npos);
    e = syntax_error("bay == ");
    BOOST_TEST(e.offset == 7u);
    e = syntax_error("(bay == 3");
    BOOST_TEST(e.offset == 9u);
    e = syntax_error("bay == 3 bay");
    BOOST_TEST(e.offset == 9u);
    e = syntax_error("1 < bay < 3");
    BOOST_TEST(e.message.find("do not chain") != std::string::npos);
    e = syntax_error("bay in 1, 2");
    BOOST_TEST(e.message.find("'['") != std::string::npos);
    e = syntax_error("${model} == 'x'");
    BOOST_TEST(e.offset == 0u);
    e = syntax_error("");
    BOOST_TEST(e.message == "empty expression");
    e = syntax_error("a..b == 1");
    BOOST_TEST(e.offset == 0u);
    e = syntax_error("1.2.3 == 1");
    BOOST_TEST(e.message.find("not a number") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nesting_is_bounded) {
    const std::string deep = std::string(500, '(') + "true" + std::string(500, ')');
    BOOST_TEST(syntax_error(deep).message.find("nested too deeply") != std::string::npos);
    std::string nots;
    for (int i = 0; i < 500; ++i)
        nots += "not ";
    BOOST_TEST(syntax_error(nots + "true").message.find("nested too deeply") != std::string::npos);
    BOOST_TEST(eval(std::string(20, '(') + "true" + std::string(20, ')')));
}

BOOST_AUTO_TEST_SUITE_END()
