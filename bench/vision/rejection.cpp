// Rejection codes' names and JSON (see rejection.hpp).
#include "bench/vision/rejection.hpp"

#include <nlohmann/json.hpp>

namespace bwc::vision {

std::string_view to_string(RejectionCode code) {
    switch (code) {
    case RejectionCode::Unregistered:
        return "unregistered";
    case RejectionCode::Clipped:
        return "clipped";
    case RejectionCode::WrongModel:
        return "wrong_model";
    case RejectionCode::TooFewFrames:
        return "too_few_frames";
    }
    return "?";
}

void to_json(nlohmann::json& j, const Rejection& r) {
    j = nlohmann::json{{"code", to_string(r.code)}, {"message", r.message}};
}

} // namespace bwc::vision
