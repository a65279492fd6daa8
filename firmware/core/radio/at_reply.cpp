// AT reply assembly and parsing; see at_reply.hpp for the contract.
#include "firmware/core/radio/at_reply.hpp"

#include <array>
#include <charconv>
#include <system_error>

namespace bwc::fw::radio {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool all_digits(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (char c : s) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

/// Spaces, then one pair of double quotes, then spaces again: modems put
/// stray spaces both outside and inside quotes.
std::string_view unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        s = trim(s.substr(1, s.size() - 2));
    }
    return s;
}

/// The line quoted for messages, control bytes escaped, so a record shows
/// exactly what the modem sent.
std::string printable(std::string_view line) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out = "'";
    for (char c : line) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (byte < 0x20 || byte >= 0x7F) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

template <class T>
Result<T> fail(std::string_view what, std::string_view line) {
    return Result<T>::failure(std::string(what) + " in " + printable(line));
}

/// The text after `prefix` (e.g. "+CSQ:"), or nothing when the line does not start with it.
std::optional<std::string_view> body_after(std::string_view line, std::string_view prefix) {
    const std::string_view t = trim(line);
    if (!istarts_with(t, prefix)) {
        return std::nullopt;
    }
    return trim(t.substr(prefix.size()));
}

std::optional<int> to_int(std::string_view s) {
    s = unquote(s);
    int value = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, value, 10);
    if (s.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint32_t> to_hex(std::string_view s) {
    s = unquote(s);
    std::uint32_t value = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, value, 16);
    if (s.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

struct CodeText {
    int code;
    std::string_view text;
};

// 27.007 §9.2.1 (general) and §9.2.2 (GPRS/EPS).
constexpr std::array kCmeTexts{
    CodeText{0, "phone failure"},
    CodeText{1, "no connection to phone"},
    CodeText{2, "phone-adaptor link reserved"},
    CodeText{3, "operation not allowed"},
    CodeText{4, "operation not supported"},
    CodeText{5, "PH-SIM PIN required"},
    CodeText{6, "PH-FSIM PIN required"},
    CodeText{7, "PH-FSIM PUK required"},
    CodeText{10, "SIM not inserted"},
    CodeText{11, "SIM PIN required"},
    CodeText{12, "SIM PUK required"},
    CodeText{13, "SIM failure"},
    CodeText{14, "SIM busy"},
    CodeText{15, "SIM wrong"},
    CodeText{16, "incorrect password"},
    CodeText{17, "SIM PIN2 required"},
    CodeText{18, "SIM PUK2 required"},
    CodeText{20, "memory full"},
    CodeText{21, "invalid index"},
    CodeText{22, "not found"},
    CodeText{23, "memory failure"},
    CodeText{24, "text string too long"},
    CodeText{25, "invalid characters in text string"},
    CodeText{26, "dial string too long"},
    CodeText{27, "invalid characters in dial string"},
    CodeText{30, "no network service"},
    CodeText{31, "network timeout"},
    CodeText{32, "network not allowed - emergency calls only"},
    CodeText{40, "network personalization PIN required"},
    CodeText{41, "network personalization PUK required"},
    CodeText{42, "network subset personalization PIN required"},
    CodeText{43, "network subset personalization PUK required"},
    CodeText{44, "service provider personalization PIN required"},
    CodeText{45, "service provider personalization PUK required"},
    CodeText{46, "corporate personalization PIN required"},
    CodeText{47, "corporate personalization PUK required"},
    CodeText{48, "hidden key required"},
    CodeText{49, "EAP method not supported"},
    CodeText{50, "incorrect parameters"},
    CodeText{100, "unknown"},
    CodeText{103, "illegal MS"},
    CodeText{106, "illegal ME"},
    CodeText{107, "GPRS services not allowed"},
    CodeText{111, "PLMN not allowed"},
    CodeText{112, "location area not allowed"},
    CodeText{113, "roaming not allowed in this location area"},
    CodeText{132, "service option not supported"},
    CodeText{133, "requested service option not subscribed"},
    CodeText{134, "service option temporarily out of order"},
    CodeText{148, "unspecified GPRS error"},
    CodeText{149, "PDP authentication failure"},
    CodeText{150, "invalid mobile class"},
};

// 27.005 §3.2.5.
constexpr std::array kCmsTexts{
    CodeText{300, "ME failure"},
    CodeText{301, "SMS service of ME reserved"},
    CodeText{302, "operation not allowed"},
    CodeText{303, "operation not supported"},
    CodeText{304, "invalid PDU mode parameter"},
    CodeText{305, "invalid text mode parameter"},
    CodeText{310, "SIM not inserted"},
    CodeText{311, "SIM PIN required"},
    CodeText{312, "PH-SIM PIN required"},
    CodeText{313, "SIM failure"},
    CodeText{314, "SIM busy"},
    CodeText{315, "SIM wrong"},
    CodeText{316, "SIM PUK required"},
    CodeText{317, "SIM PIN2 required"},
    CodeText{318, "SIM PUK2 required"},
    CodeText{320, "memory failure"},
    CodeText{321, "invalid memory index"},
    CodeText{322, "memory full"},
    CodeText{330, "SMSC address unknown"},
    CodeText{331, "no network service"},
    CodeText{332, "network timeout"},
    CodeText{340, "no +CNMA acknowledgement expected"},
    CodeText{500, "unknown error"},
};

template <std::size_t N>
std::string_view text_for(const std::array<CodeText, N>& table, int code) {
    for (const auto& entry : table) {
        if (entry.code == code) {
            return entry.text;
        }
    }
    return {};
}

template <std::size_t N>
std::optional<int> code_for(const std::array<CodeText, N>& table, std::string_view text) {
    for (const auto& entry : table) {
        if (iequals(entry.text, text)) {
            return entry.code;
        }
    }
    return std::nullopt;
}

/// "+CME ERROR: 10" and, with AT+CMEE=2, "+CME ERROR: SIM not inserted".
template <std::size_t N>
FinalResult error_final(FinalKind kind, std::string_view line, std::string_view rest,
                        const std::array<CodeText, N>& table) {
    FinalResult f{kind, to_int(rest), std::string(line)};
    if (!f.code) {
        f.code = code_for(table, unquote(rest));
    }
    return f;
}

/// Unprefixed lines modems send on their own (boot and ring indications);
/// they must not be taken for a vendor final result code.
constexpr std::array<std::string_view, 9> kBareUnsolicited{
    "RING",       "RDY",       "APP RDY",           "SMS DONE",     "PB DONE",
    "Call Ready", "SMS Ready", "NORMAL POWER DOWN", "POWERED DOWN",
};

bool is_bare_unsolicited(std::string_view line) {
    for (auto known : kBareUnsolicited) {
        if (iequals(line, known)) {
            return true;
        }
    }
    return false;
}

/// Extended-syntax lines start with one of these (27.007 '+', vendors' '^',
/// '$', '#', '%', '*'); one that is not the pending command's is a URC.
bool looks_extended(std::string_view line) {
    return !line.empty() && std::string_view("+^$#%*").find(line.front()) != std::string_view::npos;
}

std::string_view command_without_terminator(std::string_view command_line) {
    while (!command_line.empty() && (command_line.back() == '\r' || command_line.back() == '\n')) {
        command_line.remove_suffix(1);
    }
    return trim(command_line);
}

/// "+CSQ" from "AT+CSQ", "+CGDCONT" from "AT+CGDCONT=1,...", upper-cased.
std::string extended_name(std::string_view command_line) {
    const std::string_view t = command_without_terminator(command_line);
    if (t.size() < 3 || !istarts_with(t, "AT") || !looks_extended(t.substr(2))) {
        return {};
    }
    std::string name;
    for (char c : t.substr(2)) {
        if (c == '=' || c == '?' || c == ';' || is_space(c)) {
            break;
        }
        name += upper(c);
    }
    return name;
}

} // namespace

std::optional<std::vector<std::string_view>> split_params(std::string_view s) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"') {
            quoted = !quoted;
        } else if (s[i] == ',' && !quoted) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    if (quoted) {
        return std::nullopt;
    }
    out.push_back(s.substr(start));
    return out;
}

