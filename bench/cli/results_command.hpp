// `bench results`: list, show and export the test records of a results
// directory (bench/record/store.hpp). bench_main.cpp hands over everything
// after the word "results".
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

/// Exit status: 0 done, 2 bad usage or a file/database problem (the message
/// on `err` says which and what to do).
int results_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace bwc::bench
