#pragma once
/// Scheduled XMLTV imports: fetches each configured guide URL (libcurl: redirects followed,
/// gzip accepted, conditional GET with the last `ETag` and modification time so that an
/// unchanged guide is not downloaded again) and imports it through the EPG command side. An
/// unchanged guide that is downloaded anyway appends nothing (the import is idempotent).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/iptv/epg.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "events/iptv/epg_service.hpp"

namespace switchyard::adapters::iptv {

/// One guide to fetch: `NAME[:PRIORITY]=URL` on the command line.
struct GuideFeed {
    std::string source;
    std::int64_t priority = 0;
    std::string url;  ///< http, https or file URL.
    /// Parses `NAME[:PRIORITY]=URL`. @errors Invalid naming `epg-url` when malformed.
    static core::Result<GuideFeed> parse(std::string_view text);
};

/// What one fetch of one feed did.
struct FetchOutcome {
    std::string source;
    bool not_modified = false;  ///< The server (or file) answered that nothing changed.
    bool changed = false;       ///< The import appended events.
    core::iptv::EpgImported summary;
    std::string error;  ///< Empty on success.
};

/// Fetches and imports guides, once or every interval on a thread of its own.
/// @thread run_once and start/stop from one thread at a time.
class GuideFetcher {
  public:
    GuideFetcher(events::iptv::EpgService& epg, std::vector<GuideFeed> feeds,
                 const core::Clock& clock);
    ~GuideFetcher();

    /// One pass over every feed, in order. Failures are reported, never thrown.
    std::vector<FetchOutcome> run_once();
    /// Runs a pass now and then every `interval` until stop().
    void start(std::chrono::seconds interval);
    void stop();

  private:
    struct Validators {
        std::string etag;
        long file_time = -1;  ///< Unix seconds of the last version, -1 when unknown.
    };
    FetchOutcome fetch_one(const GuideFeed& feed, Validators& v);

    events::iptv::EpgService& epg_;
    std::vector<GuideFeed> feeds_;
    std::vector<Validators> validators_;
    const core::Clock& clock_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::adapters::iptv
