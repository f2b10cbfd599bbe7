#pragma once
/// XMLTV programme guides as EPG sources publish them: `<tv>` holding `<channel id>` elements
/// (`<display-name>`, `<icon src>`, `<url>`) and `<programme start stop channel>` elements
/// (`<title>`, `<sub-title>`, `<desc>`, `<category>`, `<episode-num>`, `<icon src>`, `<image>`).
/// Parsed with expat; writing gives back the same elements.
/// @source XMLTV DTD (xmltv.dtd, XMLTV project); iptv-org/epg guides.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::core::iptv {

/// One `<channel>` of a guide.
struct XmltvChannel {
    std::int64_t line{};                     ///< 1-based line of the `<channel>` start tag.
    std::string id;                          ///< `id` attribute, e.g. `24TV.tr`.
    std::vector<std::string> display_names;  ///< Every `<display-name>`, in file order.
    std::string icon;                        ///< `src` of the first `<icon>`; may be empty.
    std::string url;                         ///< First `<url>`; may be empty.
    friend bool operator==(const XmltvChannel&, const XmltvChannel&) = default;
};

/// One `<programme>` of a guide. Times are UTC Unix seconds.
struct XmltvProgramme {
    std::int64_t line{};    ///< 1-based line of the `<programme>` start tag.
    std::string channel;    ///< `channel` attribute: the id of a `<channel>`.
    std::int64_t start{};   ///< `start`, converted from `YYYYMMDDhhmmss ±zzzz` to UTC.
    std::int64_t stop{};    ///< `stop`; when absent, the next programme's start on the channel.
    std::string title;      ///< First `<title>`; may be empty (real guides omit it).
    std::string sub_title;  ///< First `<sub-title>`; may be empty.
    std::string desc;       ///< First `<desc>`; may be empty.
    std::vector<std::string> categories;  ///< Every `<category>`, in file order.
    std::string episode_num;              ///< First `<episode-num>` text; may be empty.
    std::string icon;                     ///< `<icon src>`, else `<image>` text; may be empty.
    std::string lang;                     ///< `lang` of the `<title>`; may be empty.
};

/// Something in a guide that could not be used, and why.
struct XmltvProblem {
    std::int64_t line{};  ///< 1-based line in the document.
    std::string reason;
};

/// A parsed guide: usable channels and programmes in file order, and what was refused.
struct XmltvGuide {
    std::vector<XmltvChannel> channels;
    std::vector<XmltvProgramme> programmes;
    std::vector<XmltvProblem> invalid;
};

/// Parses an XMLTV document. Never fails as a whole: malformed XML stops the parse with a
/// problem at its line (what came before it is kept); a `<channel>` without `id`, a
/// `<programme>` without `channel`, a `start` that is not an XMLTV time, a `stop` before its
/// start are refused one by one with their line. A programme
/// without `stop` ends at the next programme's start on its channel (refused when none follows).
/// External entities and DTDs are never loaded.
XmltvGuide parse_xmltv(std::string_view text);

/// Converts an XMLTV time, `YYYYMMDDhhmmss ±zzzz` (seconds, minutes or the whole time of day
/// may be left off; no offset means UTC), to UTC Unix seconds; nullopt when malformed.
/// @source XMLTV DTD, "All dates and times in this DTD follow the same format".
std::optional<std::int64_t> parse_xmltv_time(std::string_view text);

/// Formats UTC Unix seconds as an XMLTV time: `YYYYMMDDhhmmss +0000`.
std::string format_xmltv_time(std::int64_t unix_seconds);

/// Writes a guide: the XML declaration, `<tv generator-info-name="switchyard">`, the channels,
/// then the programmes, each element on its own line, text escaped for XML. Empty optional
/// fields are left out. What parse_xmltv reads back (apart from line numbers).
std::string write_xmltv(const std::vector<XmltvChannel>& channels,
                        const std::vector<XmltvProgramme>& programmes);

}  // namespace switchyard::core::iptv
