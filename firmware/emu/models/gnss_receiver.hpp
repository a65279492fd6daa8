// GnssReceiverModel: the emulated camera's GNSS receiver. It produces the NMEA 0183 byte stream
// a real receiver puts on its serial line, either from a scenario (position, UTC, sky) with a
// signal-dependent time to first fix, or by replaying a recorded receiver log epoch by epoch.
//
// The emulator forwards the bytes to the firmware's GnssManager and to a TCP port that gpsd
// reads, so scenario output is plain NMEA 0183 (checksummed, CRLF, at most 82 characters) in
// the form u-blox receivers use. Time comes only from the fw::Clock given at construction, so a
// virtual clock makes every run identical; the model never sleeps or reads the OS clock.
#pragma once

#include "firmware/core/gnss/nmea.hpp"
#include "firmware/core/result.hpp"
#include "firmware/core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bwc::emu {

using fw::Millis;
using namespace std::chrono_literals; // as in fw: durations read as 30s, 1s

/// Tunables of the receiver. Defaults describe a u-blox M8 class receiver; the TTFF model is
///     TTFF = cold_start_ttff + ttff_per_db * max(0, strong_cn0_dbhz - C4)
/// where C4 is the 4th strongest C/N0 among tracked satellites: a fix needs the ephemerides of
/// four satellites, and the weakest of the best four sets how long decoding them takes (bit
/// errors force the receiver to wait for repeated subframes).
struct GnssReceiverConfig {
    /// NMEA output rate of nearly every receiver: one epoch per second.
    static constexpr Millis kDefaultEpochPeriod = 1s;
    /// Cold start at open sky (u-blox M8 data sheet: 26-30 s).
    static constexpr Millis kDefaultColdStartTtff = 30s;
    /// Re-acquisition after a fix was held since the scenario started (ephemerides still
    /// valid): a hot start, about one second on u-blox M8.
    static constexpr Millis kDefaultHotStartTtff = 1s;
    /// At or above this C/N0 (open sky is 40-50 dBHz) data decoding is error free and the cold
    /// start takes cold_start_ttff.
    static constexpr double kDefaultStrongCn0DbHz = 40.0;
    /// Extra cold-start time per dB the 4th strongest satellite is below strong_cn0_dbhz, so
    /// that a fix at the threshold takes 30 s + 15 dB x 6 s = 2 min.
    static constexpr Millis kDefaultTtffPerDb = 6s;
    /// Satellites below this C/N0 are in view but not tracked (no C/N0 in GSV, unusable for a
    /// fix); about the cold-start sensitivity (-148 dBm) of a u-blox M8 behind a small patch.
    static constexpr double kDefaultTrackingThresholdDbHz = 25.0;
    /// Bytes held for take_output(); beyond this an epoch is dropped whole, as by a full UART
    /// FIFO, so a host that never reads cannot make the model grow without bound.
    static constexpr std::size_t kDefaultMaxBufferedBytes = 64 * 1024;
    /// After a clock jump advance() emits at most this many of the missed epochs (the newest);
    /// older ones would have scrolled past on a real serial line long ago.
    static constexpr std::size_t kDefaultMaxCatchUpEpochs = 60;

    Millis epoch_period = kDefaultEpochPeriod;
    Millis cold_start_ttff = kDefaultColdStartTtff;
    Millis hot_start_ttff = kDefaultHotStartTtff;
    double strong_cn0_dbhz = kDefaultStrongCn0DbHz;
    Millis ttff_per_db = kDefaultTtffPerDb;
    double tracking_threshold_dbhz = kDefaultTrackingThresholdDbHz;
    std::size_t max_buffered_bytes = kDefaultMaxBufferedBytes;
    std::size_t max_catch_up_epochs = kDefaultMaxCatchUpEpochs;
};

/// A fix needs at least this many tracked satellites (three position coordinates plus the
/// receiver clock offset).
inline constexpr int kMinSatellitesForFix = 4;

