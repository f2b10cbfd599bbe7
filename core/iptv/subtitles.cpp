#include "core/iptv/subtitles.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace switchyard::core::iptv {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

/// The lines of `text` without line ends and BOM.
std::vector<std::string_view> lines_of(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        out.push_back(trim(text.substr(0, nl)));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

/// Reads `[HH:]MM:SS[.,]mmm` (hours optional, any number of hour digits).
bool parse_time(std::string_view s, std::int64_t& ms) {
    std::int64_t parts[3] = {0, 0, 0};
    int n = 0;
    std::size_t i = 0;
    for (;;) {
        std::int64_t v = 0;
        const auto begin = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - begin < 9)
            v = v * 10 + (s[i++] - '0');
        if (i == begin || n == 3) return false;
        parts[n++] = v;
        if (i < s.size() && s[i] == ':') {
            ++i;
            continue;
        }
        break;
    }
    if (n < 2 || i >= s.size() || (s[i] != '.' && s[i] != ',')) return false;
    ++i;
    if (s.size() - i != 3) return false;
    std::int64_t frac = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        frac = frac * 10 + (s[i] - '0');
    }
    const auto h = n == 3 ? parts[0] : 0, m = n == 3 ? parts[1] : parts[0],
               sec = n == 3 ? parts[2] : parts[1];
    if (m > 59 || sec > 59) return false;
    ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
    return true;
}

/// Reads `start --> end[ settings]`.
bool parse_timing(std::string_view line, Cue& cue) {
    const auto arrow = line.find("-->");
    if (arrow == std::string_view::npos) return false;
    auto end = trim(line.substr(arrow + 3));
    if (auto sp = end.find_first_of(" \t"); sp != std::string_view::npos) end = end.substr(0, sp);
    return parse_time(trim(line.substr(0, arrow)), cue.start_ms) && parse_time(end, cue.end_ms);
}

std::string format_time(std::int64_t ms, char separator) {
    return fmt::format("{:02}:{:02}:{:02}{}{:03}", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
                       separator, ms % 1000);
}

}  // namespace

const char* to_string(SubtitleFormat f) noexcept {
    return f == SubtitleFormat::Vtt ? "vtt" : "srt";
}

bool parse_subtitle_format(std::string_view text, SubtitleFormat& out) noexcept {
    if (text == "srt")
        out = SubtitleFormat::Srt;
    else if (text == "vtt")
        out = SubtitleFormat::Vtt;
    else
        return false;
    return true;
}

SubtitleFormat detect_subtitle_format(std::string_view text) noexcept {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    return text.starts_with("WEBVTT") ? SubtitleFormat::Vtt : SubtitleFormat::Srt;
}

Result<std::vector<Cue>> parse_subtitles(std::string_view text, SubtitleFormat format) {
    if (!is_valid_utf8(text)) return fail(Errc::Invalid, "body", "must be UTF-8 text");
    const auto lines = lines_of(text);
    std::size_t i = 0;
    if (format == SubtitleFormat::Vtt) {
        if (lines.empty() || !lines[0].starts_with("WEBVTT"))
            return fail(Errc::Invalid, "body", "a WebVTT file starts with WEBVTT");
        i = 1;
    }
    std::vector<Cue> cues;
    while (i < lines.size()) {
        if (lines[i].empty()) {
            ++i;
            continue;
        }
        // One block: up to the next blank line.
        auto end = i;
        while (end < lines.size() && !lines[end].empty()) ++end;
        if (format == SubtitleFormat::Vtt &&
            (lines[i].starts_with("NOTE") || lines[i] == "STYLE" || lines[i] == "REGION")) {
            i = end;
            continue;
        }
        auto timing = i;  // the cue number (SRT) or identifier (VTT) is optional
        if (lines[timing].find("-->") == std::string_view::npos && timing + 1 < end) ++timing;
        Cue cue;
        if (!parse_timing(lines[timing], cue))
            return fail(Errc::Invalid, "body",
                        fmt::format("line {}: expected a timing line `start --> end`", timing + 1));
        if (cue.end_ms < cue.start_ms)
            return fail(Errc::Invalid, "body",
                        fmt::format("line {}: the cue ends before it starts", timing + 1));
        for (auto l = timing + 1; l < end; ++l) {
            if (!cue.text.empty()) cue.text += '\n';
            cue.text += lines[l];
        }
        cues.push_back(std::move(cue));
        i = end;
    }
    if (cues.empty()) return fail(Errc::Invalid, "body", "holds no cue");
    return cues;
}

std::string write_subtitles(const std::vector<Cue>& cues, SubtitleFormat format) {
    const bool vtt = format == SubtitleFormat::Vtt;
    std::string out = vtt ? "WEBVTT\n\n" : "";
    for (std::size_t i = 0; i < cues.size(); ++i) {
        const auto& c = cues[i];
        if (!vtt) out += fmt::format("{}\n", i + 1);
        out += format_time(c.start_ms, vtt ? '.' : ',');
        out += " --> ";
        out += format_time(c.end_ms, vtt ? '.' : ',');
        out += '\n';
        out += c.text;
        out += "\n\n";
    }
    return out;
}

std::vector<Cue> shift_cues(std::vector<Cue> cues, std::int64_t offset_ms) {
    std::vector<Cue> out;
    out.reserve(cues.size());
    for (auto& c : cues) {
        c.start_ms += offset_ms;
        c.end_ms += offset_ms;
        if (c.end_ms <= 0) continue;
        if (c.start_ms < 0) c.start_ms = 0;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace switchyard::core::iptv