// ---------------------------------------------------------------------------

std::optional<std::string_view> Response::info_with_prefix(std::string_view prefix) const {
    for (const auto& line : info) {
        if (istarts_with(trim(line), prefix)) {
            return std::string_view(line);
        }
    }
    return std::nullopt;
}

std::string Response::describe_final() const {
    std::string out = final.line;
    std::string_view text;
    if (final.code && final.kind == FinalKind::cme_error) {
        text = cme_error_text(*final.code);
    } else if (final.code && final.kind == FinalKind::cms_error) {
        text = cms_error_text(*final.code);
    }
    // The text form already says it; the numeric form gains the meaning.
    if (!text.empty() && !iequals(unquote(final.line.substr(final.line.find(':') + 1)), text)) {
        out += " (";
        out += text;
        out += ")";
    }
    return out;
}

std::string_view cme_error_text(int code) {
    return text_for(kCmeTexts, code);
}
std::string_view cms_error_text(int code) {
    return text_for(kCmsTexts, code);
}

std::optional<FinalResult> parse_final(std::string_view line) {
    const std::string_view t = trim(line);
    struct Plain {
        std::string_view text;
        FinalKind kind;
    };
    constexpr std::array kPlain{
        Plain{"OK", FinalKind::ok},
        Plain{"ERROR", FinalKind::error},
        Plain{"NO CARRIER", FinalKind::no_carrier},
        Plain{"BUSY", FinalKind::busy},
        Plain{"NO ANSWER", FinalKind::no_answer},
        Plain{"NO DIALTONE", FinalKind::no_dialtone},
        Plain{"NO DIAL TONE", FinalKind::no_dialtone},
        Plain{"CONNECT", FinalKind::connect},
    };
    for (const auto& p : kPlain) {
        if (iequals(t, p.text)) {
            return FinalResult{p.kind, std::nullopt, std::string(t)};
        }
    }
    if (istarts_with(t, "CONNECT ")) { // "CONNECT 115200"
        return FinalResult{FinalKind::connect, std::nullopt, std::string(t)};
    }
    if (auto rest = body_after(t, "+CME ERROR:")) {
        return error_final(FinalKind::cme_error, t, *rest, kCmeTexts);
    }
    if (auto rest = body_after(t, "+CMS ERROR:")) {
        return error_final(FinalKind::cms_error, t, *rest, kCmsTexts);
    }
    return std::nullopt;
}

