#include "core/iptv/xmltv.hpp"

#include <expat.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <map>
#include <set>

#include <fmt/format.h>

namespace switchyard::core::iptv {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool digits(std::string_view s, int& out) {
    if (s.empty()) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

const char* attribute(const XML_Char** atts, std::string_view name) {
    for (int i = 0; atts[i]; i += 2) {
        if (name == atts[i]) return atts[i + 1];
    }
    return nullptr;
}

/// Parser state shared with the expat callbacks.
struct Reader {
    XML_Parser parser{};
    XmltvGuide guide;
    int depth = 0;
    /// The open `<channel>` or `<programme>` (depth 2 under `<tv>`), and whether it is usable.
    enum class Open { None, Channel, Programme } open = Open::None;
    bool refused = false;
    bool has_stop = false;
    bool has_title = false;
    XmltvChannel channel;
    XmltvProgramme programme;
    /// The child element whose text is being collected (depth 3), or empty.
    std::string child;
    std::string text;
    std::string child_lang;
    std::vector<std::size_t> without_stop;  ///< Programmes whose stop comes from the next start.

    std::int64_t line() const {
        return static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser));
    }

    void refuse(std::string reason) {
        guide.invalid.push_back({line(), std::move(reason)});
        refused = true;
    }

    void start(const XML_Char* name, const XML_Char** atts) {
        ++depth;
        const std::string_view n(name);
        if (depth == 2 && n == "channel") {
            open = Open::Channel;
            refused = false;
            channel = XmltvChannel{};
            channel.line = line();
            const char* id = attribute(atts, "id");
            if (!id || trim(id).empty()) return refuse("<channel> has no id");
            channel.id = std::string(trim(id));
        } else if (depth == 2 && n == "programme") {
            open = Open::Programme;
            refused = false;
            has_title = false;
            programme = XmltvProgramme{};
            programme.line = line();
            const char* ch = attribute(atts, "channel");
            if (!ch || trim(ch).empty()) return refuse("<programme> has no channel");
            programme.channel = std::string(trim(ch));
            const char* start = attribute(atts, "start");
            auto start_time = start ? parse_xmltv_time(start) : std::nullopt;
            if (!start_time)
                return refuse(fmt::format("start '{}' is not an XMLTV time (YYYYMMDDhhmmss +zzzz)",
                                          start ? start : ""));
            programme.start = *start_time;
            const char* stop = attribute(atts, "stop");
            has_stop = stop != nullptr;
            if (stop) {
                auto stop_time = parse_xmltv_time(stop);
                if (!stop_time)
                    return refuse(
                        fmt::format("stop '{}' is not an XMLTV time (YYYYMMDDhhmmss +zzzz)", stop));
                if (*stop_time < programme.start)
                    return refuse(fmt::format("stop '{}' is before start '{}'", stop, start));
                programme.stop = *stop_time;
            }
        } else if (depth == 3 && open != Open::None && !refused) {
            child = std::string(n);
            text.clear();
            const char* lang = attribute(atts, "lang");
            child_lang = lang ? lang : "";
            if (n == "icon") {
                const char* src = attribute(atts, "src");
                if (src && open == Open::Channel && channel.icon.empty()) channel.icon = src;
                if (src && open == Open::Programme && programme.icon.empty()) programme.icon = src;
            }
        }
    }

    void end() {
        if (depth == 3 && !child.empty()) close_child();
        if (depth == 2 && open == Open::Channel && !refused) {
            guide.channels.push_back(std::move(channel));
        } else if (depth == 2 && open == Open::Programme && !refused) {
            if (!has_stop) without_stop.push_back(guide.programmes.size());
            guide.programmes.push_back(std::move(programme));
        }
        if (depth == 2) open = Open::None;
        --depth;
    }

    void close_child() {
        auto value = std::string(trim(text));
        if (open == Open::Channel) {
            if (child == "display-name" && !value.empty())
                channel.display_names.push_back(std::move(value));
            else if (child == "url" && channel.url.empty())
                channel.url = std::move(value);
        } else if (open == Open::Programme) {
            auto& p = programme;
            if (child == "title" && !has_title) {
                has_title = !value.empty();
                p.title = std::move(value);
                p.lang = child_lang;
            } else if (child == "sub-title" && p.sub_title.empty()) {
                p.sub_title = std::move(value);
            } else if (child == "desc" && p.desc.empty()) {
                p.desc = std::move(value);
            } else if (child == "category" && !value.empty()) {
                p.categories.push_back(std::move(value));
            } else if (child == "episode-num" && p.episode_num.empty()) {
                p.episode_num = std::move(value);
            } else if (child == "image" && p.icon.empty()) {
                p.icon = std::move(value);
            }
        }
        child.clear();
    }

    void characters(const XML_Char* s, int len) {
        if (depth == 3 && !child.empty()) text.append(s, static_cast<std::size_t>(len));
    }

    /// Gives programmes without `stop` the next start on their channel.
    void fill_stops() {
        if (without_stop.empty()) return;
        std::map<std::string, std::set<std::int64_t>> starts;
        for (const auto& p : guide.programmes) starts[p.channel].insert(p.start);
        std::vector<bool> drop(guide.programmes.size(), false);
        for (auto i : without_stop) {
            auto& p = guide.programmes[i];
            const auto& s = starts[p.channel];
            auto next = s.upper_bound(p.start);
            if (next == s.end()) {
                guide.invalid.push_back(
                    {p.line, "<programme> has no stop and no later programme on its channel"});
                drop[i] = true;
            } else {
                p.stop = *next;
            }
        }
        std::vector<XmltvProgramme> kept;
        kept.reserve(guide.programmes.size());
        for (std::size_t i = 0; i < guide.programmes.size(); ++i) {
            if (!drop[i]) kept.push_back(std::move(guide.programmes[i]));
        }
        guide.programmes = std::move(kept);
    }
};

