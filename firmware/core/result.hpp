// Result<T, E>: a value or an error describing what could not be done, for
// the core's parsers and managers (errors are values; exceptions only at parse
// boundaries of host programs). A subset of C++23's std::expected.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace bwc::fw {

template <class T, class E = std::string>
class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    /// Implicit from an error when the two types cannot be confused.
    Result(E error) requires(!std::is_same_v<T, E>)
        : v_(std::in_place_index<1>, std::move(error)) {}

    static Result success(T value) { return Result(std::move(value)); }
    static Result failure(E error) {
        Result r(Tag{});
        r.v_.template emplace<1>(std::move(error));
        return r;
    }

    bool ok() const { return v_.index() == 0; }
    bool has_value() const { return ok(); }
    explicit operator bool() const { return ok(); }
    /// Precondition: ok(). Calling it on an error is a programming error.
    /// The rvalue form moves the value out (e.g. a std::unique_ptr).
    const T& value() const& { return std::get<0>(v_); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    /// A default-constructed E (an empty message) when ok(), so a caller may
    /// pass error() to a log or a test message unconditionally.
    const E& error() const {
        static const E none{};
        return ok() ? none : std::get<1>(v_);
    }

private:
    struct Tag {};
    explicit Result(Tag) {}
    std::variant<T, E> v_;
};

} // namespace bwc::fw