InfoShape info_shape_for(std::string_view command_line) {
    const std::string_view t = command_without_terminator(command_line);
    if (!istarts_with(t, "AT")) {
        return InfoShape::free_text; // not a command we can reason about
    }
    const std::string name = extended_name(t);
    if (name.empty()) {
        const std::string_view basic = t.substr(2);
        // ATI and AT&V print free text; AT, ATE0, ATZ, AT&F… print nothing.
        if (istarts_with(basic, "I") || istarts_with(basic, "&V")) {
            return InfoShape::free_text;
        }
        return InfoShape::none;
    }
    const bool has_parameters = t.find('=') != std::string_view::npos;
    if ((name == "+CGSN" || name == "+CIMI" || name == "+GSN") && !has_parameters) {
        return InfoShape::digits;
    }
    constexpr std::array<std::string_view, 6> kFreeText{"+CGMI", "+CGMM", "+CGMR",
                                                        "+GMI",  "+GMM",  "+GMR"};
    for (auto free : kFreeText) {
        if (name == free) {
            return InfoShape::free_text;
        }
    }
    return InfoShape::prefixed;
}

void ResponseAssembler::expect(std::string_view command_line) {
    current_ = Response{};
    current_.command = std::string(command_without_terminator(command_line));
    shape_ = info_shape_for(current_.command);
    prefix_ = extended_name(current_.command);
    if (!prefix_.empty()) {
        prefix_ += ':';
    }
    pending_ = true;
}

void ResponseAssembler::cancel() {
    pending_ = false;
    current_ = Response{};
}

void ResponseAssembler::feed(std::string_view bytes) {
    for (char c : bytes) {
        if (c == '\r' || c == '\n') {
            if (!line_.empty()) {
                on_line(std::move(line_), line_cut_);
            }
            line_.clear();
            line_cut_ = false;
        } else if (line_.size() < max_line_length) {
            line_ += c;
        } else {
            line_cut_ = true;
        }
    }
}

std::optional<Response> ResponseAssembler::take_response() {
    auto out = std::move(done_);
    done_.reset();
    return out;
}

std::vector<std::string> ResponseAssembler::take_urcs() {
    std::vector<std::string> out;
    out.swap(urcs_);
    return out;
}

void ResponseAssembler::push_urc(std::string line) {
    if (urcs_.size() >= max_queued_urcs) {
        urcs_.erase(urcs_.begin());
        ++dropped_urcs_;
    }
    urcs_.push_back(std::move(line));
}

