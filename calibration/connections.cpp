// Finding and connecting the instruments a routine needs (see routines.hpp).
#include "calibration/routines.hpp"

#include "bench/station/fixture_link.hpp"

namespace bwc::calibration {

using bench::DeviceClient;
using ClientResult = bench::Result<std::unique_ptr<DeviceClient>>;

const bench::FixtureRef* fixture_of_kind(const bench::Station& station, std::string_view kind,
                                         int bay) {
    if (const bench::Bay* b = station.bay(bay))
        for (const bench::FixtureRef& f : b->fixtures)
            if (f.kind == kind)
                return &f;
    for (const bench::FixtureRef& f : station.fixtures)
        if (f.kind == kind)
            return &f;
    return nullptr;
}

ClientResult connect_fixture(const Session& s, std::string_view kind, int bay) {
    const bench::FixtureRef* f = fixture_of_kind(s.station, kind, bay);
    if (!f)
        return ClientResult::failure("station " + s.station.id + " has no " + std::string(kind) +
                                     " fixture for bay " + std::to_string(bay));
    const bench::FixtureKind* k = bench::find_fixture_kind(f->kind);
    auto client = std::make_unique<DeviceClient>(f->uri, std::string(k ? k->protocol : ""),
                                                 s.client);
    if (auto c = client->connect(); !c)
        return ClientResult::failure("fixture '" + f->name + "': " + c.error().message);
    return ClientResult(std::move(client));
}

ClientResult connect_camera(const Session& s, int bay) {
    const bench::Bay* b = s.station.bay(bay);
    if (!b)
        return ClientResult::failure("station " + s.station.id + " has no bay " +
                                     std::to_string(bay));
    auto client = std::make_unique<DeviceClient>(b->camera, "BWC-DIAG", s.client);
    if (auto c = client->connect(); !c)
        return ClientResult::failure("bay " + std::to_string(bay) + " camera: " +
                                     c.error().message);
    return ClientResult(std::move(client));
}

std::string instrument_name(const DeviceClient& client, std::string_view kind) {
    return std::string(kind) + " " + client.banner().get("serial") + " (" +
           client.banner().get("model") + ")";
}

} // namespace bwc::calibration
