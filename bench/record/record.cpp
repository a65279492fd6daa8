// Verdict names (see record.hpp): the words journals, the database, exports
// and `bench results --verdict` all use.
#include "bench/record/record.hpp"

#include <array>
#include <utility>

namespace bwc::bench {
namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 5> kVerdictNames{{
    {Verdict::Pass, "pass"},
    {Verdict::Fail, "fail"},
    {Verdict::Error, "error"},
    {Verdict::Aborted, "aborted"},
    {Verdict::Incomplete, "incomplete"},
}};

} // namespace

std::string_view to_string(Verdict v) {
    for (const auto& [value, name] : kVerdictNames)
        if (value == v)
            return name;
    return "?";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
    for (const auto& [value, name] : kVerdictNames)
        if (name == text)
            return value;
    return std::nullopt;
}

} // namespace bwc::bench
