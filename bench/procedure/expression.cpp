// Tokenizer, recursive-descent parser and evaluator of run_if expressions
// (see expression.hpp).
#include "bench/procedure/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace bwc::bench {
namespace {

enum class Tok { End, Number, Text, Name, LParen, RParen, LBracket, RBracket, Comma, Compare };

struct Token {
    Tok kind = Tok::End;
    std::string text; // Name and Compare spelling, Text contents
    double number = 0;
    std::size_t offset = 0;
};

bool name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}
bool digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Quoted text in value form for messages: "W120", 3, true.
std::string show(const Value& v) {
    if (std::holds_alternative<std::string>(v))
        return "\"" + std::get<std::string>(v) + "\"";
    if (std::holds_alternative<std::monostate>(v))
        return "nothing";
    return to_text(v);
}

std::string typed(const Value& v) {
    return std::string(type_name(v)) + " " + show(v);
}

} // namespace

// Parses into Expression::nodes_. Errors stop at the first problem.
class Expression::Parser {
public:
    Parser(std::string_view text, Expression& out) : text_(text), out_(out) {}

    Result<int, SyntaxError> run() {
        if (auto e = lex())
            return *e;
        if (tokens_.size() == 1)
            return SyntaxError{0, "empty expression"};
        auto root = parse_or();
        if (!root)
            return root;
        if (peek().kind != Tok::End)
            return error_here("unexpected " + describe(peek()) + " after a complete expression");
        return root;
    }

private:
    static constexpr int kMaxDepth = 64;

