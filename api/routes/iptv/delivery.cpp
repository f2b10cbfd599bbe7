// Live delivery on the Xtream Codes surface: /live/{username}/{password}/{id}.{ts|m3u8} and the
// HLS segments of a playback session, /hls/{token}/{segment}. Every request authorizes the line
// and its allowed output formats; a restreamed stream is read from its FFmpeg worker's HLS
// output (api::LiveOutputs), so the source never reaches the viewer; a stream the operator
// marked `direct_source` answers a redirect to its source instead.
//
// `.ts` is a continuous MPEG-TS body: the worker's HLS segments, in order, starting two
// segments back from the live edge (MPEG-TS segments concatenate into one valid transport
// stream). `.m3u8` is the worker's playlist with each segment URL rewritten to
// `/hls/<session token>/seg_NNNNN.ts`; the token (HMAC-SHA-256 under a key derived from the
// server's line secret) names the lease, line, stream and an expiry, so no password travels in
// segment URLs.
//
// Connection limits: a lease (core/iptv/connection.hpp) is taken before the first byte. A `.ts`
// body renews it every timeout/3 while the player reads and closes it when the player goes;
// an HLS session renews it on each playlist or segment fetch (a playlist fetch from the same
// address and user agent for the same stream reuses its open lease, as Xtream UI keys HLS
// activity by user, stream, IP and user agent) and lets it expire when the player stops.
//
// Refusal over the limit: 403 Forbidden with an empty body. Source: Xtream UI's streaming
// entry point (Vateron-Media/Xtream_main, wwwdir/streaming/clients_live.php) answers an HLS
// request of a line whose session was ended for being over its limit `403 Forbidden` with no
// body, and ends a refused connection without any content; for `.ts` it instead closes the
// line's oldest connection (`CloseLastCon`). Here the newcomer is refused in both cases, so
// that a viewer already watching is never cut off by another one.
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>
#include <variant>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/access.hpp"
#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "api/routes/iptv/vod_sources.hpp"
#include "api/service_key.hpp"
#include "core/iptv/connection.hpp"
#include "core/iptv/line_decider.hpp"
#include "events/iptv/iptv_json.hpp"
#include "events/uuid.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/server_redirect.hpp"
#include "projections/iptv/stream_servers.hpp"

namespace switchyard::api::iptv {

using core::Errc;
using projections::iptv::LineRow;
namespace fs = std::filesystem;

namespace {

constexpr const char* kLineRefused = "invalid username or password, or the line is not active\n";
constexpr const char* kNoStream = "no such stream for this line\n";

HttpResponse text_answer(int status, std::string body) {
    HttpResponse resp;
    resp.status = status;
    resp.content_type = "text/plain";
    resp.body = std::move(body);
    return resp;
}

/// The stream id of a `/live/` file name without its extension: all digits.
std::optional<std::int64_t> stream_id_of(std::string_view digits) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        digits.front() == '-')
        return std::nullopt;
    return id;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The number of a worker segment `seg_NNNNN.ts`; none for any other name.
std::optional<std::int64_t> segment_number(std::string_view name) {
    if (name.size() < 8 || name.substr(0, 4) != "seg_" || name.substr(name.size() - 3) != ".ts")
        return std::nullopt;
    return stream_id_of(name.substr(4, name.size() - 7));
}

/// The segment file names of an HLS media playlist, in order.
std::vector<std::string> playlist_segments(const std::string& playlist) {
    std::vector<std::string> out;
    std::istringstream in(playlist);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        if (segment_number(line)) out.push_back(line);
    }
    return out;
}

/// The decision context of a lease command for `line` (actor: the line, from the peer).
core::DecisionContext lease_context(const ApiContext& ctx, std::int64_t line_id,
                                    const std::string& remote_ip) {
    core::DecisionContext d;
    d.now = ctx.clock.now();
    d.actor = core::Actor{core::ActorKind::Line, std::to_string(line_id), remote_ip};
    return d;
}

// ---- session tokens ----

/// What a session token carries.
struct SessionClaims {
    std::string lease_id;
    std::int64_t line_id = 0;
    std::int64_t stream_id = 0;
    std::int64_t expires = 0;  ///< Unix seconds.
};

/// The token key: HMAC-SHA-256 of a fixed label under the server's line secret, so that the
/// key stays in the data directory with the other secrets and never appears in the log.
std::string token_key(const ApiContext& ctx) {
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> key{};
    const std::string_view label = "switchyard iptv media token v1";
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(ctx.line_secret.data()),
                                ctx.line_secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(label.data()),
                                  label.size());
    crypto_auth_hmacsha256_final(&st, key.data());
    return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

/// Lower-case hex HMAC-SHA-256 of `payload` under the token key.
std::string token_mac(const ApiContext& ctx, std::string_view payload) {
    const auto key = token_key(ctx);
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(payload.data()),
                                  payload.size());
    crypto_auth_hmacsha256_final(&st, mac.data());
    std::string hex(mac.size() * 2, '0');
    sodium_bin2hex(hex.data(), hex.size() + 1, mac.data(), mac.size());
    return hex;
}

/// The lease field of a signed media URL's token (session tokens carry a random lease id);
/// `play-<server id>` for a URL the main server sent a viewer to that server with.
constexpr const char* kUrlTokenMark = "play";

/// Whether a token's lease field marks a signed media URL (not an HLS session).
bool is_url_mark(std::string_view lease_field) {
    return lease_field == kUrlTokenMark || lease_field.starts_with("play-");
}

