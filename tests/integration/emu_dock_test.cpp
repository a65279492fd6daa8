// bwc-emu's docking stations (SPEC §9) driven over TCP only: a W701 holding
// eight emulated cameras, its BWC-DOCK port (firmware/PROTOCOL.md framing),
// per-bay presence, VBUS, charge current and link against the EOL limits,
// injected contact and supply faults, and offload verified by a SHA-256 the
// test recomputes with sha256sum from the documented content formula.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kEmu = BWC_BINARY_DIR "/firmware/emu/bwc-emu";

// EOL limits, SPEC §9.
constexpr int kMaxContactMohm = 100;
constexpr int kMinVbusMv = 4750;
constexpr int kMaxVbusMv = 5250;
constexpr int kMinChargeMa = 500;
constexpr int kMaxChargeMa = 2000;

std::vector<std::string> camera_args(int n, const std::string& extra = "") {
    std::vector<std::string> args;
    for (int i = 1; i <= n; ++i)
        args.insert(args.end(), {"--camera", "model=w120,serial=SN" + std::to_string(i) + extra});
    return args;
}

std::string bays_of(int n) {
    std::string out;
    for (int i = 1; i <= n; ++i)
        out += (i > 1 ? "+SN" : "SN") + std::to_string(i);
    return out;
}

struct Dock {
    LineClient port;
    Dock(const EmuProcess& emu, const std::string& serial) : port(emu.dock_port(serial)) {
        BOOST_REQUIRE_EQUAL(port.hello(), "OK BWC-DOCK 1");
    }
    std::string ok(const std::string& cmd) {
        const std::string r = port.command(cmd);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, cmd << " -> " << r);
        return r;
    }
    json bays() {
        const std::string r = ok("BAYS");
        return json::parse(r.substr(3));
    }
};

json camera_state(const CameraPorts& p) {
    LineClient diag(p.diag);
    BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
    const std::string r = diag.command("STATE");
    BOOST_REQUIRE_MESSAGE(r.rfind("OK {", 0) == 0, "STATE replied: " << r.substr(0, 200));
    return json::parse(r.substr(3));
}

/// The documented content of a camera's offloaded recordings (emu_dock.hpp):
/// byte k is byte k mod 8 (little-endian) of splitmix64(fnv1a64(serial) + k/8).
std::string expected_bytes(const std::string& serial, std::uint64_t offset, std::uint64_t n) {
    std::uint64_t seed = 0xcbf29ce484222325ull;
    for (char c : serial) {
        seed ^= static_cast<unsigned char>(c);
        seed *= 0x100000001b3ull;
    }
    std::string out;
    out.reserve(n);
    for (std::uint64_t k = offset; k < offset + n; ++k) {
        std::uint64_t x = seed + k / 8 + 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        x ^= x >> 31;
        out += static_cast<char>(static_cast<unsigned char>(x >> (8 * (k % 8))));
    }
    return out;
}

/// SHA-256 by coreutils, so the check does not share code with the emulator.
std::string sha256sum(const std::string& bytes) {
    const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                       ("bwc-dock-test-" + std::to_string(getpid()) + ".bin");
    {
        std::ofstream out(file, std::ios::binary);
        out << bytes;
    }
    const ProgramResult r = run_program("/usr/bin/sha256sum", {file.string()});
    std::filesystem::remove(file);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    return r.out.substr(0, 64);
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_dock)

