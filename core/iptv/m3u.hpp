#pragma once
/// M3U playlists as IPTV sources publish them: the iptv-org source layout
/// (`#EXTINF:-1 tvg-id="Id.cc@Feed",Title (720p) [Geo-blocked]` plus `#EXTVLCOPT` lines) and the
/// m3u_plus layout of panels (`tvg-name`, `tvg-logo`, `group-title`, ...).
/// @source Extended M3U as used by VLC (`#EXTINF`, `#EXTVLCOPT`); iptv-org/iptv CONTRIBUTING.md.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/iptv/catalogue_decider.hpp"

namespace switchyard::core::iptv {

/// One `#EXTINF` entry with its URL.
struct M3uEntry {
    std::int64_t line{};                            ///< 1-based line number of the `#EXTINF`.
    std::string duration;                           ///< Usually `-1` for live streams.
    std::map<std::string, std::string> attributes;  ///< `key="value"` pairs, keys lower-cased.
    std::string title;  ///< Text after the attribute list's comma, trimmed.
    std::string url;
    std::string http_referrer;  ///< `#EXTVLCOPT:http-referrer=`
    std::string user_agent;     ///< `#EXTVLCOPT:http-user-agent=`
    std::string group;          ///< `#EXTGRP:`
};

/// A line of the playlist that could not be used, and why.
struct M3uProblem {
    std::int64_t line{};
    std::string reason;
};

/// A parsed playlist: usable entries and refused lines, in file order.
struct M3uPlaylist {
    std::vector<M3uEntry> entries;
    std::vector<M3uProblem> invalid;
};

/// Parses a playlist. Never fails as a whole: every line that cannot be used is reported in
/// `invalid` with its number (no URL after an `#EXTINF`, a URL without `#EXTINF`, an unterminated
/// quote, text that is not UTF-8, ...). Accepts LF and CRLF, an optional BOM and `#EXTM3U` header.
M3uPlaylist parse_m3u(std::string_view text);

/// Where imported streams get their category from.
enum class CategoryFrom { GroupTitle, Country, None };
/// Parses `group-title`, `country` or `none`; false when unknown.
bool parse_category_from(std::string_view text, CategoryFrom& out) noexcept;

/// Turns parsed entries into an ImportPlaylist command; entries whose fields the catalogue would
/// refuse are moved to `invalid` with the field and reason.
/// Category names: `group-title` takes the first `;`-separated group (`Undefined` when empty);
/// `country` takes the upper-case country code of `tvg-id` (`Id.cc@Feed`), else `tvg-country`,
/// else a two-letter `source` prefix (`us_pluto` -> `US`), else `Undefined`.
ImportPlaylist make_import(const M3uPlaylist& playlist, std::string source, CategoryFrom from,
                           std::vector<M3uProblem>& invalid);

// ---- writing ----

/// The playlist layouts of Xtream panels (`get.php?type=`).
enum class M3uLayout {
    Plain,  ///< `m3u`: `#EXTINF:-1,<name>` then the URL.
    Plus,   ///< `m3u_plus`: `#EXTINF:-1 tvg-id="" tvg-name="" tvg-logo="" group-title="",<name>`.
};
/// Parses `m3u` or `m3u_plus` (exactly); false when unknown.
bool parse_m3u_layout(std::string_view text, M3uLayout& out) noexcept;

/// One stream of a playlist to write. The texts are borrowed: they must outlive the call.
struct M3uItem {
    std::string_view name;    ///< The title (and `tvg-name`).
    std::string_view tvg_id;  ///< `tvg-id`; may be empty.
    std::string_view logo;    ///< `tvg-logo`; may be empty.
    std::string_view group;   ///< `group-title`: the category name; empty without one.
    std::string url;          ///< Where the player fetches the stream.
};

/// Writes a playlist: `#EXTM3U`, then per item its `#EXTINF` line and its URL, each line ending
/// in LF. In attribute values a double quote becomes a single quote (attributes have no
/// escapes); a CR or LF in any text becomes a space, so that an item stays two lines.
/// What `parse_m3u` reads back: the same items, titles trimmed.
/// @source Extended M3U as players read it (`#EXTINF`); m3u_plus as Xtream panels write it.
std::string write_m3u(const std::vector<M3uItem>& items, M3uLayout layout);

}  // namespace switchyard::core::iptv
