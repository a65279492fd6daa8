// What every port of an emulated camera does alike: banner and HELLO
// handshake, framing errors, PING, TIME (firmware/PROTOCOL.md).
#include "firmware/emu/camera_ports.hpp"

namespace bwc::emu {

PortHandler::PortHandler(LineServer& server, PortDevice& device, std::string protocol)
    : server_(server), device_(device), protocol_(std::move(protocol)) {}

void PortHandler::on_connect(ClientId client) {
    server_.send_line(client, protocol_ + " " + std::to_string(kProtocolVersion) + " " +
                                  device_.banner_fields());
}

void PortHandler::on_disconnect(ClientId client) {
    greeted_.erase(client);
    forget(client);
}

void PortHandler::on_line(ClientId client, std::string_view line, LineProblem problem) {
    auto reply_error = [&](const ProtocolError& e) {
        server_.send_line(client, "ERR " + e.code + " " + e.message);
    };
    if (problem == LineProblem::TooLong) {
        return reply_error({"line_too_long", "line longer than " + std::to_string(kMaxLineBytes) +
                                                 " bytes discarded (it began '" + c_escape(line) +
                                                 "')"});
    }
    if (problem == LineProblem::BadByte) {
        std::string shown = c_escape(line.substr(0, 48));
        return reply_error({"bad_byte", "control byte in line '" + shown + "'"});
    }
    if (line.empty())
        return; // blank lines are harmless keep-alives
    if (greeted_.count(client)) {
        if (auto raw = raw_line(client, line)) {
            device_.flush_events();
            if (!*raw)
                return reply_error(raw->error());
            return server_.send_line(client, (*raw)->empty() ? "OK" : "OK " + **raw);
        }
    }
    auto parsed = parse_command_line(line);
    if (!parsed)
        return reply_error(parsed.error());
    const CommandLine& cmd = *parsed;
    if (cmd.words.empty()) {
        if (cmd.named.empty())
            return; // only spaces: as harmless as a blank line
        return reply_error(bad_argument("a command starts with a word, got '" +
                                        c_escape(line.substr(0, 48)) + "'"));
    }
    const std::string verb = cmd.word_upper(0);
    if (verb == "PING")
        return server_.send_line(client, "OK PONG");
    if (verb == "HELLO") {
        if (cmd.words.size() != 3 || cmd.word_upper(1) != protocol_)
            return reply_error(bad_argument("expected HELLO " + protocol_ + " " +
                                            std::to_string(kProtocolVersion)));
        if (cmd.words[2] != std::to_string(kProtocolVersion))
            return reply_error({"version_mismatch", "device speaks " +
                                                        std::to_string(kProtocolVersion) +
                                                        ", client asked " + cmd.words[2]});
        greeted_.insert(client);
        return server_.send_line(client,
                                 "OK " + protocol_ + " " + std::to_string(kProtocolVersion));
    }
    if (!greeted_.count(client))
        return reply_error({"not_ready", "send HELLO " + protocol_ + " " +
                                             std::to_string(kProtocolVersion) + " first"});
    Parsed<std::string> result = verb == "TIME" ? time_command(cmd) : command(client, cmd);
    device_.flush_events(); // what the command caused goes out before its reply
    if (!result)
        return reply_error(result.error());
    server_.send_line(client, result->empty() ? "OK" : "OK " + *result);
}

Parsed<std::string> PortHandler::time_command(const CommandLine& cmd) {
    const bool is_virtual = device_.clock().mode() == ClockMode::Virtual;
    auto now_text = [&] { return "now_ms=" + std::to_string(device_.clock().now().count()); };
    const std::string sub = cmd.word_upper(1);
    if (sub.empty())
        return now_text() + (is_virtual ? " mode=virtual" : " mode=realtime");
    if (sub != "ADVANCE" && sub != "UNTIL")
        return bad_argument("TIME takes nothing, ADVANCE <ms> or UNTIL <ms>; got '" + cmd.words[1] +
                            "'");
    if (!is_virtual)
        return ProtocolError{"wrong_state", "the clock runs in real time; start bwc-emu without "
                                            "--realtime to drive time"};
    if (cmd.words.size() != 3)
        return missing_argument("TIME " + sub + " needs a number of milliseconds");
    // Up to a year per step: long enough for any lock-out, bounded so a typo
    // cannot make the emulator spin for hours.
    auto ms = parse_integer(cmd.words[2], "milliseconds", 0, fw::days(366).count());
    if (!ms)
        return ms.error();
    const Millis target = sub == "ADVANCE" ? device_.clock().now() + Millis{*ms} : Millis{*ms};
    if (target < device_.clock().now())
        return bad_argument("TIME UNTIL " + cmd.words[2] + " is in the past (now_ms=" +
                            std::to_string(device_.clock().now().count()) + ")");
    device_.run_until(target);
    return now_text();
}

void NmeaPort::broadcast(std::string_view bytes) {
    for (ClientId c : clients_)
        server_.send_raw(c, bytes);
}

} // namespace bwc::emu