BOOST_AUTO_TEST_CASE(w701_with_eight_cameras_docks_charges_and_reports_each_bay) {
    auto args = camera_args(8, ",soc=20");
    args.insert(args.end(), {"--dock", "model=w701,serial=D1,bays=" + bays_of(8)});
    EmuProcess emu(args);
    Dock dock(emu, "D1");
    BOOST_TEST(dock.port.banner() == "BWC-DOCK 1 model=W701 serial=D1");
    BOOST_TEST(dock.ok("IDENTIFY") == "OK model=W701 serial=D1 bays=8");
    BOOST_TEST(dock.ok("LED") == "OK led=green");
    json bays = dock.bays();
    BOOST_REQUIRE_EQUAL(bays.size(), 8u);
    for (const auto& b : bays) {
        BOOST_TEST(b["serial"].is_null());
        BOOST_TEST(b["present"] == false);
        BOOST_TEST(b["vbus_mv"] == 0);
    }
    for (int bay = 1; bay <= 8; ++bay)
        BOOST_TEST(dock.ok("INSERT " + std::to_string(bay)) ==
                   "OK bay=" + std::to_string(bay) + " serial=SN" + std::to_string(bay));
    bays = dock.bays();
    for (int i = 0; i < 8; ++i) {
        BOOST_TEST_CONTEXT("bay " << i + 1) {
            const json& b = bays[static_cast<std::size_t>(i)];
            BOOST_TEST(b["bay"] == i + 1);
            BOOST_TEST(b["serial"] == "SN" + std::to_string(i + 1));
            BOOST_TEST(b["present"] == true);
            BOOST_TEST(b["link"] == true);
            BOOST_TEST(b["vbus_mv"].get<int>() >= kMinVbusMv);
            BOOST_TEST(b["vbus_mv"].get<int>() <= kMaxVbusMv);
            for (const char* pin : {"vbus", "gnd", "dp", "dm", "id"})
                BOOST_TEST(b["pins"][pin].get<int>() <= kMaxContactMohm);
        }
    }
    BOOST_TEST(dock.ok("TIME ADVANCE 60000") == "OK now_ms=60000");
    bays = dock.bays();
    for (int i = 0; i < 8; ++i) {
        BOOST_TEST_CONTEXT("bay " << i + 1) {
            const json s = camera_state(emu.cameras().at(static_cast<std::size_t>(i)));
            BOOST_TEST(s["at_ms"] == 60000); // every camera's clock moved the same step
            BOOST_TEST(s["docked"] == true);
            BOOST_TEST(s["vbus"] == true);
            BOOST_TEST(s["activity"] == "docked");
            BOOST_TEST(s["battery"]["charge_state"] == "charging");
            const int ma = bays[static_cast<std::size_t>(i)]["charge_ma"];
            BOOST_TEST(ma >= kMinChargeMa);
            BOOST_TEST(ma <= kMaxChargeMa);
        }
    }
    // A dock without power: LED off, no VBUS, no link, no charge (SPEC §9).
    BOOST_TEST(dock.ok("POWER 0") == "OK power=0 led=off");
    BOOST_TEST(dock.ok("LED") == "OK led=off");
    dock.ok("TIME ADVANCE 10000");
    bays = dock.bays();
    BOOST_TEST(bays[0]["present"] == true);
    BOOST_TEST(bays[0]["vbus_mv"] == 0);
    BOOST_TEST(bays[0]["link"] == false);
    BOOST_TEST(bays[0]["charge_ma"] == 0);
    BOOST_TEST(camera_state(emu.cameras().at(0))["vbus"] == false);
    BOOST_TEST(dock.ok("POWER 1") == "OK power=1 led=green");
    BOOST_TEST(dock.ok("REMOVE 8") == "OK bay=8 serial=SN8");
    dock.ok("TIME ADVANCE 1000");
    BOOST_TEST(dock.bays()[7]["present"] == false);
    BOOST_TEST(camera_state(emu.cameras().at(7))["docked"] == false);
}

BOOST_AUTO_TEST_CASE(contact_and_supply_faults_show_at_their_bay) {
    auto args = camera_args(3, ",soc=20");
    args.insert(args.end(),
                {"--dock", "model=w701,serial=D2,bays=" + bays_of(3), "--fault",
                 "D2/1:dock.pin.vbus.resistance_mohm=250", "--fault", "SN2:dock.vbus_mv=4500",
                 "--fault", "D2/3:dock.pin.gnd.resistance_mohm=20000"});
    EmuProcess emu(args);
    Dock dock(emu, "D2");
    for (int bay = 1; bay <= 3; ++bay)
        dock.ok("INSERT " + std::to_string(bay));
    dock.ok("TIME ADVANCE 60000");
    const json bays = dock.bays();
    // Bay 1: a worn VBUS contact, out of the EOL limit, but still conducting.
    BOOST_TEST(bays[0]["pins"]["vbus"] == 250);
    BOOST_TEST(bays[0]["pins"]["vbus"].get<int>() > kMaxContactMohm);
    BOOST_TEST(bays[0]["pins"]["gnd"] == 20);
    BOOST_TEST(bays[0]["charge_ma"].get<int>() >= kMinChargeMa);
    // Bay 2: the supply is low, out of range, the camera still charges.
    BOOST_TEST(bays[1]["vbus_mv"] == 4500);
    BOOST_TEST(bays[1]["vbus_mv"].get<int>() < kMinVbusMv);
    BOOST_TEST(bays[1]["pins"]["vbus"] == 20);
    // Bay 3: an open GND contact: no VBUS, no link, no charge.
    BOOST_TEST(bays[2]["present"] == true);
    BOOST_TEST(bays[2]["vbus_mv"] == 0);
    BOOST_TEST(bays[2]["link"] == false);
    BOOST_TEST(bays[2]["charge_ma"] == 0);
    const json s3 = camera_state(emu.cameras().at(2));
    BOOST_TEST(s3["docked"] == true);
    BOOST_TEST(s3["vbus"] == false);
    BOOST_TEST(s3["battery"]["charge_state"] != "charging");
    BOOST_TEST(camera_state(emu.cameras().at(0))["battery"]["charge_state"] == "charging");
    // Without a link there is nothing to offload over.
    BOOST_TEST(dock.port.command("OFFLOAD 3").rfind("ERR device bay 3 has no link", 0) == 0);
}