/// The server a signed media URL is bound to (`play-<id>`); none for a plain one.
std::optional<std::int64_t> bound_server(std::string_view lease_field) {
    if (!lease_field.starts_with("play-")) return std::nullopt;
    return stream_id_of(lease_field.substr(5));
}

/// `<lease id>.<line id>.<stream id>.<expiry unix s>.<hex MAC of the rest>`.
std::string make_session_token(const ApiContext& ctx, const SessionClaims& c) {
    const auto payload = fmt::format("{}.{}.{}.{}", c.lease_id, c.line_id, c.stream_id, c.expires);
    return payload + "." + token_mac(ctx, payload);
}

/// The claims of a valid, unexpired token; none when it is malformed, tampered with or expired.
std::optional<SessionClaims> check_session_token(const ApiContext& ctx, std::string_view token) {
    const auto last = token.rfind('.');
    if (last == std::string_view::npos) return std::nullopt;
    const auto payload = token.substr(0, last);
    const auto mac = token.substr(last + 1);
    const auto expected = token_mac(ctx, payload);
    if (mac.size() != expected.size() ||
        sodium_memcmp(mac.data(), expected.data(), expected.size()) != 0)
        return std::nullopt;
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto dot = payload.find('.', start);
        parts.push_back(payload.substr(start, dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (parts.size() != 4 || parts[0].empty()) return std::nullopt;
    SessionClaims c;
    c.lease_id = std::string(parts[0]);
    auto line = stream_id_of(parts[1]), stream = stream_id_of(parts[2]),
         expires = stream_id_of(parts[3]);
    if (!line || !stream || !expires) return std::nullopt;
    c.line_id = *line;
    c.stream_id = *stream;
    c.expires = *expires;
    if (c.expires <= core::unix_seconds(ctx.clock.now())) return std::nullopt;
    return c;
}

// ---- leases, kept here or through the main server ----

/// How long a lease lasts without renewal: this server's, or on an edge the main server's.
std::chrono::seconds lease_timeout(const IptvApi& api) {
    return api.main_server ? api.main_server->timeout() : api.connections->timeout();
}

/// Renews a lease here or through the main server. @errors NotFound when it is gone.
core::Result<void> renew_lease(IptvApi& api, std::int64_t line_id, const std::string& lease_id,
                               const core::DecisionContext& ctx) {
    if (api.main_server) return api.main_server->renew(line_id, lease_id);
    return api.connections->renew(line_id, lease_id, ctx);
}

/// Closes a lease here or through the main server; a failure leaves it to expire.
void close_lease(IptvApi& api, std::int64_t line_id, const std::string& lease_id,
                 const std::string& reason, const core::DecisionContext& ctx) {
    if (api.main_server)
        (void)api.main_server->close(line_id, lease_id, reason);
    else
        (void)api.connections->close(line_id, lease_id, reason, ctx);
}

/// Counts bytes sent to a lease's player.
void count_sent(IptvApi& api, const std::string& lease_id, std::size_t n) {
    if (api.main_server)
        api.main_server->count_bytes(lease_id, static_cast<std::int64_t>(n));
    else
        api.connections->count_bytes(lease_id, static_cast<std::int64_t>(n));
}

/// When an open lease expires; none when it is closed or unknown.
core::Result<std::optional<core::Timestamp>> lease_expiry(IptvApi& api, std::int64_t line_id,
                                                          const std::string& lease_id) {
    if (api.main_server) return api.main_server->expires_at(lease_id);
    const auto leases = SY_TRY(api.connections->leases(line_id));
    const auto it = leases.leases.find(lease_id);
    if (it == leases.leases.end()) return std::optional<core::Timestamp>{};
    return std::optional<core::Timestamp>(it->second.expires_at);
}

// ---- .ts bodies ----

/// The lease of a streamed body: renewed every timeout/3 (at least 500 ms apart) while the
/// player reads, each renewal carrying the bytes sent since the previous one.
class LeaseKeeper {
  public:
    LeaseKeeper(IptvApi& api, std::int64_t line_id, std::string lease_id, std::string remote_ip)
        : api_(api),
          line_id_(line_id),
          lease_id_(std::move(lease_id)),
          remote_ip_(std::move(remote_ip)),
          renew_every_(std::max<std::chrono::milliseconds>(
              std::chrono::milliseconds(500),
              std::chrono::duration_cast<std::chrono::milliseconds>(lease_timeout(api)) / 3)),
          next_renew_(std::chrono::steady_clock::now() + renew_every_) {}

    /// Renews the lease when due. @returns false when it was lost (expired and swept): the
    /// slot is gone and the body must end.
    bool keep(std::chrono::steady_clock::time_point now) {
        if (now < next_renew_) return true;
        if (!renew_lease(api_, line_id_, lease_id_, lease_context(api_.ctx, line_id_, remote_ip_)))
            return false;
        next_renew_ = now + renew_every_;
        return true;
    }
    /// Counts bytes sent to the player (ConnectionService::count_bytes).
    void sent(std::size_t n) { count_sent(api_, lease_id_, n); }
    const std::string& lease_id() const { return lease_id_; }
    std::int64_t line_id() const { return line_id_; }
    const std::string& remote_ip() const { return remote_ip_; }

  private:
    IptvApi& api_;
    std::int64_t line_id_;
    std::string lease_id_;
    std::string remote_ip_;
    std::chrono::milliseconds renew_every_;
    std::chrono::steady_clock::time_point next_renew_;
};

/// A continuous MPEG-TS body: the worker's segments in order, the lease kept (LeaseKeeper);
/// closing it releases the worker and the lease (reason `disconnect`).
class TsBody final : public BodySource {
  public:
    TsBody(IptvApi& api, std::int64_t line_id, std::string lease_id, std::int64_t stream_id,
           fs::path dir, std::string remote_ip)
        : api_(api),
          lease_(api, line_id, std::move(lease_id), std::move(remote_ip)),
          stream_id_(stream_id),
          dir_(std::move(dir)),
          last_progress_(std::chrono::steady_clock::now()) {}

    bool next(std::string& chunk) override {
        if (closed()) return false;
        const auto now = std::chrono::steady_clock::now();
        if (!lease_.keep(now)) return false;
        if (now - last_progress_ > api_.ready_wait) return false;  // the worker stalled
        if (api_.live->ready(stream_id_)) {
            const auto segments = playlist_segments(read_file(dir_ / "index.m3u8"));
            if (last_ < 0 && !segments.empty()) {
                const auto start = segments.size() >= 2 ? segments.size() - 2 : 0;
                last_ = *segment_number(segments[start]) - 1;
            }
            for (const auto& name : segments) {
                const auto n = *segment_number(name);
                if (n <= last_) continue;
                last_ = n;
                chunk = read_file(dir_ / name);
                if (chunk.empty()) continue;  // deleted since the playlist was written
                last_progress_ = now;
                lease_.sent(chunk.size());
                return true;
            }
        }
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return closed_; });
        return true;
    }

    void close() override {
        {
            std::lock_guard lock(mu_);
            closed_ = true;
        }
        cv_.notify_all();
        api_.live->release(stream_id_);
        close_lease(api_, lease_.line_id(), lease_.lease_id(), "disconnect",
                    lease_context(api_.ctx, lease_.line_id(), lease_.remote_ip()));
    }

  private:
    bool closed() {
        std::lock_guard lock(mu_);
        return closed_;
    }

    IptvApi& api_;
    LeaseKeeper lease_;
    std::int64_t stream_id_;
    fs::path dir_;
    std::chrono::steady_clock::time_point last_progress_;
    std::int64_t last_ = -1;  ///< Number of the last segment sent.
    std::mutex mu_;
    std::condition_variable cv_;
    bool closed_ = false;
};

