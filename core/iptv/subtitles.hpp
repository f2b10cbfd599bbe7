#pragma once
/// Subtitles of movies and episodes: SubRip (SRT) and WebVTT read into cues, shifted by an
/// offset, and written back in either format.
/// @source SubRip: numbered blocks `1`, `00:00:01,000 --> 00:00:02,500`, text lines, a blank
///         line (de facto format); WebVTT: W3C "WebVTT: The Web Video Text Tracks Format"
///         (`WEBVTT` header, `00:01.000 --> 00:02.500` timings, optional cue identifiers,
///         NOTE/STYLE/REGION blocks).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::core::iptv {

/// One cue: shown from `start_ms` to `end_ms` (milliseconds from the start of the video).
struct Cue {
    std::int64_t start_ms{};
    std::int64_t end_ms{};
    std::string text;  ///< One or more lines joined by `\n`.
    friend bool operator==(const Cue&, const Cue&) = default;
};

enum class SubtitleFormat { Srt, Vtt };
/// Wire name: `srt`, `vtt`.
const char* to_string(SubtitleFormat f) noexcept;
/// Parses `srt` or `vtt`; false otherwise.
bool parse_subtitle_format(std::string_view text, SubtitleFormat& out) noexcept;
/// The format of a file's text: Vtt when it starts with `WEBVTT` (after a BOM), else Srt.
SubtitleFormat detect_subtitle_format(std::string_view text) noexcept;

/// Reads subtitles. Accepts LF and CRLF, a BOM, and (SRT) missing or wrong cue numbers.
/// @errors Invalid naming `body` with the line of a malformed timing line, an end before its
///         start, text that is not UTF-8, or no cue at all.
Result<std::vector<Cue>> parse_subtitles(std::string_view text, SubtitleFormat format);

/// Writes cues: SRT numbered from 1 with `HH:MM:SS,mmm`; VTT with the `WEBVTT` header and
/// `HH:MM:SS.mmm`. Lines end in LF.
std::string write_subtitles(const std::vector<Cue>& cues, SubtitleFormat format);

/// The cues moved by `offset_ms` (negative: earlier). Cues that would end at or before 0 are
/// dropped; a cue that would start before 0 starts at 0.
std::vector<Cue> shift_cues(std::vector<Cue> cues, std::int64_t offset_ms);

}  // namespace switchyard::core::iptv
