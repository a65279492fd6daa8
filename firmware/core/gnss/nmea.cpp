// NMEA 0183 parsing and formatting: checksum, splitting, GGA/RMC/GSA/GSV field decoding.
// See nmea.hpp for the contract. Every failure path builds an Error naming the sentence type,
// the 1-based field number (as in the NMEA tables) and the offending text.
#include "firmware/core/gnss/nmea.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <system_error>

namespace bwc::fw::gnss {

namespace {

constexpr std::array<char, 16> kHexDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

std::string hex2(std::uint8_t v) {
    return std::string{kHexDigits[static_cast<std::size_t>(v >> 4U)],
                       kHexDigits[static_cast<std::size_t>(v & 0x0FU)]};
}

std::optional<std::uint8_t> hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return static_cast<std::uint8_t>(c - '0');
    }
    if (c >= 'A' && c <= 'F') {
        return static_cast<std::uint8_t>(c - 'A' + 10);
    }
    // Lower case is outside the standard but harmless to accept; some loggers rewrite case.
    if (c >= 'a' && c <= 'f') {
        return static_cast<std::uint8_t>(c - 'a' + 10);
    }
    return std::nullopt;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
    for (char c : s) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return !s.empty();
}

// Printable characters are quoted as-is; anything else is shown as \xHH so that a message about
// binary noise stays readable in a log.
std::string quoted(std::string_view s) {
    constexpr std::size_t kMaxShown = 24; // long garbage would drown the message
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
        const char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            out += c;
        } else {
            out += "\\x";
            out += hex2(static_cast<std::uint8_t>(c));
        }
    }
    if (s.size() > kMaxShown) {
        out += "...";
    }
    out += "'";
    return out;
}

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, v);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return v;
}

std::optional<double> to_double(std::string_view s) {
    // from_chars accepts "inf"/"nan", which no receiver means; require a plain decimal number.
    for (char c : s) {
        if (!is_digit(c) && c != '.' && c != '-') {
            return std::nullopt;
        }
    }
    double v = 0.0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, v, std::chars_format::fixed);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return v;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap(year)) {
        return 29;
    }
    return kDays[static_cast<std::size_t>(month - 1)];
}

// Reads fields of one sentence and remembers the first problem, so a decoder reads like the
// NMEA table it implements and checks for an error once at the end.
class Reader {
public:
    Reader(const Sentence& s, std::string_view type) : s_(s), type_(type) {}

    const std::optional<Error>& error() const { return error_; }

    bool require(std::size_t count) {
        if (s_.fields.size() < count) {
            fail(ErrorKind::missing_field, std::string(type_) + ": needs at least " +
                                               std::to_string(count) + " fields, found " +
                                               std::to_string(s_.fields.size()));
            return false;
        }
        return true;
    }

    std::size_t size() const { return s_.fields.size(); }

    /// Fields beyond the end read as empty: optional trailing fields (NMEA 2.3/4.10 additions)
    /// are simply absent on older receivers.
    std::string_view raw(std::size_t n) const {
        return n >= 1 && n <= s_.fields.size() ? s_.fields[n - 1] : std::string_view{};
    }

    std::optional<int> integer(std::size_t n, std::string_view what) {
        const auto f = raw(n);
        if (f.empty()) {
            return std::nullopt;
        }
        // Only plain digits: a sign or blank inside a count is a receiver fault, not data.
        const auto v = all_digits(f) ? to_int(f) : std::nullopt;
        if (!v) {
            bad(n, what, f, "is not an unsigned integer");
        }
        return v;
    }

    std::optional<double> number(std::size_t n, std::string_view what) {
        const auto f = raw(n);
        if (f.empty()) {
            return std::nullopt;
        }
        const auto v = to_double(f);
        if (!v) {
            bad(n, what, f, "is not a number");
        }
        return v;
    }

    std::optional<char> letter(std::size_t n, std::string_view what, std::string_view allowed) {
        const auto f = raw(n);
        if (f.empty()) {
            return std::nullopt;
        }
        if (f.size() != 1 || allowed.find(f[0]) == std::string_view::npos) {
            bad(n, what, f, "is not one of '" + std::string(allowed) + "'");
            return std::nullopt;
        }
        return f[0];
    }