/// Waits up to `api.ready_wait` for the stream's first playlist. @returns true when it came.
bool wait_ready(const IptvApi& api, std::int64_t stream_id) {
    const auto deadline = std::chrono::steady_clock::now() + api.ready_wait;
    while (!api.live->ready(stream_id)) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

/// Takes a slot for `/live/`: a `.m3u8` request reuses the open lease of the same player
/// (stream, address, user agent), renewing it once a third of the timeout has passed since its
/// last renewal; otherwise a new lease. Over the limit: the
/// refusal (403, empty body).
core::Result<std::variant<std::string, HttpResponse>> take_lease(IptvApi& api, const HttpRequest& r,
                                                                 const LineRow& line,
                                                                 std::int64_t stream_id,
                                                                 const std::string& ext,
                                                                 std::int64_t server_id) {
    const auto ctx = lease_context(api.ctx, line.line_id, r.remote_ip);
    const auto& ua = r.header("user-agent");
    if (ext == "m3u8") {
        const auto leases = SY_TRY(api.connections->leases(line.line_id));
        for (const auto& [id, lease] : leases.leases) {
            const auto& o = lease.opened;
            if (lease.expires_at <= ctx.now || o.stream_id != stream_id || o.output != "m3u8" ||
                o.remote_ip != r.remote_ip || o.user_agent != ua)
                continue;
            // Renewed less than a third of the timeout ago: kept as it is (a player reloads its
            // playlist every segment; a renewal each time would append an event each time).
            if (lease.expires_at - ctx.now > api.connections->timeout() * 2 / 3)
                return std::string(id);
            if (api.connections->renew(line.line_id, id, ctx)) return std::string(id);
        }
    }
    core::iptv::OpenConnection open{events::random_token(16),
                                    line.line_id,
                                    stream_id,
                                    core::iptv::ConnectionKind::Live,
                                    ext,
                                    r.remote_ip,
                                    ua,
                                    {},
                                    server_id};
    auto opened = api.connections->open(open, line.settings.max_connections, ctx);
    if (!opened && opened.error().code == Errc::TooMany) return text_answer(403, "");
    if (!opened) return tl::unexpected(opened.error());
    return opened->lease_id;
}

/// The worker's playlist with each segment at `/hls/<token>/<segment>`.
std::string rewrite_playlist(const std::string& playlist, const std::string& token) {
    std::istringstream in(playlist);
    std::string out, line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line.front() != '#' && segment_number(line))
            out += fmt::format("/hls/{}/{}\n", token, line);
        else
            out += line + "\n";
    }
    return out;
}

