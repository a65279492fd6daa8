// Why a frame cannot be read: a closed set of codes, each with one meaning, plus a message that
// says what was seen ("found 2 of 4 markers of the W120 nest"). Every vision entry point returns
// its reading or a Rejection — a rejected frame is an answer for the step that asked, not a fault.
#pragma once

#include "firmware/core/result.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace bwc::vision {

enum class RejectionCode {
    Unregistered, // the nest markers do not give a trustworthy face → image mapping
    Clipped,      // the colour reference or a region to read is saturated: colours are unknown
    WrongModel,   // the nest's markers belong to another model than the one expected
    TooFewFrames, // a pattern needs more frames (per phase, or over the span) than it was given
};

struct Rejection {
    RejectionCode code;
    std::string message;
};

/// A reading of type T, or why there is none.
template <class T>
using Reading = fw::Result<T, Rejection>;

std::string_view to_string(RejectionCode);

void to_json(nlohmann::json&, const Rejection&);

} // namespace bwc::vision
