// Offload step type: `offload.rate` moves a test payload from the camera's
// storage through the dock link (the dock port's OFFLOAD, firmware/PROTOCOL.md)
// and measures the rate it achieved against SPEC §6 (assumption: ≥ 24 MB/s per
// camera). Every byte is hash-verified: the content of a camera's recordings
// is a documented deterministic stream (firmware/emu/dock/emu_dock.hpp,
// recording_byte), so the bench recomputes the SHA-256 of exactly the bytes
// each OFFLOAD reply says it moved and compares it with the one the dock sent.
//
// Where the payload comes from: the diag port has no command that writes a
// test file, so a camera without enough pending content records a clip for
// it — the dock lets go of the camera (REMOVE), the camera restarts undocked,
// the record button is pressed, device time passes until enough is written,
// and the camera is seated again (INSERT, which stops the recording). The
// whole step holds the shared dock (`needs_dock`): a dock's uplink is shared
// by every bay with content waiting (SPEC §6 "many simultaneous offloads slow
// each other down"), so a bay's rate is only its own while no other bay has
// content pending, and the step leaves none behind.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/dock_protocol.hpp"
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/sha256.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {
namespace {

/// Device time between two looks at the camera while waiting for it.
constexpr std::int64_t kPollMs = 1000;
/// A payload moves in at most this many OFFLOADs: each one moves what the
/// storage can read in the time the link needs for the rest, so a slow
/// medium takes a few dozen; more than this is a transfer that is not moving.
constexpr int kMaxOffloads = 1000;
/// Largest count of bytes a camera may report (2^50: a petabyte).
constexpr std::int64_t kMaxBytes = std::int64_t{1} << 50;

// --- the recordings' content (firmware/emu/dock/emu_dock.hpp) ----------------
// Written here from the documented definition, not linked from the emulator,
// so a change on either side shows up as a hash mismatch.

/// FNV-1a 64 of the camera's serial number.
std::uint64_t recording_seed(std::string_view serial) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char ch : serial) {
        h ^= static_cast<std::uint8_t>(ch);
        h *= 0x100000001b3ull;
    }
    return h;
}

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// SHA-256 (hex) of bytes [offset, offset + count) of the recordings stream:
/// byte k is byte (k mod 8), little-endian, of splitmix64(seed + k / 8).
std::string recording_sha256(std::uint64_t seed, std::uint64_t offset, std::uint64_t count) {
    fw::Sha256 sha;
    std::array<std::uint8_t, 64 * 1024> chunk{};
    std::uint64_t k = offset;
    const std::uint64_t end = offset + count;
    std::uint64_t word_at = k / 8, word = splitmix64(seed + word_at); // one word per 8 bytes
    while (k < end) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(end - k, chunk.size()));
        for (std::size_t i = 0; i < n; ++i, ++k) {
            if (k / 8 != word_at) {
                word_at = k / 8;
                word = splitmix64(seed + word_at);
            }
            chunk[i] = static_cast<std::uint8_t>(word >> (8 * (k % 8)));
        }
        sha.update(chunk.data(), n);
    }
    return sha.hex_digest();
}