/// With streaming servers registered (api.redirector set: the main server), the viewer of
/// `stream_id` goes to the server its strategy picks: 302 to a signed `/play/` URL bound to
/// that server. Nullopt when the stream has no server to go to (none registered, or its group
/// lost them all): this server delivers. 503 text with the reasons when every server is down,
/// disabled or full.
std::optional<HttpResponse> send_to_server(IptvApi& api, std::int64_t line_id,
                                           std::int64_t stream_id, const std::string& ext) {
    const auto* view = api.ctx.runner.view(projections::iptv::kStreamServers);
    if (!api.redirector || !view ||
        projections::iptv::servers_for_stream(*view, stream_id).servers.empty())
        return std::nullopt;
    auto sent = api.redirector->redirect(line_id, stream_id, ext, api.ctx.clock.now());
    if (!sent) return text_answer(503, sent.error().message + "\n");
    auto resp = text_answer(302, "");
    resp.headers.emplace_back("Location", sent->url);
    return resp;
}

/// A viewer let in: its lease and what its worker pulls.
struct Admitted {
    std::string lease_id;
    std::int64_t line_id = 0;
    std::string output;  ///< `ts` or `m3u8`.
    LiveSource source;
};

/// Lets the viewer of `file` (`<id>.<ext>`) of an authorized line in: 403 problem naming
/// `output` for a format the line may not use, 404 text for a stream the line does not see; a
/// direct-source stream redirects (302) to its source; on the main server with streaming
/// servers, the viewer is sent to one (send_to_server) unless `server` says the URL was bound to
/// one already; otherwise a lease is taken (403 with an empty body when the line has no slot
/// left), on `server` (0: this one). `for_edge`: the main server admits for an edge, which
/// delivers (no live outputs needed here).
core::Result<std::variant<Admitted, HttpResponse>> admit(IptvApi& api, HttpRequest& r,
                                                         const LineRow& line,
                                                         const std::string& file,
                                                         std::optional<std::int64_t> signed_stream,
                                                         std::optional<std::int64_t> server,
                                                         bool for_edge = false) {
    const auto dot = file.rfind('.');
    const auto ext = dot == std::string::npos ? std::string("ts") : file.substr(dot + 1);
    const auto id = stream_id_of(std::string_view(file).substr(0, dot));
    if (signed_stream && id != signed_stream)
        return text_answer(403, "the signed URL is for another stream\n");
    if (!id) return text_answer(404, kNoStream);
    SY_TRY(core::iptv::check_output_allowed(line.settings, ext));
    if (ext != "ts" && ext != "m3u8")
        return core::fail(Errc::Invalid, "output", "output: /live/ serves ts or m3u8");
    auto snap = api.catalogue.get();
    const projections::iptv::StreamRow* stream = nullptr;
    for (const auto* s : snap->visible_streams(line.settings.bouquets)) {
        if (s->id == *id) stream = s;
    }
    if (!stream) return text_answer(404, kNoStream);
    if (stream->direct_source) {
        auto resp = text_answer(302, "");
        resp.headers.emplace_back("Location", stream->source_url);
        return resp;
    }
    if (!server) {
        if (auto sent = send_to_server(api, line.line_id, *id, ext)) return std::move(*sent);
    }
    if ((!for_edge && !api.live) || !api.connections)
        return text_answer(503, "live delivery is not set up on this server\n");
    auto taken = SY_TRY(take_lease(api, r, line, *id, ext, server.value_or(0)));
    if (auto* refused = std::get_if<HttpResponse>(&taken)) return std::move(*refused);
    return Admitted{std::get<std::string>(taken), line.line_id, ext,
                    LiveSource{stream->id, stream->source_url, stream->user_agent,
                               stream->http_referrer, stream->profile, stream->always_on}};
}

/// Delivers to a viewer let in: `.ts` streams MPEG-TS, `.m3u8` answers the worker's playlist
/// with session segment URLs. 503 text (the lease closed) when the stream cannot be started.
core::Result<HttpResponse> serve_admitted(IptvApi& api, const HttpRequest& r, const Admitted& a) {
    const auto ctx = lease_context(api.ctx, a.line_id, r.remote_ip);
    const auto stream_id = a.source.stream_id;
    if (!api.live) {
        close_lease(api, a.line_id, a.lease_id, "unavailable", ctx);
        return text_answer(503, "live delivery is not set up on this server\n");
    }
    auto dir = api.live->acquire(a.source);
    if (!dir) {
        close_lease(api, a.line_id, a.lease_id, "unavailable", ctx);
        return text_answer(503, dir.error().message + "\n");
    }
    if (a.output == "ts") {
        HttpResponse resp;
        resp.content_type = "video/mp2t";
        resp.stream =
            std::make_shared<TsBody>(api, a.line_id, a.lease_id, stream_id, *dir, r.remote_ip);
        return resp;
    }
    // HLS: the playlist fetches keep the worker alive; it idles out after the last one.
    const bool ready = wait_ready(api, stream_id);
    api.live->release(stream_id);
    if (!ready) {
        close_lease(api, a.line_id, a.lease_id, "unavailable", ctx);
        return text_answer(503, "the stream is starting; try again\n");
    }
    const auto expires = core::unix_seconds(ctx.now) + 2 * lease_timeout(api).count();
    const auto token = make_session_token(api.ctx, {a.lease_id, a.line_id, stream_id, expires});
    HttpResponse resp;
    resp.content_type = "application/vnd.apple.mpegurl";
    resp.headers.emplace_back("Cache-Control", "no-store");
    resp.body = rewrite_playlist(read_file(*dir / "index.m3u8"), token);
    return resp;
}

