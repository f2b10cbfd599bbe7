#pragma once
/// IPTV lines: the subscriber accounts that Xtream players log in with.
/// A line is the aggregate `line-<id>`; its username is held by a claim stream of its own
/// (`line_username-<tenant>-<lower-case username>`, named by the service), so that usernames are
/// unique without regard to case. Ids are reserved from the log in blocks. The line and its
/// claim are appended in one atomic write.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::iptv {

/// Line status as Xtream panels name it.
enum class LineStatus { Active, Disabled, Banned };
/// Wire name: `active`, `disabled`, `banned`.
const char* to_string(LineStatus status) noexcept;
/// Parses a wire name; false when unknown.
bool parse_line_status(std::string_view text, LineStatus& out) noexcept;

/// Everything about a line except its id, username and secret.
struct LineSettings {
    LineStatus status = LineStatus::Active;
    std::optional<std::int64_t> exp_date;  ///< Unix seconds; none = never expires.
    std::int64_t max_connections = 1;      ///< 1 to 1000.
    bool is_trial = false;
    std::vector<std::string> allowed_output_formats{"m3u8", "ts"};  ///< Of `m3u8`, `ts`, `rtmp`.
    std::vector<std::int64_t> bouquets;  ///< Ordered bouquet ids; empty = the whole catalogue.
    /// Signed media URLs: 0 (default) = players use the Xtream path form
    /// `/live/<user>/<password>/<id>.<ext>`; 60 to 2,592,000 = `get.php` gives signed URLs
    /// (`/play/<token>/<id>.<ext>`, no password in them) valid this many seconds, and the path
    /// form is refused for this line.
    std::int64_t signed_url_ttl_s = 0;
    friend bool operator==(const LineSettings&, const LineSettings&) = default;
};

// ---- events ----

/// A username was taken by a line (registry stream).
struct UsernameClaimed {
    static constexpr std::string_view kType = "iptv.username.claimed";
    std::string username;
    std::int64_t line_id{};
    std::string command_id;  ///< The request that created the line; makes retries idempotent.
};
/// A username was given back when its line was deleted (registry stream).
struct UsernameReleased {
    static constexpr std::string_view kType = "iptv.username.released";
    std::string username;
    std::int64_t line_id{};
};
struct LineCreated {
    static constexpr std::string_view kType = "iptv.line.created";
    std::int64_t line_id{};
    std::string username;
    std::string
        password_hash;  ///< Keyed hash of the password; the password itself is never stored.
    LineSettings settings;
    Timestamp created_at;
    /// Who owns the line in the tenancy tree (core/identity/user.hpp): `/` for the operator,
    /// a reseller's subtree (`/.../<reseller id>/`) for a reseller's line.
    std::string owner_path = "/";
};
struct LineUpdated {
    static constexpr std::string_view kType = "iptv.line.updated";
    std::int64_t line_id{};
    LineSettings settings;  ///< All settings after the change.
};
struct LinePasswordChanged {
    static constexpr std::string_view kType = "iptv.line.password_changed";
    std::int64_t line_id{};
    std::string password_hash;
};
struct LineDeleted {
    static constexpr std::string_view kType = "iptv.line.deleted";
    std::int64_t line_id{};
    std::string username;
};

using LineRegistryEvent = std::variant<UsernameClaimed, UsernameReleased>;
using LineEvent = std::variant<LineCreated, LineUpdated, LinePasswordChanged, LineDeleted>;

// ---- state ----

struct LineRegistryState {
    struct Entry {
        std::int64_t line_id{};
        std::string command_id;
    };
    std::int64_t next_line_id = 1;
    /// Claimed usernames by their lower-case form (identity::username_key).
    std::unordered_map<std::string, Entry> usernames;
};

struct LineState {
    bool exists = false;
    bool deleted = false;
    std::int64_t line_id{};
    std::string username;
    std::string password_hash;
    LineSettings settings;
    Timestamp created_at;
    std::string owner_path = "/";
};

/// Stream name of a line.
inline std::string line_stream(std::int64_t line_id) { return "line-" + std::to_string(line_id); }

}  // namespace switchyard::core::iptv
