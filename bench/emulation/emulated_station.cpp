// Starting and stopping the emulator behind `bench run --emulate` (see emulated_station.hpp).
#include "bench/emulation/emulated_station.hpp"

#include "bench/device/device_client.hpp"
#include "bench/emulation/child_process.hpp"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace bwc::bench {
namespace {

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
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
    const std::string asked = upper(o.model);
    const bool dock_under_test = asked == "W700" || asked == "W701";
    // A dock under test holds the station's reference W120 units in its bays.
    const std::string model = dock_under_test ? "W120" : asked;
    if (model != "W100" && model != "W120")
        return R::failure("--emulate '" + o.model +
                          "': the emulator has W100 and W120 cameras and W700 and W701 docks");
    if (o.bays < 1 || o.bays > 8)
        return R::failure("--bays " + std::to_string(o.bays) + ": a station has 1 to 8 bays");
    if (asked == "W700" && o.bays != 1)
        return R::failure("--bays " + std::to_string(o.bays) + ": a W700 dock has one bay");
    const std::string dock_model = dock_under_test ? asked : o.bays == 1 ? "W700" : "W701";
    if (access(o.emulator.c_str(), X_OK) != 0)
        return R::failure("emulator '" + o.emulator +
                          "' is not an executable file (build bwc-emu, or pass --emulator PATH)");
    if (!o.fixtures.empty() && access(o.fixtures.c_str(), X_OK) != 0)
        return R::failure("fixture emulator '" + o.fixtures +
                          "' is not an executable file (build bwc-fixtures)");
    std::error_code ec;
    std::filesystem::create_directories(o.work_dir, ec);
    if (ec)
        return R::failure("cannot create " + o.work_dir + ": " + ec.message());

    std::unique_ptr<EmulatedStation> st(new EmulatedStation());
    const std::string ports_file = o.work_dir + "/ports.json";
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
    args.push_back("model=" + lower(dock_model) + ",serial=" + dock_serial + ",bays=" + dock_bays);
    for (const auto& [bay, fault] : o.faults) {
        args.push_back("--fault");
        args.push_back(st->serials_[static_cast<std::size_t>(bay - 1)] + ":" + fault);
    }
    auto emu = ChildProcess::start(std::move(args), o.work_dir + "/bwc-emu.log", ports_file,
                                   std::chrono::seconds(15));
    if (!emu)
        return R::failure("emulator: " + emu.error());
    st->emulator_ = std::move(emu).value();
    const nlohmann::json& ports = st->emulator_->ready();

    Station& s = st->station_;
    s.id = "emulated-" + lower(dock_under_test ? dock_model : model) + "-" + std::to_string(o.bays);
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
        s.dock = DockRef{dock_model, dock_serial, *uri, {}};
        // The operator has seated every unit in its bay (pogo pins closed,
        // VBUS and the dock link up), as on a real station.
        DeviceClient dock(*uri, "BWC-DOCK");
        if (auto c = dock.connect(); !c)
            return R::failure("emulated dock: " + c.error().message);
        for (int bay = 1; bay <= o.bays; ++bay)
            if (auto r = dock.command("INSERT " + std::to_string(bay)); !r)
                return R::failure("emulated dock: " + r.error().message);
    }
    if (!o.fixtures.empty()) {
        if (auto why = st->start_fixtures(o, ports_file); !why.empty())
            return R::failure(why);
    }
    return R(std::move(st));
}

