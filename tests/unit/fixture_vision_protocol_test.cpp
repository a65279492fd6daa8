// The vision camera's control protocol (fixtures/vision/protocol.hpp): every command and reply
// written and read back, each parser refusing missing, malformed, out-of-range and
// inconsistent fields with a message naming the field, and a fuzz suite of thousands of random
// and mutated command and reply lines through both the bench's and the emulator's way of
// splitting a line — never a crash, and whatever is accepted lies within the limits and
// writes back to the same value.
#include "firmware/emu/command_line.hpp"
#include "fixtures/common/emulator_support.hpp"
#include "fixtures/vision/protocol.hpp"

#include <boost/test/unit_test.hpp>
#include <random>

using namespace bwc::fixtures;
using namespace bwc::fixtures::vision;

namespace {

Request parsed(const std::string& line) {
    auto r = parse_request(line);
    BOOST_REQUIRE_MESSAGE(r, line << ": " << r.error().message);
    return *r;
}

FieldError refused(const std::string& line) {
    auto r = parse_request(line);
    BOOST_REQUIRE_MESSAGE(!r, line << " was accepted");
    BOOST_TEST_MESSAGE(line << " -> " << r.error().message);
    return r.error();
}

template <class T, class Parse>
FieldError bad_reply(Parse parse, const std::string& payload) {
    auto r = parse(payload);
    BOOST_REQUIRE_MESSAGE(!r, "accepted '" << payload << "'");
    BOOST_TEST_MESSAGE(payload << " -> " << r.error().message);
    return r.error();
}

bool in_limits(const Conditions& c) {
    return c.exposure >= -1 && c.exposure <= 1 && c.wb >= 3000 && c.wb <= 7500 && c.noise >= 0 &&
           c.noise <= 8 && c.blur >= 0 && c.blur <= 2 && c.tilt >= 0 && c.tilt <= 5 &&
           c.tilt_axis >= -180 && c.tilt_axis <= 180 && c.bloom >= 0 && c.bloom <= 40 &&
           c.seed >= 0 && c.seed <= kMaxSeed;
}

bool in_limits(const Request& request) {
    if (const auto* lock = std::get_if<LockSettings>(&request))
        return lock->exposure_us >= 1 && lock->exposure_us <= 10'000'000 && lock->wb_k >= 1500 &&
               lock->wb_k <= 15000;
    if (const auto* capture = std::get_if<CaptureRequest>(&request))
        return capture->frames >= 1 && capture->frames <= 120 && capture->interval_ms >= 1 &&
               capture->interval_ms <= 60'000;
    if (const auto* update = std::get_if<ConditionsUpdate>(&request))
        return in_limits(update->applied_to(Conditions{}));
    return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_vision_protocol)

BOOST_AUTO_TEST_CASE(commands_write_and_read_back) {
    const std::vector<Request> requests{
        LockSettings{8000, 6500},
        LockSettings{1, 1500},
        LockSettings{10'000'000, 15000},
        StatusRequest{},
        CaptureRequest{6, 250},
        CaptureRequest{1, 1},
        CaptureRequest{120, 60'000},
        ConditionsUpdate{},
        ConditionsUpdate{-0.5, 4000.0, 2.5, 1.25, 3.0, -45.0, 0.0, 42},
        ConditionsUpdate{std::nullopt, std::nullopt, std::nullopt, std::nullopt, 5.0, 180.0,
                         std::nullopt, std::nullopt},
    };
    for (const Request& request : requests) {
        const std::string line = format_request(request);
        BOOST_TEST_MESSAGE(line);
        BOOST_TEST((parsed(line) == request), line);
    }
}

BOOST_AUTO_TEST_CASE(command_spellings) {
    BOOST_TEST((parsed("capture 3") == Request(CaptureRequest{3, kDefaultIntervalMs})));
    BOOST_TEST((parsed("Lock wb_k=6500 exposure_us=20") == Request(LockSettings{20, 6500})));
    BOOST_TEST((parsed("status") == Request(StatusRequest{})));
    const auto update = std::get<ConditionsUpdate>(parsed("CONDITIONS noise=0.5 seed=7"));
    BOOST_TEST(*update.noise == 0.5);
    BOOST_TEST(*update.seed == 7);
    BOOST_TEST(!update.exposure.has_value());
    // Decimals travel with three places: more are rounded, so the value writes back equal.
    const auto fine = std::get<ConditionsUpdate>(parsed("CONDITIONS blur=1.23456 tilt=0.0004"));
    BOOST_TEST(*fine.blur == 1.235);
    BOOST_TEST(*fine.tilt == 0.0);
    BOOST_TEST(parse_conditions_reply("exposure=0.1239 wb=6500 noise=0 blur=0 tilt=0 "
                                      "tilt_axis=30 bloom=6 seed=1")
                   ->exposure == 0.124);
}

BOOST_AUTO_TEST_CASE(bad_commands_are_refused_naming_the_field) {
    using Kind = FieldError::Kind;
    struct Case {
        std::string line;
        Kind kind;
        std::string field;
    };
    const std::vector<Case> cases{
        {"LOCK exposure_us=8000", Kind::Missing, "wb_k"},
        {"LOCK wb_k=6500", Kind::Missing, "exposure_us"},
        {"LOCK exposure_us=0 wb_k=6500", Kind::Bad, "exposure_us"},
        {"LOCK exposure_us=10000001 wb_k=6500", Kind::Bad, "exposure_us"},
        {"LOCK exposure_us=8000 wb_k=1499", Kind::Bad, "wb_k"},
        {"LOCK exposure_us=8e3 wb_k=6500", Kind::Bad, "exposure_us"},
        {"LOCK exposure_us=8000 wb_k=6500 gain=2", Kind::Bad, "gain"},
        {"LOCK exposure_us=8000 wb_k=6500 wb_k=6500", Kind::Bad, "wb_k"},
        {"LOCK now exposure_us=8000 wb_k=6500", Kind::Bad, ""},
        {"STATUS all", Kind::Bad, ""},
        {"STATUS x=1", Kind::Bad, "x"},
        {"CAPTURE", Kind::Missing, "frames"},
        {"CAPTURE 0", Kind::Bad, "frames"},
        {"CAPTURE 121", Kind::Bad, "frames"},
        {"CAPTURE -1", Kind::Bad, "frames"},
        {"CAPTURE six", Kind::Bad, "frames"},
        {"CAPTURE 6 interval_ms=0", Kind::Bad, "interval_ms"},
        {"CAPTURE 6 interval_ms=60001", Kind::Bad, "interval_ms"},
        {"CAPTURE 6 interval_ms=", Kind::Bad, "interval_ms"},
        {"CAPTURE 6 7", Kind::Bad, ""},
        {"CAPTURE 6 every=250", Kind::Bad, "every"},
        {"CONDITIONS exposure=1.5", Kind::Bad, "exposure"},
        {"CONDITIONS wb=2999", Kind::Bad, "wb"},
        {"CONDITIONS noise=-0.1", Kind::Bad, "noise"},
        {"CONDITIONS blur=2.01", Kind::Bad, "blur"},
        {"CONDITIONS tilt=6", Kind::Bad, "tilt"},
        {"CONDITIONS tilt_axis=180.5", Kind::Bad, "tilt_axis"},
        {"CONDITIONS bloom=41", Kind::Bad, "bloom"},
        {"CONDITIONS seed=-1", Kind::Bad, "seed"},
        {"CONDITIONS noise=nan", Kind::Bad, "noise"},
        {"CONDITIONS noise=inf", Kind::Bad, "noise"},
        {"CONDITIONS gamma=2", Kind::Bad, "gamma"},
        {"FOCUS 3", Kind::UnknownCommand, "command"},
    };
    for (const Case& c : cases) {
        const FieldError e = refused(c.line);
        BOOST_TEST((e.kind == c.kind), c.line << ": kind " << static_cast<int>(e.kind));
        BOOST_TEST(e.field == c.field, c.line << ": field '" << e.field << "'");
        BOOST_TEST(!e.message.empty());
        if (!c.field.empty() && c.field != "command")
            BOOST_TEST(e.message.find(c.field) != std::string::npos, c.line << ": " << e.message);
    }
}

BOOST_AUTO_TEST_CASE(replies_write_and_read_back) {
    const LockSettings lock{8000, 6500};
    BOOST_TEST((*parse_lock_reply(format_lock_reply(lock)) == lock));

    for (const VisionStatus& s : {VisionStatus{std::nullopt, 1280, 720, 0, std::nullopt},
                                  VisionStatus{lock, 1920, 1080, 12, 31'250}}) {
        auto back = parse_status_reply(format_status_reply(s));
        BOOST_REQUIRE_MESSAGE(back, back.error().message);
        BOOST_TEST((*back == s), format_status_reply(s));
    }

    for (const CaptureReply& r :
         {CaptureReply{6, 1000, 2250}, CaptureReply{1, 0, 0}, CaptureReply{3, 5, 7}}) {
        auto back = parse_capture_reply(format_capture_reply(r));
        BOOST_REQUIRE_MESSAGE(back, back.error().message);
        BOOST_TEST((*back == r), format_capture_reply(r));
    }

    Conditions c;
    c.exposure = -0.25;
    c.wb = 4200;
    c.tilt_axis = -90;
    c.seed = 99;
    auto back = parse_conditions_reply(format_conditions_reply(c));
    BOOST_REQUIRE_MESSAGE(back, back.error().message);
    BOOST_TEST((*back == c), format_conditions_reply(c));
}

BOOST_AUTO_TEST_CASE(replies_may_grow_fields) {
    auto lock = parse_lock_reply("exposure_us=100 wb_k=5000 gain_db=3");
    BOOST_REQUIRE_MESSAGE(lock, lock.error().message);
    BOOST_TEST(lock->exposure_us == 100);
    BOOST_TEST(parse_capture_reply("frames=2 first_ms=0 last_ms=10 dropped=0").ok());
    BOOST_TEST(parse_status_reply("locked=0 exposure_us=\"\" wb_k= width=64 height=64 frames=0 "
                                  "last_ms= temperature_c=31")
                   .ok());
}

BOOST_AUTO_TEST_CASE(bad_replies_are_refused_naming_the_field) {
    struct Case {
        std::string payload;
        std::string field;
    };
    for (const Case& c : std::vector<Case>{
             {"exposure_us=8000", "wb_k"},
             {"exposure_us=abc wb_k=6500", "exposure_us"},
             {"exposure_us=8000 wb_k=99999", "wb_k"},
             {"exposure_us=8000 wb_k=6500 wb_k=6500", "wb_k"},
             {"", "exposure_us"},
         })
        BOOST_TEST(bad_reply<LockSettings>(parse_lock_reply, c.payload).field == c.field,
                   c.payload);
    BOOST_TEST(bad_reply<LockSettings>(parse_lock_reply, "OK exposure_us=1 wb_k=1500").field == "");

    for (const Case& c : std::vector<Case>{
             {"frames=6 first_ms=1000", "last_ms"},
             {"frames=0 first_ms=0 last_ms=0", "frames"},
             {"frames=121 first_ms=0 last_ms=1000", "frames"},
             {"frames=6 first_ms=-5 last_ms=100", "first_ms"},
             {"frames=6 first_ms=100 last_ms=50", "last_ms"},
             {"frames=3 first_ms=100 last_ms=101", "last_ms"},
             {"frames=1 first_ms=100 last_ms=200", "last_ms"},
             {"frames=2.5 first_ms=0 last_ms=100", "frames"},
             {"frames=2 first_ms=0x10 last_ms=100", "first_ms"},
         })
        BOOST_TEST(bad_reply<CaptureReply>(parse_capture_reply, c.payload).field == c.field,
                   c.payload);

    const std::string size = " width=1280 height=720";
    for (const Case& c : std::vector<Case>{
             {"locked=1 exposure_us= wb_k=" + size + " frames=0 last_ms=", "locked"},
             {"locked=0 exposure_us=8000 wb_k=6500" + size + " frames=0 last_ms=", "locked"},
             {"locked=2 exposure_us= wb_k=" + size + " frames=0 last_ms=", "locked"},
             {"locked=0 exposure_us= wb_k=" + size + " frames=3 last_ms=", "last_ms"},
             {"locked=0 exposure_us= wb_k=" + size + " frames=0 last_ms=10", "last_ms"},
             {"locked=0 exposure_us= wb_k= width=0 height=720 frames=0 last_ms=", "width"},
             {"locked=0 exposure_us= wb_k= width=1280 frames=0 last_ms=", "height"},
             {"locked=0 exposure_us= wb_k=" + size + " last_ms=", "frames"},
             {"locked=0 exposure_us= wb_k=" + size + " frames=0", "last_ms"},
         })
        BOOST_TEST(bad_reply<VisionStatus>(parse_status_reply, c.payload).field == c.field,
                   c.payload);

    const std::string rest = " noise=0 blur=0 tilt=0 tilt_axis=30 bloom=6 seed=1";
    for (const Case& c : std::vector<Case>{
             {"exposure=2 wb=6500" + rest, "exposure"},
             {"exposure=0" + rest, "wb"},
             {"exposure=0 wb=6500 noise=0 blur=0 tilt=0 tilt_axis=30 bloom=6", "seed"},
             {"exposure=0 wb=6500 noise=0 blur=0 tilt=0 tilt_axis=30 bloom=6 seed=x", "seed"},
             {"exposure=1e-3 wb=6500" + rest, "exposure"},
         })
        BOOST_TEST(bad_reply<Conditions>(parse_conditions_reply, c.payload).field == c.field,
                   c.payload);
}

BOOST_AUTO_TEST_CASE(conditions_update_changes_only_what_it_gives) {
    Conditions base;
    base.noise = 3;
    base.seed = 5;
    ConditionsUpdate update;
    update.blur = 1.5;
    update.seed = 9;
    const Conditions after = update.applied_to(base);
    BOOST_TEST(after.blur == 1.5);
    BOOST_TEST(after.seed == 9);
    BOOST_TEST(after.noise == 3);
    BOOST_TEST(after.wb == base.wb);
    BOOST_TEST((ConditionsUpdate{}.applied_to(base) == base));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_vision_protocol_fuzz)

namespace {

const std::vector<std::string> kCommandSeeds{
    "LOCK exposure_us=8000 wb_k=6500",
    "STATUS",
    "CAPTURE 6 interval_ms=250",
    "CAPTURE 1",
    "CONDITIONS exposure=-0.5 wb=4000 noise=2 blur=1 tilt=3 tilt_axis=-45 bloom=10 seed=7",
    "CONDITIONS",
    "CONDITIONS noise=0.12345 blur=1.0005 tilt_axis=-179.9996",
    "capture 120 interval_ms=60000",
};
const std::vector<std::string> kReplySeeds{
    "exposure_us=8000 wb_k=6500",
    "locked=1 exposure_us=8000 wb_k=6500 width=1280 height=720 frames=12 last_ms=31250",
    "locked=0 exposure_us= wb_k= width=1280 height=720 frames=0 last_ms=",
    "frames=6 first_ms=1000 last_ms=2250",
    "exposure=0 wb=6500 noise=0 blur=0 tilt=0 tilt_axis=30 bloom=6 seed=1",
    "exposure=-0.99951 wb=3000.0004 noise=7.12345 blur=0 tilt=4.9999 tilt_axis=30 bloom=6 seed=9",
};
const std::string kAlphabet =
    "0123456789-.= \"\\abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ+e";
const std::vector<std::string> kTokens{"=",        "\"",
                                       "\\",       " ",
                                       "-",        "0",
                                       "-1",       "99999999999999999999",
                                       "1e308",    "nan",
                                       "inf",      "exposure_us=",
                                       "wb_k=",    "interval_ms=",
                                       "frames=",  "first_ms=",
                                       "last_ms=", "locked=",
                                       "seed=",    "tilt_axis=",
                                       "1.5",      ".5",
                                       "5.",       "\"a b\"",
                                       "\x01",     "\xff",
                                       "\t",       "=="};

std::string mutate(std::string line, std::mt19937& rng) {
    const int edits = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at =
            line.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, line.size())(rng);
        switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
        case 0:
            if (at < line.size())
                line.erase(at, std::uniform_int_distribution<std::size_t>(1, 4)(rng));
            break;
        case 1:
            line.insert(at, 1,
                        kAlphabet[std::uniform_int_distribution<std::size_t>(0, kAlphabet.size() -
                                                                                    1)(rng)]);
            break;
        case 2:
            line.insert(
                at,
                kTokens[std::uniform_int_distribution<std::size_t>(0, kTokens.size() - 1)(rng)]);
            break;
        case 3:
            if (at < line.size())
                line[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
            break;
        case 4: // a word repeated
            line += " " + line.substr(at, std::uniform_int_distribution<std::size_t>(1, 20)(rng));
            break;
        default: // digits replaced by other digits
            for (char& c : line)
                if (c >= '0' && c <= '9' && std::uniform_int_distribution<int>(0, 3)(rng) == 0)
                    c = static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
        }
    }
    return line;
}

std::string random_line(std::mt19937& rng) {
    std::string line;
    const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 60)(rng);
    for (std::size_t i = 0; i < n; ++i)
        line +=
            std::uniform_int_distribution<int>(0, 9)(rng) == 0
                ? kTokens[std::uniform_int_distribution<std::size_t>(0, kTokens.size() - 1)(rng)]
                : std::string(1, kAlphabet[std::uniform_int_distribution<std::size_t>(
                                     0, kAlphabet.size() - 1)(rng)]);
    return line;
}

/// A line from the fuzz: mutated seeds mostly, pure noise sometimes.
std::string fuzz_line(const std::vector<std::string>& seeds, std::mt19937& rng) {
    if (std::uniform_int_distribution<int>(0, 4)(rng) == 0)
        return random_line(rng);
    return mutate(seeds[std::uniform_int_distribution<std::size_t>(0, seeds.size() - 1)(rng)], rng);
}

/// An accepted reply writes back to the same value.
template <class T, class Parse, class Format>
void check_reply(const std::string& payload, Parse parse, Format format, int& accepted) {
    auto r = parse(payload);
    if (!r) {
        BOOST_TEST(!r.error().message.empty(), "no message for '" << payload << "'");
        return;
    }
    ++accepted;
    auto again = parse(format(*r));
    BOOST_TEST((again && *again == *r), "'" << payload << "' does not write back");
}

} // namespace

BOOST_AUTO_TEST_CASE(mutated_command_lines) {
    std::mt19937 rng(20260501);
    int accepted = 0;
    int refused_lines = 0;
    for (int i = 0; i < 6000; ++i) {
        const std::string line = fuzz_line(kCommandSeeds, rng);
        // The bench's splitting (driver side) ...
        auto request = parse_request(line);
        if (request) {
            ++accepted;
            BOOST_TEST(in_limits(*request), "out of limits: '" << line << "'");
            auto again = parse_request(format_request(*request));
            BOOST_TEST((again && *again == *request), "'" << line << "' does not write back");
        } else {
            ++refused_lines;
            BOOST_TEST(!request.error().message.empty(), "no message for '" << line << "'");
        }
        // ... and the emulator's (its line server's CommandLine).
        if (auto cmd = bwc::emu::parse_command_line(line)) {
            auto via_emulator =
                parse_command<Request>(*cmd, [](Fields f) { return parse_request(std::move(f)); });
            if (via_emulator)
                BOOST_TEST(in_limits(*via_emulator), "out of limits: '" << line << "'");
            else
                BOOST_TEST(!via_emulator.error().code.empty());
        }
    }
    BOOST_TEST_MESSAGE(accepted << " accepted, " << refused_lines << " refused");
    // The fuzz reaches both outcomes, or it tests little.
    BOOST_TEST(accepted > 100);
    BOOST_TEST(refused_lines > 1000);
}

BOOST_AUTO_TEST_CASE(mutated_reply_lines) {
    std::mt19937 rng(7);
    int accepted = 0;
    for (int i = 0; i < 8000; ++i) {
        const std::string payload = fuzz_line(kReplySeeds, rng);
        check_reply<LockSettings>(payload, parse_lock_reply, format_lock_reply, accepted);
        check_reply<VisionStatus>(payload, parse_status_reply, format_status_reply, accepted);
        check_reply<Conditions>(payload, parse_conditions_reply, format_conditions_reply, accepted);
        auto capture = parse_capture_reply(payload);
        if (capture)
            BOOST_TEST(capture->last_ms - capture->first_ms >= capture->frames - 1, payload);
        check_reply<CaptureReply>(payload, parse_capture_reply, format_capture_reply, accepted);
    }
    BOOST_TEST_MESSAGE(accepted << " replies accepted");
    BOOST_TEST(accepted > 100);
}

BOOST_AUTO_TEST_SUITE_END()