/// admit() then serve_admitted().
core::Result<HttpResponse> deliver(IptvApi& api, HttpRequest& r, const LineRow& line,
                                   const std::string& file,
                                   std::optional<std::int64_t> signed_stream,
                                   std::optional<std::int64_t> server = std::nullopt) {
    auto admitted = SY_TRY(admit(api, r, line, file, signed_stream, server));
    if (auto* resp = std::get_if<HttpResponse>(&admitted)) return std::move(*resp);
    return serve_admitted(api, r, std::get<Admitted>(admitted));
}

/// GET /live/{username}/{password}/{id}.{ts|m3u8}: the Xtream path form; 401 text for bad
/// credentials, 403 text for a line that requires signed URLs; else as deliver().
core::Result<HttpResponse> live_stream(IptvApi& api, HttpRequest& r) {
    auto line = authorize_line(api, r, r.params["username"], r.params["password"]);
    if (!line) return text_answer(401, kLineRefused);
    if (line->settings.signed_url_ttl_s > 0)
        return text_answer(403, "this line plays signed URLs only (from get.php)\n");
    return deliver(api, r, *line, r.params["file"], std::nullopt);
}

/// GET /play/{token}/{id}.{ts|m3u8} on an edge: the main server admits the viewer (and answers
/// its refusals, passed on as they are); 503 text when it cannot be reached.
core::Result<HttpResponse> edge_stream(IptvApi& api, HttpRequest& r) {
    auto answer = api.main_server->admit(r.params["token"], r.params["file"], r.remote_ip,
                                         r.header("user-agent"));
    if (!answer) return text_answer(503, "the main server cannot admit viewers now\n");
    if (auto* refusal = std::get_if<MainServer::Refusal>(&*answer)) {
        HttpResponse resp;
        resp.status = refusal->status;
        resp.content_type = refusal->content_type;
        resp.body = std::move(refusal->body);
        if (!refusal->location.empty()) resp.headers.emplace_back("Location", refusal->location);
        return resp;
    }
    auto& a = std::get<MainServer::Admission>(*answer);
    return serve_admitted(api, r, Admitted{a.lease_id, a.line_id, a.output, a.source});
}

/// GET /play/{token}/{id}.{ts|m3u8}: a signed media URL (media_url_token). 403 text for a
/// malformed, tampered or expired token or one for another stream; 401 text when the line is
/// gone or may not use the service now; else as deliver().
core::Result<HttpResponse> signed_stream(IptvApi& api, HttpRequest& r) {
    if (api.main_server) return edge_stream(api, r);
    auto claims = check_session_token(api.ctx, r.params["token"]);
    if (!claims || !is_url_mark(claims->lease_id))
        return text_answer(403, "invalid or expired signed URL\n");
    const auto* view = api.ctx.runner.view(projections::iptv::kLineDirectory);
    auto line = view ? projections::iptv::find_line_by_id(*view, claims->line_id) : std::nullopt;
    if (!line || !core::iptv::line_usable(line->settings, api.ctx.clock.now()))
        return text_answer(401, kLineRefused);
    return deliver(api, r, *line, r.params["file"], claims->stream_id,
                   bound_server(claims->lease_id));
}

/// GET /hls/{token}/{seg_NNNNN.ts}: a segment of an HLS session. 403 text for a malformed,
/// tampered or expired token or a lease that is gone; 404 text for a segment that is not (or
/// no longer) there. Renews the session's lease when a third of its timeout has passed.
core::Result<HttpResponse> hls_segment(IptvApi& api, HttpRequest& r) {
    if (!api.live || (!api.connections && !api.main_server))
        return text_answer(503, "live delivery is not set up on this server\n");
    auto claims = check_session_token(api.ctx, r.params["token"]);
    if (!claims || is_url_mark(claims->lease_id))
        return text_answer(403, "invalid or expired token\n");
    const auto& file = r.params["file"];
    if (!segment_number(file)) return text_answer(404, "no such segment\n");
    const auto ctx = lease_context(api.ctx, claims->line_id, r.remote_ip);
    const auto expiry = SY_TRY(lease_expiry(api, claims->line_id, claims->lease_id));
    if (!expiry || *expiry <= ctx.now) return text_answer(403, "the session has ended\n");
    const auto timeout = lease_timeout(api);
    if (*expiry - ctx.now < timeout - timeout / 3 &&
        !renew_lease(api, claims->line_id, claims->lease_id, ctx))
        return text_answer(403, "the session has ended\n");
    auto body = read_file(api.live->directory(claims->stream_id) / file);
    if (body.empty()) return text_answer(404, "no such segment\n");
    count_sent(api, claims->lease_id, body.size());
    HttpResponse resp;
    resp.content_type = "video/mp2t";
    resp.body = std::move(body);
    return resp;
}

// ---- the main server's side of its edges ----

/// The streaming server of `/v1/iptv/edge/{id}/...`, registered and not removed.
/// @errors NotFound naming `id`.
core::Result<std::int64_t> edge_server_of(IptvApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto* view = api.ctx.runner.view(projections::iptv::kStreamServers);
    if (!view || !projections::iptv::find_server(*view, id))
        return core::fail(Errc::NotFound, "id", fmt::format("id: no streaming server {}", id));
    return id;
}

/// A refusal for the edge to pass on to its viewer as it is.
HttpResponse refusal_answer(const HttpResponse& refused) {
    boost::json::object o{{"admitted", false},
                          {"status", refused.status},
                          {"content_type", refused.content_type},
                          {"body", refused.body}};
    for (const auto& [name, value] : refused.headers)
        if (name == "Location") o["location"] = value;
    return json_response(200, boost::json::serialize(o));
}

