// Reading a step's resolved arguments inside measure(): typed getters whose
// errors name the argument and what it held, so a "${x}" that resolved to
// the wrong type, or a value out of range, ends the step with a clear error
// instead of a guess.
#pragma once

#include "bench/transport/uri.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

/// An integer argument in low..high; `fallback` when absent (else an error).
inline Result<std::int64_t> arg_integer(const nlohmann::json& args, const char* name,
                                        std::optional<std::int64_t> fallback = std::nullopt,
                                        std::int64_t low = 0, std::int64_t high = 86'400'000) {
    using R = Result<std::int64_t>;
    auto it = args.find(name);
    std::int64_t v = 0;
    if (it == args.end() || it->is_null()) {
        if (!fallback)
            return R::failure(std::string("argument '") + name + "' is missing");
        v = *fallback;
    } else if (it->is_number_integer()) {
        v = it->get<std::int64_t>();
    } else if (it->is_number_float() && std::isfinite(it->get<double>()) &&
               it->get<double>() == std::trunc(it->get<double>()) &&
               std::fabs(it->get<double>()) < 9e15) {
        v = static_cast<std::int64_t>(it->get<double>());
    } else {
        return R::failure(std::string("argument '") + name + "' must be an integer, not " +
                          it->dump());
    }
    if (v < low || v > high)
        return R::failure(std::string("argument '") + name + "' must be " + std::to_string(low) +
                          ".." + std::to_string(high) + ", not " + std::to_string(v));
    return v;
}

/// A number argument in low..high; `fallback` when absent (else an error).
inline Result<double> arg_number(const nlohmann::json& args, const char* name,
                                 std::optional<double> fallback, double low, double high) {
    auto it = args.find(name);
    double v = 0;
    if (it == args.end() || it->is_null()) {
        if (!fallback)
            return Result<double>::failure(std::string("argument '") + name + "' is missing");
        v = *fallback;
    } else if (it->is_number() && std::isfinite(it->get<double>())) {
        v = it->get<double>();
    } else {
        return Result<double>::failure(std::string("argument '") + name +
                                       "' must be a number, not " + it->dump());
    }
    if (v < low || v > high) {
        char text[96];
        std::snprintf(text, sizeof text, "' must be %g..%g, not %g", low, high, v);
        return Result<double>::failure(std::string("argument '") + name + text);
    }
    return v;
}

inline Result<std::string> arg_text(const nlohmann::json& args, const char* name,
                                    std::optional<std::string> fallback = std::nullopt) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) {
        if (fallback)
            return *fallback;
        return Result<std::string>::failure(std::string("argument '") + name + "' is missing");
    }
    if (it->is_string())
        return it->get<std::string>();
    return Result<std::string>::failure(std::string("argument '") + name + "' must be text, not " +
                                        it->dump());
}

/// A list of texts; empty when absent. Errors name the argument and quote the value.
inline Result<std::vector<std::string>> arg_text_list(const nlohmann::json& args,
                                                      const char* name) {
    using R = Result<std::vector<std::string>>;
    std::vector<std::string> out;
    const auto it = args.find(name);
    if (it == args.end() || it->is_null())
        return out;
    if (!it->is_array())
        return R::failure(std::string("argument '") + name + "' must be a list of texts, not " +
                          it->dump());
    for (const auto& v : *it) {
        if (!v.is_string())
            return R::failure(std::string("argument '") + name + "' holds " + v.dump() +
                              ", not a text");
        out.push_back(v.get<std::string>());
    }
    return out;
}

} // namespace bwc::bench