void XMLCALL on_start(void* user, const XML_Char* name, const XML_Char** atts) {
    static_cast<Reader*>(user)->start(name, atts);
}
void XMLCALL on_end(void* user, const XML_Char*) { static_cast<Reader*>(user)->end(); }
void XMLCALL on_text(void* user, const XML_Char* s, int len) {
    static_cast<Reader*>(user)->characters(s, len);
}
/// Entity declarations (the way to an entity expansion bomb) are refused.
void XMLCALL on_entity(void* user, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
    auto* r = static_cast<Reader*>(user);
    r->guide.invalid.push_back({r->line(), "entity declarations are not accepted"});
    XML_StopParser(r->parser, XML_FALSE);
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
        .time_since_epoch()
        .count();
}

void escape(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
}

void element(std::string& out, const char* name, std::string_view text,
             std::string_view lang = {}) {
    if (text.empty()) return;
    fmt::format_to(std::back_inserter(out), "    <{}", name);
    if (!lang.empty()) {
        out += " lang=\"";
        escape(out, lang);
        out += '"';
    }
    out += '>';
    escape(out, text);
    fmt::format_to(std::back_inserter(out), "</{}>\n", name);
}

}  // namespace

std::optional<std::int64_t> parse_xmltv_time(std::string_view text) {
    text = trim(text);
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
    if (n != 8 && n != 10 && n != 12 && n != 14) return std::nullopt;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    digits(text.substr(0, 4), year);
    digits(text.substr(4, 2), month);
    digits(text.substr(6, 2), day);
    if (n >= 10) digits(text.substr(8, 2), hour);
    if (n >= 12) digits(text.substr(10, 2), minute);
    if (n >= 14) digits(text.substr(12, 2), second);
    const std::chrono::year_month_day ymd{std::chrono::year{year} / month / day};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    auto rest = trim(text.substr(n));
    std::int64_t offset = 0;
    if (!rest.empty()) {
        int hh = 0, mm = 0;
        if (rest.size() != 5 || (rest[0] != '+' && rest[0] != '-') ||
            !digits(rest.substr(1, 2), hh) || !digits(rest.substr(3, 2), mm) || hh > 23 || mm > 59)
            return std::nullopt;
        offset = (hh * 3600 + mm * 60) * (rest[0] == '-' ? -1 : 1);
    }
    const auto local =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60 + second;
    return local - offset;
}

std::string format_xmltv_time(std::int64_t unix_seconds) {
    const std::chrono::sys_seconds t{std::chrono::seconds{unix_seconds}};
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02} +0000", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

XmltvGuide parse_xmltv(std::string_view text) {
    Reader r;
    r.parser = XML_ParserCreate(nullptr);
    if (!r.parser) {
        r.guide.invalid.push_back({0, "out of memory"});
        return r.guide;
    }
    XML_SetUserData(r.parser, &r);
    XML_SetElementHandler(r.parser, on_start, on_end);
    XML_SetCharacterDataHandler(r.parser, on_text);
    XML_SetEntityDeclHandler(r.parser, on_entity);
    XML_SetParamEntityParsing(r.parser, XML_PARAM_ENTITY_PARSING_NEVER);
    constexpr std::size_t kChunk = 1 << 20;
    std::size_t pos = 0;
    bool ok = true;
    do {
        const auto n = std::min(kChunk, text.size() - pos);
        const bool last = pos + n == text.size();
        if (XML_Parse(r.parser, text.data() + pos, static_cast<int>(n), last ? 1 : 0) ==
            XML_STATUS_ERROR) {
            ok = false;
            break;
        }
        pos += n;
    } while (pos < text.size());
    if (!ok && XML_GetErrorCode(r.parser) != XML_ERROR_ABORTED) {
        r.guide.invalid.push_back(
            {static_cast<std::int64_t>(XML_GetCurrentLineNumber(r.parser)),
             fmt::format("not well-formed XML: {}", XML_ErrorString(XML_GetErrorCode(r.parser)))});
    }
    XML_ParserFree(r.parser);
    r.fill_stops();
    std::stable_sort(r.guide.invalid.begin(), r.guide.invalid.end(),
                     [](const XmltvProblem& a, const XmltvProblem& b) { return a.line < b.line; });
    return std::move(r.guide);
}

std::string write_xmltv(const std::vector<XmltvChannel>& channels,
                        const std::vector<XmltvProgramme>& programmes) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv generator-info-name=\"switchyard\">\n";
    for (const auto& c : channels) {
        out += "  <channel id=\"";
        escape(out, c.id);
        out += "\">\n";
        for (const auto& name : c.display_names) element(out, "display-name", name);
        if (!c.icon.empty()) {
            out += "    <icon src=\"";
            escape(out, c.icon);
            out += "\"/>\n";
        }
        element(out, "url", c.url);
        out += "  </channel>\n";
    }
    for (const auto& p : programmes) {
        out += fmt::format("  <programme start=\"{}\" stop=\"{}\" channel=\"",
                           format_xmltv_time(p.start), format_xmltv_time(p.stop));
        escape(out, p.channel);
        out += "\">\n";
        element(out, "title", p.title, p.lang);
        element(out, "sub-title", p.sub_title, p.lang);
        element(out, "desc", p.desc, p.lang);
        for (const auto& c : p.categories) element(out, "category", c, p.lang);
        element(out, "episode-num", p.episode_num);
        if (!p.icon.empty()) {
            out += "    <icon src=\"";
            escape(out, p.icon);
            out += "\"/>\n";
        }
        out += "  </programme>\n";
    }
    out += "</tv>\n";
    return out;
}

}  // namespace switchyard::core::iptv
