// Progress on a terminal or as plain lines (see progress.hpp).
#include "bench/cli/progress.hpp"

#include "bench/core/value.hpp"

#include <string>

namespace bwc::bench {
namespace {

std::string verdict_text(const BayView& v) {
    if (!v.verdict)
        return std::string(to_string(v.phase));
    std::string s(to_string(*v.verdict));
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string fit(std::string s, std::size_t width) {
    if (s.size() > width)
        s = s.substr(0, width - 1) + "~";
    return s;
}

} // namespace

void ProgressDisplay::update(const RunMonitor& monitor) {
    if (style_ == Style::Quiet)
        return;
    if (style_ == Style::Live) {
        draw_live(monitor.snapshot());
        return;
    }
    for (const RunEvent& e : monitor.events_since(seen_)) {
        seen_ = e.seq;
        // Plain mode is for logs: step lines only when they did not pass.
        if (e.kind == RunEvent::Kind::StepFinished && passed(e.outcome))
            continue;
        std::fprintf(out_, "bay %d: %s\n", e.bay, e.text.c_str());
    }
    std::fflush(out_);
}

void ProgressDisplay::finish(const RunMonitor& monitor) {
    update(monitor);
}

void ProgressDisplay::draw_live(const RunSnapshot& s) {
    std::string frame;
    if (drawn_lines_ > 0)
        frame += "\x1b[" + std::to_string(drawn_lines_) + "F"; // back to the table's first line
    int lines = 0;
    for (const BayView& v : s.bays) {
        std::string line = "bay " + std::to_string(v.bay) + "  " + fit(v.serial, 14);
        line.resize(24, ' ');
        line += fit(verdict_text(v), 10);
        line.resize(35, ' ');
        if (v.step_count > 0)
            line += std::to_string(std::min(v.step_index + 1, v.step_count)) + "/" +
                    std::to_string(v.step_count) + " ";
        line += fit(v.verdict ? (v.first_failing_step.empty() ? "" : "at " + v.first_failing_step)
                              : v.step_id,
                    28);
        if (v.last_measurement && !v.verdict)
            line +=
                "  " + v.last_measurement->name + "=" + fit(to_text(v.last_measurement->value), 16);
        if (!v.cause.empty())
            line += "  " + fit(v.cause, 60);
        frame += line + "\x1b[K\n";
        ++lines;
    }
    for (const PendingPrompt& p : s.prompts) {
        frame += "bay " + std::to_string(p.bay) + " asks: " + p.request.text + "\x1b[K\n";
        ++lines;
    }
    // Lines left over from a longer previous frame are cleared.
    for (int i = lines; i < drawn_lines_; ++i)
        frame += "\x1b[K\n";
    drawn_lines_ = std::max(lines, drawn_lines_);
    std::fputs(frame.c_str(), out_);
    std::fflush(out_);
}

} // namespace bwc::bench