std::string EmulatedStation::start_fixtures(const EmulationOptions& o,
                                            const std::string& emu_ports) {
    const std::string fixtures_file = o.work_dir + "/fixtures.json";
    std::vector<std::string> args{o.fixtures, "--emu-ports",  emu_ports,    "--port-base",
                                  "0",        "--ports-file", fixtures_file};
    // A real actuator's finger takes a few milliseconds to reach the switch:
    // the emulated one does too, so calibration has something to measure.
    args.push_back("--actuator-latency-ms");
    args.push_back("12");
    if (!o.vision_size.empty()) {
        args.push_back("--vision-size");
        args.push_back(o.vision_size);
    }
    auto child = ChildProcess::start(std::move(args), o.work_dir + "/bwc-fixtures.log",
                                     fixtures_file, std::chrono::seconds(20));
    if (!child)
        return "fixture emulator: " + child.error();
    fixtures_ = std::move(child).value();
    const auto& list = fixtures_->ready().value("fixtures", nlohmann::json::array());
    if (!list.is_array())
        return "fixture emulator ports file " + fixtures_file + ": 'fixtures' is not a list";
    for (const auto& entry : list) {
        if (!entry.is_object() || !entry.value("name", nlohmann::json()).is_string() ||
            !entry.value("kind", nlohmann::json()).is_string())
            return "fixture emulator ports file " + fixtures_file +
                   ": an entry lacks name or kind: " + entry.dump();
        auto uri = local_uri(entry.value("port", nlohmann::json()));
        if (!uri)
            return "fixture emulator ports file " + fixtures_file + ": " + uri.error();
        FixtureRef f;
        f.name = entry["name"].get<std::string>();
        f.kind = entry["kind"].get<std::string>();
        f.uri = *uri;
        f.uri_text = uri->to_string();
        if (entry.contains("pipeline") && entry["pipeline"].is_string())
            f.pipeline = entry["pipeline"].get<std::string>();
        const auto& bay = entry.value("bay", nlohmann::json());
        if (bay.is_number_integer()) {
            const int n = bay.get<int>();
            if (n < 1 || n > static_cast<int>(station_.bays.size()))
                return "fixture emulator ports file " + fixtures_file + ": bay " +
                       std::to_string(n) + " of fixture '" + f.name + "' is not a bay";
            station_.bays[static_cast<std::size_t>(n - 1)].fixtures.push_back(std::move(f));
        } else {
            f.shared = true;
            station_.fixtures.push_back(std::move(f));
        }
    }
    return "";
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
    const auto fixture_yaml = [](const FixtureRef& f, const std::string& indent) {
        std::string y = indent + f.name + ": {uri: \"" + f.uri.to_string() + "\", kind: " + f.kind;
        if (!f.pipeline.empty())
            y += ", pipeline: " + nlohmann::json(f.pipeline).dump(); // a JSON string is YAML
        return y + "}\n";
    };
    std::string y = "# Emulated station (bwc-emu pid " +
                    std::to_string(emulator_ ? emulator_->pid() : -1) +
                    (fixtures_ ? ", bwc-fixtures pid " + std::to_string(fixtures_->pid()) : "") +
                    "), written by bench.\n";
    y += "station: " + station_.id + "\n";
    if (station_.dock)
        y += "dock: {model: " + station_.dock->model + ", serial: " + station_.dock->serial +
             ", uri: \"" + station_.dock->uri.to_string() + "\"}\n";
    if (!station_.fixtures.empty()) {
        y += "fixtures:\n";
        for (const FixtureRef& f : station_.fixtures)
            y += fixture_yaml(f, "  ");
    }
    y += "bays:\n";
    for (const Bay& b : station_.bays) {
        y += "  - bay: " + std::to_string(b.number) + "\n";
        y += "    camera: \"" + b.camera.to_string() + "\"\n";
        if (b.physical)
            y += "    physical: \"" + b.physical->to_string() + "\"\n";
        if (b.nmea)
            y += "    nmea: \"" + b.nmea->to_string() + "\"\n";
        if (!b.fixtures.empty()) {
            y += "    fixtures:\n";
            for (const FixtureRef& f : b.fixtures)
                y += fixture_yaml(f, "      ");
        }
    }
    if (!station_.calibration.empty())
        y += "calibration: " + nlohmann::json(station_.calibration).dump() + "\n";
    return y;
}

bool EmulatedStation::running() {
    return emulator_ && emulator_->running() && (!fixtures_ || fixtures_->running());
}

std::string EmulatedStation::why_stopped() const {
    for (const ChildProcess* c : {emulator_.get(), fixtures_.get()}) {
        if (c && c->pid() <= 0) {
            std::string log = read_text_file(c->log_path());
            if (log.size() > 2000)
                log = "..." + log.substr(log.size() - 2000);
            return c->log_path() + ": the program stopped (status " +
                   std::to_string(c->exit_status()) + "): " + log;
        }
    }
    return "";
}

int EmulatedStation::stop() {
    // Fixtures first: they hold connections to the emulator's ports.
    if (fixtures_)
        fixtures_->stop();
    return emulator_ ? emulator_->stop() : 0;
}

} // namespace bwc::bench
