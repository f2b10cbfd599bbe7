#include "core/iptv/m3u.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "core/text.hpp"

namespace switchyard::core::iptv {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

/// Parses `-1 key="v" key2="v2",Title` after `#EXTINF:`; nullopt-reason on malformed input.
std::optional<std::string> parse_extinf(std::string_view rest, M3uEntry& e) {
    std::size_t i = 0;
    while (i < rest.size() && rest[i] != ' ' && rest[i] != '\t' && rest[i] != ',') ++i;
    e.duration = std::string(rest.substr(0, i));
    for (;;) {
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
        if (i >= rest.size()) return "#EXTINF has no comma before the title";
        if (rest[i] == ',') {
            e.title = std::string(trim(rest.substr(i + 1)));
            return std::nullopt;
        }
        const auto key_start = i;
        while (i < rest.size() && rest[i] != '=' && rest[i] != ' ' && rest[i] != ',') ++i;
        if (i >= rest.size() || rest[i] != '=') {
            return fmt::format("attribute '{}' has no value",
                               rest.substr(key_start, i - key_start));
        }
        auto key = lower(rest.substr(key_start, i - key_start));
        ++i;
        std::string value;
        if (i < rest.size() && rest[i] == '"') {
            auto end = rest.find('"', i + 1);
            if (end == std::string_view::npos)
                return fmt::format("attribute '{}' has an unterminated quote", key);
            value = std::string(rest.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            const auto start = i;
            while (i < rest.size() && rest[i] != ' ' && rest[i] != ',') ++i;
            value = std::string(rest.substr(start, i - start));
        }
        e.attributes[std::move(key)] = std::move(value);
    }
}

std::string attribute(const M3uEntry& e, const char* key) {
    auto it = e.attributes.find(key);
    return it == e.attributes.end() ? std::string() : it->second;
}

std::string first_of_list(std::string_view s) {
    return std::string(trim(s.substr(0, s.find(';'))));
}

bool is_alpha2(std::string_view s) {
    return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
           });
}

}  // namespace

M3uPlaylist parse_m3u(std::string_view text) {
    M3uPlaylist out;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::optional<M3uEntry> pending;
    std::int64_t number = 0;
    std::size_t pos = 0;
    auto close_pending = [&] {
        if (pending) out.invalid.push_back({pending->line, "#EXTINF is not followed by a URL"});
        pending.reset();
    };
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        line = trim(line);
        if (end == text.size() && line.empty()) break;
        if (line.empty()) continue;
        if (!is_valid_utf8(line)) {
            out.invalid.push_back({number, "the line is not UTF-8 text"});
            if (starts_with_ci(line, "#EXTINF:")) {
                close_pending();
                pending = M3uEntry{};
                pending->line = -number;  // refused: swallow its URL
            } else if (pending && line.front() != '#') {
                pending.reset();
            }
            continue;
        }
        if (line.front() == '#') {
            if (starts_with_ci(line, "#EXTINF:")) {
                close_pending();
                M3uEntry e;
                e.line = number;
                if (auto problem = parse_extinf(line.substr(8), e)) {
                    out.invalid.push_back({number, *problem});
                    // Swallow the URL that belongs to the refused entry.
                    pending = M3uEntry{};
                    pending->line = -number;
                } else {
                    pending = std::move(e);
                }
            } else if (starts_with_ci(line, "#EXTVLCOPT:") && pending) {
                auto opt = line.substr(11);
                if (starts_with_ci(opt, "http-referrer="))
                    pending->http_referrer = std::string(opt.substr(14));
                else if (starts_with_ci(opt, "http-user-agent="))
                    pending->user_agent = std::string(opt.substr(16));
            } else if (starts_with_ci(line, "#EXTGRP:") && pending) {
                pending->group = std::string(trim(line.substr(8)));
            }
            continue;  // #EXTM3U, comments and unknown directives
        }
        if (!pending) {
            out.invalid.push_back({number, "a URL without a preceding #EXTINF"});
            continue;
        }
        if (pending->line > 0) {
            pending->url = std::string(line);
            out.entries.push_back(std::move(*pending));
        }
        pending.reset();
    }
    if (pending && pending->line > 0) close_pending();
    std::sort(out.invalid.begin(), out.invalid.end(),
              [](const M3uProblem& a, const M3uProblem& b) { return a.line < b.line; });
    return out;
}