void ResponseAssembler::finish(FinalResult final) {
    current_.final = std::move(final);
    done_ = std::move(current_);
    current_ = Response{};
    pending_ = false;
}

void ResponseAssembler::on_line(std::string line, bool cut) {
    const std::string_view t = trim(line);
    if (t.empty()) {
        return;
    }
    if (!pending_) {
        push_urc(std::string(t));
        return;
    }
    const bool first = current_.info.empty();
    if (!current_.echoed && first && iequals(t, current_.command)) {
        current_.echoed = true;
        return;
    }
    if (auto final = parse_final(t)) {
        current_.truncated = current_.truncated || cut;
        finish(std::move(*final));
        return;
    }
    if (is_bare_unsolicited(t)) {
        push_urc(std::string(t));
        return;
    }
    const bool own_prefix = !prefix_.empty() && istarts_with(t, prefix_);
    bool is_info = true;
    switch (shape_) {
    case InfoShape::free_text:
        break;
    case InfoShape::none:
    case InfoShape::prefixed:
    case InfoShape::digits: {
        const bool fits = own_prefix || (shape_ == InfoShape::digits && all_digits(unquote(t)));
        if (fits) {
            break;
        }
        if (looks_extended(t)) {
            push_urc(std::string(t));
            return;
        }
        // Not information for this command and not another command's line:
        // as the only answer it is the vendor's final result code; later in
        // an answer it is a continuation line (e.g. an SMS body).
        is_info = !first;
        break;
    }
    }
    if (!is_info) {
        current_.truncated = current_.truncated || cut;
        finish(FinalResult{FinalKind::vendor_error, std::nullopt, std::string(t)});
        return;
    }
    if (cut) {
        current_.truncated = true;
    }
    if (current_.info.size() < max_info_lines) {
        current_.info.emplace_back(t);
    } else {
        current_.truncated = true;
    }
}

// ---------------------------------------------------------------------------

Result<SignalQuality> parse_csq(std::string_view line) {
    using R = Result<SignalQuality>;
    const auto body = body_after(line, "+CSQ:");
    if (!body) {
        return fail<SignalQuality>("expected '+CSQ:'", line);
    }
    const auto f = split_params(*body);
    if (!f || f->size() != 2) {
        return fail<SignalQuality>("+CSQ needs <rssi>,<ber>", line);
    }
    const auto rssi = to_int((*f)[0]);
    const auto ber = to_int((*f)[1]);
    if (!rssi || !(*rssi == 99 || (*rssi >= 0 && *rssi <= 31))) {
        return fail<SignalQuality>("+CSQ <rssi> is not 0-31 or 99", line);
    }
    if (!ber || !(*ber == 99 || (*ber >= 0 && *ber <= 7))) {
        return fail<SignalQuality>("+CSQ <ber> is not 0-7 or 99", line);
    }
    SignalQuality q;
    q.rssi_code = *rssi;
    q.ber_code = *ber;
    if (*rssi != 99) {
        q.rssi_dbm = -113 + 2 * *rssi;
        q.rssi_edge = *rssi == 0    ? RangeEdge::at_or_below
                      : *rssi == 31 ? RangeEdge::at_or_above
                                    : RangeEdge::inside;
    }
    if (*ber != 99) {
        q.ber_class = *ber;
    }
    return R::success(q);
}

