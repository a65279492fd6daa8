// `bench check` as a program: the six broken files of the acceptance test
// (bad YAML, unknown step type, limit without units, low > high, unknown URI
// scheme, duplicate bay) each exit 2 with exactly one precise message; the
// example files pass; and a few thousand mutated versions of the examples
// (deterministic seed: byte flips, line deletions and duplications,
// truncations, token swaps, YAML punctuation) never crash it — exit 0 or 2,
// every stderr line "file:line:col: message" or "file: message". The bulk runs
// in-process through check_text(); a sample runs through the real binary, many
// files per invocation.
#include "bench/procedure/check.hpp"
#include "emu_process.hpp" // TempDir
#include "run_program.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using bwc::test::run_program;
using bwc::test::TempDir;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
constexpr unsigned kSeed = 20240611;
constexpr int kInProcessMutants = 8000;
constexpr int kBinaryMutants = 2000;
constexpr int kFilesPerRun = 100;

// A procedure every acceptance case breaks in one place.
const std::string kProcedure = R"(procedure: acceptance
version: 1.0.0
products: [camera]
models: [W100, W120]
main:
  - id: identify
    type: identify
    measurements:
      - {name: model, equals: "${model}"}
  - id: hold-record
    type: button.hold_threshold
    args: {button: record}
    measurements:
      - {name: threshold_ms, unit: C26, low: 2850, high: 3150}
)";

const std::string kStation = R"(station: acceptance
dock: {model: W701, serial: D1, uri: "tcp://127.0.0.1:7124"}
bays:
  - bay: 1
    camera: tcp://127.0.0.1:7100
  - bay: 2
    camera: tcp://127.0.0.1:7103
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, "test bug: '" << from << "' not found");
    return text.replace(at, from.size(), to);
}

void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream s(text);
    for (std::string line; std::getline(s, line);)
        out.push_back(line);
    return out;
}

// "file:line:col: message" or "file: message", for a file among `files`.
bool well_formed(const std::string& line, const std::set<std::string>& files) {
    static const std::regex positioned(R"(^([^:]+):\d+:\d+: .+)");
    static const std::regex plain(R"(^([^:]+): .+)");
    std::smatch m;
    if (std::regex_match(line, m, positioned) || std::regex_match(line, m, plain))
        return files.empty() || files.count(m[1].str()) > 0;
    return false;
}

// The example files shipped with the repository: the fuzz seeds.
std::vector<std::pair<std::string, std::string>> examples() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* dir : {"/procedures/examples", "/stations/examples", "/procedures/smoke"}) {
        const fs::path d = std::string(BWC_SOURCE_DIR) + dir;
        if (!fs::is_directory(d))
            continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(d))
            if (e.path().extension() == ".yaml")
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files)
            out.emplace_back(f.string(), read(f));
    }
    return out;
}

// One random edit of the kinds a person or a broken disk makes.
class Mutator {
public:
    explicit Mutator(unsigned seed) : rng_(seed) {}

