// `bench vision` (see vision_command.hpp): option parsing and one JSON line per image.
#include "bench/cli/vision_command.hpp"

#include "bench/vision/evidence.hpp"
#include "bench/vision/face_reader.hpp"
#include "firmware/emu/face/face_layout.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

namespace bwc::bench {
namespace {

constexpr int kOk = 0;
constexpr int kRejected = 1;
constexpr int kUsage = 2;

constexpr const char* kHelp =
    R"(usage: bench vision inspect [--model MODEL] [--text LINE=STRING]... [--glyphs]
                             [--registration FILE] [--colour-reference FILE]
                             [--evidence DIR] IMAGE...

Reads frames of the fixture camera above a test nest (PNG, BMP, PPM, JPEG) the
way step types do, and prints per image one line of JSON: the registration
(model, homography from the ArUco markers, reprojection error), the colour
reference (channel gains, exposure, noise), every LED (colour off / red / green
/ amber / blue / white, intensity 0..1), and on a W120 the display: each icon
slot (shown, colour, glyph match, level), the progress bars (percent) and the
text lines asked for with --text (score and verdict). A frame that cannot be
read has "rejection": {"code", "message"} instead; codes: unregistered,
clipped, wrong_model.

Options:
  --model MODEL            w100 or w120: reject frames of another model's nest
  --text LINE=STRING       check that display text line LINE (0 = top) shows
                           STRING, e.g. --text "0=J. Smith" (repeatable)
  --glyphs                 also say which glyph each shown icon slot looks like
  --registration FILE      use a stored registration (JSON from a calibration)
                           instead of finding the markers; verified per frame
  --colour-reference FILE  use a stored colour reference instead of the frame's
  --evidence DIR           write DIR/<image>.annotated.png: the nest cropped,
                           every region read outlined in the colour it read
  --help                   this text

Examples:
  bench vision inspect --model w120 frame.png
  bench vision inspect --model w120 --text "0=J. Smith" --glyphs frame.png
  bwc-emu: FACE file=/tmp/face.png width=1280 height=720  (physical port), then
  bench vision inspect /tmp/face.png | jq '.leds[] | {name, colour}'

Exit status: 0 every image read, 1 some frame rejected, 2 bad usage or an
image (or JSON file) that cannot be read.
)";

fw::Result<nlohmann::json> read_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return fw::Result<nlohmann::json>::failure(path + ": cannot open the file");
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded())
        return fw::Result<nlohmann::json>::failure(path + ": not valid JSON");
    return j;
}

int usage(std::ostream& err, const std::string& what) {
    err << "bench vision: " << what << "\n(see bench vision --help)\n";
    return kUsage;
}

} // namespace

int vision_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty())
        return usage(err, "missing subcommand 'inspect'");
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kHelp;
        return kOk;
    }
    if (args[0] != "inspect")
        return usage(err, "unknown subcommand '" + args[0] + "'");
    vision::ReadOptions options;
    std::vector<std::string> images;
    std::string evidence_dir;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string* {
            return i + 1 < args.size() ? &args[++i] : nullptr;
        };
        if (a == "--help" || a == "-h") {
            out << kHelp;
            return kOk;
        } else if (a == "--glyphs") {
            options.display.identify_glyphs = true;
        } else if (a == "--model") {
            const std::string* v = value();
            const auto model = v ? fw::parse_model(*v) : std::nullopt;
            if (!model)
                return usage(err, "--model needs w100 or w120");
            options.expected_model = model;
        } else if (a == "--text") {
            const std::string* v = value();
            const auto eq = v ? v->find('=') : std::string::npos;
            int line = -1;
            if (eq != std::string::npos && eq > 0 &&
                v->substr(0, eq).find_first_not_of("0123456789") == std::string::npos)
                line = std::stoi(v->substr(0, eq));
            if (line < 0 || line >= emu::kTextSlots)
                return usage(err, "--text needs LINE=STRING with LINE 0 to " +
                                      std::to_string(emu::kTextSlots - 1));
            options.display.expected_text[line] = v->substr(eq + 1);
        } else if (a == "--registration" || a == "--colour-reference") {
            const std::string* v = value();
            if (!v)
                return usage(err, a + " needs a FILE");
            const auto j = read_json_file(*v);
            if (!j) {
                err << "bench vision: " << j.error() << "\n";
                return kUsage;
            }
            if (a == "--registration") {
                auto r = vision::registration_from_json(*j);
                if (!r) {
                    err << "bench vision: " << *v << ": " << r.error() << "\n";
                    return kUsage;
                }
                options.registration = *r;
            } else {
                auto r = vision::colour_reference_from_json(*j);
                if (!r) {
                    err << "bench vision: " << *v << ": " << r.error() << "\n";
                    return kUsage;
                }
                options.colour_reference = *r;
            }
        } else if (a == "--evidence") {
            const std::string* v = value();
            if (!v)
                return usage(err, "--evidence needs a DIR");
            evidence_dir = *v;
        } else if (!a.empty() && a[0] == '-') {
            return usage(err, "unknown option '" + a + "'");
        } else {
            images.push_back(a);
        }
    }
    if (images.empty())
        return usage(err, "no IMAGE given");

    int status = kOk;
    for (const std::string& path : images) {
        std::error_code ec;
        const cv::Mat frame = std::filesystem::is_regular_file(path, ec)
                                  ? cv::imread(path, cv::IMREAD_COLOR)
                                  : cv::Mat();
        if (frame.empty()) {
            err << "bench vision: " << path << ": cannot read the image"
                << (std::filesystem::exists(path, ec) ? " (not an image OpenCV can decode)"
                                                      : " (no such file)")
                << "\n";
            status = kUsage;
            continue;
        }
        nlohmann::json line{{"file", path}};
        const auto reading = vision::read_face(frame, options);
        if (reading) {
            line.update(nlohmann::json(*reading));
            if (!evidence_dir.empty()) {
                const auto name = std::filesystem::path(evidence_dir) /
                                  (std::filesystem::path(path).stem().string() + ".annotated.png");
                const auto written =
                    vision::write_png(vision::annotated_crop(frame, *reading), name);
                if (written)
                    line["evidence"] = name.string();
                else
                    err << "bench vision: " << written.error() << "\n";
            }
        } else {
            line["rejection"] = reading.error();
            if (status == kOk)
                status = kRejected;
        }
        out << line.dump() << "\n";
    }
    return status;
}

} // namespace bwc::bench
