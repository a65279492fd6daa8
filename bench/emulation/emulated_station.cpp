// Starting and stopping the emulator behind `bench run --emulate` (see emulated_station.hpp).
#include "bench/emulation/emulated_station.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bwc::bench {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Result<Uri> local_uri(const nlohmann::json& port) {
    if (!port.is_number_integer())
        return Result<Uri>::failure("ports file: a port is not a number: " + port.dump());
    return parse_uri("tcp://127.0.0.1:" + std::to_string(port.get<int>()));
}

} // namespace

Result<std::pair<int, std::string>> parse_bay_fault(std::string_view text, int bays) {
    using R = Result<std::pair<int, std::string>>;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        return R::failure("--fault '" + std::string(text) +
                          "': expected BAY:FAULT, e.g. 3:button.record.threshold_ms=3300");
    int bay = 0;
    for (char c : text.substr(0, colon)) {
        if (c < '0' || c > '9' || bay > 100)
            return R::failure("--fault '" + std::string(text) + "': bay '" +
                              std::string(text.substr(0, colon)) + "' is not a number");
        bay = bay * 10 + (c - '0');
    }
    if (bay < 1 || bay > bays)
        return R::failure("--fault '" + std::string(text) + "': bay " + std::to_string(bay) +
                          " is not one of the station's bays 1-" + std::to_string(bays));
    return std::make_pair(bay, std::string(text.substr(colon + 1)));
}

Result<std::unique_ptr<EmulatedStation>> EmulatedStation::start(const EmulationOptions& o) {
    using R = Result<std::unique_ptr<EmulatedStation>>;
    const std::string model = o.model == "w100" || o.model == "W100"   ? "W100"
                              : o.model == "w120" || o.model == "W120" ? "W120"
                                                                       : "";
    if (model.empty())
        return R::failure("--emulate '" + o.model + "': the emulator has W100 and W120 cameras");
    if (o.bays < 1 || o.bays > 8)
        return R::failure("--bays " + std::to_string(o.bays) + ": a station has 1 to 8 bays");
    if (access(o.emulator.c_str(), X_OK) != 0)
        return R::failure("emulator '" + o.emulator +
                          "' is not an executable file (build bwc-emu, or pass --emulator PATH)");
    std::error_code ec;
    std::filesystem::create_directories(o.work_dir, ec);
    if (ec)
        return R::failure("cannot create " + o.work_dir + ": " + ec.message());

    std::unique_ptr<EmulatedStation> st(new EmulatedStation());
    const std::string ports_file = o.work_dir + "/ports.json";
    st->log_path_ = o.work_dir + "/bwc-emu.log";
    std::filesystem::remove(ports_file, ec);

    std::vector<std::string> args{o.emulator, "--port-base", "0", "--ports-file", ports_file};
    const std::string dock_serial = "EMD" + std::to_string(o.seed % 100000);
    std::string dock_bays;
    for (int bay = 1; bay <= o.bays; ++bay) {
        char serial[32];
        std::snprintf(
            serial, sizeof serial, "EM%s-%05llu", model.c_str() + 1,
            static_cast<unsigned long long>((o.seed % 1000) * 100 + static_cast<unsigned>(bay)));
        st->serials_.push_back(serial);
        args.push_back("--camera");
        args.push_back("model=" + lower(model) + ",serial=" + serial);
        dock_bays += (bay > 1 ? "+" : "") + std::string(serial);
    }
    args.push_back("--dock");
    args.push_back(std::string("model=") + (o.bays == 1 ? "w700" : "w701") +
                   ",serial=" + dock_serial + ",bays=" + dock_bays);
    for (const auto& [bay, fault] : o.faults) {
        args.push_back("--fault");
        args.push_back(st->serials_[static_cast<std::size_t>(bay - 1)] + ":" + fault);
    }

    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls.
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const char* log_path = st->log_path_.c_str();
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0)
        return R::failure(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // The emulator must not outlive a bench that is killed.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        const int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    st->pid_ = pid;

    // Wait for the ports file (written once every port listens).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    nlohmann::json ports;
    while (true) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            st->pid_ = -1;
            return R::failure("emulator exited while starting (status " + std::to_string(status) +
                              "): " + read_file(st->log_path_));
        }
        if (std::filesystem::exists(ports_file)) {
            try {
                ports = nlohmann::json::parse(read_file(ports_file));
                break;
            } catch (const nlohmann::json::exception&) {
                // still being written; look again
            }
        }
        if (std::chrono::steady_clock::now() > deadline)
            return R::failure("emulator did not report its ports within 15 s; log: " +
                              read_file(st->log_path_));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    Station& s = st->station_;
    s.id = "emulated-" + lower(model) + "-" + std::to_string(o.bays);
    s.emulator = o.emulator;
    const auto& cams = ports.value("cameras", nlohmann::json::array());
    if (!cams.is_array() || cams.size() != static_cast<std::size_t>(o.bays))
        return R::failure("emulator ports file lists " +
                          std::to_string(cams.is_array() ? cams.size() : 0) +
                          " cameras, expected " + std::to_string(o.bays));
    for (int bay = 1; bay <= o.bays; ++bay) {
        const auto& cam = cams[static_cast<std::size_t>(bay - 1)];
        auto diag = local_uri(cam.value("diag", nlohmann::json()));
        auto physical = local_uri(cam.value("physical", nlohmann::json()));
        auto nmea = local_uri(cam.value("nmea", nlohmann::json()));
        if (!diag || !physical || !nmea)
            return R::failure(!diag ? diag.error() : !physical ? physical.error() : nmea.error());
        Bay b;
        b.number = bay;
        b.camera = *diag;
        b.physical = *physical;
        b.nmea = *nmea;
        s.bays.push_back(std::move(b));
    }
    const auto& docks = ports.value("docks", nlohmann::json::array());
    if (docks.is_array() && !docks.empty()) {
        auto uri = local_uri(docks[0].value("port", nlohmann::json()));
        if (!uri)
            return R::failure(uri.error());
        s.dock = DockRef{o.bays == 1 ? "W700" : "W701", dock_serial, *uri, {}};
    }
    return R(std::move(st));
}

EmulatedStation::~EmulatedStation() {
    stop();
}

std::string EmulatedStation::label(int bay) const {
    if (bay < 1 || bay > static_cast<int>(serials_.size()))
        return "";
    return serials_[static_cast<std::size_t>(bay - 1)];
}

std::string EmulatedStation::station_yaml() const {
    std::string y =
        "# Emulated station (bwc-emu pid " + std::to_string(pid_) + "), written by bench.\n";
    y += "station: " + station_.id + "\n";
    if (station_.dock)
        y += "dock: {model: " + station_.dock->model + ", serial: " + station_.dock->serial +
             ", uri: \"" + station_.dock->uri.to_string() + "\"}\n";
    y += "bays:\n";
    for (const Bay& b : station_.bays) {
        y += "  - bay: " + std::to_string(b.number) + "\n";
        y += "    camera: \"" + b.camera.to_string() + "\"\n";
        if (b.physical)
            y += "    physical: \"" + b.physical->to_string() + "\"\n";
        if (b.nmea)
            y += "    nmea: \"" + b.nmea->to_string() + "\"\n";
    }
    return y;
}

int EmulatedStation::stop() {
    if (pid_ <= 0)
        return 0;
    kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return status;
}

} // namespace bwc::bench