    /// hhmmss[.s...]; fractions beyond milliseconds are truncated.
    std::optional<TimeOfDay> time(std::size_t n) {
        const auto f = raw(n);
        if (f.empty()) {
            return std::nullopt;
        }
        const auto dot = f.find('.');
        const auto whole = f.substr(0, dot);
        const auto frac = dot == std::string_view::npos ? std::string_view{} : f.substr(dot + 1);
        if (whole.size() != 6 || !all_digits(whole) ||
            (dot != std::string_view::npos && !frac.empty() && !all_digits(frac))) {
            bad(n, "UTC time", f, "is not hhmmss[.sss]");
            return std::nullopt;
        }
        TimeOfDay t;
        t.hour = static_cast<std::uint8_t>(*to_int(whole.substr(0, 2)));
        t.minute = static_cast<std::uint8_t>(*to_int(whole.substr(2, 2)));
        t.second = static_cast<std::uint8_t>(*to_int(whole.substr(4, 2)));
        int ms = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            ms = ms * 10 + (i < frac.size() ? frac[i] - '0' : 0);
        }
        t.millisecond = static_cast<std::uint16_t>(ms);
        if (t.hour > 23 || t.minute > 59 || t.second > 60) {
            bad(n, "UTC time", f, "is out of range");
            return std::nullopt;
        }
        return t;
    }

    /// ddmmyy. Two-digit years are read as 1980..2079: GPS time starts in 1980, and receivers
    /// without time report 1980 (MTK prints 050180 before its first fix).
    std::optional<Date> date(std::size_t n) {
        const auto f = raw(n);
        if (f.empty()) {
            return std::nullopt;
        }
        if (f.size() != 6 || !all_digits(f)) {
            bad(n, "date", f, "is not ddmmyy");
            return std::nullopt;
        }
        const int dd = *to_int(f.substr(0, 2));
        const int mm = *to_int(f.substr(2, 2));
        const int yy = *to_int(f.substr(4, 2));
        const int year = yy < 80 ? 2000 + yy : 1900 + yy;
        if (mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(year, mm)) {
            bad(n, "date", f, "is not a calendar date");
            return std::nullopt;
        }
        return Date{year, static_cast<std::uint8_t>(mm), static_cast<std::uint8_t>(dd)};
    }

    /// (d)ddmm.mmmm at field n with its hemisphere letter at n + 1.
    std::optional<double> coordinate(std::size_t n, bool latitude) {
        const auto f = raw(n);
        const auto what = latitude ? std::string_view{"latitude"} : std::string_view{"longitude"};
        const auto hemi = letter(n + 1, latitude ? "N/S" : "E/W", latitude ? "NS" : "EW");
        if (f.empty()) {
            return std::nullopt;
        }
        const auto dot = f.find('.');
        const auto whole = f.substr(0, dot);
        const auto frac = dot == std::string_view::npos ? std::string_view{} : f.substr(dot);
        if (whole.size() < 3 || !all_digits(whole) ||
            (frac.size() > 1 && !all_digits(frac.substr(1)))) {
            bad(n, what, f, latitude ? "is not ddmm.mmmm" : "is not dddmm.mmmm");
            return std::nullopt;
        }
        if (!hemi) {
            if (!error_) {
                bad(n + 1, latitude ? "N/S" : "E/W", raw(n + 1), "is missing for a given position");
            }
            return std::nullopt;
        }
        const int degrees = *to_int(whole.substr(0, whole.size() - 2));
        const auto minutes_text = f.substr(whole.size() - 2);
        const auto minutes = to_double(minutes_text);
        const double limit = latitude ? 90.0 : 180.0;
        // Minutes of exactly 60 are tolerated: MTK chips report the placeholder 8960.000000
        // (i.e. 90 deg) before their first fix, next to a "no fix" status.
        if (!minutes || *minutes > 60.0) {
            bad(n, what, f, "has minutes out of range");
            return std::nullopt;
        }
        const double value = degrees + *minutes / 60.0;
        if (value > limit) {
            bad(n, what, f, "is out of range");
            return std::nullopt;
        }
        return (*hemi == 'S' || *hemi == 'W') ? -value : value;
    }

    void bad(std::size_t n, std::string_view what, std::string_view found, std::string_view why) {
        fail(ErrorKind::bad_field, std::string(type_) + " field " + std::to_string(n) + " (" +
                                       std::string(what) + "): " + quoted(found) + " " +
                                       std::string(why));
    }