Result<ExtendedSignalQuality> parse_cesq(std::string_view line) {
    using R = Result<ExtendedSignalQuality>;
    const auto body = body_after(line, "+CESQ:");
    if (!body) {
        return fail<ExtendedSignalQuality>("expected '+CESQ:'", line);
    }
    const auto f = split_params(*body);
    if (!f || f->size() != 6) {
        return fail<ExtendedSignalQuality>("+CESQ needs <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>",
                                           line);
    }
    struct Field {
        std::string_view name;
        int max;
        int not_known;
    };
    constexpr std::array<Field, 6> kFields{Field{"rxlev", 63, 99}, Field{"ber", 7, 99},
                                           Field{"rscp", 96, 255}, Field{"ecno", 49, 255},
                                           Field{"rsrq", 34, 255}, Field{"rsrp", 97, 255}};
    std::array<int, 6> code{};
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        const auto v = to_int((*f)[i]);
        if (!v || !(*v == kFields[i].not_known || (*v >= 0 && *v <= kFields[i].max))) {
            return fail<ExtendedSignalQuality>(
                "+CESQ <" + std::string(kFields[i].name) + "> is out of range", line);
        }
        code[i] = *v;
    }
    ExtendedSignalQuality q;
    q.rxlev = code[0];
    q.ber = code[1];
    q.rscp = code[2];
    q.ecno = code[3];
    q.rsrq = code[4];
    q.rsrp = code[5];
    if (q.rsrq != 255) {
        q.rsrq_db = -20.0 + 0.5 * q.rsrq;
        q.rsrq_edge = q.rsrq == 0    ? RangeEdge::at_or_below
                      : q.rsrq == 34 ? RangeEdge::at_or_above
                                     : RangeEdge::inside;
    }
    if (q.rsrp != 255) {
        q.rsrp_dbm = -141 + q.rsrp;
        q.rsrp_edge = q.rsrp == 0    ? RangeEdge::at_or_below
                      : q.rsrp == 97 ? RangeEdge::at_or_above
                                     : RangeEdge::inside;
    }
    return R::success(q);
}

std::string_view to_string(RegStat stat) {
    switch (stat) {
    case RegStat::not_searching:
        return "not registered, not searching";
    case RegStat::home:
        return "registered, home network";
    case RegStat::searching:
        return "not registered, searching";
    case RegStat::denied:
        return "registration denied";
    case RegStat::unknown:
        return "unknown";
    case RegStat::roaming:
        return "registered, roaming";
    case RegStat::sms_only_home:
        return "registered for SMS only, home network";
    case RegStat::sms_only_roaming:
        return "registered for SMS only, roaming";
    case RegStat::emergency_only:
        return "emergency services only";
    case RegStat::csfb_not_preferred_home:
        return "registered, home network, CSFB not preferred";
    case RegStat::csfb_not_preferred_roaming:
        return "registered, roaming, CSFB not preferred";
    }
    return "?";
}

std::string_view act_name(int act) {
    constexpr std::array<std::string_view, 14> kNames{
        "GSM",
        "GSM Compact",
        "UTRAN",
        "GSM w/EGPRS",
        "UTRAN w/HSDPA",
        "UTRAN w/HSUPA",
        "UTRAN w/HSDPA and HSUPA",
        "E-UTRAN",
        "EC-GSM-IoT",
        "E-UTRAN (NB-S1)",
        "E-UTRA connected to 5GCN",
        "NR connected to 5GCN",
        "NG-RAN",
        "E-UTRA-NR dual connectivity",
    };
    if (act < 0 || static_cast<std::size_t>(act) >= kNames.size()) {
        return {};
    }
    return kNames[static_cast<std::size_t>(act)];
}

Result<Registration> parse_registration(std::string_view line, RegForm form) {
    using R = Result<Registration>;
    struct Kind {
        std::string_view prefix;
        RegDomain domain;
    };
    constexpr std::array kKinds{Kind{"+CREG:", RegDomain::cs}, Kind{"+CGREG:", RegDomain::gprs},
                                Kind{"+CEREG:", RegDomain::eps},
                                Kind{"+C5GREG:", RegDomain::fivegs}};
    Registration reg;
    std::optional<std::string_view> body;
    for (const auto& kind : kKinds) {
        if ((body = body_after(line, kind.prefix))) {
            reg.domain = kind.domain;
            break;
        }
    }
    if (!body) {
        return fail<Registration>("expected '+CREG:', '+CGREG:', '+CEREG:' or '+C5GREG:'", line);
    }
    const auto f = split_params(*body);
    if (!f) {
        return fail<Registration>("unbalanced quote", line);
    }
    std::size_t i = 0;
    if (form == RegForm::read_reply) {
        if (f->size() < 2) {
            return fail<Registration>("read reply needs <n>,<stat>", line);
        }
        reg.n = to_int((*f)[0]);
        if (!reg.n || *reg.n < 0 || *reg.n > 5) {
            return fail<Registration>("<n> is not 0-5", line);
        }
        i = 1;
    }
    const auto stat = to_int((*f)[i]);
    if (!stat || *stat < 0 || *stat > 10) {
        return fail<Registration>("<stat> is not 0-10", line);
    }
    reg.stat = static_cast<RegStat>(*stat);
    // Optional fields may also be present but empty ("2,1,,,7").
    auto field = [&](std::size_t k) -> std::optional<std::string_view> {
        if (i + k >= f->size() || unquote((*f)[i + k]).empty()) {
            return std::nullopt;
        }
        return (*f)[i + k];
    };
    if (auto area = field(1)) {
        reg.area = to_hex(*area);
        if (!reg.area) {
            return fail<Registration>("TAC/LAC is not hexadecimal", line);
        }
    }
    if (auto ci = field(2)) {
        reg.cell_id = to_hex(*ci);
        if (!reg.cell_id) {
            return fail<Registration>("cell id is not hexadecimal", line);
        }
    }
    if (auto act = field(3)) {
        reg.act = to_int(*act);
        if (!reg.act || act_name(*reg.act).empty()) {
            return fail<Registration>("<AcT> is not 0-13", line);
        }
    }
    return R::success(reg);
}