/// RF level -> C/N0: C/N0 = level - thermal noise density - receiver noise figure, i.e.
/// level + 171 dB. -130 dBm (a typical open-sky GPS L1 level) gives 41 dBHz; the default
/// tracking threshold 25 dBHz corresponds to -146 dBm.
inline constexpr double kThermalNoiseDensityDbmPerHz = -174.0;
inline constexpr double kReceiverNoiseFigureDb = 3.0;
double cn0_from_rf_level(double rf_level_dbm);

/// Mean Earth radius (IUGG) used to displace positions for GnssFaults::offset_m; a sphere is
/// accurate to 0.5 % in distance, well inside what any test of an offset needs.
inline constexpr double kEarthRadiusM = 6'371'008.8;

enum class Constellation : std::uint8_t { gps, glonass, galileo, beidou };

std::string_view to_string(Constellation c);

/// One satellite of a scenario's sky. PRNs are NMEA numbers: GPS 1-32, GLONASS 65-96,
/// Galileo 1-36, BeiDou 1-63.
struct SatelliteSignal {
    int prn = 0;
    Constellation constellation = Constellation::gps;
    int elevation_deg = 0; ///< 0-90; satellites below the horizon are not in view
    int azimuth_deg = 0;   ///< 0-359, clockwise from true north
    double cn0_dbhz = 0.0; ///< carrier-to-noise density at the receiver, 0-99
};

struct Position {
    double latitude_deg = 0.0;  ///< north positive, -90..90
    double longitude_deg = 0.0; ///< east positive, -180..180
    double altitude_m = 0.0;    ///< above mean sea level (GGA), -1000..50000
};

/// What the receiver sees. UTC runs on with the clock from the moment set_scenario() is called.
struct Scenario {
    Position position;
    fw::gnss::Date utc_date{2024, 1, 1}; ///< 1980-2079: RMC's two-digit year covers no more
    fw::gnss::TimeOfDay utc_time{};
    /// The sky when rf_level_dbm is absent.
    std::vector<SatelliteSignal> satellites;
    /// When set, the sky is default_sky() with every satellite at cn0_from_rf_level(level).
    std::optional<double> rf_level_dbm;
    /// Indoors or shielded: nothing is received, whatever the two fields above say.
    bool no_signal = false;
};

/// Twelve satellites (8 GPS, 4 GLONASS) spread over the sky for good geometry (HDOP about 1),
/// each at the given C/N0. Used for Scenario::rf_level_dbm.
std::vector<SatelliteSignal> default_sky(double cn0_dbhz);

/// Faults for fault injection; they act on scenario output from the next epoch on (replay
/// reproduces its log unchanged).
struct GnssFaults {
    /// Satellites are tracked (GSV shows their C/N0) but no fix is ever reported.
    bool no_fix = false;
    /// Reported position displaced by this many metres along offset_bearing_deg on the sphere
    /// of kEarthRadiusM; negative values displace the opposite way. Altitude is unchanged.
    double offset_m = 0.0;
    /// Direction of the displacement, clockwise from true north: 0 north (default), 90 east.
    double offset_bearing_deg = 0.0;
    /// Every satellite's C/N0 lowered by this many dB; may lengthen the TTFF or prevent a fix.
    double cn0_drop_db = 0.0;
};

enum class GnssModelMode : std::uint8_t { idle, scenario, replay, replay_finished };

std::string_view to_string(GnssModelMode mode);

/// For the emulator's diag port.
struct GnssModelStatus {
    GnssModelMode mode = GnssModelMode::idle;
    bool has_fix = false;
    /// Position as reported in the output (fault offset included); absent without a fix.
    std::optional<Position> position;
    int sats_in_view = 0;
    int sats_tracked = 0; ///< C/N0 at or above the tracking threshold
    int sats_used = 0;    ///< in the solution (GSA lists); 0 without a fix
    /// From set_scenario()/replay() to the first epoch that reported a fix.
    std::optional<Millis> ttff;
    std::uint64_t epochs_emitted = 0;
    std::uint64_t epochs_skipped = 0; ///< dropped by a clock jump or a full output buffer
};