private:
    void fail(ErrorKind kind, std::string message) {
        if (!error_) {
            error_ = Error{kind, std::move(message)};
        }
    }

    const Sentence& s_;
    std::string_view type_;
    std::optional<Error> error_;
};

bool is_address_char(char c) {
    return (c >= 'A' && c <= 'Z') || is_digit(c);
}

} // namespace

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::empty_line:
        return "empty_line";
    case ErrorKind::missing_start:
        return "missing_start";
    case ErrorKind::missing_checksum:
        return "missing_checksum";
    case ErrorKind::bad_checksum:
        return "bad_checksum";
    case ErrorKind::bad_address:
        return "bad_address";
    case ErrorKind::missing_field:
        return "missing_field";
    case ErrorKind::bad_field:
        return "bad_field";
    }
    return "unknown";
}

std::string_view to_string(System system) {
    switch (system) {
    case System::gps:
        return "gps";
    case System::glonass:
        return "glonass";
    case System::galileo:
        return "galileo";
    case System::beidou:
        return "beidou";
    case System::qzss:
        return "qzss";
    case System::navic:
        return "navic";
    case System::unknown:
        return "unknown";
    }
    return "unknown";
}

System system_from_talker(std::string_view talker) {
    if (talker == "GP") {
        return System::gps;
    }
    if (talker == "GL") {
        return System::glonass;
    }
    if (talker == "GA") {
        return System::galileo;
    }
    if (talker == "GB" || talker == "BD") {
        return System::beidou;
    }
    if (talker == "GQ" || talker == "QZ") {
        return System::qzss;
    }
    if (talker == "GI") {
        return System::navic;
    }
    return System::unknown;
}

System system_from_prn(int prn) {
    if (prn >= 1 && prn <= 64) {
        return System::gps;
    }
    if (prn >= 65 && prn <= 96) {
        return System::glonass;
    }
    return System::unknown;
}