/// POST /v1/iptv/edge/{id}/admissions `{"token", "file", "remote_ip", "user_agent"}`: an
/// edge asks to admit the viewer of `/play/{token}/{file}`, a URL bound to server `id`. Answers
/// 200 `{"admitted": true, "lease_id", "line_id", "stream_id", "output", "expires_at",
/// "timeout_s", "source": {"url", "user_agent", "http_referrer", "profile", "always_on"}}` with
/// the lease taken on server `id`, or `{"admitted": false, "status", "content_type", "body"}`:
/// the answer the viewer gets (403 for a token not bound to `id`, 401 for a line that may not
/// play, 403 with an empty body for a full line, ...). 422 naming the field for a bad body.
core::Result<HttpResponse> edge_admission(IptvApi& api, HttpRequest& r) {
    const auto server_id = SY_TRY(edge_server_of(api, r));
    const auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"token", "file", "remote_ip", "user_agent"}));
    const auto token = SY_TRY(b.string("token"));
    const auto file = SY_TRY(b.string("file"));
    const auto remote_ip = SY_TRY(b.string("remote_ip"));
    const auto user_agent = SY_TRY(b.opt_string("user_agent")).value_or("");
    if (remote_ip.empty())
        return core::fail(Errc::Invalid, "remote_ip", "remote_ip: the viewer's address is empty");
    auto claims = check_session_token(api.ctx, token);
    if (!claims || bound_server(claims->lease_id) != server_id)
        return refusal_answer(text_answer(403, "invalid or expired signed URL\n"));
    const auto* view = api.ctx.runner.view(projections::iptv::kLineDirectory);
    auto line = view ? projections::iptv::find_line_by_id(*view, claims->line_id) : std::nullopt;
    if (!line || !core::iptv::line_usable(line->settings, api.ctx.clock.now()))
        return refusal_answer(text_answer(401, kLineRefused));
    HttpRequest viewer;
    viewer.remote_ip = remote_ip;
    viewer.headers["user-agent"] = user_agent;
    auto admitted = admit(api, viewer, *line, file, claims->stream_id, server_id, true);
    if (!admitted) return refusal_answer(problem(admitted.error()));
    if (auto* refused = std::get_if<HttpResponse>(&*admitted)) return refusal_answer(*refused);
    const auto& a = std::get<Admitted>(*admitted);
    const auto timeout = api.connections->timeout();
    boost::json::object source{
        {"url", a.source.source_url},
        {"user_agent", a.source.user_agent},
        {"http_referrer", a.source.http_referrer},
        {"profile", events::to_json(a.source.profile, events::iptv::kStreamProfile)},
        {"always_on", a.source.always_on}};
    boost::json::object o{{"admitted", true},
                          {"lease_id", a.lease_id},
                          {"line_id", a.line_id},
                          {"stream_id", a.source.stream_id},
                          {"output", a.output},
                          {"expires_at", core::format_rfc3339(api.ctx.clock.now() + timeout)},
                          {"timeout_s", timeout.count()},
                          {"source", std::move(source)}};
    return json_response(200, boost::json::serialize(o));
}

/// The line and the bytes of an edge's renew or close body; the lease must be open and served
/// by server `id`. @errors Invalid naming the field; NotFound naming `lease_id`.
struct EdgeLeaseCall {
    std::int64_t server_id = 0;
    std::int64_t line_id = 0;
    std::string lease_id;
    std::int64_t bytes = 0;
    std::string reason;
};
core::Result<EdgeLeaseCall> edge_lease_call(IptvApi& api, const HttpRequest& r, bool closing) {
    EdgeLeaseCall c;
    c.server_id = SY_TRY(edge_server_of(api, r));
    c.lease_id = r.params.at("lease_id");
    const auto b = SY_TRY(JsonBody::parse(r.body));
    if (closing)
        SY_TRY(b.only({"line_id", "bytes", "reason"}));
    else
        SY_TRY(b.only({"line_id", "bytes"}));
    const auto line = SY_TRY(b.opt_int("line_id"));
    if (!line || *line <= 0)
        return core::fail(Errc::Invalid, "line_id", "line_id: a positive line id is required");
    c.line_id = *line;
    c.bytes = SY_TRY(b.opt_int("bytes")).value_or(0);
    if (c.bytes < 0) return core::fail(Errc::Invalid, "bytes", "bytes: must not be negative");
    if (closing) {
        c.reason = SY_TRY(b.opt_string("reason")).value_or("disconnect");
        if (c.reason != "disconnect" && c.reason != "unavailable" && c.reason != "end" &&
            c.reason != "shutdown")
            return core::fail(Errc::Invalid, "reason",
                              "reason: one of disconnect, unavailable, end, shutdown");
    }
    const auto leases = SY_TRY(api.connections->leases(c.line_id));
    const auto it = leases.leases.find(c.lease_id);
    if (it == leases.leases.end() || it->second.opened.server_id != c.server_id)
        return core::fail(Errc::NotFound, "lease_id",
                          fmt::format("lease_id: no open lease {} of line {} on server {}",
                                      c.lease_id, c.line_id, c.server_id));
    return c;
}