bool parse_category_from(std::string_view text, CategoryFrom& out) noexcept {
    if (text == "group-title")
        out = CategoryFrom::GroupTitle;
    else if (text == "country")
        out = CategoryFrom::Country;
    else if (text == "none")
        out = CategoryFrom::None;
    else
        return false;
    return true;
}

ImportPlaylist make_import(const M3uPlaylist& playlist, std::string source, CategoryFrom from,
                           std::vector<M3uProblem>& invalid) {
    ImportPlaylist cmd;
    invalid = playlist.invalid;
    std::string source_country;
    if (auto cc = std::string_view(source).substr(0, source.find('_')); is_alpha2(cc)) {
        source_country = upper(cc);
    }
    for (const auto& e : playlist.entries) {
        ImportEntry entry;
        entry.line = e.line;
        auto& f = entry.fields;
        f.name = e.title.empty() ? attribute(e, "tvg-name") : e.title;
        f.source_url = e.url;
        f.tvg_id = attribute(e, "tvg-id");
        f.logo = attribute(e, "tvg-logo");
        f.epg_channel_id = epg_channel_of(f.tvg_id);
        f.http_referrer = e.http_referrer.empty() ? attribute(e, "http-referrer") : e.http_referrer;
        f.user_agent = e.user_agent.empty() ? attribute(e, "http-user-agent") : e.user_agent;
        switch (from) {
            case CategoryFrom::GroupTitle: {
                auto g = first_of_list(
                    e.attributes.count("group-title") ? attribute(e, "group-title") : e.group);
                entry.category_name = g.empty() ? "Undefined" : g;
                break;
            }
            case CategoryFrom::Country: {
                std::string cc;
                const auto channel = epg_channel_of(f.tvg_id);
                const std::string_view id = channel;
                if (auto dot = id.rfind('.');
                    dot != std::string_view::npos && is_alpha2(id.substr(dot + 1))) {
                    cc = upper(id.substr(dot + 1));
                } else if (auto c = first_of_list(attribute(e, "tvg-country")); is_alpha2(c)) {
                    cc = upper(c);
                } else {
                    cc = source_country;
                }
                entry.category_name = cc.empty() ? "Undefined" : cc;
                break;
            }
            case CategoryFrom::None:
                break;
        }
        if (auto ok = validate_stream_fields(f); !ok) {
            invalid.push_back(
                {e.line, fmt::format("{}: {}", ok.error().field, ok.error().message)});
            continue;
        }
        cmd.entries.push_back(std::move(entry));
    }
    std::sort(invalid.begin(), invalid.end(),
              [](const M3uProblem& a, const M3uProblem& b) { return a.line < b.line; });
    cmd.invalid = static_cast<std::int64_t>(invalid.size());
    cmd.source = std::move(source);
    return cmd;
}

bool parse_m3u_layout(std::string_view text, M3uLayout& out) noexcept {
    if (text != "m3u" && text != "m3u_plus") return false;
    out = text == "m3u" ? M3uLayout::Plain : M3uLayout::Plus;
    return true;
}

namespace {

/// Appends `text` as one line's worth: CR and LF become spaces; with `attribute`, `"` becomes `'`.
void append_text(std::string& out, std::string_view text, bool attribute) {
    for (char c : text) {
        if (c == '\r' || c == '\n') c = ' ';
        if (attribute && c == '"') c = '\'';
        out += c;
    }
}

void append_attribute(std::string& out, const char* key, std::string_view value) {
    out += ' ';
    out += key;
    out += "=\"";
    append_text(out, value, true);
    out += '"';
}

}  // namespace

std::string write_m3u(const std::vector<M3uItem>& items, M3uLayout layout) {
    std::string out = "#EXTM3U\n";
    for (const auto& item : items) {
        out += "#EXTINF:-1";
        if (layout == M3uLayout::Plus) {
            append_attribute(out, "tvg-id", item.tvg_id);
            append_attribute(out, "tvg-name", item.name);
            append_attribute(out, "tvg-logo", item.logo);
            append_attribute(out, "group-title", item.group);
        }
        out += ',';
        append_text(out, item.name, false);
        out += '\n';
        append_text(out, item.url, false);
        out += '\n';
    }
    return out;
}

}  // namespace switchyard::core::iptv