System system_from_id(int id) {
    switch (id) {
    case 1:
        return System::gps;
    case 2:
        return System::glonass;
    case 3:
        return System::galileo;
    case 4:
        return System::beidou;
    case 5:
        return System::qzss;
    case 6:
        return System::navic;
    default:
        return System::unknown;
    }
}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
std::int64_t days_since_epoch(const Date& date) {
    const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t m = date.month;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date date_from_days(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return Date{static_cast<int>(y), static_cast<std::uint8_t>(m), static_cast<std::uint8_t>(d)};
}

std::int64_t unix_millis(const Date& date, const TimeOfDay& time) {
    return days_since_epoch(date) * std::int64_t{86'400'000} + time.millis_of_day();
}

std::uint8_t checksum(std::string_view body) {
    std::uint8_t sum = 0;
    for (char c : body) {
        sum = static_cast<std::uint8_t>(sum ^ static_cast<std::uint8_t>(c));
    }
    return sum;
}

Result<Sentence> split_sentence(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
        line.remove_suffix(1);
    }
    if (line.empty()) {
        return Error{ErrorKind::empty_line, "empty line"};
    }
    if (line.front() != '$') {
        return Error{ErrorKind::missing_start,
                     "line starts with " + quoted(line.substr(0, 1)) + ", expected '$'"};
    }
    const auto star = line.rfind('*');
    if (star == std::string_view::npos) {
        return Error{ErrorKind::missing_checksum, "checksum missing: expected *" +
                                                      hex2(checksum(line.substr(1))) +
                                                      ", found no '*' in " + quoted(line)};
    }
    const auto body = line.substr(1, star - 1);
    const auto expected = checksum(body);
    const auto given = line.substr(star + 1);
    std::optional<std::uint8_t> found;
    if (given.size() == 2) {
        const auto hi = hex_value(given[0]);
        const auto lo = hex_value(given[1]);
        if (hi && lo) {
            found = static_cast<std::uint8_t>((*hi << 4U) | *lo);
        }
    }
    if (!found) {
        return Error{ErrorKind::bad_checksum,
                     "checksum: expected " + hex2(expected) + ", found " + quoted(given)};
    }
    if (*found != expected) {
        return Error{ErrorKind::bad_checksum,
                     "checksum: expected " + hex2(expected) + ", found " + hex2(*found)};
    }

    Sentence s;
    std::size_t start = 0;
    bool first = true;
    std::string_view address;
    while (true) {
        const auto comma = body.find(',', start);
        const auto part =
            body.substr(start, comma == std::string_view::npos ? body.npos : comma - start);
        if (first) {
            address = part;
            first = false;
        } else {
            s.fields.push_back(part);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    bool address_ok = !address.empty();
    for (char c : address) {
        address_ok = address_ok && is_address_char(c);
    }
    // Proprietary sentences are "$P" + maker + type (e.g. PMTK010); standard ones are a
    // two-letter talker and a type of at least one letter.
    if (address_ok && address.front() == 'P' && address.size() >= 2) {
        s.talker = address.substr(0, 1);
        s.type = address.substr(1);
    } else if (address_ok && address.size() >= 3) {
        s.talker = address.substr(0, 2);
        s.type = address.substr(2);
    } else {
        return Error{ErrorKind::bad_address,
                     "address " + quoted(address) + " is not a talker id and sentence type"};
    }
    return s;
}

Result<Gga> parse_gga(const Sentence& s) {
    // 1 time, 2-3 lat, 4-5 lon, 6 quality, 7 sats, 8 hdop, 9-10 alt M, 11-12 geoid sep M,
    // 13 DGPS age, 14 DGPS station
    Reader r(s, "GGA");
    if (!r.require(14)) {
        return *r.error();
    }
    Gga g;
    g.talker = std::string(s.talker);
    g.time = r.time(1);
    g.latitude_deg = r.coordinate(2, true);
    g.longitude_deg = r.coordinate(4, false);
    g.quality = r.integer(6, "fix quality");
    g.sats_used = r.integer(7, "satellites used");
    g.hdop = r.number(8, "HDOP");
    g.altitude_m = r.number(9, "altitude");
    g.geoid_separation_m = r.number(11, "geoid separation");
    if (r.error()) {
        return *r.error();
    }
    return g;
}

Result<Rmc> parse_rmc(const Sentence& s) {
    // 1 time, 2 status, 3-4 lat, 5-6 lon, 7 speed kn, 8 course, 9 date, 10-11 magnetic
    // variation, 12 mode (NMEA 2.3+), 13 navigational status (NMEA 4.1+)
    Reader r(s, "RMC");
    if (!r.require(11)) {
        return *r.error();
    }
    Rmc m;
    m.talker = std::string(s.talker);
    m.time = r.time(1);
    m.status = r.letter(2, "status", "AV");
    m.latitude_deg = r.coordinate(3, true);
    m.longitude_deg = r.coordinate(5, false);
    m.speed_knots = r.number(7, "speed");
    m.course_deg = r.number(8, "course");
    m.date = r.date(9);
    const auto variation = r.number(10, "magnetic variation");
    const auto variation_dir = r.letter(11, "variation E/W", "EW");
    if (variation) {
        m.magnetic_variation_deg = variation_dir == 'W' ? -*variation : *variation;
    }
    m.mode = r.letter(12, "mode", "ADEFMNPRS");
    if (r.error()) {
        return *r.error();
    }
    return m;
}

Result<Gsa> parse_gsa(const Sentence& s) {
    // 1 selection mode, 2 fix mode, 3-14 PRNs, 15 PDOP, 16 HDOP, 17 VDOP, 18 system id (4.10)
    Reader r(s, "GSA");
    if (!r.require(17)) {
        return *r.error();
    }
    Gsa g;
    g.talker = std::string(s.talker);
    g.selection = r.letter(1, "selection mode", "AM");
    g.fix_mode = r.integer(2, "fix mode");
    if (g.fix_mode && (*g.fix_mode < 1 || *g.fix_mode > 3)) {
        r.bad(2, "fix mode", r.raw(2), "is not 1, 2 or 3");
    }
    for (std::size_t n = 3; n <= 14; ++n) {
        if (const auto prn = r.integer(n, "PRN")) {
            g.prns_used.push_back(*prn);
        }
    }
    g.pdop = r.number(15, "PDOP");
    g.hdop = r.number(16, "HDOP");
    g.vdop = r.number(17, "VDOP");
    g.system_id = r.integer(18, "system id");
    if (r.error()) {
        return *r.error();
    }
    return g;
}

Result<Gsv> parse_gsv(const Sentence& s) {
    // 1 message count, 2 message index, 3 satellites in view, then per satellite
    // PRN, elevation, azimuth, SNR; an odd field left over is the NMEA 4.10 signal id.
    Reader r(s, "GSV");
    if (!r.require(3)) {
        return *r.error();
    }
    Gsv g;
    g.talker = std::string(s.talker);
    const auto count = r.integer(1, "message count");
    const auto index = r.integer(2, "message index");
    g.sats_in_view = r.integer(3, "satellites in view");
    if (!r.error()) {
        if (!count || *count < 1) {
            r.bad(1, "message count", r.raw(1), "must be at least 1");
        } else if (!index || *index < 1 || *index > *count) {
            r.bad(2, "message index", r.raw(2), "must be 1.." + std::to_string(*count));
        }
    }
    const std::size_t rest = r.size() - 3;
    const std::size_t blocks = rest / 4;
    if (rest % 4 > 1) {
        r.bad(r.size(), "satellite block", r.raw(r.size()), "ends an incomplete block of 4 fields");
    }
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t n = 4 + b * 4;
        const auto prn = r.integer(n, "PRN");
        const auto elevation = r.integer(n + 1, "elevation");
        const auto azimuth = r.integer(n + 2, "azimuth");
        const auto snr = r.integer(n + 3, "SNR");
        if (!prn) {
            // An all-empty block is padding some receivers add to the last sentence.
            if (elevation || azimuth || snr) {
                r.bad(n, "PRN", r.raw(n), "is missing for a satellite with data");
            }
            continue;
        }
        if (elevation && *elevation > 90) {
            r.bad(n + 1, "elevation", r.raw(n + 1), "is above 90");
        }
        if (azimuth && *azimuth > 359) {
            r.bad(n + 2, "azimuth", r.raw(n + 2), "is above 359");
        }
        g.satellites.push_back(SatelliteInView{*prn, elevation, azimuth, snr});
    }
    if (rest % 4 == 1) {
        g.signal_id = r.integer(r.size(), "signal id");
    }
    if (r.error()) {
        return *r.error();
    }
    g.message_count = *count;
    g.message_index = *index;
    return g;
}

Result<Message> parse(std::string_view line) {
    auto split = split_sentence(line);
    if (!split) {
        return split.error();
    }
    const Sentence& s = split.value();
    // Proprietary sentences can end in anything ("PMTKGGA" would be nonsense), so only
    // standard talkers are decoded by type.
    if (s.talker != "P") {
        if (s.type == "GGA") {
            auto r = parse_gga(s);
            return r ? Result<Message>{r.value()} : Result<Message>{r.error()};
        }
        if (s.type == "RMC") {
            auto r = parse_rmc(s);
            return r ? Result<Message>{r.value()} : Result<Message>{r.error()};
        }
        if (s.type == "GSA") {
            auto r = parse_gsa(s);
            return r ? Result<Message>{r.value()} : Result<Message>{r.error()};
        }
        if (s.type == "GSV") {
            auto r = parse_gsv(s);
            return r ? Result<Message>{r.value()} : Result<Message>{r.error()};
        }
    }
    return Message{OtherSentence{std::string(s.talker), std::string(s.type)}};
}

std::optional<std::string> format_sentence(std::string_view body) {
    if (body.empty()) {
        return std::nullopt;
    }
    for (char c : body) {
        if (c < 0x20 || c > 0x7E || c == '$' || c == '*') {
            return std::nullopt;
        }
    }
    std::string out;
    out.reserve(body.size() + 6);
    out += '$';
    out += body;
    out += '*';
    out += hex2(checksum(body));
    out += "\r\n";
    return out;
}

} // namespace bwc::fw::gnss