    std::optional<SyntaxError> lex() {
        std::size_t i = 0;
        while (i < text_.size()) {
            const char c = text_[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++i;
                continue;
            }
            Token t;
            t.offset = i;
            if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
                t.kind = c == '('   ? Tok::LParen
                         : c == ')' ? Tok::RParen
                         : c == '[' ? Tok::LBracket
                         : c == ']' ? Tok::RBracket
                                    : Tok::Comma;
                ++i;
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                const bool two = i + 1 < text_.size() && text_[i + 1] == '=';
                if (!two && (c == '=' || c == '!'))
                    return SyntaxError{i, c == '=' ? "'=' is not an operator: compare with '=='"
                                                   : "'!' is not an operator: use 'not' or '!='"};
                t.kind = Tok::Compare;
                t.text = std::string(text_.substr(i, two ? 2 : 1));
                i += two ? 2 : 1;
            } else if (c == '&' || c == '|') {
                return SyntaxError{i, std::string("'") + c + "' is not an operator: use '" +
                                          (c == '&' ? "and" : "or") + "'"};
            } else if (c == '"' || c == '\'') {
                t.kind = Tok::Text;
                std::size_t j = i + 1;
                for (; j < text_.size() && text_[j] != c; ++j) {
                    if (c == '"' && text_[j] == '\\' && j + 1 < text_.size())
                        ++j;
                    t.text += text_[j];
                }
                if (j >= text_.size())
                    return SyntaxError{i, std::string("text starting here has no closing ") + c};
                i = j + 1;
            } else if (digit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < text_.size() &&
                                    (digit(text_[i + 1]) || text_[i + 1] == '.'))) {
                std::size_t j = i + 1;
                while (j < text_.size() &&
                       (digit(text_[j]) || text_[j] == '.' || text_[j] == 'e' || text_[j] == 'E' ||
                        ((text_[j] == '-' || text_[j] == '+') &&
                         (text_[j - 1] == 'e' || text_[j - 1] == 'E'))))
                    ++j;
                const std::string_view spelled = text_.substr(i, j - i);
                const char* first = spelled.data() + (spelled.front() == '+' ? 1 : 0);
                const auto [end, ec] =
                    std::from_chars(first, spelled.data() + spelled.size(), t.number);
                if (ec != std::errc() || end != spelled.data() + spelled.size() ||
                    !std::isfinite(t.number))
                    return SyntaxError{i, "'" + std::string(spelled) + "' is not a number"};
                if (j < text_.size() && name_char(text_[j]))
                    return SyntaxError{i, "'" + std::string(text_.substr(i, j - i + 1)) +
                                              "…' is not a number or a name"};
                t.kind = Tok::Number;
                i = j;
            } else if (name_start(c)) {
                std::size_t j = i + 1;
                while (j < text_.size() && name_char(text_[j]))
                    ++j;
                t.kind = Tok::Name;
                t.text = std::string(text_.substr(i, j - i));
                if (!is_reference_name(t.text))
                    return SyntaxError{i, "'" + t.text +
                                              "' is not a name (parts joined by single dots)"};
                i = j;
            } else if (c == '$' && i + 1 < text_.size() && text_[i + 1] == '{') {
                return SyntaxError{i, "write names in run_if without ${…}: model == \"W120\""};
            } else {
                return SyntaxError{i, "unexpected character '" + std::string(1, c) + "'"};
            }
            tokens_.push_back(std::move(t));
        }
        Token end;
        end.offset = text_.size();
        tokens_.push_back(end);
        return std::nullopt;
    }

    const Token& peek() const { return tokens_[pos_]; }
    bool at_word(std::string_view w) const { return peek().kind == Tok::Name && peek().text == w; }
    static bool keyword(std::string_view w) {
        return w == "and" || w == "or" || w == "not" || w == "in" || w == "true" || w == "false";
    }

    std::string describe(const Token& t) const {
        switch (t.kind) {
        case Tok::End:
            return "end of expression";
        case Tok::Name:
            return "'" + t.text + "'";
        case Tok::Compare:
            return "'" + t.text + "'";
        case Tok::Number:
        case Tok::Text:
            return "value";
        default:
            return "'" + std::string(1, text_[t.offset]) + "'";
        }
    }

    SyntaxError error_here(std::string message) const {
        return SyntaxError{peek().offset, std::move(message)};
    }

    int add(Node n) {
        out_.nodes_.push_back(std::move(n));
        return static_cast<int>(out_.nodes_.size() - 1);
    }

    Result<int, SyntaxError> deeper() {
        if (++depth_ > kMaxDepth)
            return error_here("expression nested too deeply");
        return 0;
    }

    Result<int, SyntaxError> parse_or() {
        if (auto d = deeper(); !d)
            return d;
        auto left = parse_and();
        while (left && at_word("or")) {
            const std::size_t at = peek().offset;
            ++pos_;
            auto right = parse_and();
            if (!right)
                return right;
            left = add(Node{Op::Or, {}, {}, at, *left, *right, {}});
        }
        --depth_;
        return left;
    }

    Result<int, SyntaxError> parse_and() {
        auto left = parse_not();
        while (left && at_word("and")) {
            const std::size_t at = peek().offset;
            ++pos_;
            auto right = parse_not();
            if (!right)
                return right;
            left = add(Node{Op::And, {}, {}, at, *left, *right, {}});
        }
        return left;
    }

    Result<int, SyntaxError> parse_not() {
        if (at_word("not")) {
            const std::size_t at = peek().offset;
            ++pos_;
            if (auto d = deeper(); !d)
                return d;
            auto inner = parse_not();
            --depth_;
            if (!inner)
                return inner;
            return add(Node{Op::Not, {}, {}, at, *inner, -1, {}});
        }
        return parse_compare();
    }

    Result<int, SyntaxError> parse_compare() {
        auto left = parse_primary();
        if (!left)
            return left;
        const std::size_t at = peek().offset;
        if (peek().kind == Tok::Compare) {
            const std::string op = peek().text;
            ++pos_;
            auto right = parse_primary();
            if (!right)
                return right;
            if (peek().kind == Tok::Compare)
                return error_here("comparisons do not chain: join them with 'and'");
            const Op kind = op == "=="   ? Op::Eq
                            : op == "!=" ? Op::Ne
                            : op == "<"  ? Op::Lt
                            : op == "<=" ? Op::Le
                            : op == ">"  ? Op::Gt
                                         : Op::Ge;
            return add(Node{kind, {}, {}, at, *left, *right, {}});
        }
        bool negated = false;
        if (at_word("not") && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].kind == Tok::Name &&
            tokens_[pos_ + 1].text == "in") {
            negated = true;
            ++pos_;
        }
        if (at_word("in")) {
            ++pos_;
            if (peek().kind != Tok::LBracket)
                return error_here("expected '[' after 'in': bay in [1, 2]");
            ++pos_;
            Node n{negated ? Op::NotIn : Op::In, {}, {}, at, *left, -1, {}};
            if (peek().kind != Tok::RBracket) {
                while (true) {
                    auto item = parse_primary();
                    if (!item)
                        return item;
                    n.items.push_back(*item);
                    if (peek().kind == Tok::Comma) {
                        ++pos_;
                        continue;
                    }
                    break;
                }
            }
            if (peek().kind != Tok::RBracket)
                return error_here("expected ',' or ']' in the list, found " + describe(peek()));
            ++pos_;
            return add(std::move(n));
        }
        if (negated)
            return error_here("expected 'in' after 'not'");
        return left;
    }

    Result<int, SyntaxError> parse_primary() {
        const Token& t = peek();
        switch (t.kind) {
        case Tok::Number:
            ++pos_;
            return add(Node{Op::Literal, Value(t.number), {}, t.offset, -1, -1, {}});
        case Tok::Text:
            ++pos_;
            return add(Node{Op::Literal, Value(t.text), {}, t.offset, -1, -1, {}});
        case Tok::Name:
            if (t.text == "true" || t.text == "false") {
                ++pos_;
                return add(Node{Op::Literal, Value(t.text == "true"), {}, t.offset, -1, -1, {}});
            }
            if (keyword(t.text))
                return error_here("expected a value before '" + t.text + "'");
            ++pos_;
            out_.names_.push_back(NameUse{t.text, t.offset});
            return add(Node{Op::Name, {}, t.text, t.offset, -1, -1, {}});
        case Tok::LParen: {
            ++pos_;
            auto inner = parse_or();
            if (!inner)
                return inner;
            if (peek().kind != Tok::RParen)
                return error_here("expected ')' , found " + describe(peek()));
            ++pos_;
            return inner;
        }
        case Tok::End:
            return error_here("expression ends where a value was expected");
        default:
            return error_here("expected a value, found " + describe(t));
        }
    }

    std::string_view text_;
    Expression& out_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

