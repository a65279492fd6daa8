// `bench vision inspect IMAGE…`: what the bench's machine vision (bench/vision/) sees in frames
// of a fixture camera — registration, colour reference, every LED, the W120 display — printed
// as one JSON object per image, for people checking a station's camera and for scripts.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

/// `args` follow "bench vision". Returns 0 when every image was read, 1 when some frame was
/// rejected (its JSON says why), 2 on a usage error or a file that cannot be read (named).
int vision_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace bwc::bench
