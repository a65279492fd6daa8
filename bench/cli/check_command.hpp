// `bench check FILE...`: validates procedure and station files and prints
// every problem as "file:line:col: message"; `--list-steps` prints the step
// types a procedure can use. The checking itself is bench/procedure/check.hpp.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

/// `args` follow "bench check". Diagnostics go to `err`, one per line;
/// "FILE: ok (…)" lines, help and the step list to `out`. Returns 0 when
/// every file is good, 2 on any error or a usage error.
int check_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace bwc::bench
