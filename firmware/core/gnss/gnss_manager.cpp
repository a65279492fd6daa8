// GnssManager implementation: line framing over arbitrary chunks, applying decoded sentences
// to GnssStatus, GSV/GSA group merging and the fix timeout. See gnss_manager.hpp.
#include "firmware/core/gnss/gnss_manager.hpp"

#include <algorithm>
#include <variant>

namespace bwc::fw::gnss {

namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;

// A GSA/GSV satellite's constellation: the NMEA 4.10 system id when given, else the talker,
// else (for "GN") the classic PRN ranges.
System satellite_system(std::string_view talker, int prn, std::optional<int> system_id) {
    if (system_id) {
        return system_from_id(*system_id);
    }
    const System by_talker = system_from_talker(talker);
    return by_talker != System::unknown ? by_talker : system_from_prn(prn);
}

} // namespace

std::string_view to_string(FixType fix) {
    switch (fix) {
    case FixType::none:
        return "none";
    case FixType::fix_2d:
        return "2D";
    case FixType::fix_3d:
        return "3D";
    }
    return "none";
}

std::optional<std::int64_t> GnssStatus::utc_unix_millis() const {
    if (!utc_date || !utc_time) {
        return std::nullopt;
    }
    return unix_millis(*utc_date, *utc_time);
}

GnssManager::GnssManager(GnssConfig config, Millis now) : config_(config) {
    reset(now);
    status_.enabled = config_.enabled;
}

void GnssManager::reset(Millis now) {
    const bool was_enabled = status_.enabled;
    status_ = GnssStatus{};
    status_.enabled = was_enabled;
    start_ = now;
    line_.clear();
    // Reserve once so that assembling a line never reallocates afterwards.
    line_.reserve(config_.max_line_length);
    in_line_ = false;
    line_overflow_ = false;
    gsa_mode_.reset();
    gsa_at_.reset();
    gga_has_altitude_ = false;
    used_.clear();
    last_was_gsa_ = false;
    gga_sats_used_.reset();
    date_.reset();
    last_time_.reset();
    groups_.clear();
    pending_.clear();
}

void GnssManager::set_enabled(bool enabled, Millis now) {
    if (enabled == status_.enabled) {
        return;
    }
    status_.enabled = enabled;
    // Either way the old data is void: off must show nothing, and on means the receiver
    // starts again, so TTFF is measured from now.
    reset(now);
}

void GnssManager::feed(std::string_view bytes, Millis now) {
    if (!status_.enabled) {
        return;
    }
    advance(now);
    for (const char c : bytes) {
        if (c == '$') {
            // A new start ends whatever came before, even without CR/LF: a receiver that
            // drops a line ending (or a line cut by a reset) must not swallow the next one.
            if (in_line_) {
                abandon_line(now);
            }
            in_line_ = true;
            line_overflow_ = false;
            line_.assign(1, c);
        } else if (c == '\r' || c == '\n') {
            if (in_line_) {
                abandon_line(now);
            }
        } else if (in_line_) {
            if (line_.size() < config_.max_line_length) {
                line_.push_back(c);
            } else {
                line_overflow_ = true; // keep skipping until the line ends; memory stays fixed
            }
        } else {
            ++status_.counters.bytes_discarded;
        }
    }
}

void GnssManager::abandon_line(Millis now) {
    if (line_overflow_) {
        ++status_.counters.overlong_lines;
        status_.last_error = Error{ErrorKind::bad_field,
                                   "line longer than " + std::to_string(config_.max_line_length) +
                                       " characters dropped"};
    } else {
        handle_line(line_, now);
    }
    line_.clear();
    in_line_ = false;
    line_overflow_ = false;
}

