// run_if conditions: a small expression language parsed once when the
// procedure loads and evaluated before each step against the run's names.
//
//   literals     3   -2.5   "text"   'text'   true   false
//   names        model   bay   tolerance_ms   scan.serial   identify.model
//   compare      ==  !=  (any two values of one type)   <  <=  >  >=  (numbers)
//   membership   bay in [1, 2, 3]    model not in ["W100"]
//   logic        and   or   not   ( … )
//
// Values of different types never compare (bay == "3" is an error, not
// false); `and`, `or` and `not` need true/false. Syntax errors carry the
// offset into the text so the loader can point at the column.
#pragma once

#include "bench/core/value.hpp"
#include "bench/procedure/references.hpp" // NameLookup, Result

#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

class Expression {
public:
    struct SyntaxError {
        std::size_t offset = 0; // into the text
        std::string message;
    };
    struct NameUse {
        std::string name;
        std::size_t offset = 0;
    };

    Expression() = default;
    static Result<Expression, SyntaxError> parse(std::string_view text);

    /// true or false; an error names an unknown name or the mismatched values.
    Result<bool> evaluate(NameLookup names) const;
    /// The names it reads, in order of appearance (for the loader's checks).
    const std::vector<NameUse>& names() const { return names_; }
    const std::string& text() const { return text_; }

private:
    enum class Op { Literal, Name, Not, And, Or, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };
    struct Node {
        Op op = Op::Literal;
        Value value;            // Literal
        std::string name;       // Name
        std::size_t offset = 0; // where it starts in the text, for messages
        int left = -1, right = -1;
        std::vector<int> items; // In, NotIn: the list
    };
    class Parser;

    Result<Value> eval(int node, NameLookup names) const;
    Result<bool> eval_bool(int node, NameLookup names, std::string_view what) const;

    std::string text_;
    std::vector<Node> nodes_;
    int root_ = -1;
    std::vector<NameUse> names_;
};

} // namespace bwc::bench