Result<Operator> parse_cops(std::string_view line) {
    using R = Result<Operator>;
    const auto body = body_after(line, "+COPS:");
    if (!body) {
        return fail<Operator>("expected '+COPS:'", line);
    }
    const auto f = split_params(*body);
    if (!f || f->empty()) {
        return fail<Operator>("+COPS needs <mode>", line);
    }
    Operator op;
    const auto mode = to_int((*f)[0]);
    if (!mode || *mode < 0 || *mode > 4) {
        return fail<Operator>("+COPS <mode> is not 0-4", line);
    }
    op.mode = *mode;
    if (f->size() >= 2 && !unquote((*f)[1]).empty()) {
        op.format = to_int((*f)[1]);
        if (!op.format || *op.format < 0 || *op.format > 2) {
            return fail<Operator>("+COPS <format> is not 0-2", line);
        }
    }
    if (f->size() >= 3) {
        op.name = std::string(unquote((*f)[2]));
        if (op.format == 2) {
            if (!all_digits(op.name) || op.name.size() < 5 || op.name.size() > 6) {
                return fail<Operator>("numeric <oper> is not a 5-6 digit PLMN", line);
            }
            op.plmn = op.name;
        }
    }
    if (f->size() >= 4 && !unquote((*f)[3]).empty()) {
        op.act = to_int((*f)[3]);
        if (!op.act || act_name(*op.act).empty()) {
            return fail<Operator>("+COPS <AcT> is not 0-13", line);
        }
    }
    return R::success(op);
}

namespace {

struct SimText {
    std::string_view text;
    SimStatus status;
};

// 27.007 §8.3 <code> values, then vendors' "+CPIN:" URC values.
constexpr std::array kSimTexts{
    SimText{"READY", SimStatus::ready},
    SimText{"SIM PIN", SimStatus::sim_pin},
    SimText{"SIM PUK", SimStatus::sim_puk},
    SimText{"SIM PIN2", SimStatus::sim_pin2},
    SimText{"SIM PUK2", SimStatus::sim_puk2},
    SimText{"PH-SIM PIN", SimStatus::ph_sim_pin},
    SimText{"PH-FSIM PIN", SimStatus::ph_fsim_pin},
    SimText{"PH-FSIM PUK", SimStatus::ph_fsim_puk},
    SimText{"PH-NET PIN", SimStatus::ph_net_pin},
    SimText{"PH-NET PUK", SimStatus::ph_net_puk},
    SimText{"PH-NETSUB PIN", SimStatus::ph_netsub_pin},
    SimText{"PH-NETSUB PUK", SimStatus::ph_netsub_puk},
    SimText{"PH-SP PIN", SimStatus::ph_sp_pin},
    SimText{"PH-SP PUK", SimStatus::ph_sp_puk},
    SimText{"PH-CORP PIN", SimStatus::ph_corp_pin},
    SimText{"PH-CORP PUK", SimStatus::ph_corp_puk},
    SimText{"NOT READY", SimStatus::not_ready},
    SimText{"NOT INSERTED", SimStatus::not_inserted},
};

} // namespace

std::string_view to_string(SimStatus status) {
    switch (status) {
    case SimStatus::unknown:
        return "unknown";
    case SimStatus::failure:
        return "SIM failure";
    case SimStatus::busy:
        return "SIM busy";
    case SimStatus::wrong:
        return "SIM wrong";
    default:
        break;
    }
    for (const auto& entry : kSimTexts) {
        if (entry.status == status) {
            return entry.text;
        }
    }
    return "?";
}