bool lowercase_hex(const std::string& s, std::size_t length) {
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// --- camera side -------------------------------------------------------------

struct StorageCounts {
    std::int64_t pending = 0;
    bool error = false;
};

/// STORAGE on the diag port: the pending bytes and the error flag.
Result<StorageCounts> read_storage(DeviceClient& camera) {
    auto f = ReplyFields::query(camera, "STORAGE");
    if (!f)
        return Result<StorageCounts>::failure(f.error().message);
    StorageCounts s;
    const std::int64_t capacity = f->integer("capacity_bytes", 0, kMaxBytes);
    const std::int64_t used = f->integer("used_bytes", 0, kMaxBytes);
    s.pending = f->integer("pending_offload_bytes", 0, kMaxBytes);
    s.error = f->flag("error");
    if (auto r = f->result(0); !r)
        return Result<StorageCounts>::failure(r.error().message);
    if (used > capacity || s.pending > used)
        return Result<StorageCounts>::failure(
            camera.describe() + ": the STORAGE reply has capacity_bytes=" +
            std::to_string(capacity) + " used_bytes=" + std::to_string(used) +
            " pending_offload_bytes=" + std::to_string(s.pending) +
            ", which cannot all be true (pending <= used <= capacity)");
    return s;
}

/// A text field of the STATE snapshot.
Result<std::string> state_text(const nlohmann::json& state, DeviceClient& camera, const char* key) {
    auto it = state.find(key);
    if (it == state.end() || !it->is_string())
        return Result<std::string>::failure(camera.describe() + ": STATE has no text field '" +
                                            key + "'");
    return it->get<std::string>();
}

/// Lets device time pass until the camera reports power on (after a
/// restart), at most `timeout_ms`; an error names what it showed last.
Result<std::monostate> wait_until_on(StepContext& ctx, std::int64_t timeout_ms,
                                     const std::string& after) {
    std::string power;
    for (std::int64_t waited = 0;; waited += kPollMs) {
        auto state = read_state(ctx.camera());
        if (!state)
            return Result<std::monostate>::failure(state.error().message);
        auto p = state_text(*state, ctx.camera(), "power");
        if (!p)
            return Result<std::monostate>::failure(p.error());
        power = *p;
        if (power == "on")
            return std::monostate{};
        if (waited >= timeout_ms)
            break;
        if (auto now = ctx.advance(std::min(kPollMs, timeout_ms - waited)); !now)
            return Result<std::monostate>::failure(now.error().message);
    }
    return Result<std::monostate>::failure(ctx.camera().describe() + ": not on " +
                                           std::to_string(timeout_ms) + " ms " + after +
                                           " (STATE power=" + quote_for_message(power) + ")");
}

// --- dock side ---------------------------------------------------------------

/// "the <command> reply <what> (reply '<payload>')" as an error about the dock.
std::string dock_reply_problem(const DeviceClient& dock, const std::string& command,
                               const std::string& what, const ReplyFields& reply) {
    std::string payload;
    for (const auto& [k, v] : reply.fields().items())
        payload += (payload.empty() ? "" : " ") + k + "=" + v;
    return dock.describe() + ": the " + command + " reply " + what + " (reply " +
           quote_for_message(payload) + ")";
}

/// INSERT / REMOVE <bay>: the reply must name the bay and the camera.
Result<std::monostate> seat(DeviceClient& dock, const std::string& verb, int bay,
                            const std::string& serial) {
    const std::string command = verb + " " + std::to_string(bay);
    auto f = ReplyFields::query(dock, command);
    if (!f)
        return Result<std::monostate>::failure(f.error().message);
    const std::int64_t got_bay = f->integer("bay", 1, 64);
    const std::string got_serial = f->text("serial");
    if (auto r = f->result(0); !r)
        return Result<std::monostate>::failure(r.error().message);
    if (got_bay != bay || got_serial != serial)
        return Result<std::monostate>::failure(dock_reply_problem(
            dock, command, "does not name bay " + std::to_string(bay) + " and camera " + serial,
            *f));
    return std::monostate{};
}

/// The dock bay must hold the camera under test, detected and linked.
Result<std::monostate> check_bay(DeviceClient& dock, int bay, const std::string& serial) {
    auto bays = read_bays(dock);
    if (!bays)
        return Result<std::monostate>::failure(bays.error().message);
    for (const BayStatus& b : *bays) {
        if (b.bay != bay)
            continue;
        if (b.serial != serial)
            return Result<std::monostate>::failure(
                dock.describe() + ": BAYS says bay " + std::to_string(bay) + " holds " +
                (b.serial ? "camera " + *b.serial : std::string("no camera")) +
                ", not the camera under test " + serial);
        if (!b.present || !b.link)
            return Result<std::monostate>::failure(
                dock.describe() + ": BAYS says bay " + std::to_string(bay) + " (camera " + serial +
                ") has present=" + (b.present ? "true" : "false") +
                " link=" + (b.link ? "true" : "false") + ": no dock link to offload over");
        return std::monostate{};
    }
    return Result<std::monostate>::failure(dock.describe() + ": BAYS lists no bay " +
                                           std::to_string(bay));
}

/// One OFFLOAD reply, checked against what was asked and the stream so far.
struct Chunk {
    std::int64_t bytes = 0, offset = 0, duration_ms = 0, rate_bytes_per_s = 0;
};

Result<Chunk> offload(DeviceClient& dock, int bay, std::int64_t want,
                      std::optional<std::int64_t> expected_offset, std::uint64_t seed,
                      const std::string& serial) {
    using R = Result<Chunk>;
    const std::string command = "OFFLOAD " + std::to_string(bay) + " bytes=" + std::to_string(want);
    auto f = ReplyFields::query(dock, command);
    if (!f)
        return R::failure(f.error().message);
    Chunk c;
    const std::int64_t got_bay = f->integer("bay", 1, 64);
    c.bytes = f->integer("bytes", 0, kMaxBytes);
    c.offset = f->integer("offset", 0, kMaxBytes);
    c.duration_ms = f->integer("duration_ms", 0, std::numeric_limits<std::int64_t>::max());
    c.rate_bytes_per_s = f->integer("rate_bytes_per_s", 1, kMaxBytes);
    const std::string sha = f->text("sha256");
    if (auto r = f->result(0); !r)
        return R::failure(r.error().message);
    std::string wrong;
    if (got_bay != bay)
        wrong = "is about bay " + std::to_string(got_bay) + ", not " + std::to_string(bay);
    else if (c.bytes > want)
        wrong = "moved " + std::to_string(c.bytes) + " bytes, more than the " +
                std::to_string(want) + " asked for";
    else if (expected_offset && c.offset != *expected_offset)
        wrong = "starts at offset " + std::to_string(c.offset) + ", not " +
                std::to_string(*expected_offset) + " where the previous transfer ended";
    else if (c.bytes > 0 && c.duration_ms == 0)
        wrong = "moved " + std::to_string(c.bytes) + " bytes in no time";
    else if (!lowercase_hex(sha, 64))
        wrong = "gives sha256 as " + quote_for_message(sha) + ", not 64 lowercase hex digits";
    if (!wrong.empty())
        return R::failure(dock_reply_problem(dock, command, wrong, *f));
    const std::string expected = recording_sha256(seed, static_cast<std::uint64_t>(c.offset),
                                                  static_cast<std::uint64_t>(c.bytes));
    if (sha != expected)
        return R::failure(
            dock_reply_problem(dock, command,
                               "sent sha256=" + sha + " for " + std::to_string(c.bytes) +
                                   " bytes at offset " + std::to_string(c.offset) + " of camera " +
                                   serial + "'s recordings, but those bytes hash to " + expected +
                                   ": the data that crossed the dock link is not the data recorded",
                               *f));
    return c;
}

// --- the step ----------------------------------------------------------------

struct Args {
    std::int64_t payload_bytes = 0, max_record_ms = 0, ready_timeout_ms = 0, press_ms = 0;
    std::string button;
};

Result<Args> read_args(const nlohmann::json& args) {
    Args a;
    auto payload = arg_integer(args, "payload_bytes", 16'000'000, 1, 4'000'000'000);
    auto record = arg_integer(args, "max_record_ms", 120'000, 1000, 3'600'000);
    auto ready = arg_integer(args, "ready_timeout_ms", 90'000, 0, 600'000);
    auto press = arg_integer(args, "press_ms", 200, 1, 10'000);
    auto button = arg_text(args, "button", std::string("record"));
    for (const auto* e : {&payload, &record, &ready, &press})
        if (!*e)
            return Result<Args>::failure(e->error());
    if (!button)
        return Result<Args>::failure(button.error());
    a.payload_bytes = *payload;
    a.max_record_ms = *record;
    a.ready_timeout_ms = *ready;
    a.press_ms = *press;
    a.button = *button;
    return a;
}

/// Records a clip until at least `a.payload_bytes` are pending: out of the
/// bay, wait for ready, press record, let time pass, back into the bay (which
/// stops the recording), wait for ready. The camera is seated again whatever
/// happened after it left. Returns the device time spent recording.
Result<std::int64_t> record_payload(StepContext& ctx, DeviceClient& dock, const Args& a,
                                    const std::string& serial) {
    using R = Result<std::int64_t>;
    if (!ctx.physical())
        return R::failure("bay " + std::to_string(ctx.bay()) + " has no physical port to press " +
                          a.button + " with");
    if (auto s = ctx.ensure_subscribed(); !s)
        return R::failure(s.error().message);
    if (auto out = seat(dock, "REMOVE", ctx.bay(), serial); !out)
        return R::failure(out.error());

    std::int64_t recorded_ms = 0;
    std::string problem;
    if (auto on = wait_until_on(ctx, a.ready_timeout_ms, "after leaving the dock"); !on) {
        problem = on.error();
    } else {
        ctx.camera().take_events();
        if (auto p = press_button(*ctx.physical(), a.button, a.press_ms); !p) {
            problem = p.error().message;
        } else {
            while (recorded_ms < a.max_record_ms) {
                const std::int64_t slice = std::min(kPollMs, a.max_record_ms - recorded_ms);
                if (auto now = ctx.advance(slice); !now) {
                    problem = now.error().message;
                    break;
                }
                recorded_ms += slice;
                auto storage = read_storage(ctx.camera());
                if (!storage) {
                    problem = storage.error();
                    break;
                }
                if (storage->pending >= a.payload_bytes)
                    break;
            }
            // The camera says why it would not record ("storage error", "no user").
            for (const DeviceEvent& e : ctx.camera().take_events())
                if (problem.empty() && e.kind == "refused")
                    problem = ctx.camera().describe() + ": refused to record when " + a.button +
                              " was pressed: " + quote_for_message(e.what + " " + e.detail);
        }
    }
    // Back into the bay in every case: the next step and the next bay expect it there.
    auto back = seat(dock, "INSERT", ctx.bay(), serial);
    if (!problem.empty())
        return R::failure(problem + (back ? "" : "; and putting it back failed: " + back.error()));
    if (!back)
        return R::failure(back.error());
    if (auto on = wait_until_on(ctx, a.ready_timeout_ms, "after going back into the dock"); !on)
        return R::failure(on.error());
    return recorded_ms;
}

class OffloadRateStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "offload.rate",
            .family = "offload",
            .help =
                "Moves at least payload_bytes of the camera's recordings over the dock link "
                "(dock OFFLOAD, in as many transfers as it takes) and hash-verifies every byte "
                "against the recordings' documented content. Without enough pending content the "
                "camera first records a clip: the dock releases it (REMOVE), it restarts, "
                "`button` is pressed, time passes until enough is written, and it is seated "
                "again (INSERT). Holds the shared dock for the whole step so no other bay's "
                "content shares the uplink, and leaves nothing pending. A hash mismatch or a "
                "reply that contradicts itself ends the step as an error naming the dock.",
            .args = {{.name = "payload_bytes",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 16'000'000,
                      .help = "least bytes to move (1..4000000000)"},
                     {.name = "max_record_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 120'000,
                      .help = "longest clip recorded for the payload (device time)"},
                     {.name = "ready_timeout_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 90'000,
                      .help = "longest restart accepted after leaving or entering the dock "
                              "(SPEC §4: up to 40 s)"},
                     {.name = "press_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 200,
                      .help = "length of the press that starts the recording"},
                     {.name = "button",
                      .kind = ArgSpec::Kind::Text,
                      .default_value = "record",
                      .help = "the button whose press starts a recording (SPEC §2)"}},
            .measurements =
                {{.name = "rate_mbit_s",
                  .unit = "E20",
                  .help = "bytes moved × 8 / time the dock took, in Mbit/s (SPEC §6: 24 MB/s "
                          "= 192 Mbit/s)"},
                 {.name = "bytes", .unit = "AD", .help = "bytes moved and hash-verified"},
                 {.name = "duration_ms",
                  .unit = "C26",
                  .help = "the dock's transfer time, summed over the transfers"},
                 {.name = "hash_ok",
                  .unit = "",
                  .help = "every transfer's SHA-256 matched the recomputed one (a mismatch ends "
                          "the step with an error naming the dock)"},
                 {.name = "link_mbit_s",
                  .unit = "E20",
                  .help = "the link rate the dock reported (lowest of the transfers)"},
                 {.name = "transfers", .unit = "C62", .help = "OFFLOAD commands it took"},
                 {.name = "recorded_ms",
                  .unit = "C26",
                  .help = "device time recorded for the payload (0: it was already there)"}},
            .needs_physical = true,
            .needs_dock = true};
        return i;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto a = read_args(args);
        if (!a)
            return StepOutput::failed(a.error());
        DeviceClient* dock = ctx.dock();
        if (!dock)
            return StepOutput::failed("bay " + std::to_string(ctx.bay()) +
                                      ": the station has no dock to offload through");
        const std::string serial = ctx.camera().banner().get("serial");
        if (serial.empty())
            return StepOutput::failed(ctx.camera().describe() + ": its banner names no serial");
        if (auto ok = check_bay(*dock, ctx.bay(), serial); !ok)
            return StepOutput::failed(ok.error());

        auto before = read_storage(ctx.camera());
        if (!before)
            return StepOutput::failed(before.error());
        if (before->error)
            return StepOutput::failed(ctx.camera().describe() +
                                      ": STORAGE reports error=1: no content can be offloaded");
        std::int64_t recorded_ms = 0;
        if (before->pending < a->payload_bytes) {
            auto rec = record_payload(ctx, *dock, *a, serial);
            if (!rec)
                return StepOutput::failed(rec.error());
            recorded_ms = *rec;
        }
        auto pending = read_storage(ctx.camera());
        if (!pending)
            return StepOutput::failed(pending.error());
        if (pending->pending < a->payload_bytes)
            return StepOutput::failed(
                ctx.camera().describe() + ": only " + std::to_string(pending->pending) +
                " bytes pending after recording " + std::to_string(recorded_ms) + " ms, " +
                std::to_string(a->payload_bytes) + " needed (raise max_record_ms?)");

        // A zero-byte OFFLOAD opens the transfer: it tells where the camera's
        // stream stands, and (on the emulator) starts the storage's read
        // window now rather than at the previous transfer, long ago.
        const std::uint64_t seed = recording_seed(serial);
        auto opened = offload(*dock, ctx.bay(), 0, std::nullopt, seed, serial);
        if (!opened)
            return StepOutput::failed(opened.error());
        std::int64_t offset = opened->offset;
        std::int64_t moved = 0, duration_ms = 0;
        std::int64_t link = std::numeric_limits<std::int64_t>::max();
        int transfers = 0;
        // Everything pending goes, so the dock is left with nothing waiting.
        const std::int64_t total = pending->pending;
        while (moved < total) {
            if (++transfers > kMaxOffloads)
                return StepOutput::failed(dock->describe() + ": " + std::to_string(kMaxOffloads) +
                                          " OFFLOADs moved only " + std::to_string(moved) + " of " +
                                          std::to_string(total) + " bytes");
            auto c = offload(*dock, ctx.bay(), total - moved, offset, seed, serial);
            if (!c)
                return StepOutput::failed(c.error());
            if (c->bytes == 0)
                return StepOutput::failed(dock->describe() + ": OFFLOAD " +
                                          std::to_string(ctx.bay()) + " moved nothing with " +
                                          std::to_string(total - moved) + " of " +
                                          std::to_string(total) + " bytes still pending");
            moved += c->bytes;
            offset += c->bytes;
            duration_ms += c->duration_ms;
            link = std::min(link, c->rate_bytes_per_s);
        }
        // The transfer took the camera's time: bring the bay's clock up to date.
        if (auto now = ctx.advance(0); !now)
            return StepOutput::failed(now.error().message);

        const double mbit_s =
            static_cast<double>(moved) * 8.0 /
            (static_cast<double>(std::max<std::int64_t>(duration_ms, 1)) * 1000.0);
        return StepOutput{}
            .add("rate_mbit_s", Value(mbit_s))
            .add("bytes", Value(static_cast<double>(moved)))
            .add("duration_ms", Value(static_cast<double>(duration_ms)))
            .add("hash_ok", Value(true))
            .add("link_mbit_s", Value(static_cast<double>(link) * 8.0 / 1e6))
            .add("transfers", Value(static_cast<double>(transfers)))
            .add("recorded_ms", Value(static_cast<double>(recorded_ms)));
    }
};
REGISTER_STEP_TYPE(OffloadRateStep);

} // namespace
} // namespace bwc::bench