/// POST /v1/iptv/edge/{id}/leases/{lease_id}/renew `{"line_id", "bytes"}`: an edge's viewer
/// still reads; `bytes` sent since the lease's previous event. 200 `{"lease_id", "expires_at",
/// "timeout_s"}`; 404 naming `lease_id` when the lease is closed or expired (the viewer lost
/// its slot: the edge ends the body).
core::Result<HttpResponse> edge_renew(IptvApi& api, HttpRequest& r) {
    if (!api.connections) return text_answer(503, "live delivery is not set up on this server\n");
    const auto c = SY_TRY(edge_lease_call(api, r, false));
    const auto ctx = lease_context(api.ctx, c.line_id, r.remote_ip);
    if (c.bytes > 0) api.connections->count_bytes(c.lease_id, c.bytes);
    SY_TRY(api.connections->renew(c.line_id, c.lease_id, ctx));
    const auto timeout = api.connections->timeout();
    boost::json::object o{{"lease_id", c.lease_id},
                          {"expires_at", core::format_rfc3339(ctx.now + timeout)},
                          {"timeout_s", timeout.count()}};
    return json_response(200, boost::json::serialize(o));
}

/// POST /v1/iptv/edge/{id}/leases/{lease_id}/close `{"line_id", "bytes", "reason"}`: an
/// edge's viewer went (reason `disconnect` by default). 200 `{"lease_id", "closed": true}`; 404
/// naming `lease_id` when it is closed already.
core::Result<HttpResponse> edge_close(IptvApi& api, HttpRequest& r) {
    if (!api.connections) return text_answer(503, "live delivery is not set up on this server\n");
    const auto c = SY_TRY(edge_lease_call(api, r, true));
    if (c.bytes > 0) api.connections->count_bytes(c.lease_id, c.bytes);
    SY_TRY(api.connections->close(c.line_id, c.lease_id, c.reason,
                                  lease_context(api.ctx, c.line_id, r.remote_ip)));
    boost::json::object o{{"lease_id", c.lease_id}, {"closed", true}};
    return json_response(200, boost::json::serialize(o));
}

// ---- movies and episodes ----

/// How many open responses share each VOD lease (a seek opens a request while the previous one
/// is still open): the lease closes when its last response ends.
struct LeaseShares {
    std::mutex mu;
    std::map<std::string, int> open;
};

LeaseShares& vod_shares() {
    static LeaseShares shares;
    return shares;
}

/// Gives one share of a VOD lease back; the last one closes the lease (reason `disconnect`).
void release_vod_lease(IptvApi& api, std::int64_t line_id, const std::string& lease_id,
                       const std::string& remote_ip) {
    auto& shares = vod_shares();
    {
        std::lock_guard lock(shares.mu);
        auto it = shares.open.find(lease_id);
        if (it != shares.open.end() && --it->second > 0) return;
        if (it != shares.open.end()) shares.open.erase(it);
    }
    (void)api.connections->close(line_id, lease_id, "disconnect",
                                 lease_context(api.ctx, line_id, remote_ip));
}

/// A restreamed movie or episode: the source's bytes as they come, the lease renewed every
/// timeout/3; closing it closes the fetch and gives its share of the lease back.
class VodBody final : public BodySource {
  public:
    VodBody(IptvApi& api, std::int64_t line_id, std::string lease_id, std::string remote_ip,
            std::shared_ptr<BodySource> source)
        : api_(api),
          lease_(api, line_id, std::move(lease_id), std::move(remote_ip)),
          source_(std::move(source)) {}

    bool next(std::string& chunk) override {
        if (!lease_.keep(std::chrono::steady_clock::now())) return false;
        const bool more = source_->next(chunk);
        if (more) lease_.sent(chunk.size());
        return more;
    }

    void close() override {
        source_->close();
        release_vod_lease(api_, lease_.line_id(), lease_.lease_id(), lease_.remote_ip());
    }

  private:
    IptvApi& api_;
    LeaseKeeper lease_;
    std::shared_ptr<BodySource> source_;
};

/// Takes (or shares) the player's lease of a movie or episode; the refusal when the line is
/// full. The share count is raised for the returned lease.
core::Result<std::variant<std::string, HttpResponse>> take_vod_lease(
    IptvApi& api, const HttpRequest& r, const LineRow& line, core::iptv::ConnectionKind kind,
    std::int64_t file_id, const std::string& ext) {
    const auto ctx = lease_context(api.ctx, line.line_id, r.remote_ip);
    const auto& ua = r.header("user-agent");
    auto& shares = vod_shares();
    const auto leases = SY_TRY(api.connections->leases(line.line_id));
    for (const auto& [id, lease] : leases.leases) {
        const auto& o = lease.opened;
        if (lease.expires_at <= ctx.now || o.kind != kind || o.stream_id != file_id ||
            o.remote_ip != r.remote_ip || o.user_agent != ua)
            continue;
        std::lock_guard lock(shares.mu);
        auto it = shares.open.find(id);
        if (it == shares.open.end()) continue;  // its last response is ending
        if (!api.connections->renew(line.line_id, id, ctx)) continue;
        ++it->second;
        return std::string(id);
    }
    core::iptv::OpenConnection open{
        events::random_token(16), line.line_id, file_id, kind, ext, r.remote_ip, ua};
    auto opened = api.connections->open(open, line.settings.max_connections, ctx);
    if (!opened && opened.error().code == Errc::TooMany) return text_answer(403, "");
    if (!opened) return tl::unexpected(opened.error());
    std::lock_guard lock(shares.mu);
    shares.open[opened->lease_id] = 1;
    return opened->lease_id;
}

