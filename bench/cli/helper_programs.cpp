// Finding the helper programs (see helper_programs.hpp).
#include "bench/cli/helper_programs.hpp"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <vector>

namespace bwc::bench {
namespace {

std::string find_program(const std::string& explicit_path, const char* env_var,
                         const std::string& self, const std::string& name,
                         const std::string& build_folder, const char* build_path) {
    if (!explicit_path.empty())
        return explicit_path;
    if (const char* env = std::getenv(env_var))
        return env;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto dir = ec ? std::filesystem::path(self).parent_path() : exe.parent_path();
    for (const auto& candidate : {dir / name, dir / ".." / build_folder / name})
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
    if (build_path && access(build_path, X_OK) == 0)
        return build_path;
    return name;
}

} // namespace

std::string find_emulator_program(const std::string& explicit_path, const std::string& self) {
#ifdef BWC_EMU_BUILD_PATH
    const char* build = BWC_EMU_BUILD_PATH;
#else
    const char* build = nullptr;
#endif
    return find_program(explicit_path, "BWC_EMU", self, "bwc-emu", "firmware/emu", build);
}

std::string find_fixtures_program(const std::string& explicit_path, const std::string& self) {
#ifdef BWC_FIXTURES_BUILD_PATH
    const char* build = BWC_FIXTURES_BUILD_PATH;
#else
    const char* build = nullptr;
#endif
    return find_program(explicit_path, "BWC_FIXTURES", self, "bwc-fixtures", "fixtures", build);
}

} // namespace bwc::bench
