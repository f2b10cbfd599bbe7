#pragma once
/// Rendered Xtream answers (`get.php` playlists, the `player_api.php` stream lists), kept so
/// that a player's request is a lookup: the plain bytes and, once a player asked for it, the
/// same bytes gzipped, both sent without a copy (HttpResponse::shared_body). An answer is valid
/// for the catalogue snapshots it was rendered from: the cache empties itself when a request
/// brings another catalogue or VOD snapshot (a catalogue change).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/http_types.hpp"

namespace switchyard::api::iptv {

/// One rendered answer: its bytes, and the same bytes as one gzip member made on first use.
/// @thread safe.
class CachedAnswer {
  public:
    explicit CachedAnswer(std::string plain);
    /// The answer's bytes.
    const std::shared_ptr<const std::string>& plain() const { return plain_; }
    /// The answer as one gzip member (core::gzip, zlib's default level): compressed by the first
    /// caller, which the others wait for, and kept.
    const std::shared_ptr<const std::string>& gzip() const;

  private:
    std::shared_ptr<const std::string> plain_;
    mutable std::once_flag gzip_once_;
    mutable std::shared_ptr<const std::string> gzip_;
};

/// A response carrying `answer`: its gzip with `Content-Encoding: gzip` when the request accepts
/// gzip (api/gzip.hpp), else its plain bytes; `Vary: Accept-Encoding` either way, so that caches
/// on the way keep the two apart. @source RFC 9110 sections 8.4 and 12.5.5.
HttpResponse answer_response(const HttpRequest& r, const CachedAnswer& answer,
                             std::string content_type);

/// Appends `part` to the cache key `key`, length-prefixed, so that two lists of parts never
/// make the same key (a username may hold any byte).
void add_key_part(std::string& key, std::string_view part);
/// Appends a bouquet set (or a filter's ids) to `key` as one part.
void add_key_part(std::string& key, const std::vector<std::int64_t>& ids);

/// Rendered answers of one catalogue generation under string keys, the least recently used
/// dropped first beyond a size. A key names everything a body depends on besides the
/// generation (the bouquet set, the filter, and for a playlist the line's credentials and the
/// URL base). @thread safe.
class AnswerCache {
  public:
    /// What answers are rendered from (the catalogue and VOD snapshots): compared by identity.
    struct Generation {
        std::shared_ptr<const void> catalogue;
        std::shared_ptr<const void> vod;
        bool operator==(const Generation&) const = default;
    };

    /// Plain bytes kept by default (gzip copies come on top, about a fifth of that): 64 MiB.
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;

    /// @param max_bytes  plain bytes kept, over all entries.
    explicit AnswerCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

    /// The answer under `key` for `generation`, rendered by `render` (outside the lock) on a
    /// miss. A generation other than the cached one empties the cache first. An answer larger
    /// than the whole cache is returned without being kept.
    std::shared_ptr<const CachedAnswer> get(const Generation& generation, const std::string& key,
                                            const std::function<std::string()>& render);

    /// Entries kept now.
    std::size_t size() const;

  private:
    struct Entry {
        std::string key;
        std::shared_ptr<const CachedAnswer> answer;
    };
    mutable std::mutex mu_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    Generation generation_;
    std::list<Entry> entries_;  ///< Most recently used first.
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace switchyard::api::iptv
