// Calibration records: loading with positions, writing atomically, and the
// run's check of what is missing or expired (see calibration_book.hpp).
#include "bench/station/calibration_book.hpp"

#include "bench/procedure/suggest.hpp"
#include "bench/procedure/yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <unistd.h>

namespace bwc::bench {
namespace {

using yaml::MapReader;

const std::vector<std::string> kBookKeys{"schema", "station", "records"};
const std::vector<std::string> kRecordKeys{"id",        "kind",    "bay",  "operator", "instruments",
                                           "performed", "expires", "data"};

std::vector<std::string> kind_names() {
    std::vector<std::string> out;
    for (const CalibrationKind& k : calibration_kinds())
        out.emplace_back(k.kind);
    return out;
}

std::optional<CalibrationRecord> read_record(const YAML::Node& node, yaml::Reporter& r,
                                             std::set<std::string>& ids) {
    MapReader m(node, r, "calibration record", kRecordKeys);
    if (!m.valid())
        return std::nullopt;
    const std::size_t before = r.count();
    CalibrationRecord rec;
    rec.pos = r.pos(node);
    rec.id = m.text("id", true).value_or("");
    if (const YAML::Node* id = m.find("id"); id && !rec.id.empty() && !ids.insert(rec.id).second)
        r.error(*id, "duplicate calibration record id '" + rec.id + "'");
    rec.kind = m.text("kind", true).value_or("");
    const CalibrationKind* kind = nullptr;
    if (const YAML::Node* k = m.find("kind"); k && !rec.kind.empty()) {
        kind = find_calibration_kind(rec.kind);
        if (!kind)
            r.error(*k, "unknown calibration kind '" + rec.kind + "'" +
                            did_you_mean(rec.kind, kind_names()));
    }
    if (auto bay = m.integer("bay", false, 1, 8))
        rec.bay = static_cast<int>(*bay);
    if (kind && kind->per_bay && !rec.bay && !m.find("bay"))
        r.error(node, "calibration record '" + rec.id + "' (" + rec.kind + ") needs a bay");
    if (kind && !kind->per_bay && m.find("bay"))
        r.error(*m.find("bay"), rec.kind + " is a station calibration: no bay");
    rec.operator_name = m.text("operator", true).value_or("");
    if (const YAML::Node* op = m.find("operator"); op && rec.operator_name.empty())
        r.error(*op, "the operator is empty: a calibration names who performed it");
    if (const YAML::Node* inst = m.require("instruments"))
        rec.instruments =
            yaml::as_text_list(*inst, r, "instruments").value_or(std::vector<std::string>{});
    for (auto [key, text, secs] : {std::tuple{"performed", &rec.performed, &rec.performed_s},
                                   std::tuple{"expires", &rec.expires, &rec.expires_s}}) {
        *text = m.text(key, true).value_or("");
        if (const YAML::Node* n = m.find(key); n && !text->empty()) {
            if (auto t = parse_utc_time(*text))
                *secs = *t;
            else
                r.error(*n, std::string(key) + " must be a UTC time like 2026-11-24T10:15:00Z, got '" +
                                *text + "'");
        }
    }
    if (rec.performed_s && rec.expires_s && rec.expires_s <= rec.performed_s)
        r.error(*m.find("expires"), "expires (" + rec.expires + ") is not after performed (" +
                                        rec.performed + ")");
    if (const YAML::Node* data = m.require("data")) {
        if (auto j = yaml::to_json(*data, r); j && j->is_object())
            rec.data = std::move(*j);
        else if (j)
            r.error(*data, "data must be a mapping");
    }
    if (r.count() != before)
        return std::nullopt;
    return rec;
}

} // namespace

const std::vector<CalibrationKind>& calibration_kinds() {
    static const std::vector<CalibrationKind> kinds{
        {"vision.registration", true, "vision",
         "where the nest lies in the vision camera's image: homography and region map"},
        {"vision.colour", true, "vision", "colour reference from the nest's white reference patch"},
        {"actuator.latency", true, "actuator",
         "delay from an actuator command to the switch closing"},
        {"thermal.offset", false, "thermal",
         "chamber readout against the reference thermometer"},
        {"dock.contacts", true, "contacts", "each bay's pogo-pin contact resistance baseline"},
    };
    return kinds;
}

const CalibrationKind* find_calibration_kind(std::string_view kind) {
    for (const CalibrationKind& k : calibration_kinds())
        if (k.kind == kind)
            return &k;
    return nullptr;
}

const CalibrationRecord* CalibrationBook::latest(std::string_view kind,
                                                 std::optional<int> bay) const {
    const CalibrationRecord* best = nullptr;
    for (const CalibrationRecord& r : records)
        if (r.kind == kind && r.bay == bay && (!best || r.performed_s >= best->performed_s))
            best = &r;
    return best;
}

void CalibrationBook::add(CalibrationRecord record) { records.push_back(std::move(record)); }

Result<CalibrationBook, Diagnostics> load_calibration_book(const std::string& path) {
    return yaml::load_file<CalibrationBook>(path, parse_calibration_book);
}

Result<CalibrationBook, Diagnostics> parse_calibration_book(std::string_view text,
                                                            const std::string& path) {
    CalibrationBook book;
    book.path = path;
    yaml::Reporter r(path, text);
    auto doc = yaml::parse_document(text, r);
    if (!doc)
        return r.take();
    MapReader top(*doc, r, "a calibration file", kBookKeys);
    if (!top.valid())
        return r.take();
    if (auto schema = top.integer("schema", true, 1, 1000); schema && *schema != kCalibrationSchema)
        r.error(*top.find("schema"), "calibration schema " + std::to_string(*schema) +
                                         " is not the one this bench reads (" +
                                         std::to_string(kCalibrationSchema) + ")");
    book.station = top.text("station", true).value_or("");
    if (const YAML::Node* records = top.require("records")) {
        if (!records->IsSequence()) {
            r.error(*records, "records must be a list");
        } else {
            std::set<std::string> ids;
            for (const YAML::Node& item : *records) {
                if (!r.spend(item))
                    break;
                if (auto rec = read_record(item, r, ids))
                    book.records.push_back(std::move(*rec));
            }
        }
    }
    if (r.count() > 0)
        return r.take();
    return book;
}

std::string calibration_book_text(const CalibrationBook& book) {
    nlohmann::ordered_json j;
    j["schema"] = kCalibrationSchema;
    j["station"] = book.station;
    j["records"] = nlohmann::ordered_json::array();
    for (const CalibrationRecord& r : book.records) {
        nlohmann::ordered_json e;
        e["id"] = r.id;
        e["kind"] = r.kind;
        if (r.bay)
            e["bay"] = *r.bay;
        e["operator"] = r.operator_name;
        e["instruments"] = r.instruments;
        e["performed"] = r.performed;
        e["expires"] = r.expires;
        e["data"] = r.data;
        j["records"].push_back(std::move(e));
    }
    return j.dump(2) + "\n";
}

std::string save_calibration_book(const CalibrationBook& book) {
    const std::string text = calibration_book_text(book);
    const std::filesystem::path target(book.path);
    std::error_code ec;
    if (target.has_parent_path())
        std::filesystem::create_directories(target.parent_path(), ec);
    const std::string tmp = book.path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return "cannot write " + tmp + ": " + std::strerror(errno);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            return "cannot write " + tmp + ": " + why;
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced)
        return "cannot sync " + tmp + ": " + std::strerror(errno);
    std::filesystem::rename(tmp, target, ec);
    if (ec)
        return "cannot replace " + book.path + ": " + ec.message();
    return "";
}

