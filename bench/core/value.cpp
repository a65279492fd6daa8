// Value printing and comparison (see value.hpp).
#include "bench/core/value.hpp"

#include <cmath>
#include <cstdio>

namespace bwc::bench {

const char* type_name(const Value& v) {
    switch (v.index()) {
    case 1:
        return "bool";
    case 2:
        return "number";
    case 3:
        return "text";
    default:
        return "none";
    }
}

std::string to_text(const Value& v) {
    if (const bool* b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
    if (const double* d = std::get_if<double>(&v)) {
        if (std::isfinite(*d) && std::fabs(*d) < 1e15 && *d == std::trunc(*d))
            return std::to_string(static_cast<long long>(*d));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", *d);
        return buf;
    }
    if (const std::string* s = std::get_if<std::string>(&v))
        return *s;
    return "";
}

bool same_value(const Value& a, const Value& b) {
    return a == b;
}

} // namespace bwc::bench
