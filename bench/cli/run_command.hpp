// `bench run`: one procedure over the bays of a real station (--station) or
// of an emulated one it starts and stops itself (--emulate), with live
// progress, records in the results store and an optional JSON summary.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

/// `self` is argv[0], used to find the emulator next to the bench binary.
int run_command(const std::vector<std::string>& args, const std::string& self);

} // namespace bwc::bench