void GnssManager::handle_line(std::string_view line, Millis now) {
    auto parsed = parse(line);
    if (!parsed) {
        const auto kind = parsed.error().kind;
        if (kind == ErrorKind::missing_checksum || kind == ErrorKind::bad_checksum) {
            ++status_.counters.checksum_errors;
        } else {
            ++status_.counters.malformed;
        }
        status_.last_error = parsed.error();
        return;
    }
    ++status_.counters.sentences_ok;
    const Message& m = parsed.value();
    bool is_gsa = false;
    if (const auto* gga = std::get_if<Gga>(&m)) {
        apply(*gga, now);
    } else if (const auto* rmc = std::get_if<Rmc>(&m)) {
        apply(*rmc, now);
    } else if (const auto* gsa = std::get_if<Gsa>(&m)) {
        apply(*gsa, now);
        is_gsa = true;
    } else if (const auto* gsv = std::get_if<Gsv>(&m)) {
        apply(*gsv, now);
    } else {
        ++status_.counters.sentences_ignored;
    }
    last_was_gsa_ = is_gsa;
}

void GnssManager::advance(Millis now) {
    if (const auto deadline = next_deadline(); deadline && now >= *deadline) {
        lose_fix();
    }
}

std::optional<Millis> GnssManager::next_deadline() const {
    if (!status_.enabled || status_.fix == FixType::none || !status_.last_fix_at) {
        return std::nullopt;
    }
    return *status_.last_fix_at + config_.fix_timeout;
}

void GnssManager::apply(const Gga& gga, Millis now) {
    if (gga.sats_used) {
        gga_sats_used_ = gga.sats_used;
    }
    if (gga.hdop) {
        status_.hdop = gga.hdop;
    }
    if (gga.has_fix() && gga.latitude_deg && gga.longitude_deg) {
        status_.latitude_deg = gga.latitude_deg;
        status_.longitude_deg = gga.longitude_deg;
        status_.altitude_m = gga.altitude_m;
        gga_has_altitude_ = gga.altitude_m.has_value();
        valid_fix(now, gga.time, false);
    } else if (gga.quality) {
        // The receiver says it has no (real) fix: believe it at once rather than waiting for
        // the timeout, so the icon does not show a position the receiver itself disowns.
        lose_fix();
    }
    refresh_sats_used(now);
}

void GnssManager::apply(const Rmc& rmc, Millis now) {
    if (rmc.has_fix() && rmc.latitude_deg && rmc.longitude_deg) {
        status_.latitude_deg = rmc.latitude_deg;
        status_.longitude_deg = rmc.longitude_deg;
        // Only a valid RMC's date is trusted: before a fix MTK reports 1980-01-05.
        if (rmc.date) {
            date_ = rmc.date;
        }
        valid_fix(now, rmc.time, rmc.date.has_value());
    } else if (rmc.status || rmc.mode) {
        lose_fix();
    }
}

void GnssManager::apply(const Gsa& gsa, Millis now) {
    // Multi-GNSS receivers send one GSA per constellation back to back; a GSA that follows
    // any other sentence starts a new epoch's list.
    if (!last_was_gsa_) {
        used_.clear();
        gsa_mode_ = gsa.fix_mode;
    } else if (gsa.fix_mode && (!gsa_mode_ || *gsa.fix_mode > *gsa_mode_)) {
        gsa_mode_ = gsa.fix_mode;
    }
    for (const int prn : gsa.prns_used) {
        const System system = satellite_system(gsa.talker, prn, gsa.system_id);
        const bool known = std::any_of(used_.begin(), used_.end(), [&](const UsedSatellite& u) {
            return u.system == system && u.prn == prn;
        });
        if (!known) {
            used_.push_back(UsedSatellite{system, prn});
        }
    }
    gsa_at_ = now;
    if (gsa.pdop) {
        status_.pdop = gsa.pdop;
    }
    if (gsa.hdop) {
        status_.hdop = gsa.hdop;
    }
    if (gsa.vdop) {
        status_.vdop = gsa.vdop;
    }
    refresh_sats_used(now);
    update_fix_type(now);
    rebuild_satellites();
}

