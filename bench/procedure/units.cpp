// The Rec. 20 unit table and its lookups (see units.hpp). Codes were checked
// against the Rec. 20 code list (Rev. 17 annexes): e.g. DBM "decibel-
// milliwatts", E09 "milliampere hour", E20 "megabit per second".
#include "bench/procedure/units.hpp"

#include "bench/procedure/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace bwc::bench {
namespace {

const std::vector<UnitInfo> kUnits{
    // time
    {"B98", "µs", "microsecond"},
    {"C26", "ms", "millisecond"},
    {"SEC", "s", "second"},
    {"MIN", "min", "minute"},
    {"HUR", "h", "hour"},
    {"DAY", "d", "day"},
    // electrical
    {"D82", "µV", "microvolt"},
    {"2Z", "mV", "millivolt"},
    {"VLT", "V", "volt"},
    {"B84", "µA", "microampere"},
    {"4K", "mA", "milliampere"},
    {"AMP", "A", "ampere"},
    {"E09", "mA·h", "milliampere hour"},
    {"AMH", "A·h", "ampere hour"},
    {"D80", "µW", "microwatt"},
    {"C31", "mW", "milliwatt"},
    {"WTT", "W", "watt"},
    {"WHR", "W·h", "watt hour"},
    {"E45", "mΩ", "milliohm"},
    {"OHM", "Ω", "ohm"},
    {"B49", "kΩ", "kiloohm"},
    // temperature
    {"CEL", "°C", "degree Celsius"},
    {"KEL", "K", "kelvin"},
    // ratios and counts
    {"P1", "%", "percent"},
    {"C62", "1", "one"},
    {"2N", "dB", "decibel"},
    {"DBM", "dBm", "decibel-milliwatts"},
    // frequency
    {"HTZ", "Hz", "hertz"},
    {"KHZ", "kHz", "kilohertz"},
    {"MHZ", "MHz", "megahertz"},
    {"A86", "GHz", "gigahertz"},
    // length and angle
    {"MMT", "mm", "millimetre"},
    {"MTR", "m", "metre"},
    {"DD", "°", "degree [unit of angle]"},
    // data
    {"AD", "byte", "byte"},
    {"2P", "kbyte", "kilobyte"},
    {"4L", "Mbyte", "megabyte"},
    {"E34", "Gbyte", "gigabyte"},
    {"C74", "kbit/s", "kilobit per second"},
    {"E20", "Mbit/s", "megabit per second"},
    // light and images
    {"LUX", "lx", "lux"},
    {"A24", "cd/m²", "candela per square metre"},
    {"E37", "pixel", "pixel"},
    {"E38", "megapixel", "megapixel"},
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// What someone might have meant by `written`: an exact symbol first (the
// common mistake, "ms"), then a name ("millisecond"), then a close code.
const UnitInfo* guess(std::string_view written) {
    for (const UnitInfo& u : kUnits)
        if (u.symbol == written)
            return &u;
    const std::string w = lower(written);
    for (const UnitInfo& u : kUnits)
        if (lower(u.symbol) == w || lower(u.code) == w)
            return &u;
    // "mAh" for "mA·h": the symbol typed without its middle dot.
    for (const UnitInfo& u : kUnits) {
        std::string plain(u.symbol);
        if (const auto dot = plain.find("·"); dot != std::string::npos)
            plain.erase(dot, std::string_view("·").size());
        if (lower(plain) == w)
            return &u;
    }
    // "milliseconds", "Volts": the name with a plural or another case.
    for (const UnitInfo& u : kUnits) {
        const std::string name = lower(u.name);
        if (w == name || w == name + "s")
            return &u;
    }
    std::vector<std::string> codes;
    for (const UnitInfo& u : kUnits)
        codes.emplace_back(u.code);
    const auto close = closest_words(written, codes, 1);
    if (!close.empty())
        return find_unit(close.front());
    return nullptr;
}

} // namespace

const UnitInfo* find_unit(std::string_view code) {
    for (const UnitInfo& u : kUnits)
        if (u.code == code)
            return &u;
    return nullptr;
}

const std::vector<UnitInfo>& all_units() {
    return kUnits;
}

std::string unknown_unit_message(std::string_view written) {
    std::string s = "unknown unit '" + std::string(written) + "': expected a UNECE Rec. 20 code";
    if (const UnitInfo* u = guess(written))
        s += " (" + std::string(u->code) + " = " + std::string(u->name) + "?)";
    else
        s += " (see procedures/README.md, \"Units\")";
    return s;
}

std::string describe_unit(std::string_view code) {
    const UnitInfo* u = find_unit(code);
    if (!u)
        return std::string(code);
    return std::string(u->code) + " (" + std::string(u->symbol) + ", " + std::string(u->name) + ")";
}

} // namespace bwc::bench
