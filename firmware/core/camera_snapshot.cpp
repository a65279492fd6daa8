// Camera::snapshot() and the snapshot's JSON wire form (see snapshot.hpp).
#include "firmware/core/json_writer.hpp"
#include "firmware/core/snapshot.hpp"

namespace bwc::fw {

const LightState* Snapshot::light(Indicator i) const {
    for (const IndicatorReading& r : lights)
        if (r.indicator == i)
            return &r.light;
    return nullptr;
}

bool Snapshot::has(Condition c) const {
    for (Condition x : conditions)
        if (x == c)
            return true;
    return false;
}

Snapshot Camera::snapshot() const {
    Snapshot s;
    s.at = now_;
    s.model = spec_.model;
    s.identity = identity_;
    s.firmware_version = nvram_.firmware_version;
    s.power = power_;
    s.activity = activity_;
    s.docked = docked_;
    s.vbus = vbus_;
    s.usb_power = usb_power_;
    s.shipping_mode = nvram_.shipping_mode;
    s.added_to_system = nvram_.added_to_system;
    s.user = nvram_.user;
    s.profile = nvram_.profile.name;
    s.silent = silent_;
    s.microphone_off = microphone_off_;
    s.locked = nvram_.locked;
    s.live_streaming = live_streaming_;
    s.certificate_valid = certificate_valid();
    if (nvram_.certificate_renewed_at)
        s.certificate_expires_at =
            *nvram_.certificate_renewed_at + spec_.policy.certificate_valid_for;
    s.ready_to_undock = ready_to_undock();
    s.troubleshooting_page = activity_ == Activity::Troubleshooting ? troubleshooting_page_ : 0;
    s.recording = power_ == PowerState::On && activity_ == Activity::Recording;
    if (recording_since_)
        s.recording_for = now_ - *recording_since_;
    s.prebuffer = last_prebuffer_;
    s.bookmarks = bookmarks_;
    s.sound = {continuous_sound_, last_sound_, last_sound_at_, sounds_played_};
    s.battery.gauge = last_gauge_;
    s.battery.time_left = battery_time_left(last_gauge_, current_draw_ma());
    s.battery.charge = charge_;
    s.battery.external_power = external_power();
    s.storage.status = last_storage_;
    s.storage.recording_left = recording_time_left(last_storage_, bitrate_bps());
    s.storage.uploading = uploading_;
    s.radios = radios_.summary();
    for (int i = 0; i < kConditionCount; ++i)
        if (conditions_[static_cast<std::size_t>(i)])
            s.conditions.push_back(static_cast<Condition>(i));
    fill_indicators(s);
    return s;
}

namespace {

void write_light(JsonWriter& w, const LightState& l) {
    w.begin_object();
    w.field("colour", to_string(l.colour));
    w.field("pattern", to_string(l.pattern));
    w.field("period_ms", l.period.count());
    w.end_object();
}

template <class E>
std::optional<std::string_view> name_of(const std::optional<E>& e) {
    if (!e)
        return std::nullopt;
    return to_string(*e);
}

} // namespace

std::string to_json(const Snapshot& s) {
    JsonWriter w;
    w.begin_object();
    w.field("schema", s.schema);
    w.field("at_ms", s.at.count());
    w.field("model", to_string(s.model));
    w.key("identity").begin_object();
    w.field("serial", s.identity.serial);
    w.field("hardware_revision", s.identity.hardware_revision);
    w.field("imei", s.identity.imei);
    w.field("mac", s.identity.mac);
    w.end_object();
    w.field("firmware_version", s.firmware_version);
    w.field("power", to_string(s.power));
    w.field("activity", to_string(s.activity));
    w.field("docked", s.docked);
    w.field("vbus", s.vbus);
    w.field("usb_power", s.usb_power);
    w.field("shipping_mode", s.shipping_mode);
    w.field("added_to_system", s.added_to_system);
    w.field("user", s.user);
    w.field("profile", s.profile);
    w.field("silent", s.silent);
    w.field("microphone_off", s.microphone_off);
    w.field("locked", s.locked);
    w.field("live_streaming", s.live_streaming);
    w.field("certificate_valid", s.certificate_valid);
    w.key("certificate_expires_at_ms");
    s.certificate_expires_at ? w.value(s.certificate_expires_at->count()) : w.null();
    w.field("ready_to_undock", s.ready_to_undock);
    w.field("troubleshooting_page", s.troubleshooting_page);
    w.key("recording").begin_object();
    w.field("active", s.recording);
    w.field("for_ms", s.recording_for.count());
    w.field("prebuffer_ms", s.prebuffer.count());
    w.field("bookmarks", s.bookmarks);
    w.end_object();
    w.field("firmware_update_percent", s.firmware_update_percent);

    w.key("lights").begin_object();
    for (const IndicatorReading& r : s.lights) {
        w.key(to_string(r.indicator));
        write_light(w, r.light);
    }
    w.end_object();

    w.key("display").begin_object();
    w.field("on", s.display.on);
    w.key("icons").begin_array();
    for (const IconState& i : s.display.icons) {
        w.begin_object();
        w.field("icon", to_string(i.icon));
        w.field("colour", to_string(i.colour));
        w.field("pattern", to_string(i.pattern));
        w.field("period_ms", i.period.count());
        w.field("level", i.level);
        w.end_object();
    }
    w.end_array();
    w.key("text").begin_array();
    for (const std::string& t : s.display.text)
        w.value(t);
    w.end_array();
    w.key("bars").begin_array();
    for (const ProgressBar& b : s.display.bars) {
        w.begin_object();
        w.field("icon", to_string(b.icon));
        w.field("percent", b.percent);
        w.end_object();
    }
    w.end_array();
    w.end_object();

    w.key("sound").begin_object();
    w.field("continuous", name_of(s.sound.continuous));
    w.field("last", name_of(s.sound.last));
    w.field("last_at_ms", s.sound.last_at.count());
    w.field("played", s.sound.played);
    w.end_object();

    const GaugeReading& g = s.battery.gauge;
    w.key("battery").begin_object();
    w.field("voltage_mv", g.voltage_mv);
    w.field("current_ma", g.current_ma);
    w.field("temperature_dc", g.temperature_dc);
    w.field("state_of_charge_percent", g.state_of_charge_percent);
    w.field("remaining_mah", g.remaining_mah);
    w.field("full_charge_mah", g.full_charge_mah);
    w.field("cycle_count", g.cycle_count);
    w.field("battery_id", g.battery_id);
    w.field("present", g.present);
    w.field("level", to_string(s.battery.level));
    w.field("time_left_ms", s.battery.time_left.count());
    w.field("external_power", s.battery.external_power);
    w.field("charge_current_set_ma", s.battery.charge.current_ma);
    w.field("charge_state", to_string(s.battery.charge.reason));
    w.field("charge_target_percent", s.battery.charge.target_percent);
    w.end_object();

    const StorageStatus& st = s.storage.status;
    w.key("storage").begin_object();
    w.field("capacity_bytes", st.capacity_bytes);
    w.field("used_bytes", st.used_bytes);
    w.field("pending_offload_bytes", st.pending_offload_bytes);
    w.field("error", st.error);
    w.field("level", to_string(s.storage.level));
    w.field("recording_left_ms", s.storage.recording_left.count());
    w.field("uploading", s.storage.uploading);
    w.field("transfer_percent", s.storage.transfer_percent);
    w.end_object();

    const RadioSummary& r = s.radios;
    w.key("radios").begin_object();
    w.field("submode", to_string(r.submode));
    w.key("gnss").begin_object();
    w.field("fitted", r.gnss_fitted);
    w.field("enabled", r.gnss_enabled);
    w.field("position", r.gnss_position);
    w.field("latitude_deg", r.latitude_deg);
    w.field("longitude_deg", r.longitude_deg);
    w.field("sats_used", r.gnss_sats_used);
    w.field("sats_in_view", r.gnss_sats_in_view);
    w.field("best_cn0_dbhz", r.gnss_best_cn0_dbhz);
    w.key("ttff_ms");
    r.gnss_ttff ? w.value(r.gnss_ttff->count()) : w.null();
    w.end_object();
    w.key("lte").begin_object();
    w.field("fitted", r.lte_fitted);
    w.field("state", r.lte_state);
    w.field("sim", r.sim);
    w.field("imei", r.imei);
    w.field("imsi", r.imsi);
    w.field("operator", r.operator_name);
    w.field("apn", r.apn);
    w.field("roaming", r.roaming);
    w.field("rssi_dbm", r.lte_rssi_dbm);
    w.field("bars", r.lte_bars);
    w.field("error", r.lte_error);
    w.field("icon", to_string(r.mobile_icon));
    w.end_object();
    w.key("wifi").begin_object();
    w.field("fitted", r.wifi_fitted);
    w.field("state", r.wifi_state);
    w.field("ssid", r.ssid);
    w.field("bssid", r.bssid);
    w.field("band", r.wifi_band);
    w.field("channel", r.wifi_channel);
    w.field("rssi_dbm", r.wifi_rssi_dbm);
    w.field("bars", r.wifi_bars);
    w.field("ipv4", r.ipv4);
    w.field("error", r.wifi_error);
    w.field("icon", to_string(r.wifi_icon));
    w.end_object();
    w.end_object();

    w.key("conditions").begin_array();
    for (Condition c : s.conditions)
        w.value(to_string(c));
    w.end_array();
    w.end_object();
    return w.str();
}

} // namespace bwc::fw
