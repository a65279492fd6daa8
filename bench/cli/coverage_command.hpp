// `bench coverage`: proves an end-of-line procedure against every fault the
// emulators can inject into a model (a table of fault, expected failing step
// and code, actual, caught or escaped) and counts false fails over many good
// units under random render conditions (procedures/eol/coverage.yaml).
#pragma once

#include <string>
#include <vector>

namespace bwc::bench {

/// `self` is argv[0], used to find bwc-emu and bwc-fixtures.
int coverage_command(const std::vector<std::string>& args, const std::string& self);

} // namespace bwc::bench
