// Fixture instruments as the engine knows them: the kinds a station file may
// name (each with its line protocol, fixtures/README.md) and the connection
// the runner opens to one instrument for a run. A plain instrument is a
// DeviceClient on its control port; a kind that needs more (the vision
// camera's media pipeline) registers its own opener, from the step library
// that uses it (bench/steps/), so the engine does not depend on the drivers.
#pragma once

#include "bench/device/device_client.hpp"
#include "bench/station/station.hpp"

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace bwc::bench {

struct FixtureKind {
    std::string_view kind;     // "actuator": what a station file says
    std::string_view protocol; // "BWC-ACT": the banner word it speaks
    bool per_bay;              // normally one per bay (actuator) or one per station (thermal)
    std::string_view what;     // for people
};

/// Every kind the bench has a driver for.
std::span<const FixtureKind> fixture_kinds();
const FixtureKind* find_fixture_kind(std::string_view kind);

/// An open connection to one instrument.
class FixtureLink {
public:
    virtual ~FixtureLink() = default;
    /// The control port (BWC-<KIND> 1).
    virtual DeviceClient& control() = 0;
    /// Opens everything the instrument needs (handshake, media pipeline).
    virtual DeviceStatus connect() = 0;
    const FixtureRef& ref() const { return ref_; }

protected:
    explicit FixtureLink(FixtureRef ref) : ref_(std::move(ref)) {}

private:
    FixtureRef ref_;
};

using FixtureOpener =
    std::function<std::unique_ptr<FixtureLink>(const FixtureRef&, const ClientOptions&)>;

/// Replaces the plain opener of `kind` (registered at start-up by the code
/// that needs the richer link).
void register_fixture_opener(std::string_view kind, FixtureOpener opener);

/// A link for this station fixture, not yet connected.
std::unique_ptr<FixtureLink> make_fixture_link(const FixtureRef& ref, const ClientOptions& options);

/// The plain link: a DeviceClient on the fixture's URI speaking its kind's protocol.
class PlainFixtureLink : public FixtureLink {
public:
    PlainFixtureLink(const FixtureRef& ref, const ClientOptions& options);
    DeviceClient& control() override { return client_; }
    DeviceStatus connect() override { return client_.connect(); }

private:
    DeviceClient client_;
};

} // namespace bwc::bench
