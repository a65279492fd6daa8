// Where the bench finds the programs it starts itself (bwc-emu,
// bwc-fixtures): an explicit path, an environment variable, beside the bench
// binary or in the build tree.
#pragma once

#include <string>

namespace bwc::bench {

/// bwc-emu: `explicit_path`, else $BWC_EMU, else beside bench or in the build tree.
std::string find_emulator_program(const std::string& explicit_path, const std::string& self);
/// bwc-fixtures: `explicit_path`, else $BWC_FIXTURES, else beside bench or in the build tree.
std::string find_fixtures_program(const std::string& explicit_path, const std::string& self);

} // namespace bwc::bench
