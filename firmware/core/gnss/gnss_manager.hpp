// GnssManager: turns the receiver's raw serial byte stream into the camera's GNSS status (fix,
// position, UTC, satellites, TTFF, error counters) and decides when a fix is lost.
//
// Time is always passed in by the caller (Millis since the host's epoch); the manager never
// reads a clock, so a discrete-event host can jump to next_deadline() instead of polling.
#pragma once

#include "firmware/core/gnss/nmea.hpp"
#include "firmware/core/time.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::fw::gnss {

struct GnssConfig {
    /// Receivers report once per second; three missed reports mean the fix is gone rather than
    /// one sentence lost to noise.
    static constexpr Millis kDefaultFixTimeout = 3s;
    /// Longest accepted line including '$' and "*HH". NMEA says 82, but MTK's PMTKCHN is 203;
    /// anything longer than this is treated as garbage and dropped.
    static constexpr std::size_t kDefaultMaxLineLength = 256;

    Millis fix_timeout = kDefaultFixTimeout;
    std::size_t max_line_length = kDefaultMaxLineLength;
    bool enabled = true; ///< location data on/off, from the camera profile
};

enum class FixType : std::uint8_t { none, fix_2d, fix_3d };

std::string_view to_string(FixType fix);

/// One satellite in view, merged from the latest complete GSV group of its talker and the
/// latest GSA group (for `used`).
struct SatelliteStatus {
    System system = System::unknown;
    int prn = 0;
    std::optional<int> elevation_deg;
    std::optional<int> azimuth_deg;
    std::optional<int> cn0_dbhz; ///< absent when the satellite is in view but not tracked
    bool used = false;           ///< listed in the current GSA group
};

struct GnssCounters {
    std::uint32_t sentences_ok = 0;      ///< checksum valid and decodable (incl. ignored types)
    std::uint32_t sentences_ignored = 0; ///< subset of sentences_ok: types not decoded here
    std::uint32_t checksum_errors = 0;   ///< missing or wrong "*HH"
    std::uint32_t malformed = 0;         ///< bad address/fields, or a line cut by a new '$'
    std::uint32_t overlong_lines = 0;    ///< lines longer than max_line_length, dropped
    std::uint32_t bytes_discarded = 0;   ///< bytes outside any sentence (binary noise, headers)
};

struct GnssStatus {
    bool enabled = true;
    FixType fix = FixType::none;
    /// Position of the current fix; absent whenever fix is none, so stale data is never shown.
    std::optional<double> latitude_deg;
    std::optional<double> longitude_deg;
    std::optional<double> altitude_m; ///< above mean sea level, from GGA
    /// UTC of the latest fix. The date comes from RMC; before the first valid RMC only the time
    /// of day is known.
    std::optional<Date> utc_date;
    std::optional<TimeOfDay> utc_time;
    std::optional<int> sats_used; ///< GSA's PRN list if current, else GGA's count
    std::optional<double> hdop;
    std::optional<double> pdop;
    std::optional<double> vdop;
    std::vector<SatelliteStatus> satellites; ///< in view, all constellations
    /// Time to first fix, measured from construction / reset() / enabling.
    std::optional<Millis> time_to_first_fix;
    /// Host time of the latest valid fix sentence.
    std::optional<Millis> last_fix_at;
    GnssCounters counters;
    std::optional<Error> last_error; ///< most recent rejected line, for diagnostics

    std::size_t sats_in_view() const { return satellites.size(); }
    /// Milliseconds since the Unix epoch of the latest fix, when both date and time are known.
    std::optional<std::int64_t> utc_unix_millis() const;
};

class GnssManager {
public:
    explicit GnssManager(GnssConfig config = {}, Millis now = Millis{0});

    /// Raw receiver bytes in chunks of any size; lines may span chunks and end in CR, LF or
    /// both. All sentences completed by this chunk are stamped with `now`. Ignored when
    /// disabled.
    void feed(std::string_view bytes, Millis now);

    /// Lets time pass without input: drops the fix once fix_timeout has elapsed since the last
    /// valid fix sentence (at exactly last + timeout the fix is gone).
    void advance(Millis now);

    /// When advance() would next change the status (the fix timeout), if anything is pending.
    std::optional<Millis> next_deadline() const;

    /// Forget everything (receiver restarted) and measure TTFF from `now`. Counters restart.
    void reset(Millis now);

    /// Location data on/off. Turning it on starts a new TTFF measurement (the receiver powers
    /// up); turning it off clears the status and makes feed() ignore input.
    void set_enabled(bool enabled, Millis now);
    bool enabled() const { return status_.enabled; }

    /// What the display's GPS icon shows: position or no position.
    bool has_position() const { return status_.enabled && status_.fix != FixType::none; }

    const GnssStatus& status() const { return status_; }
    const GnssConfig& config() const { return config_; }

private:
    // Satellites of one talker as announced by one complete GSV group.
    struct GsvGroup {
        std::string talker;
        std::vector<SatelliteStatus> satellites;
    };
    // A GSV group being assembled from its parts.
    struct PendingGsv {
        std::string talker;
        int count = 0;
        int next_index = 0;
        std::vector<SatelliteStatus> satellites;
    };
    struct UsedSatellite {
        System system;
        int prn;
    };

    // At most this many talkers are tracked; each GSV group holds at most 9 x 4 satellites,
    // so satellite memory stays bounded whatever the receiver sends.
    static constexpr std::size_t kMaxTalkers = 8;
    static constexpr int kMaxGsvMessages = 9;

    void handle_line(std::string_view line, Millis now);
    void apply(const Gga& gga, Millis now);
    void apply(const Rmc& rmc, Millis now);
    void apply(const Gsa& gsa, Millis now);
    void apply(const Gsv& gsv, Millis now);
    void valid_fix(Millis now, const std::optional<TimeOfDay>& time, bool date_from_sentence);
    void lose_fix();
    bool gsa_current(Millis now) const;
    void update_fix_type(Millis now);
    void refresh_sats_used(Millis now);
    void rebuild_satellites();
    // Ends the line being assembled: parses it, or counts it as over-long.
    void abandon_line(Millis now);

    GnssConfig config_;
    GnssStatus status_;
    Millis start_{0};

    // Line assembly: bounded to config_.max_line_length characters.
    std::string line_;
    bool in_line_ = false;
    bool line_overflow_ = false;

    // Dimension as last reported: GSA's mode wins while it is current; GGA altitude otherwise.
    std::optional<int> gsa_mode_;
    std::optional<Millis> gsa_at_;
    bool gga_has_altitude_ = false;
    // Used-satellite list, assembled from consecutive GSA sentences (one per constellation on
    // multi-GNSS receivers).
    std::vector<UsedSatellite> used_;
    bool last_was_gsa_ = false;
    std::optional<int> gga_sats_used_;
    std::optional<Date> date_;
    std::optional<TimeOfDay> last_time_;

    std::vector<GsvGroup> groups_;
    std::vector<PendingGsv> pending_;
};

} // namespace bwc::fw::gnss
