// A station's calibration records (calibration/README.md): what each
// calibration routine measured — vision registration and region map, colour
// reference, actuator latency, thermal offset, dock contact baseline — with
// who did it, with which instruments, when, and until when it holds. The
// runner refuses to start when a calibration its steps need is missing or
// expired, naming the record; step types read the data (a bay's homography,
// its colour reference) through their StepContext.
//
// The file is JSON (so YAML too): the loader reports mistakes as
// file:line:col, the writer replaces the file atomically.
#pragma once

#include "bench/procedure/diagnostic.hpp"
#include "bench/transport/uri.hpp" // Result

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

inline constexpr int kCalibrationSchema = 1;

/// The calibration kinds and what they hold.
struct CalibrationKind {
    std::string_view kind;    // "vision.registration"
    bool per_bay;             // one record per bay, or one for the station
    std::string_view routine; // `bench calibrate <routine>` makes it
    std::string_view what;
};
const std::vector<CalibrationKind>& calibration_kinds();
const CalibrationKind* find_calibration_kind(std::string_view kind);

struct CalibrationRecord {
    std::string id;                       // unique in the file
    std::string kind;                     // a CalibrationKind
    std::optional<int> bay;               // per-bay kinds
    std::string operator_name;
    std::vector<std::string> instruments; // "vision VIS3 at tcp://…", reference parts
    std::string performed, expires;       // ISO 8601 UTC, "2026-11-24T10:15:00Z"
    std::int64_t performed_s = 0, expires_s = 0; // the same, seconds since the epoch
    nlohmann::json data;                  // the routine's result
    SourcePos pos;                        // where the record starts in its file
};

struct CalibrationBook {
    std::string path;
    std::string station;
    std::vector<CalibrationRecord> records;

    /// The most recently performed record of that kind (and bay), or nullptr.
    const CalibrationRecord* latest(std::string_view kind, std::optional<int> bay) const;
    /// Adds a record, replacing none (history is kept; latest() picks).
    void add(CalibrationRecord record);
};

Result<CalibrationBook, Diagnostics> load_calibration_book(const std::string& path);
Result<CalibrationBook, Diagnostics> parse_calibration_book(std::string_view text,
                                                            const std::string& path);
/// The file's text (stable key order, two-space indent).
std::string calibration_book_text(const CalibrationBook& book);
/// Writes the book to its path through a temporary file and rename, so a
/// crash never leaves half a file; "" on success, else why not.
std::string save_calibration_book(const CalibrationBook& book);

/// "2026-11-24T10:15:00Z" ↔ seconds since the epoch (UTC only).
std::optional<std::int64_t> parse_utc_time(std::string_view text);
std::string format_utc_time(std::int64_t seconds);

/// A calibration a run needs: its kind, for one bay or the station.
struct CalibrationNeed {
    std::string kind;
    std::optional<int> bay;
    std::string because; // "step 'led-colours' (vision.leds)"
};

/// Every need that `book` (nullptr: the station has no calibration file)
/// does not meet at `now_s`, one message each naming the kind, the bay, the
/// record and its expiry. `book_path` names the file in messages.
std::vector<std::string> unmet_calibrations(const CalibrationBook* book,
                                            const std::string& book_path,
                                            const std::vector<CalibrationNeed>& needs,
                                            std::int64_t now_s);

} // namespace bwc::bench
