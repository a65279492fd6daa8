// Loading a station file (stations/README.md): station id, dock, bays with
// their device URIs and fixtures, station-wide fixtures, calibration record
// and results folder. Every URI is parsed with parse_uri and a bad one is
// reported at its value; bays are checked against each other (numbers and
// URIs unique) and against the dock model (how many bays it has).
#include "bench/procedure/suggest.hpp"
#include "bench/procedure/yaml_reader.hpp"
#include "bench/station/fixture_link.hpp"
#include "bench/station/station.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>

namespace bwc::bench {
namespace {

using yaml::MapReader;

const std::vector<std::string> kStationKeys{"station",  "description", "dock",   "bays",
                                            "fixtures", "calibration", "results"};
const std::vector<std::string> kDockKeys{"model", "serial", "uri"};
const std::vector<std::string> kBayKeys{"bay", "camera", "physical", "nmea", "fixtures"};
const std::vector<std::string> kStationFixtureKeys{"uri", "kind", "shared", "pipeline"};
const std::vector<std::string> kBayFixtureKeys{"uri", "kind", "pipeline"};
constexpr int kMaxBay = 8;

// Bays per dock model (the W700 holds one camera, the W701 eight).
constexpr std::array<std::pair<std::string_view, int>, 2> kDockBays{{{"W700", 1}, {"W701", 8}}};

struct Loader {
    yaml::Reporter& r;
    Station& station;
    // Every device URI in the file, canonical text -> where it was first used.
    std::map<std::string, std::pair<std::string, int>> uris;

    std::optional<Uri> uri(const YAML::Node& node, const std::string& what) {
        auto text = yaml::as_text(node, r, what);
        if (!text)
            return std::nullopt;
        auto parsed = parse_uri(*text);
        if (!parsed) {
            r.error(node, parsed.error());
            return std::nullopt;
        }
        return *parsed;
    }

    // A URI used twice is two bays talking to one device.
    void claim(const Uri& u, const YAML::Node& node, const std::string& user) {
        const auto [it, fresh] =
            uris.emplace(u.to_string(), std::make_pair(user, r.pos(node).line));
        if (!fresh)
            r.error(node, "URI " + u.to_string() + " is already used by " + it->second.first +
                              " (line " + std::to_string(it->second.second) + ")");
    }

    std::optional<FixtureRef> fixture(const std::string& name, const YAML::Node& key,
                                      const YAML::Node& value, bool station_wide) {
        FixtureRef f;
        f.name = name;
        f.pos = r.pos(key);
        f.shared = station_wide;
        YAML::Node uri_node = value;
        YAML::Node kind_node = key;
        std::optional<YAML::Node> pipeline_node;
        if (value.IsMap()) {
            MapReader m(value, r, "fixture '" + name + "'",
                        station_wide ? kStationFixtureKeys : kBayFixtureKeys);
            const YAML::Node* u = m.require("uri");
            if (!u)
                return std::nullopt;
            uri_node = *u;
            f.kind = m.text("kind", false).value_or("");
            if (const YAML::Node* k = m.find("kind"))
                kind_node = *k;
            if (const YAML::Node* p = m.find("pipeline")) {
                pipeline_node = *p;
                f.pipeline = yaml::as_text(*p, r, "fixture '" + name + "' pipeline").value_or("");
            }
            if (station_wide)
                f.shared = m.boolean("shared", false).value_or(true);
        } else if (!value.IsScalar()) {
            r.error(value.IsNull() ? key : value,
                    "fixture '" + name + "' must be a URI or {uri: …, kind: …}");
            return std::nullopt;
        }
        auto u = uri(uri_node, "fixture '" + name + "' uri");
        if (!u)
            return std::nullopt;
        f.uri = *u;
        f.uri_text = uri_node.Scalar();
        if (!kind(f, kind_node, pipeline_node))
            return std::nullopt;
        return f;
    }

    // The driver: written, or implied by a name that is a kind; a vision
    // camera needs its media pipeline, nothing else has one.
    bool kind(FixtureRef& f, const YAML::Node& kind_node,
              const std::optional<YAML::Node>& pipeline_node) {
        if (f.kind.empty())
            f.kind = f.name;
        const FixtureKind* k = find_fixture_kind(f.kind);
        if (!k) {
            std::vector<std::string> kinds;
            std::string list;
            for (const FixtureKind& known : fixture_kinds()) {
                kinds.emplace_back(known.kind);
                list += (list.empty() ? "" : ", ") + std::string(known.kind);
            }
            r.error(kind_node, "fixture '" + f.name + "': unknown kind '" + f.kind + "'" +
                                   did_you_mean(f.kind, kinds) + " (kinds: " + list +
                                   "; write kind: when the name is not one)");
            return false;
        }
        if (k->kind == "vision" && f.pipeline.empty()) {
            r.error(kind_node, "fixture '" + f.name +
                                   "': a vision camera needs pipeline: (a GStreamer pipeline "
                                   "ending in appsink, fixtures/vision/PROTOCOL.md)");
            return false;
        }
        if (k->kind != "vision" && pipeline_node) {
            r.error(*pipeline_node, "fixture '" + f.name + "': only a vision camera has a pipeline");
            return false;
        }
        return true;
    }