    std::string mutate(std::string text) {
        const int edits = 1 + pick(3);
        for (int i = 0; i < edits && !text.empty(); ++i)
            text = edit(std::move(text));
        return text;
    }

private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    std::size_t pick_pos(std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng_);
    }

    std::string edit(std::string text) {
        switch (pick(10)) {
        case 0: { // flip a bit
            text[pick_pos(text.size())] ^= static_cast<char>(1 << pick(8));
            return text;
        }
        case 1: { // a YAML character where it does not belong
            static const std::string specials = "[]{}:,&*!|>'\"#-%@`\t ?\n\\$";
            text.insert(pick_pos(text.size()), 1, specials[pick_pos(specials.size())]);
            return text;
        }
        case 2: { // truncate
            text.resize(pick_pos(text.size()));
            return text;
        }
        case 3:
        case 4: { // delete or duplicate a line
            auto ls = lines(text);
            const std::size_t at = pick_pos(ls.size());
            if (pick(2) == 0)
                ls.erase(ls.begin() + static_cast<long>(at));
            else
                ls.insert(ls.begin() + static_cast<long>(at), ls[at]);
            std::string out;
            for (const std::string& l : ls)
                out += l + "\n";
            return out;
        }
        case 5: { // swap two lines
            auto ls = lines(text);
            std::swap(ls[pick_pos(ls.size())], ls[pick_pos(ls.size())]);
            std::string out;
            for (const std::string& l : ls)
                out += l + "\n";
            return out;
        }
        case 6: {                                                    // swap two tokens
            std::vector<std::pair<std::size_t, std::size_t>> tokens; // begin, length
            for (std::size_t i = 0; i < text.size();) {
                while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
                    ++i;
                const std::size_t b = i;
                while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
                    ++i;
                if (i > b)
                    tokens.emplace_back(b, i - b);
            }
            if (tokens.size() < 2)
                return text;
            auto a = tokens[pick_pos(tokens.size())];
            auto b = tokens[pick_pos(tokens.size())];
            if (a.first > b.first)
                std::swap(a, b);
            if (a.first + a.second > b.first)
                return text;
            const std::string ta = text.substr(a.first, a.second);
            const std::string tb = text.substr(b.first, b.second);
            text.replace(b.first, b.second, ta);
            text.replace(a.first, a.second, tb);
            return text;
        }
        case 7: { // a number grows absurd or negative
            static const std::vector<std::string> numbers{
                "99999999999999999999999", "-1", "1e999", "0", "0x7fffffffffffffff", "3.5", ".inf"};
            const auto digit = text.find_first_of("0123456789", pick_pos(text.size()));
            if (digit == std::string::npos)
                return text;
            auto end = text.find_first_not_of("0123456789", digit);
            if (end == std::string::npos)
                end = text.size();
            text.replace(digit, end - digit, numbers[pick_pos(numbers.size())]);
            return text;
        }
        case 8: { // anchors and aliases, sometimes referring to themselves
            static const std::vector<std::string> bits{"&a ", "*a", "&a [*a]", "<<: *a",
                                                       "!!binary "};
            text.insert(pick_pos(text.size()), bits[pick_pos(bits.size())]);
            return text;
        }
        default: { // a key renamed
            const auto colon = text.find(':', pick_pos(text.size()));
            if (colon == std::string::npos || colon == 0)
                return text;
            text.insert(colon, pick(2) ? "x" : "_");
            return text;
        }
        }
    }

    std::mt19937 rng_;
};

std::vector<std::pair<std::string, std::string>> mutants(int count) {
    const auto seeds = examples();
    BOOST_TEST_REQUIRE(seeds.size() >= 3u, "the example files are missing");
    Mutator m(kSeed);
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < count; ++i) {
        const auto& [path, text] = seeds[static_cast<std::size_t>(i) % seeds.size()];
        out.emplace_back(fs::path(path).stem().string() + "-" + std::to_string(i) + ".yaml",
                         m.mutate(text));
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_check_fuzz)

BOOST_AUTO_TEST_CASE(acceptance_files_give_one_precise_message_each) {
    BOOST_TEST_REQUIRE(fs::exists(kBench), kBench << " is not built");
    TempDir dir("bench-check");
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases{
        // file, contents, where (a token of the line it must point at), message
        {"bad-yaml.yaml", replaced(kProcedure, "models: [W100, W120]", "models: [W100, W120"),
         "models:", "YAML syntax error"},
        {"unknown-step.yaml",
         replaced(kProcedure, "button.hold_threshold", "button.hold_threshhold"),
         "button.hold_threshhold",
         "unknown step type 'button.hold_threshhold' (did you mean "
         "'button.hold_threshold'?)"},
        {"no-units.yaml", replaced(kProcedure, "unit: C26, low", "low"), "low: 2850",
         "limit without units"},
        {"low-above-high.yaml",
         replaced(kProcedure, "low: 2850, high: 3150", "low: 3150, high: 2850"), "3150, high",
         "low 3150 is above high 2850"},
        {"bad-scheme.yaml", replaced(kStation, "tcp://127.0.0.1:7103", "tpc://127.0.0.1:7103"),
         "tpc://", "unknown scheme \"tpc\""},
        {"duplicate-bay.yaml", replaced(kStation, "bay: 2", "bay: 1"),
         "1\n    camera: tcp://127.0.0.1:7103", "duplicate bay 1"},
    };
    for (const auto& [name, text, where, message] : cases) {
        const std::string path = dir.path() + "/" + name;
        write(path, text);
        const auto r = run_program(kBench, {"check", path});
        BOOST_TEST(r.exit_code == 2, name);
        BOOST_TEST(r.out.empty(), name << ": " << r.out);
        const auto err = lines(r.err);
        BOOST_TEST_REQUIRE(err.size() == 1u, name << ":\n" << r.err);
        // The line of the position is the line of the token.
        const auto at = text.find(where);
        const int line =
            static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) +
            1;
        const std::string prefix = path + ":" + std::to_string(line) + ":";
        BOOST_TEST_REQUIRE(err[0].rfind(prefix, 0) == 0u, name << ": " << err[0]);
        static const std::regex column_and_message(R"(^\d+: (.*)$)");
        const std::string rest = err[0].substr(prefix.size());
        std::smatch m;
        BOOST_TEST_REQUIRE(std::regex_match(rest, m, column_and_message), name << ": " << err[0]);
        BOOST_TEST(m[1].str().find(message) != std::string::npos, name << ": " << err[0]);
    }
}