Result<SimStatus> parse_cpin(std::string_view line) {
    const auto body = body_after(line, "+CPIN:");
    if (!body) {
        return fail<SimStatus>("expected '+CPIN:'", line);
    }
    const std::string_view value = unquote(*body);
    for (const auto& entry : kSimTexts) {
        if (iequals(value, entry.text)) {
            return Result<SimStatus>::success(entry.status);
        }
    }
    return fail<SimStatus>("unknown +CPIN code", line);
}

std::optional<SimStatus> sim_status_from_cme(int code) {
    struct Map {
        int code;
        SimStatus status;
    };
    constexpr std::array kMap{
        Map{5, SimStatus::ph_sim_pin},
        Map{6, SimStatus::ph_fsim_pin},
        Map{7, SimStatus::ph_fsim_puk},
        Map{cme::sim_not_inserted, SimStatus::not_inserted},
        Map{cme::sim_pin_required, SimStatus::sim_pin},
        Map{cme::sim_puk_required, SimStatus::sim_puk},
        Map{cme::sim_failure, SimStatus::failure},
        Map{cme::sim_busy, SimStatus::busy},
        Map{cme::sim_wrong, SimStatus::wrong},
        Map{17, SimStatus::sim_pin2},
        Map{18, SimStatus::sim_puk2},
        Map{40, SimStatus::ph_net_pin},
        Map{41, SimStatus::ph_net_puk},
        Map{42, SimStatus::ph_netsub_pin},
        Map{43, SimStatus::ph_netsub_puk},
        Map{44, SimStatus::ph_sp_pin},
        Map{45, SimStatus::ph_sp_puk},
        Map{46, SimStatus::ph_corp_pin},
        Map{47, SimStatus::ph_corp_puk},
    };
    for (const auto& m : kMap) {
        if (m.code == code) {
            return m.status;
        }
    }
    return std::nullopt;
}

bool imei_luhn_valid(std::string_view imei) {
    constexpr std::size_t kImeiDigits = 15;
    if (imei.size() != kImeiDigits || !all_digits(imei)) {
        return false;
    }
    // From the right: the check digit counts once, every second digit before
    // it is doubled (digits of the product summed: 2*d - 9 when over 9).
    int sum = 0;
    for (std::size_t i = 0; i < imei.size(); ++i) {
        int d = imei[imei.size() - 1 - i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9) {
                d -= 9;
            }
        }
        sum += d;
    }
    return sum % 10 == 0;
}

Result<Imei> parse_imei(std::string_view line) {
    std::string_view value = trim(line);
    if (auto body = body_after(value, "+CGSN:")) {
        value = *body;
    }
    value = unquote(value);
    if (value.size() != 15 || !all_digits(value)) {
        return fail<Imei>("IMEI is not 15 digits", line);
    }
    return Result<Imei>::success(Imei{std::string(value), imei_luhn_valid(value)});
}

Result<std::string> parse_imsi(std::string_view line) {
    std::string_view value = trim(line);
    if (auto body = body_after(value, "+CIMI:")) {
        value = *body;
    }
    value = unquote(value);
    if (value.size() < 6 || value.size() > 15 || !all_digits(value)) {
        return fail<std::string>("IMSI is not 6-15 digits", line);
    }
    return Result<std::string>::success(std::string(value));
}

Result<PdpContext> parse_cgdcont(std::string_view line) {
    const auto body = body_after(line, "+CGDCONT:");
    if (!body) {
        return fail<PdpContext>("expected '+CGDCONT:'", line);
    }
    const auto f = split_params(*body);
    if (!f || f->size() < 3) {
        return fail<PdpContext>("+CGDCONT needs <cid>,<PDP_type>,<APN>", line);
    }
    PdpContext ctx;
    const auto cid = to_int((*f)[0]);
    if (!cid || *cid < 0) {
        return fail<PdpContext>("+CGDCONT <cid> is not a number", line);
    }
    ctx.cid = *cid;
    ctx.pdp_type = std::string(unquote((*f)[1]));
    ctx.apn = std::string(unquote((*f)[2]));
    if (ctx.pdp_type.empty()) {
        return fail<PdpContext>("+CGDCONT <PDP_type> is empty", line);
    }
    return Result<PdpContext>::success(ctx);
}

} // namespace bwc::fw::radio