void GnssManager::apply(const Gsv& gsv, Millis /*now*/) {
    auto pending = std::find_if(pending_.begin(), pending_.end(),
                                [&](const PendingGsv& p) { return p.talker == gsv.talker; });
    if (pending == pending_.end()) {
        if (pending_.size() >= kMaxTalkers) {
            return; // more talkers than any real receiver has: ignore rather than grow
        }
        pending_.push_back(PendingGsv{gsv.talker, 0, 0, {}});
        pending = std::prev(pending_.end());
    }
    if (gsv.message_index == 1) {
        pending->count = gsv.message_count;
        pending->next_index = 1;
        pending->satellites.clear();
    }
    // A missing or repeated part leaves the group incomplete: wait for the next part 1 instead
    // of showing a half list.
    if (gsv.message_count > kMaxGsvMessages || pending->count != gsv.message_count ||
        pending->next_index != gsv.message_index) {
        pending->next_index = 0;
        pending->satellites.clear();
        return;
    }
    for (const auto& sat : gsv.satellites) {
        SatelliteStatus s;
        s.system = satellite_system(gsv.talker, sat.prn, std::nullopt);
        s.prn = sat.prn;
        s.elevation_deg = sat.elevation_deg;
        s.azimuth_deg = sat.azimuth_deg;
        s.cn0_dbhz = sat.snr_dbhz;
        pending->satellites.push_back(s);
    }
    ++pending->next_index;
    if (gsv.message_index != gsv.message_count) {
        return;
    }
    auto group = std::find_if(groups_.begin(), groups_.end(),
                              [&](const GsvGroup& g) { return g.talker == gsv.talker; });
    if (group == groups_.end()) {
        groups_.push_back(GsvGroup{gsv.talker, {}});
        group = std::prev(groups_.end());
    }
    group->satellites.swap(pending->satellites);
    pending->satellites.clear();
    pending->next_index = 0;
    rebuild_satellites();
}

void GnssManager::valid_fix(Millis now, const std::optional<TimeOfDay>& time,
                            bool date_from_sentence) {
    // GGA carries no date: when its time of day jumps back by more than half a day we crossed
    // midnight since the last RMC, so the date moves on with it.
    if (time && !date_from_sentence && date_ && last_time_ &&
        last_time_->millis_of_day() - time->millis_of_day() > kMillisPerDay / 2) {
        date_ = date_from_days(days_since_epoch(*date_) + 1);
    }
    if (time) {
        last_time_ = time;
    }
    status_.utc_time = time;
    status_.utc_date = date_;
    if (!status_.time_to_first_fix) {
        status_.time_to_first_fix = now - start_;
    }
    status_.last_fix_at = now;
    if (status_.fix == FixType::none) {
        status_.fix = FixType::fix_2d; // refined just below
    }
    update_fix_type(now);
}

void GnssManager::lose_fix() {
    status_.fix = FixType::none;
    status_.latitude_deg.reset();
    status_.longitude_deg.reset();
    status_.altitude_m.reset();
}

bool GnssManager::gsa_current(Millis now) const {
    return gsa_at_ && now - *gsa_at_ < config_.fix_timeout;
}

void GnssManager::update_fix_type(Millis now) {
    if (status_.fix == FixType::none) {
        return;
    }
    // The receiver's own GSA statement wins; without one, an altitude in GGA implies 3D.
    if (gsa_current(now) && gsa_mode_ && (*gsa_mode_ == 2 || *gsa_mode_ == 3)) {
        status_.fix = *gsa_mode_ == 3 ? FixType::fix_3d : FixType::fix_2d;
    } else {
        status_.fix = gga_has_altitude_ ? FixType::fix_3d : FixType::fix_2d;
    }
}

void GnssManager::refresh_sats_used(Millis now) {
    // GGA's count is capped at 12 by older NMEA versions (u-blox reports 12 while its GSAs list
    // 14), so the GSA list is preferred while it is current.
    if (gsa_current(now)) {
        status_.sats_used = static_cast<int>(used_.size());
    } else {
        status_.sats_used = gga_sats_used_;
    }
}

void GnssManager::rebuild_satellites() {
    status_.satellites.clear();
    for (const auto& group : groups_) {
        for (auto sat : group.satellites) {
            sat.used = std::any_of(used_.begin(), used_.end(), [&](const UsedSatellite& u) {
                return u.system == sat.system && u.prn == sat.prn;
            });
            status_.satellites.push_back(sat);
        }
    }
}

} // namespace bwc::fw::gnss
