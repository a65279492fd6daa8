// `bench devices`: what this machine can reach — serial ports
// (libserialport), USB devices (libusb) — and, with --station, whether every
// endpoint the station file names answers, with the banner each device sends.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

int devices_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace bwc::bench
