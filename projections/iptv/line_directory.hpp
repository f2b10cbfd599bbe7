#pragma once
/// The `line_directory` read model: username -> what authenticating a line needs (the keyed
/// password hash, status, expiry, connection limit, output formats, bouquets).
///
/// Keys: `u/<username>` -> LineRow JSON (`{"line_id", "username", "password_hash", <the line's
/// settings as in iptv.line.created>, "created_at", "owner_path"}`); `i/<line id as 8-byte
/// big-endian>` -> username (so that lines list in id order).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/iptv/line.hpp"
#include "core/result.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kLineDirectory = "line_directory.v2";

/// Creates the projector of `line_directory.v2` (v2: rows carry the owner path).
std::unique_ptr<Projector> make_line_directory_projector();

/// One line as the directory holds it.
struct LineRow {
    std::int64_t line_id{};
    std::string username;
    std::string password_hash;
    core::iptv::LineSettings settings;
    std::int64_t created_at{};     ///< Unix seconds.
    std::string owner_path = "/";  ///< See core::iptv::LineCreated.
};

/// The line with this username, or nullopt.
std::optional<LineRow> find_line_by_username(const ReadModelView& view, std::string_view username);
/// find_line_by_username keeping the decoded rows: a row whose stored bytes are the ones
/// decoded before is not decoded again (a player sends its credentials on every request).
/// Always as fresh as the view: the row is read on every call. @thread safe.
class LineLookup {
  public:
    /// The line with this username, or null.
    std::shared_ptr<const LineRow> find(const ReadModelView& view, std::string_view username);

  private:
    struct Decoded {
        std::string stored;  ///< The row's bytes as read.
        std::shared_ptr<const LineRow> row;
    };
    std::mutex mu_;
    std::unordered_map<std::string, Decoded> rows_;  ///< By username; emptied beyond kMaxRows.
};

/// The line with this id, or nullopt.
std::optional<LineRow> find_line_by_id(const ReadModelView& view, std::int64_t line_id);
/// Up to `limit` lines with ids greater than `after_id` whose owner path lies in `scope`
/// (`/` = all), in id order.
std::vector<LineRow> list_lines(const ReadModelView& view, std::int64_t after_id, std::size_t limit,
                                const std::string& scope = "/");

}  // namespace switchyard::projections::iptv