/// The MIME type of a movie container extension.
std::string vod_content_type(std::string_view ext) {
    if (ext == "mp4" || ext == "m4v") return "video/mp4";
    if (ext == "mkv") return "video/x-matroska";
    if (ext == "avi") return "video/x-msvideo";
    if (ext == "ts") return "video/mp2t";
    if (ext == "webm") return "video/webm";
    return "application/octet-stream";
}

}  // namespace

core::Result<HttpResponse> restream_vod(IptvApi& api, const HttpRequest& r, const LineRow& line,
                                        core::iptv::ConnectionKind kind, std::int64_t file_id,
                                        const std::string& source_url) {
    const auto file_it = r.params.find("file");
    const std::string file = file_it == r.params.end() ? std::string{} : file_it->second;
    const auto dot = file.rfind('.');
    const std::string ext = dot == std::string::npos ? std::string{} : file.substr(dot + 1);
    auto taken = SY_TRY(take_vod_lease(api, r, line, kind, file_id, ext));
    if (auto* refused = std::get_if<HttpResponse>(&taken)) return std::move(*refused);
    const auto lease_id = std::get<std::string>(taken);
    auto fetched = api.vod_sources->open(source_url, r.header("range"));
    if (!fetched) {
        release_vod_lease(api, line.line_id, lease_id, r.remote_ip);
        return text_answer(502, "The source of this file cannot be reached.");
    }
    HttpResponse resp;
    resp.status = fetched->status;
    resp.content_type = vod_content_type(ext);
    for (auto& [name, value] : fetched->headers) {
        if (name == "content-type") continue;  // the container's type, not the source's guess
        resp.headers.emplace_back(name, value);
    }
    resp.stream_length = fetched->length;
    resp.stream = std::make_shared<VodBody>(api, line.line_id, lease_id, r.remote_ip,
                                            std::move(fetched->body));
    return resp;
}

std::string media_url_token(const ApiContext& ctx, std::int64_t line_id, std::int64_t stream_id,
                            std::int64_t expires) {
    return make_session_token(ctx, {kUrlTokenMark, line_id, stream_id, expires});
}

IptvRoutes delivery_routes() {
    constexpr auto open = Reach::Public;
    constexpr bool blocking = false;  // leases append to the log: on the worker pool
    return {
        {"GET",
         "/live/{username}/{password}/{file}",
         {},
         live_stream,
         "A line's live stream `<id>.ts` (continuous MPEG-TS) or `<id>.m3u8` (HLS), held by a "
         "connection lease; a redirect for direct-source streams.",
         open,
         blocking},
        {"GET",
         "/play/{token}/{file}",
         {},
         signed_stream,
         "A live stream by a signed, expiring URL (lines with `signed_url_ttl_s`; no password "
         "in the path), as `/live/`.",
         open,
         blocking},
        {"GET",
         "/hls/{token}/{file}",
         {},
         hls_segment,
         "A segment of an HLS playback session (the token comes from the `.m3u8` playlist).",
         open,
         blocking},
    };
}

namespace {

/// 401 unless the caller is an API key that is an unrestricted admin key or scoped to
/// kEdgeScope (as a streaming server process is given).
std::optional<HttpResponse> edge_refused(IptvApi& api, const HttpRequest& r) {
    auto caller = authenticate(api.ctx, r);
    if (!caller) return problem(caller.error());
    if (service_key_may_call(caller->principal, kEdgeScope)) return std::nullopt;
    return problem(Errc::Unauthorized, "authorization",
                   fmt::format("authorization: the API key is neither an unrestricted admin key "
                               "nor scoped to {}",
                               kEdgeScope));
}

}  // namespace

void add_edge_routes(Router& router, IptvApi& api) {
    using Fn = core::Result<HttpResponse> (*)(IptvApi&, HttpRequest&);
    auto add = [&](const char* pattern, Fn fn, const char* summary) {
        Route route;
        route.method = "POST";
        route.pattern = pattern;
        route.handler = [&api, fn](HttpRequest& r) -> HttpResponse {
            if (auto refused = edge_refused(api, r)) return std::move(*refused);
            auto answer = fn(api, r);
            return answer ? std::move(*answer) : problem(answer.error());
        };
        // Authenticated here, without the per-key rate limit: a busy server renews every
        // viewer's lease every few seconds.
        route.reach = Reach::Public;
        route.self_authenticated = true;
        route.summary = summary;
        route.module = "iptv";
        router.add(std::move(route));
    };
    add("/v1/iptv/edge/{id}/admissions", edge_admission,
        "A streaming server process asks to admit the viewer of a signed /play/ URL bound to it: "
        "the lease on that server and the stream's source, or the refusal to pass on (API key: "
        "unrestricted admin, or scoped to /v1/iptv/edge).");
    add("/v1/iptv/edge/{id}/leases/{lease_id}/renew", edge_renew,
        "A streaming server process renews the lease of a viewer still reading, with the bytes "
        "sent.");
    add("/v1/iptv/edge/{id}/leases/{lease_id}/close", edge_close,
        "A streaming server process closes the lease of a viewer that went, with the bytes sent.");
}

}  // namespace switchyard::api::iptv

namespace switchyard::api {

std::string server_media_token(const ApiContext& ctx, std::int64_t line_id, std::int64_t stream_id,
                               std::int64_t server_id, core::Timestamp expires_at) {
    return iptv::make_session_token(ctx, {fmt::format("play-{}", server_id), line_id, stream_id,
                                          core::unix_seconds(expires_at)});
}

}  // namespace switchyard::api
