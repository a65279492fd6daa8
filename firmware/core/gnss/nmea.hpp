// NMEA 0183 sentence handling for the camera's GNSS receiver: checksum, splitting a line into
// talker/type/fields, decoding GGA, RMC, GSA and GSV, and formatting sentences (so an emulated
// receiver produces exactly what this parser accepts).
//
// Bad input never throws: every parse returns a value that is either the decoded sentence or an
// Error whose message names the sentence, the field and what was found, because the bench must
// be able to say *why* a receiver's output was rejected.
#pragma once

#include "firmware/core/result.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bwc::fw::gnss {

/// Why a line was rejected. The manager counts checksum problems separately from other
/// malformations because they point at different faults (line noise vs. a receiver bug).
enum class ErrorKind : std::uint8_t {
    empty_line,       ///< nothing but whitespace
    missing_start,    ///< the line does not begin with '$'
    missing_checksum, ///< no "*HH" at the end
    bad_checksum,     ///< "*HH" present but not matching, or not two hex digits
    bad_address,      ///< talker/type field unreadable (e.g. "$G,..." or lower case)
    missing_field,    ///< fewer fields than the sentence type requires
    bad_field,        ///< a field is present but cannot be read (e.g. "1x.5" as a number)
};

/// Short name of an error kind, for logs and test messages.
std::string_view to_string(ErrorKind kind);

struct Error {
    ErrorKind kind;
    std::string message; ///< names what was wrong, e.g. "checksum: expected 4E, found 4F"
};

/// Either a value or an Error naming what was wrong.
template <typename T>
using Result = fw::Result<T, Error>;

/// Constellation a satellite or a sentence belongs to. Needed because NMEA 4.10 PRNs overlap
/// between constellations (Galileo 1 and GPS 1 are different satellites).
enum class System : std::uint8_t { gps, glonass, galileo, beidou, qzss, navic, unknown };

std::string_view to_string(System system);

/// Talker "GP" -> gps, "GL" -> glonass, "GA" -> galileo, "GB"/"BD" -> beidou, "GQ"/"QZ" -> qzss,
/// "GI" -> navic; "GN" (combined) and anything else -> unknown.
System system_from_talker(std::string_view talker);

/// For combined ("GN") sentences without a system id: the classic NMEA PRN ranges
/// (1-32 GPS, 33-64 SBAS which is reported with GPS, 65-96 GLONASS).
System system_from_prn(int prn);

/// NMEA 4.10 system id (GSA field 18, GSV has it implied by talker): 1 GPS, 2 GLONASS,
/// 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC.
System system_from_id(int id);

struct TimeOfDay {
    std::uint8_t hour = 0;
    std::uint8_t minute = 0;
    std::uint8_t second = 0; ///< up to 60 for a leap second
    std::uint16_t millisecond = 0;

    std::int64_t millis_of_day() const {
        return ((hour * 60 + minute) * 60 + second) * std::int64_t{1000} + millisecond;
    }
    friend bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
};

struct Date {
    int year = 1970; ///< four digits; RMC's two-digit year is read as 1980..2079
    std::uint8_t month = 1;
    std::uint8_t day = 1;

    friend bool operator==(const Date&, const Date&) = default;
};

/// Days since 1970-01-01 for a proleptic Gregorian date (pure arithmetic, no OS calls).
std::int64_t days_since_epoch(const Date& date);
/// Inverse of days_since_epoch.
Date date_from_days(std::int64_t days);
/// Milliseconds since the Unix epoch (UTC, leap seconds not counted, as in POSIX time).
std::int64_t unix_millis(const Date& date, const TimeOfDay& time);

/// A line split into its parts. talker/type/fields are views into the line given to
/// split_sentence(); they are valid only while that line is alive and unchanged.
struct Sentence {
    std::string_view talker; ///< "GP", "GN", ...; "P" for proprietary ("$PMTK...")
    std::string_view type;   ///< "GGA", ...; for proprietary the rest of the address ("MTK010")
    std::vector<std::string_view> fields; ///< the fields after the address, possibly empty
};

/// XOR of all characters of body, which is the text between '$' and '*'.
std::uint8_t checksum(std::string_view body);

