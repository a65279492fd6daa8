// `bench emulate`: brings up a whole emulated station — bwc-emu with a dock
// and N cameras, bwc-fixtures with every fixture instrument acting on them —
// writes (or prints) its station file and keeps it running until Ctrl-C, so
// engineers can point `bench devices`, `bench check`, `bench run --station`,
// `bench calibrate` and the console at it.
#pragma once

#include <string>
#include <vector>

namespace bwc::bench {

int emulate_command(const std::vector<std::string>& args, const std::string& self);

} // namespace bwc::bench