std::optional<std::int64_t> parse_utc_time(std::string_view text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char t = 0, z = 0;
    const std::string copy(text);
    if (copy.size() != 20 ||
        std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%c", &y, &mo, &d, &t, &h, &mi, &s, &z) !=
            8 ||
        t != 'T' || z != 'Z')
        return std::nullopt;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::time_t secs = ::timegm(&tm);
    // timegm normalises 31 February into March: refuse dates that moved.
    std::tm back{};
    ::gmtime_r(&secs, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1)
        return std::nullopt;
    return static_cast<std::int64_t>(secs);
}

std::string format_utc_time(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::vector<std::string> unmet_calibrations(const CalibrationBook* book,
                                            const std::string& book_path,
                                            const std::vector<CalibrationNeed>& needs,
                                            std::int64_t now_s) {
    std::vector<std::string> out;
    std::set<std::pair<std::string, int>> seen;
    for (const CalibrationNeed& need : needs) {
        if (!seen.emplace(need.kind, need.bay.value_or(0)).second)
            continue;
        const std::string which = "calibration '" + need.kind + "'" +
                                  (need.bay ? " of bay " + std::to_string(*need.bay) : "");
        const CalibrationKind* kind = find_calibration_kind(need.kind);
        const std::string remedy =
            kind ? " (run: bench calibrate " + std::string(kind->routine) + ")" : "";
        if (!book) {
            out.push_back(which + ", needed by " + need.because +
                          ", is missing: the station has no calibration file" + remedy);
            continue;
        }
        const CalibrationRecord* rec = book->latest(need.kind, need.bay);
        if (!rec) {
            out.push_back(which + ", needed by " + need.because + ", is missing from " + book_path +
                          remedy);
            continue;
        }
        if (rec->expires_s <= now_s) {
            const std::int64_t days = (now_s - rec->expires_s) / 86400;
            out.push_back(which + ", needed by " + need.because + ", has expired: record '" +
                          rec->id + "' (" + book_path + ":" + std::to_string(rec->pos.line) +
                          ") expired " + rec->expires +
                          (days > 0 ? " (" + std::to_string(days) + " days ago)" : "") + remedy);
        }
    }
    return out;
}

} // namespace bwc::bench