/// Checks the start character and the "*HH" checksum and splits the line. Trailing CR/LF and
/// spaces are ignored. Lines longer than the standard's 82 characters are accepted: real
/// receivers (MTK's PMTKCHN is 203 characters) exceed it, and the caller bounds the length.
Result<Sentence> split_sentence(std::string_view line);
/// A temporary std::string would leave the Sentence's views dangling, so it does not compile.
template <typename S>
requires std::same_as<S, std::string> Result<Sentence> split_sentence(S&& line)
= delete;

/// GGA: time, position and fix data.
struct Gga {
    std::string talker;
    std::optional<TimeOfDay> time;
    std::optional<double> latitude_deg;  ///< north positive
    std::optional<double> longitude_deg; ///< east positive
    std::optional<int> quality;          ///< 0 invalid, 1 GPS, 2 DGPS, 4/5 RTK, 6 estimated ...
    std::optional<int> sats_used;
    std::optional<double> hdop;
    std::optional<double> altitude_m; ///< above mean sea level
    std::optional<double> geoid_separation_m;

    /// Quality 1-6 are positions the receiver stands behind; 0 is "no fix", 7 (manual input)
    /// and 8 (simulator) are not measurements.
    bool has_fix() const { return quality.has_value() && *quality >= 1 && *quality <= 6; }
};

/// RMC: recommended minimum data.
struct Rmc {
    std::string talker;
    std::optional<TimeOfDay> time;
    std::optional<char> status; ///< 'A' valid, 'V' warning
    std::optional<double> latitude_deg;
    std::optional<double> longitude_deg;
    std::optional<double> speed_knots;
    std::optional<double> course_deg; ///< true course over ground
    std::optional<Date> date;
    std::optional<double> magnetic_variation_deg; ///< east positive
    std::optional<char> mode; ///< NMEA 2.3+: 'A' autonomous, 'D' differential, 'N' invalid ...

    /// Status 'A' and, when the NMEA 2.3 mode indicator is present, a mode other than 'N'.
    bool has_fix() const { return status == 'A' && mode != 'N'; }
};

/// GSA: DOP and the satellites used in the solution.
struct Gsa {
    std::string talker;
    std::optional<char> selection; ///< 'A' automatic / 'M' manual 2D/3D selection
    std::optional<int> fix_mode;   ///< 1 no fix, 2 2D, 3 3D
    std::vector<int> prns_used;    ///< empty fields skipped
    std::optional<double> pdop;
    std::optional<double> hdop;
    std::optional<double> vdop;
    std::optional<int> system_id; ///< NMEA 4.10 only
};

struct SatelliteInView {
    int prn = 0;
    std::optional<int> elevation_deg;
    std::optional<int> azimuth_deg;
    std::optional<int> snr_dbhz; ///< C/N0; absent when the satellite is not tracked
};

/// GSV: one part of a multi-sentence "satellites in view" group.
struct Gsv {
    std::string talker;
    int message_count = 0; ///< number of sentences in the group
    int message_index = 0; ///< 1-based
    std::optional<int> sats_in_view;
    std::vector<SatelliteInView> satellites; ///< up to four
    std::optional<int> signal_id;            ///< NMEA 4.10 only
};

/// A checksum-valid sentence of a type this module does not decode (VTG, GLL, PMTK...).
struct OtherSentence {
    std::string talker;
    std::string type;
};

using Message = std::variant<Gga, Rmc, Gsa, Gsv, OtherSentence>;

/// split_sentence() and then decode the fields of the known types. Empty fields decode as
/// absent, never as zero.
Result<Message> parse(std::string_view line);

/// Decoders for an already split sentence; the caller has checked the type.
Result<Gga> parse_gga(const Sentence& s);
Result<Rmc> parse_rmc(const Sentence& s);
Result<Gsa> parse_gsa(const Sentence& s);
Result<Gsv> parse_gsv(const Sentence& s);

/// "$" + body + "*HH\r\n", where body is the text between '$' and '*' (e.g. "GPGGA,...").
/// Absent when body is empty or contains characters that would break framing ('$', '*',
/// CR, LF, or anything outside printable ASCII).
std::optional<std::string> format_sentence(std::string_view body);

} // namespace bwc::fw::gnss
