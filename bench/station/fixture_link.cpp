// Fixture kinds and links (see fixture_link.hpp).
#include "bench/station/fixture_link.hpp"

#include <array>
#include <map>
#include <mutex>

namespace bwc::bench {
namespace {

constexpr std::array kKinds{
    FixtureKind{"actuator", "BWC-ACT", true, "button actuator"},
    FixtureKind{"thermal", "BWC-THERM", false, "thermal chamber"},
    FixtureKind{"psu", "BWC-PSU", true, "power supply / battery emulator"},
    FixtureKind{"gnss", "BWC-GNSS", false, "GNSS simulator"},
    FixtureKind{"rfbox", "BWC-RF", false, "RF shield box (Wi-Fi AP, LTE cell)"},
    FixtureKind{"bayinst", "BWC-BAYI", false, "dock bay instrumentation"},
    FixtureKind{"vision", "BWC-VISION", true, "vision camera"},
};

struct Openers {
    std::mutex mutex;
    std::map<std::string, FixtureOpener, std::less<>> by_kind;
};

Openers& openers() {
    static Openers o;
    return o;
}

} // namespace

std::span<const FixtureKind> fixture_kinds() { return kKinds; }

const FixtureKind* find_fixture_kind(std::string_view kind) {
    for (const FixtureKind& k : kKinds)
        if (k.kind == kind)
            return &k;
    return nullptr;
}

void register_fixture_opener(std::string_view kind, FixtureOpener opener) {
    Openers& o = openers();
    std::lock_guard lock(o.mutex);
    o.by_kind[std::string(kind)] = std::move(opener);
}

PlainFixtureLink::PlainFixtureLink(const FixtureRef& ref, const ClientOptions& options)
    : FixtureLink(ref),
      client_(ref.uri, std::string(find_fixture_kind(ref.kind) ? find_fixture_kind(ref.kind)->protocol
                                                                : std::string_view("BWC-FIX")),
              options) {}

std::unique_ptr<FixtureLink> make_fixture_link(const FixtureRef& ref, const ClientOptions& options) {
    {
        Openers& o = openers();
        std::lock_guard lock(o.mutex);
        if (auto it = o.by_kind.find(ref.kind); it != o.by_kind.end())
            return it->second(ref, options);
    }
    return std::make_unique<PlainFixtureLink>(ref, options);
}

} // namespace bwc::bench