BOOST_AUTO_TEST_CASE(offload_sends_verifiable_bytes) {
    EmuProcess emu(
        {"--camera", "model=w120,serial=OFF1", "--dock", "model=w700,serial=D3,bays=OFF1"});
    LineClient phys(emu.cameras().at(0).physical);
    LineClient diag(emu.cameras().at(0).diag);
    BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
    BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
    auto ok = [](LineClient& c, const std::string& cmd) {
        const std::string r = c.command(cmd);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, cmd << " -> " << r);
    };
    // Record a while so the camera has something to offload.
    ok(phys, "PRESS power 300");
    ok(phys, "TIME ADVANCE 30300");
    ok(phys, "PRESS record 300");
    ok(phys, "TIME ADVANCE 20000");
    const long long pending = std::stoll(field(diag.command("STORAGE"), "pending_offload_bytes"));
    BOOST_REQUIRE_GT(pending, 200'000);
    Dock dock(emu, "D3");
    dock.ok("INSERT 1");
    long long offset = 0;
    for (long long want : {100'000LL, 4'321LL}) {
        const std::string r = dock.ok("OFFLOAD 1 bytes=" + std::to_string(want));
        BOOST_TEST_CONTEXT(r) {
            BOOST_TEST(field(r, "bytes") == std::to_string(want));
            BOOST_TEST(field(r, "offset") == std::to_string(offset));
            BOOST_TEST(std::stoll(field(r, "duration_ms")) > 0);
            const std::string expected = sha256sum(expected_bytes(
                "OFF1", static_cast<std::uint64_t>(offset), static_cast<std::uint64_t>(want)));
            BOOST_TEST(field(r, "sha256") == expected);
        }
        offset += want;
    }
    const long long after = std::stoll(field(diag.command("STORAGE"), "pending_offload_bytes"));
    BOOST_TEST(after < pending);
    // The rest, unbounded: everything still pending moves.
    const std::string r = dock.ok("OFFLOAD 1");
    BOOST_TEST(std::stoll(field(r, "bytes")) > 0);
    BOOST_TEST(field(diag.command("STORAGE"), "pending_offload_bytes") == "0");
}

BOOST_AUTO_TEST_CASE(bad_commands_get_errors_naming_the_problem) {
    EmuProcess emu({"--camera", "model=w120,serial=E1", "--dock", "model=w701,serial=D4,bays=E1"});
    LineClient raw(emu.dock_port("D4"));
    BOOST_TEST(raw.command("BAYS") == "ERR not_ready send HELLO BWC-DOCK 1 first");
    BOOST_TEST(raw.command("HELLO BWC-DOCK 2") ==
               "ERR version_mismatch device speaks 1, client asked 2");
    BOOST_TEST(raw.command("HELLO BWC-DIAG 1").rfind("ERR bad_argument", 0) == 0);
    BOOST_TEST(raw.hello() == "OK BWC-DOCK 1");
    BOOST_TEST(raw.command("PING") == "OK PONG");
    auto starts = [&](const std::string& cmd, const std::string& prefix) {
        const std::string r = raw.command(cmd);
        BOOST_TEST(r.rfind(prefix, 0) == 0, cmd << " -> " << r);
    };
    starts("EJECT 1", "ERR unknown_command 'EJECT' is not a dock command");
    starts("INSERT", "ERR missing_argument INSERT needs a bay number (1-8)");
    starts("INSERT 9", "ERR bad_argument bay 9 out of range: a W701 has bays 1-8");
    starts("INSERT two", "ERR bad_argument bay");
    starts("INSERT 2", "ERR wrong_state bay 2 has no camera assigned");
    starts("REMOVE 1", "ERR wrong_state bay 1 is empty");
    starts("OFFLOAD 1", "ERR wrong_state bay 1 is empty");
    starts("POWER 2", "ERR bad_argument POWER takes 0 or 1, got '2'");
    starts("INSERT 1 now", "ERR bad_argument unexpected 'now'");
    BOOST_TEST(raw.command("INSERT 1") == "OK bay=1 serial=E1");
    starts("INSERT 1", "ERR wrong_state bay 1 already holds E1");
    starts("OFFLOAD 1 colour=blue", "ERR bad_argument");
    starts("OFFLOAD 1 bytes=-5", "ERR bad_argument");
    starts("TIME ADVANCE soon", "ERR bad_argument");
    starts("TIME BACKWARDS 5", "ERR bad_argument TIME takes nothing");
    // Bad options stop bwc-emu with a message naming them.
    auto fails = [](std::vector<std::string> args, const std::string& text) {
        const ProgramResult r = run_program(kEmu, args);
        BOOST_TEST(r.exit_code == 2);
        BOOST_TEST(r.err.find(text) != std::string::npos, r.err);
    };
    fails({"--camera", "model=w120,serial=A", "--dock", "model=w702,serial=D,bays=A"},
          "dock model 'w702' unknown");
    fails({"--camera", "model=w120,serial=A", "--dock", "model=w700,serial=D,bays=B"},
          "no camera with serial 'B'");
    fails({"--camera", "model=w120,serial=A", "--dock", "model=w700,serial=D,bays=A+A"},
          "has 1 bay(s), got 2");
    fails({"--camera", "model=w120,serial=A", "--dock", "model=w700,serial=D,bays=A", "--fault",
           "D:dock.pin.nose.resistance_mohm=5"},
          "no pin 'nose'");
}

BOOST_AUTO_TEST_SUITE_END()
