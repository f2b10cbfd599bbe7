#include "adapters/iptv/guide_fetcher.hpp"

#include <curl/curl.h>

#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/gzip.hpp"
#include "core/iptv/xmltv.hpp"

namespace switchyard::adapters::iptv {

namespace {

constexpr std::size_t kMaxGuideBytes = std::size_t{512} << 20;

struct Download {
    std::string body;
    std::string etag;
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    auto* d = static_cast<Download*>(out);
    if (d->body.size() + size * n > kMaxGuideBytes) return 0;  // aborts the transfer
    d->body.append(data, size * n);
    return size * n;
}

std::size_t header_line(char* data, std::size_t size, std::size_t n, void* out) {
    std::string_view line(data, size * n);
    constexpr std::string_view kEtag = "etag:";
    if (line.size() > kEtag.size()) {
        std::string lower(line.substr(0, kEtag.size()));
        for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (lower == kEtag) {
            auto value = line.substr(kEtag.size());
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty() &&
                   (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
                value.remove_suffix(1);
            static_cast<Download*>(out)->etag = std::string(value);
        }
    }
    return size * n;
}

}  // namespace

core::Result<GuideFeed> GuideFeed::parse(std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
        return core::fail(core::Errc::Invalid, "epg-url", "must be NAME[:PRIORITY]=URL");
    GuideFeed f;
    auto name = text.substr(0, eq);
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
        const auto digits = name.substr(colon + 1);
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), f.priority);
        if (ec != std::errc() || end != digits.data() + digits.size() || f.priority < 0 ||
            f.priority > 1000)
            return core::fail(core::Errc::Invalid, "epg-url",
                              "the priority after ':' must be an integer from 0 to 1000");
        name = name.substr(0, colon);
    }
    f.source = std::string(name);
    if (auto ok = core::iptv::validate_epg_source(f.source); !ok)
        return core::fail(core::Errc::Invalid, "epg-url", ok.error().message);
    f.url = std::string(text.substr(eq + 1));
    if (!f.url.starts_with("http://") && !f.url.starts_with("https://") &&
        !f.url.starts_with("file://"))
        return core::fail(core::Errc::Invalid, "epg-url", "the URL must be http, https or file");
    return f;
}

GuideFetcher::GuideFetcher(events::iptv::EpgService& epg, std::vector<GuideFeed> feeds,
                           const core::Clock& clock)
    : epg_(epg), feeds_(std::move(feeds)), validators_(feeds_.size()), clock_(clock) {}

GuideFetcher::~GuideFetcher() { stop(); }

FetchOutcome GuideFetcher::fetch_one(const GuideFeed& feed, Validators& v) {
    FetchOutcome out;
    out.source = feed.source;
    CURL* curl = curl_easy_init();
    if (!curl) {
        out.error = "libcurl did not start";
        return out;
    }
    Download d;
    curl_slist* headers = nullptr;
    if (!v.etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + v.etag).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, feed.url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_line);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &d);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
    if (v.file_time >= 0) {
        curl_easy_setopt(curl, CURLOPT_TIMECONDITION, static_cast<long>(CURL_TIMECOND_IFMODSINCE));
        curl_easy_setopt(curl, CURLOPT_TIMEVALUE, v.file_time);
    }
    const auto rc = curl_easy_perform(curl);
    long status = 0, unmet = 0, file_time = -1;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONDITION_UNMET, &unmet);
    curl_easy_getinfo(curl, CURLINFO_FILETIME, &file_time);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        out.error = fmt::format("{}: {}", feed.url, curl_easy_strerror(rc));
        return out;
    }
    if (status == 304 || unmet) {
        out.not_modified = true;
        return out;
    }
    if (status >= 400) {
        out.error = fmt::format("{}: HTTP {}", feed.url, status);
        return out;
    }
    std::string text = std::move(d.body);
    if (core::is_gzip(text)) {
        auto inflated = core::gunzip(text, kMaxGuideBytes);
        if (!inflated) {
            out.error = fmt::format("{}: not a valid gzip stream", feed.url);
            return out;
        }
        text = std::move(*inflated);
    }
    auto guide = core::iptv::parse_xmltv(text);
    core::iptv::ImportGuide cmd{feed.source, feed.priority, std::move(guide.channels),
                                std::move(guide.programmes),
                                static_cast<std::int64_t>(guide.invalid.size())};
    core::DecisionContext ctx;
    ctx.now = clock_.now();
    ctx.actor = core::Actor{core::ActorKind::System, "epg-fetcher", ""};
    ctx.correlation_id = "epg-fetch-" + feed.source;
    auto result = epg_.execute(cmd, ctx);
    if (!result) {
        out.error =
            fmt::format("{}: {}: {}", feed.url, result.error().field, result.error().message);
        return out;
    }
    out.changed = result->changed;
    out.summary = result->summary;
    v.etag = d.etag;
    v.file_time = file_time;
    return out;
}

std::vector<FetchOutcome> GuideFetcher::run_once() {
    std::vector<FetchOutcome> out;
    for (std::size_t i = 0; i < feeds_.size(); ++i) {
        out.push_back(fetch_one(feeds_[i], validators_[i]));
        const auto& o = out.back();
        if (!o.error.empty())
            spdlog::warn("epg: {}: {}", o.source, o.error);
        else if (!o.not_modified)
            spdlog::info("epg: {}: {} channels, {} programmes, {} changed", o.source,
                         o.summary.channels, o.summary.programmes, o.summary.changed);
    }
    return out;
}

void GuideFetcher::start(std::chrono::seconds interval) {
    stopping_ = false;
    thread_ = std::thread([this, interval] {
        for (;;) {
            run_once();
            std::unique_lock lock(mu_);
            if (cv_.wait_for(lock, interval, [this] { return stopping_; })) return;
        }
    });
}

void GuideFetcher::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace switchyard::adapters::iptv