/// Why a scenario or a replay log was refused. `message` is complete and names the source and
/// line ("log.nmea:12: ..."), so callers can show it as is.
struct GnssModelError {
    std::string source;   ///< file path, the name given to replay(), or "scenario"
    std::size_t line = 0; ///< 1-based line of the log; 0 when not about one line
    std::string message;
};

/// What a replay loaded.
struct ReplayInfo {
    std::size_t epochs = 0;
    std::size_t sentences = 0;
    /// Bytes before a line's '$' (binary noise in a capture, as in ublox-8.log) left out.
    std::size_t noise_bytes_dropped = 0;
};

class GnssReceiverModel {
public:
    explicit GnssReceiverModel(const fw::Clock& clock, GnssReceiverConfig config = {});

    /// Cold start into a scenario at clock.now(): the first epoch is due at once. An invalid
    /// scenario is refused and the model keeps doing what it did.
    [[nodiscard]] std::optional<GnssModelError> set_scenario(Scenario scenario);

    /// Replays a log from clock.now(): sentences grouped into epochs (a new epoch begins when a
    /// UTC time field changes, or when a time-carrying sentence with an empty time repeats),
    /// one epoch per epoch_period, the first at once. Lines starting with '#' and blank lines
    /// are skipped; bytes before a line's '$' are capture noise and dropped. A line without '$',
    /// with an unreadable address or with non-printable characters after '$' is an error.
    /// Checksums are not enforced: the receiver's own faults (MTK's $POLYN has none, a capture
    /// can end mid-line) are replayed for the firmware to cope with. `source` names the lines
    /// in errors.
    [[nodiscard]] fw::Result<ReplayInfo, GnssModelError> replay(std::vector<std::string> lines,
                                                                std::string source = "replay");
    /// As above, from a file; an unreadable file is an error naming it.
    [[nodiscard]] fw::Result<ReplayInfo, GnssModelError> replay_file(const std::string& path);

    /// Stops all output (receiver powered off).
    void stop();

    void set_faults(const GnssFaults& faults) { faults_ = faults; }
    const GnssFaults& faults() const { return faults_; }

    /// Bytes produced since the last call.
    std::string take_output();
    /// When the next epoch is due; absent when idle or the replay is over.
    std::optional<Millis> next_deadline() const;
    /// Produces every epoch due up to clock.now().
    void advance();

    GnssModelStatus status() const;
    const GnssReceiverConfig& config() const { return config_; }

private:
    struct SkyState {
        std::vector<SatelliteSignal> sats; // after faults and no_signal (C/N0 < 0 -> 0)
        std::vector<bool> tracked;
        int tracked_count = 0;
        std::optional<double> fourth_cn0; // 4th strongest tracked C/N0
    };
    using Epoch = std::vector<std::string>; // sentences of one replay epoch, with CRLF

    SkyState sky_now() const;
    Millis ttff_for(const SkyState& sky) const;
    void scenario_epoch(Millis t);
    void replay_epoch(std::size_t index, Millis t);
    std::vector<std::string> scenario_sentences(Millis t, const SkyState& sky) const;
    void emit(const std::string& bytes);
    void count_replayed_fix(const std::string& sentence, Millis t);

    const fw::Clock& clock_;
    GnssReceiverConfig config_;
    GnssFaults faults_;
    GnssModelMode mode_ = GnssModelMode::idle;
    Millis start_{0};
    Millis next_epoch_{0};
    std::string output_;
    GnssModelStatus status_;

    // Scenario state.
    Scenario scenario_;
    std::vector<SatelliteSignal> sky_; // resolved from satellites or rf_level_dbm
    std::int64_t utc_start_unix_ms_ = 0;
    bool fixed_ = false;
    bool ever_fixed_ = false; // ephemerides known: hot starts, elevation/azimuth in GSV
    std::optional<Millis> searching_since_;

    // Replay state.
    std::vector<Epoch> epochs_;
    std::size_t next_replay_ = 0;
    std::optional<int> replay_gsv_in_view_; // sum over the talkers' GSV groups of one epoch
};

} // namespace bwc::emu