    std::vector<FixtureRef> fixtures(const YAML::Node& node, bool station_wide,
                                     const std::string& owner) {
        std::vector<FixtureRef> out;
        MapReader m(node, r, owner + " fixtures");
        for (std::size_t i = 0; i < m.entries().size(); ++i) {
            const auto& [name, value] = m.entries()[i];
            if (auto f = fixture(name, m.key_nodes()[i], value, station_wide)) {
                // A shared fixture serves every bay through one URI; a bay's own must be its own.
                if (!f->shared)
                    claim(f->uri, value.IsMap() ? value : m.key_nodes()[i],
                          owner + " fixture '" + name + "'");
                out.push_back(std::move(*f));
            }
        }
        return out;
    }

    void dock(const YAML::Node& node) {
        MapReader m(node, r, "dock", kDockKeys);
        if (!m.valid())
            return;
        DockRef d;
        d.pos = r.pos(node);
        if (auto model = m.text("model", true)) {
            const auto known = std::find_if(kDockBays.begin(), kDockBays.end(),
                                            [&](const auto& k) { return k.first == *model; });
            if (known == kDockBays.end()) {
                r.error(*m.find("model"), "unknown dock model '" + *model + "'" +
                                              did_you_mean(*model, {"W700", "W701"}) +
                                              " (expected 'W700' or 'W701')");
                return;
            }
            d.model = *model;
        }
        d.serial = m.text("serial", true).value_or("");
        if (const YAML::Node* u = m.require("uri")) {
            if (auto parsed = uri(*u, "dock uri")) {
                d.uri = *parsed;
                claim(d.uri, *u, "the dock");
            }
        }
        if (!d.model.empty())
            station.dock = d;
    }

    int max_bays() const {
        if (!station.dock)
            return kMaxBay;
        for (const auto& [model, bays] : kDockBays)
            if (model == station.dock->model)
                return bays;
        return kMaxBay;
    }

    void bays(const YAML::Node& node) {
        if (!node.IsSequence() || node.size() == 0) {
            r.error(node, "bays must be a non-empty list (- bay: 1, camera: tcp://…)");
            return;
        }
        const int limit = max_bays();
        std::map<int, int> numbers; // bay number -> line
        for (const YAML::Node& item : node) {
            if (!r.spend(item))
                return;
            MapReader m(item, r, "bay", kBayKeys);
            if (!m.valid())
                continue;
            Bay b;
            b.pos = r.pos(item);
            const auto number = m.integer("bay", true, 1, kMaxBay);
            if (!number)
                continue;
            b.number = static_cast<int>(*number);
            const YAML::Node& number_node = *m.find("bay");
            if (b.number > limit) {
                r.error(number_node, "bay " + std::to_string(b.number) + ": a " +
                                         station.dock->model + " dock has " +
                                         std::to_string(limit) + (limit == 1 ? " bay" : " bays"));
                continue;
            }
            if (const auto dup = numbers.find(b.number); dup != numbers.end()) {
                r.error(number_node, "duplicate bay " + std::to_string(b.number) +
                                         " (first at line " + std::to_string(dup->second) + ")");
                continue;
            }
            numbers.emplace(b.number, b.pos.line);
            const std::string who = "bay " + std::to_string(b.number);
            if (const YAML::Node* c = m.find("camera")) {
                if (auto u = uri(*c, "camera")) {
                    b.camera = *u;
                    claim(*u, *c, who + " camera");
                }
            } else {
                r.error(item, who + " has no camera URI (camera: tcp://host:port)");
            }
            for (const char* port : {"physical", "nmea"}) {
                if (const YAML::Node* p = m.find(port)) {
                    if (auto u = uri(*p, port)) {
                        (std::string_view(port) == "physical" ? b.physical : b.nmea) = *u;
                        claim(*u, *p, who + " " + port);
                    }
                }
            }
            if (const YAML::Node* f = m.find("fixtures"))
                b.fixtures = fixtures(*f, false, who);
            station.bays.push_back(std::move(b));
        }
        std::sort(station.bays.begin(), station.bays.end(),
                  [](const Bay& a, const Bay& b) { return a.number < b.number; });
    }

    // Relative paths are relative to the station file's folder.
    std::string path_beside(const std::string& written) const {
        const std::filesystem::path p(written);
        if (p.is_absolute())
            return written;
        const auto dir = std::filesystem::path(station.path).parent_path();
        return dir.empty() ? written : (dir / p).lexically_normal().string();
    }
};

} // namespace

Result<Station, Diagnostics> parse_station(std::string_view text, const std::string& path) {
    Station station;
    station.path = path;
    yaml::Reporter r(path, text);
    auto doc = yaml::parse_document(text, r);
    if (!doc)
        return r.take();
    MapReader top(*doc, r, "a station file", kStationKeys);
    if (!top.valid())
        return r.take();
    Loader load{r, station, {}};
    if (auto id = top.text("station", true)) {
        if (id->empty())
            r.error(*top.find("station"), "the station id is empty");
        station.id = *id;
    }
    if (const YAML::Node* d = top.find("description"))
        yaml::as_text(*d, r, "'description'");
    if (const YAML::Node* dock = top.find("dock"))
        load.dock(*dock);
    if (const YAML::Node* fixtures = top.find("fixtures"))
        station.fixtures = load.fixtures(*fixtures, true, "station");
    if (const YAML::Node* bays = top.require("bays"))
        load.bays(*bays);
    if (auto calibration = top.text("calibration", false))
        station.calibration = load.path_beside(*calibration);
    if (auto results = top.text("results", false))
        station.results_dir = load.path_beside(*results);
    if (r.count() > 0)
        return r.take();
    return station;
}

Result<Station, Diagnostics> load_station(const std::string& path) {
    return yaml::load_file<Station>(path, parse_station);
}

} // namespace bwc::bench
