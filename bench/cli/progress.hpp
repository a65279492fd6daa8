// The CLI's view of a running run, the first client of RunMonitor: on a
// terminal a live table (one line per bay: phase, step, last measurement,
// verdict) redrawn in place; otherwise plain lines, one per event, that a
// log file or CI output keeps readable.
#pragma once

#include "bench/runner/run_monitor.hpp"

#include <cstdint>
#include <cstdio>

namespace bwc::bench {

class ProgressDisplay {
public:
    enum class Style { Live, Plain, Quiet };
    ProgressDisplay(FILE* out, Style style) : out_(out), style_(style) {}
    /// Draws what changed since the last call.
    void update(const RunMonitor& monitor);
    /// Final draw (the live table stays on screen).
    void finish(const RunMonitor& monitor);

private:
    void draw_live(const RunSnapshot& s);
    FILE* out_;
    Style style_;
    std::uint64_t seen_ = 0;
    int drawn_lines_ = 0;
};

} // namespace bwc::bench
