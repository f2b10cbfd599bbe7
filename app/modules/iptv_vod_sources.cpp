#include "app/modules/iptv_vod_sources.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace switchyard::app {

using core::Errc;

namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

/// What the transfer thread and the viewer's body share.
struct Transfer {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::string> chunks;
    std::size_t buffered = 0;
    bool head_done = false;  ///< The final answer's head is in (or the transfer ended before).
    bool finished = false;   ///< The transfer ended (all bytes queued, or an error).
    bool closed = false;     ///< The viewer went: abort.
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::uint64_t> length;
    std::string error;
    std::size_t max_buffered = 0;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trimmed(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
        v.remove_suffix(1);
    return std::string(v);
}

/// One header line of an answer (called for every answer of a redirect chain).
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::string_view line(data, size * n);
    std::lock_guard lock(t.mu);
    if (line.starts_with("HTTP/")) {  // a new answer: forget the previous one's
        t.headers.clear();
        t.length.reset();
        const auto sp = line.find(' ');
        t.status = sp == std::string_view::npos
                       ? 0
                       : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
        return size * n;
    }
    if (trimmed(line).empty()) {
        // The end of a head: the final one unless it is a redirect curl follows, or a 100.
        if (t.status >= 200 && !(t.status >= 300 && t.status < 400)) {
            t.head_done = true;
            t.cv.notify_all();
        }
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * n;
    const auto name = lower(trimmed(line.substr(0, colon)));
    const auto value = trimmed(line.substr(colon + 1));
    if (name == "content-length") {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec == std::errc() && end == value.data() + value.size()) t.length = v;
    } else if (name == "content-type" || name == "content-range" || name == "accept-ranges" ||
               name == "last-modified" || name == "etag") {
        t.headers.emplace_back(name, value);
    }
    return size * n;
}

/// Body bytes: queued for the viewer; waits while the queue is full; aborts once closed.
std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    std::unique_lock lock(t.mu);
    t.cv.wait(lock, [&] { return t.closed || t.buffered < t.max_buffered; });
    if (t.closed) return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    t.head_done = true;
    t.chunks.emplace_back(data, size * n);
    t.buffered += size * n;
    t.cv.notify_all();
    return size * n;
}

/// Called about once a second: a closed transfer is aborted even while no byte comes.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto& t = *static_cast<Transfer*>(user);
    std::lock_guard lock(t.mu);
    return t.closed ? 1 : 0;
}

/// The viewer's side: the queued bytes in order.
class CurlBody final : public api::BodySource {
  public:
    explicit CurlBody(std::shared_ptr<Transfer> t) : t_(std::move(t)) {}
    ~CurlBody() override { close(); }

    bool next(std::string& chunk) override {
        std::unique_lock lock(t_->mu);
        t_->cv.wait_for(lock, std::chrono::seconds(1),
                        [&] { return t_->closed || t_->finished || !t_->chunks.empty(); });
        if (t_->closed) return false;
        if (!t_->chunks.empty()) {
            chunk = std::move(t_->chunks.front());
            t_->chunks.pop_front();
            t_->buffered -= chunk.size();
            t_->cv.notify_all();
            return true;
        }
        return !t_->finished;  // nothing yet: asked again
    }

    void close() override {
        std::lock_guard lock(t_->mu);
        t_->closed = true;
        t_->cv.notify_all();
    }

  private:
    std::shared_ptr<Transfer> t_;
};

}  // namespace

CurlVodSources::CurlVodSources(VodFetchOptions options) : options_(std::move(options)) {
    static CurlGlobal global;
}

core::Result<api::VodFetch> CurlVodSources::open(const std::string& url, const std::string& range) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        return core::fail(Errc::Unavailable, "source", "only http and https sources are fetched");
    auto t = std::make_shared<Transfer>();
    t->max_buffered = options_.max_buffered;
    CURL* easy = curl_easy_init();
    if (!easy) return core::fail(Errc::Unavailable, "source", "curl_easy_init failed");
    curl_slist* headers = nullptr;
    if (!range.empty()) headers = curl_slist_append(headers, ("Range: " + range).c_str());
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.head_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(options_.stall_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, t.get());
    // The transfer owns the handle and a share of the state; it ends by itself (the end of the
    // body, an error, or the viewer's close), so it is never joined.
    std::thread([easy, headers, t] {
        const auto rc = curl_easy_perform(easy);
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
        std::lock_guard lock(t->mu);
        if (rc != CURLE_OK && !t->closed) t->error = curl_easy_strerror(rc);
        t->finished = true;
        t->head_done = true;
        t->cv.notify_all();
    }).detach();

    std::unique_lock lock(t->mu);
    const bool head = t->cv.wait_for(lock, options_.head_timeout, [&] { return t->head_done; });
    auto give_up = [&](std::string why) -> core::Result<api::VodFetch> {
        t->closed = true;
        t->cv.notify_all();
        return core::fail(Errc::Unavailable, "source", std::move(why));
    };
    if (!head) return give_up("no answer from the source within the timeout");
    if (t->status == 0) return give_up(t->error.empty() ? "no answer from the source" : t->error);
    if (t->status >= 400 && t->status != 416)
        return give_up("the source answered " + std::to_string(t->status));
    api::VodFetch out;
    out.status = static_cast<int>(t->status);
    out.headers = t->headers;
    out.length = t->length;
    lock.unlock();
    out.body = std::make_shared<CurlBody>(t);
    return out;
}

}  // namespace switchyard::app