Result<Expression, Expression::SyntaxError> Expression::parse(std::string_view text) {
    Expression e;
    e.text_ = std::string(text);
    Parser parser(e.text_, e);
    auto root = parser.run();
    if (!root)
        return root.error();
    e.root_ = *root;
    return e;
}

Result<bool> Expression::evaluate(NameLookup names) const {
    if (root_ < 0)
        return Result<bool>::failure("empty expression");
    return eval_bool(root_, names, "run_if");
}

Result<bool> Expression::eval_bool(int node, NameLookup names, std::string_view what) const {
    auto v = eval(node, names);
    if (!v)
        return Result<bool>::failure(v.error());
    if (const bool* b = std::get_if<bool>(&*v))
        return *b;
    return Result<bool>::failure(std::string(what) + " needs true or false, got " + typed(*v));
}

Result<Value> Expression::eval(int index, NameLookup names) const {
    const Node& n = nodes_[static_cast<std::size_t>(index)];
    switch (n.op) {
    case Op::Literal:
        return n.value;
    case Op::Name: {
        if (const Value* v = names(n.name))
            return *v;
        return Result<Value>::failure("unknown name '" + n.name + "'");
    }
    case Op::Not: {
        auto b = eval_bool(n.left, names, "'not'");
        if (!b)
            return Result<Value>::failure(b.error());
        return Value(!*b);
    }
    case Op::And:
    case Op::Or: {
        const char* word = n.op == Op::And ? "'and'" : "'or'";
        auto a = eval_bool(n.left, names, word);
        if (!a)
            return Result<Value>::failure(a.error());
        // Short-circuit: the right side is not evaluated when the left decides.
        if (*a == (n.op == Op::Or))
            return Value(*a);
        auto b = eval_bool(n.right, names, word);
        if (!b)
            return Result<Value>::failure(b.error());
        return Value(*b);
    }
    case Op::In:
    case Op::NotIn: {
        auto x = eval(n.left, names);
        if (!x)
            return x;
        bool found = false;
        for (int item : n.items) {
            auto y = eval(item, names);
            if (!y)
                return y;
            if (x->index() != y->index())
                return Result<Value>::failure("cannot compare " + typed(*x) + " with " + typed(*y));
            found = found || same_value(*x, *y);
        }
        return Value(n.op == Op::In ? found : !found);
    }
    default:
        break;
    }
    auto a = eval(n.left, names);
    if (!a)
        return a;
    auto b = eval(n.right, names);
    if (!b)
        return b;
    if (a->index() != b->index())
        return Result<Value>::failure("cannot compare " + typed(*a) + " with " + typed(*b));
    if (n.op == Op::Eq)
        return Value(same_value(*a, *b));
    if (n.op == Op::Ne)
        return Value(!same_value(*a, *b));
    const double* x = std::get_if<double>(&*a);
    const double* y = std::get_if<double>(&*b);
    if (!x || !y)
        return Result<Value>::failure("'<', '<=', '>' and '>=' compare numbers, got " + typed(*a) +
                                      " and " + typed(*b));
    switch (n.op) {
    case Op::Lt:
        return Value(*x < *y);
    case Op::Le:
        return Value(*x <= *y);
    case Op::Gt:
        return Value(*x > *y);
    default:
        return Value(*x >= *y);
    }
}

} // namespace bwc::bench
