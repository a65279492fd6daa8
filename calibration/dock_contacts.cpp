// dock.contacts: each pogo pin's 4-wire contact resistance with a good unit
// seated — the baseline a bay's later readings are compared with, so a worn
// or dirty pin shows as a rise, whatever the bay's wiring adds.
#include "calibration/routines.hpp"

#include "fixtures/bayinst/driver.hpp"

namespace bwc::calibration {

Outcome calibrate_contacts(const Session& s, int bay) {
    Outcome out;
    const std::string who = "bay " + std::to_string(bay) + " contacts";
    auto inst = connect_fixture(s, "bayinst", bay);
    if (!inst) {
        out.problems.push_back(who + ": " + inst.error());
        return out;
    }
    fixtures::bayinst::Driver driver(**inst);
    auto m = driver.measure(bay);
    if (!m) {
        out.problems.push_back(who + ": " + m.error().message);
        return out;
    }
    if (!m->present) {
        out.problems.push_back(who + ": no unit seated (seat a known-good unit first)");
        return out;
    }
    nlohmann::json pins = nlohmann::json::object();
    for (std::size_t i = 0; i < fixtures::bayinst::kPins.size(); ++i)
        pins[std::string(fixtures::bayinst::kPins[i])] = m->pins_mohm[i];
    s.progress(who + ": " + pins.dump());
    out.records.push_back(make_record(s, "dock.contacts", bay,
                                      {instrument_name(**inst, "bayinst")},
                                      {{"pins_mohm", pins}, {"vbus_mv", m->vbus_mv}}));
    return out;
}

} // namespace bwc::calibration