BOOST_AUTO_TEST_CASE(example_files_pass) {
    BOOST_TEST_REQUIRE(fs::exists(kBench), kBench << " is not built");
    std::vector<std::string> args{"check"};
    for (const auto& [path, text] : examples())
        args.push_back(path);
    const auto r = run_program(kBench, args);
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.empty());
    for (std::size_t i = 1; i < args.size(); ++i)
        BOOST_TEST(r.out.find(args[i] + ": ok (") != std::string::npos, args[i]);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    BOOST_TEST_REQUIRE(fs::exists(kBench), kBench << " is not built");
    BOOST_TEST(run_program(kBench, {"check"}).exit_code == 2);
    BOOST_TEST(run_program(kBench, {"check", "--frobnicate"}).exit_code == 2);
    const auto help = run_program(kBench, {"check", "--help"});
    BOOST_TEST(help.exit_code == 0);
    BOOST_TEST(help.out.find("bench check FILE") != std::string::npos);
    const auto steps = run_program(kBench, {"check", "--list-steps"});
    BOOST_TEST(steps.exit_code == 0);
    BOOST_TEST(steps.out.find("button.hold_threshold") != std::string::npos);
    BOOST_TEST(steps.out.find("threshold_ms") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mutated_files_never_crash_check_text) {
    int good = 0;
    for (const auto& [name, text] : mutants(kInProcessMutants)) {
        bwc::bench::CheckReport r;
        BOOST_CHECK_NO_THROW(r = bwc::bench::check_text(text, name));
        if (r.ok()) {
            ++good;
            BOOST_TEST(!r.summary.empty(), name);
        }
        for (const auto& d : r.diagnostics)
            BOOST_TEST(well_formed(d.text(), {name}), name << ": " << d.text());
    }
    // Most mutants are broken, some survive: the mutations are neither no-ops nor all fatal.
    BOOST_TEST(good < kInProcessMutants);
}

BOOST_AUTO_TEST_CASE(mutated_files_never_crash_the_binary) {
    BOOST_TEST_REQUIRE(fs::exists(kBench), kBench << " is not built");
    TempDir dir("bench-check-fuzz");
    const auto all = mutants(kBinaryMutants);
    int broken = 0;
    for (std::size_t start = 0; start < all.size(); start += kFilesPerRun) {
        std::vector<std::string> args{"check"};
        std::set<std::string> files;
        for (std::size_t i = start; i < std::min(all.size(), start + kFilesPerRun); ++i) {
            const std::string path = dir.path() + "/" + all[i].first;
            write(path, all[i].second);
            args.push_back(path);
            files.insert(path);
        }
        const auto r = run_program(kBench, args);
        BOOST_TEST_REQUIRE((r.exit_code == 0 || r.exit_code == 2),
                           "exit " << r.exit_code << " (a signal is 128 + its number) on files "
                                   << args[1] << " …");
        std::set<std::string> reported;
        for (const std::string& line : lines(r.err)) {
            BOOST_TEST(well_formed(line, files), line);
            reported.insert(line.substr(0, line.find(':')));
        }
        for (const std::string& line : lines(r.out)) {
            const auto ok = line.find(": ok (");
            BOOST_TEST((ok != std::string::npos && files.count(line.substr(0, ok))), line);
            reported.insert(line.substr(0, ok));
        }
        // Every file has its verdict: "ok" or at least one diagnostic.
        for (const std::string& f : files)
            BOOST_TEST(reported.count(f) == 1u, f << " got no verdict");
        BOOST_TEST((r.exit_code == 2) == !r.err.empty());
        broken += static_cast<int>(lines(r.err).empty() ? 0 : 1);
    }
    BOOST_TEST(broken > 0);
}

BOOST_AUTO_TEST_SUITE_END()
