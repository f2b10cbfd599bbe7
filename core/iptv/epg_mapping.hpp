#pragma once
/// Which XMLTV guide channel a stream shows: a manual override wins; else the stream's
/// `epg_channel_id` (its tvg-id without the feed) when a guide has that channel; else its name,
/// matched against the guide channels' display names and, when the operator loaded it, the
/// iptv-org channel table (`channels.csv`: `id`, `name`, `alt_names`).
/// @source iptv-org/database data/channels.csv (columns id,name,alt_names,...).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchyard::core::iptv {

/// The key names are matched by: ASCII letters lower-cased and digits of `name`, everything
/// in `(...)` and `[...]` dropped (quality and labels), other characters skipped; UTF-8
/// letters beyond ASCII are kept as they are. `ABC News (720p) [Geo-blocked]` -> `abcnews`.
std::string channel_name_key(std::string_view name);

/// Channel ids by name key, read from iptv-org's channels.csv.
struct ChannelDirectory {
    std::unordered_map<std::string, std::vector<std::string>> ids_by_name;
    std::size_t channels = 0;  ///< Rows read.
};
/// Reads channels.csv: each row's `name` and every `;`-separated `alt_names` entry map to its
/// `id`. Rows without an id are skipped. @returns an empty directory when the header lacks
/// `id` or `name`.
ChannelDirectory read_channel_directory(std::string_view csv);

/// Logo URLs by channel, read from iptv-org's logos.csv: `<channel>` for a logo of the whole
/// channel (no feed), `<channel>@<feed>` for a feed's own.
struct LogoDirectory {
    std::unordered_map<std::string, std::string> by_key;
    std::size_t logos = 0;  ///< Rows used.
};
/// Reads logos.csv (`channel`, `feed`, `in_use`, `url`): rows with `in_use` other than `TRUE`
/// or without a URL are skipped; of several logos for one key the first in the file is kept.
/// @returns an empty directory when the header lacks `channel` or `url`.
/// @source iptv-org/database data/logos.csv.
LogoDirectory read_logo_directory(std::string_view csv);
/// The logo of a playlist `tvg-id` (`Id.cc@Feed`): the feed's own, else the channel's; empty
/// when the table has none.
std::string logo_for(const LogoDirectory& logos, std::string_view tvg_id);

/// A guide channel as the mapper sees it.
struct GuideChannelNames {
    std::string id;
    std::vector<std::string> display_names;
};

/// Maps streams to the guide channels that exist now.
class EpgMapper {
  public:
    /// @param directory may be null (no name lookup through channels.csv).
    /// @param overrides stream id -> guide channel id, set by the operator.
    EpgMapper(const std::vector<GuideChannelNames>& channels, const ChannelDirectory* directory,
              std::map<std::int64_t, std::string> overrides = {});

    /// The guide channel id of a stream, or nullopt when none matches.
    std::optional<std::string> map(std::int64_t stream_id, std::string_view epg_channel_id,
                                   std::string_view name) const;
    bool has_channel(const std::string& id) const { return ids_.count(id) != 0; }

  private:
    std::set<std::string> ids_;
    std::unordered_map<std::string, std::string> by_display_name_;
    const ChannelDirectory* directory_;
    std::map<std::int64_t, std::string> overrides_;
};

}  // namespace switchyard::core::iptv
