// Protocol fuzzing of bwc-emu over TCP: random bytes and mutated valid
// commands (at least 100,000 lines across the diag and physical ports), sent
// pipelined. Every non-blank line must get exactly one reply, the process
// must stay up, and afterwards every port — NMEA included — must answer.
#include "emu_process.hpp"

#include <boost/test/unit_test.hpp>
#include <random>

using namespace bwc::test;

namespace {

const std::vector<std::string> kValid = {"IDENTIFY",
                                         "STATE",
                                         "GAUGE",
                                         "GNSS",
                                         "STORAGE",
                                         "FAULTS",
                                         "SUBSCRIBE",
                                         "UNSUBSCRIBE",
                                         "PING",
                                         "TIME",
                                         "TIME ADVANCE 1000",
                                         "TIME UNTIL 0",
                                         "AT+CSQ",
                                         "WIFI STATUS",
                                         "FACTORY LEDTEST red",
                                         "FACTORY LEDTEST off",
                                         "PRESS power 300",
                                         "PRESS record 3150",
                                         "BUTTON top DOWN",
                                         "BUTTON top UP",
                                         "DOCK vbus=1",
                                         "UNDOCK",
                                         "USB 1",
                                         "USB 0",
                                         "TEMP 25",
                                         "CONTROLLER link=1 added=1 user=\"A B\"",
                                         "BATTERY SWAP soc=50",
                                         "GNSS OFF",
                                         "RF WIFI CLEAR",
                                         "SIM REMOVE",
                                         "HELLO BWC-DIAG 1",
                                         "HELLO BWC-PHYS 1"};

std::string mutate(std::mt19937_64& rng, std::string line) {
    std::uniform_int_distribution<int> op(0, 5);
    std::uniform_int_distribution<int> byte(1, 255);
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at = line.empty() ? 0 : rng() % (line.size() + 1);
        switch (op(rng)) {
        case 0:
            line.insert(at, 1, static_cast<char>(byte(rng)));
            break;
        case 1:
            if (!line.empty() && at < line.size())
                line.erase(at, 1);
            break;
        case 2:
            line.insert(at, "=\"\\");
            break;
        case 3:
            line.insert(at, std::to_string(static_cast<long long>(rng())));
            break;
        case 4:
            line.insert(at, std::string(rng() % 1500, 'x'));
            break;
        case 5:
            if (at < line.size())
                line[at] = static_cast<char>(byte(rng));
            break;
        }
    }
    return line;
}

std::string random_line(std::mt19937_64& rng) {
    if (rng() % 3 == 0) {
        std::string s(rng() % 80, ' ');
        for (char& c : s)
            c = static_cast<char>(1 + rng() % 255);
        return s;
    }
    return mutate(rng, kValid[rng() % kValid.size()]);
}

/// Turn a fuzz line into what the emulator will see as one line, and say
/// whether it expects a reply (blank or all-space lines get none).
bool expects_reply(std::string& line) {
    for (char& c : line)
        if (c == '\n')
            c = ' '; // one line each
    std::string trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == '\r'))
        trimmed.pop_back();
    return trimmed.find_first_not_of(" \t") != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_fuzz)

BOOST_AUTO_TEST_CASE(hundred_thousand_hostile_lines_leave_every_port_answering) {
    EmuProcess emu({"--camera", "model=w120,serial=FZ1", "--camera", "model=w100,serial=FZ2",
                    "--dock", "model=w701,serial=FZD,bays=FZ1+FZ2"});
    const int dock_port = emu.dock_port("FZD");
    std::mt19937_64 rng(20261123);
    constexpr int kLines = 100'000;
    constexpr int kBatch = 250;
    int sent = 0;
    int replies = 0;
    int errors = 0;
    std::vector<std::unique_ptr<LineClient>> clients;
    for (const CameraPorts& p : emu.cameras()) {
        clients.push_back(std::make_unique<LineClient>(p.diag));
        clients.push_back(std::make_unique<LineClient>(p.physical));
    }
    clients.push_back(std::make_unique<LineClient>(dock_port));
    for (auto& c : clients)
        BOOST_REQUIRE(c->hello().rfind("OK", 0) == 0);
    std::size_t turn = 0;
    while (sent < kLines) {
        LineClient& c = *clients[turn++ % clients.size()];
        std::string batch;
        int expected = 0;
        for (int i = 0; i < kBatch; ++i) {
            std::string line = random_line(rng);
            if (expects_reply(line))
                ++expected;
            batch += line + "\n";
        }
        c.send_raw(batch);
        sent += kBatch;
        for (int i = 0; i < expected; ++i) {
            const std::string r = c.read_reply();
            ++replies;
            if (r.rfind("ERR ", 0) == 0)
                ++errors;
            else
                BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, "reply neither OK nor ERR: " << r);
        }
        c.events(); // drop subscribed events between batches
        BOOST_REQUIRE_MESSAGE(emu.running(), "bwc-emu died after " << sent << " lines:\n"
                                                                   << emu.stderr_text());
    }
    BOOST_TEST_MESSAGE(sent << " lines, " << replies << " replies, " << errors << " ERR");
    BOOST_TEST(sent >= kLines);
    BOOST_TEST(errors > replies / 2, "most hostile lines are refused");
    BOOST_TEST(errors < replies, "some mutated commands still work");
    // Every port still answers, on fresh connections too.
    BOOST_REQUIRE_MESSAGE(emu.running(), "bwc-emu died:\n" << emu.stderr_text());
    for (const CameraPorts& p : emu.cameras()) {
        LineClient diag(p.diag);
        BOOST_TEST(diag.hello() == "OK BWC-DIAG 1");
        BOOST_TEST(diag.command("PING") == "OK PONG");
        BOOST_TEST(diag.command("IDENTIFY").find("serial=" + p.serial) != std::string::npos);
        LineClient phys(p.physical);
        BOOST_TEST(phys.hello() == "OK BWC-PHYS 1");
        BOOST_TEST(phys.command("TIME").rfind("OK now_ms=", 0) == 0);
        LineClient nmea(p.nmea, LineClient::Banner::None); // accepts and ignores input
        nmea.send_raw("garbage\n");
    }
    LineClient dock(dock_port);
    BOOST_TEST(dock.hello() == "OK BWC-DOCK 1");
    BOOST_TEST(dock.command("IDENTIFY").rfind("OK model=W701", 0) == 0);
    BOOST_TEST(emu.running());
}

BOOST_AUTO_TEST_SUITE_END()
