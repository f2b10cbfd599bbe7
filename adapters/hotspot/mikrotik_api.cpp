#include "adapters/hotspot/mikrotik_api.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace switchyard::adapters::hotspot {

namespace ros = core::hotspot::routeros;
using core::Errc;
using core::fail;
using core::Result;

namespace {

using SteadyClock = std::chrono::steady_clock;

int remaining_ms(SteadyClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

core::Error trap_error(const std::string& path, const std::string& message) {
    Errc code = Errc::Rejected;
    if (message.find("already have") != std::string::npos) code = Errc::Conflict;
    if (message.find("no such item") != std::string::npos) code = Errc::NotFound;
    return core::Error{code, path, fmt::format("RouterOS {} !trap: {}", path, message)};
}

}  // namespace

Result<std::string> routeros_challenge_response(std::string_view password,
                                                std::string_view challenge_hex) {
    const auto input = SY_TRY(ros::challenge_hash_input(password, challenge_hex));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_md5(), nullptr) != 1)
        return fail(Errc::Internal, "ret", "OpenSSL cannot compute MD5");
    std::string out = "00";
    for (unsigned i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

// ---------------------------------------------------------------------------------------------
// RouterOsConnection

Result<std::unique_ptr<RouterOsConnection>> RouterOsConnection::open(const std::string& host,
                                                                     std::uint16_t port,
                                                                     int timeout_ms,
                                                                     const RouterOsTls& tls) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const auto service = std::to_string(port);
    if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
        return fail(Errc::Unavailable, "host",
                    fmt::format("cannot resolve {}: {}", host, gai_strerror(rc)));
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
    std::string last = "no address";
    bool timed_out = false;
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd =
            socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        int rc = connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = poll(&p, 1, remaining_ms(deadline));
            if (rc == 0) {
                timed_out = true;
                ::close(fd);
                break;
            }
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            rc = err == 0 && rc > 0 ? 0 : -1;
            if (err != 0) errno = err;
        }
        if (rc == 0) {
            freeaddrinfo(found);
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            std::unique_ptr<RouterOsConnection> c(new RouterOsConnection(fd, timeout_ms));
            if (tls.enabled) SY_TRY(c->start_tls(host, tls));
            return c;
        }
        last = std::strerror(errno);
        ::close(fd);
    }
    freeaddrinfo(found);
    if (timed_out)
        return fail(
            Errc::Timeout, "host",
            fmt::format("connecting to {}:{} took longer than {} ms", host, port, timeout_ms));
    return fail(Errc::Unavailable, "host",
                fmt::format("cannot connect to {}:{}: {}", host, port, last));
}

RouterOsConnection::~RouterOsConnection() {
    close_now();
    if (ctx_) SSL_CTX_free(ctx_);
}

void RouterOsConnection::close_now() {
    if (ssl_) SSL_free(ssl_);
    ssl_ = nullptr;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool RouterOsConnection::wait(bool read, SteadyClock::time_point deadline) const {
    for (;;) {
        pollfd p{fd_, static_cast<short>(read ? POLLIN : POLLOUT), 0};
        const int rc = poll(&p, 1, remaining_ms(deadline));
        if (rc < 0 && errno == EINTR) continue;
        return rc > 0;
    }
}

namespace {
std::string openssl_reason() {
    const auto e = ERR_get_error();
    if (e == 0) return "no reason given";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return buf;
}
}  // namespace

Result<void> RouterOsConnection::start_tls(const std::string& host, const RouterOsTls& tls) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (!ctx_)
        return fail(Errc::Internal, "tls", "cannot create a TLS context: " + openssl_reason());
    if (!tls.ciphers.empty() && SSL_CTX_set_cipher_list(ctx_, tls.ciphers.c_str()) != 1)
        return fail(Errc::Invalid, "tls_ciphers",
                    fmt::format("OpenSSL accepts no cipher of '{}'", tls.ciphers));
    if (tls.verify) {
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
        const int loaded = tls.ca_file.empty()
                               ? SSL_CTX_set_default_verify_paths(ctx_)
                               : SSL_CTX_load_verify_locations(ctx_, tls.ca_file.c_str(), nullptr);
        if (loaded != 1)
            return fail(Errc::Invalid, "ca_file",
                        fmt::format("cannot load trusted certificates '{}': {}", tls.ca_file,
                                    openssl_reason()));
    }
    ssl_ = SSL_new(ctx_);
    if (!ssl_)
        return fail(Errc::Internal, "tls", "cannot create a TLS session: " + openssl_reason());
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, host.c_str());
    if (tls.verify && SSL_set1_host(ssl_, host.c_str()) != 1)
        return fail(Errc::Invalid, "host", "cannot check the certificate against " + host);
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms_);
    for (;;) {
        const int rc = SSL_connect(ssl_);
        if (rc == 1) return {};
        const int err = SSL_get_error(ssl_, rc);
        if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
            wait(err == SSL_ERROR_WANT_READ, deadline))
            continue;
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            close_now();
            return fail(Errc::Timeout, "tls",
                        fmt::format("the TLS handshake took longer than {} ms", timeout_ms_));
        }
        std::string why = openssl_reason();
        if (const long v = SSL_get_verify_result(ssl_); v != X509_V_OK)
            why = X509_verify_cert_error_string(v);
        close_now();
        return fail(Errc::Unavailable, "tls", "the TLS handshake with the router failed: " + why);
    }
}

Result<void> RouterOsConnection::write_all(std::string_view bytes) {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms_);
    while (!bytes.empty()) {
        if (fd_ < 0) return fail(Errc::Unavailable, "connection", "the connection is closed");
        if (ssl_) {
            const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
            if (n > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(n));
                continue;
            }
            const int err = SSL_get_error(ssl_, n);
            if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
                wait(err == SSL_ERROR_WANT_READ, deadline))
                continue;
            close_now();
            return fail(err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE
                            ? Errc::Timeout
                            : Errc::Unavailable,
                        "connection", "sending to the router over TLS failed");
        }
        const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            pollfd p{fd_, POLLOUT, 0};
            if (poll(&p, 1, remaining_ms(deadline)) <= 0) {
                close_now();
                return fail(Errc::Timeout, "connection",
                            fmt::format("the router took no bytes for {} ms", timeout_ms_));
            }
            continue;
        }
        const std::string why = std::strerror(errno);
        close_now();
        return fail(Errc::Unavailable, "connection", "sending to the router failed: " + why);
    }
    return {};
}

Result<ros::Sentence> RouterOsConnection::read_sentence() {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms_);
    char buf[4096];
    for (;;) {
        if (auto s = decoder_.next()) return std::move(*s);
        if (fd_ < 0) return fail(Errc::Unavailable, "connection", "the connection is closed");
        if (ssl_) {
            const int n = SSL_read(ssl_, buf, sizeof buf);
            if (n > 0) {
                if (auto fed = decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
                    !fed) {
                    close_now();
                    return fail(fed.error());
                }
                continue;
            }
            const int err = SSL_get_error(ssl_, n);
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
                if (wait(err == SSL_ERROR_WANT_READ, deadline)) continue;
                close_now();
                return fail(Errc::Timeout, "connection",
                            fmt::format("no reply from the router within {} ms", timeout_ms_));
            }
            close_now();
            return fail(Errc::Unavailable, "connection",
                        err == SSL_ERROR_ZERO_RETURN ? "the router closed the TLS connection"
                                                     : "reading from the router over TLS failed");
        }
        pollfd p{fd_, POLLIN, 0};
        const int rc = poll(&p, 1, remaining_ms(deadline));
        if (rc == 0) {
            close_now();
            return fail(Errc::Timeout, "connection",
                        fmt::format("no reply from the router within {} ms", timeout_ms_));
        }
        if (rc < 0 && errno == EINTR) continue;
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) {
            close_now();
            return fail(
                Errc::Unavailable, "connection",
                n == 0 ? std::string("the router closed the connection")
                       : std::string("reading from the router failed: ") + std::strerror(errno));
        }
        if (auto fed = decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n))); !fed) {
            close_now();
            return fail(fed.error());
        }
    }
}

Result<std::vector<ros::Reply>> RouterOsConnection::call(const ros::Command& command) {
    SY_TRY(write_all(SY_TRY(ros::encode_command(command))));
    std::vector<ros::Reply> out;
    std::optional<core::Error> trapped;
    for (;;) {
        const auto sentence = SY_TRY(read_sentence());
        auto reply = ros::parse_reply(sentence);
        if (!reply) {
            close_now();
            return fail(reply.error());
        }
        switch (reply->type) {
            case ros::ReplyType::Re:
                out.push_back(std::move(*reply));
                break;
            case ros::ReplyType::Empty:
                break;
            case ros::ReplyType::Trap:
                if (!trapped)
                    trapped =
                        trap_error(command.path, reply->get("message").value_or("(no message)"));
                break;
            case ros::ReplyType::Fatal: {
                close_now();
                const std::string why = reply->other_words.empty()
                                            ? reply->get("message").value_or("")
                                            : reply->other_words.front();
                return fail(Errc::Unavailable, command.path, "RouterOS !fatal: " + why);
            }
            case ros::ReplyType::Done:
                if (trapped) return fail(*trapped);
                out.push_back(std::move(*reply));
                return out;
        }
    }
}

Result<void> RouterOsConnection::login(const std::string& username, const std::string& password) {
    auto replies =
        call({.path = "/login", .attributes = {{"name", username}, {"password", password}}});
    if (!replies) {
        auto e = replies.error();
        if (e.code == Errc::Rejected) e.code = Errc::Unauthorized;
        return fail(e);
    }
    const auto challenge = replies->back().get("ret");
    if (!challenge) return {};
    // RouterOS before 6.43: answer the challenge.
    const auto response = SY_TRY(routeros_challenge_response(password, *challenge));
    auto second =
        call({.path = "/login", .attributes = {{"name", username}, {"response", response}}});
    if (!second) {
        auto e = second.error();
        if (e.code == Errc::Rejected) e.code = Errc::Unauthorized;
        return fail(e);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// MikrotikController

namespace {

constexpr std::string_view kBindingComment = "switchyard until ";

std::string rate_profile(const HotspotUser& u) {
    return fmt::format("sy-d{}k-u{}k", u.download_kbps.value_or(0), u.upload_kbps.value_or(0));
}

/// Rates from a profile name this adapter made (`sy-d2048k-u1024k`); false for another name.
bool rates_from_profile(const std::string& profile, HotspotUser& out) {
    if (!profile.starts_with("sy-d")) return false;
    const auto k1 = profile.find("k-u", 4);
    if (k1 == std::string::npos || !profile.ends_with('k')) return false;
    const auto down = to_int(std::string_view(profile).substr(4, k1 - 4));
    const auto up = to_int(std::string_view(profile).substr(k1 + 3, profile.size() - k1 - 4));
    if (!down || !up) return false;
    out.download_kbps = *down > 0 ? std::optional<std::int64_t>(*down) : std::nullopt;
    out.upload_kbps = *up > 0 ? std::optional<std::int64_t>(*up) : std::nullopt;
    return true;
}

/// RouterOS writes MACs upper case with colons.
std::string routeros_mac(const std::string& mac) {
    auto m = normalize_mac(mac).value_or(mac);
    for (auto& c : m)
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    return m;
}

}  // namespace

MikrotikController::MikrotikController(MikrotikOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Result<std::vector<ros::Reply>> MikrotikController::call(const ros::Command& command) {
    if (!connection_ || !connection_->usable()) {
        connection_.reset();
        auto opened =
            SY_TRY(RouterOsConnection::open(options_.host, options_.port, options_.timeout_ms,
                                            {.enabled = options_.tls,
                                             .verify = options_.verify_tls,
                                             .ca_file = options_.ca_file,
                                             .ciphers = options_.tls_ciphers}));
        SY_TRY(opened->login(options_.username, options_.password));
        connection_ = std::move(opened);
    }
    return connection_->call(command);
}

Result<void> MikrotikController::test_connection() {
    SY_TRY(call({.path = "/system/identity/print"}));
    return {};
}

Result<std::string> MikrotikController::profile_for(const HotspotUser& user) {
    if (!user.download_kbps && !user.upload_kbps)
        return user.profile.empty() ? "default" : user.profile;
    if (!user.profile.empty())
        return fail(Errc::Rejected, "profile",
                    "RouterOS keeps the rate limit on the user profile: give either a profile or "
                    "download/upload rates, not both");
    for (const char* field : {"download_kbps", "upload_kbps"}) {
        const auto& v =
            std::string_view(field) == "download_kbps" ? user.download_kbps : user.upload_kbps;
        if (v && *v < 0) return fail(Errc::Invalid, field, "a rate cannot be negative");
    }
    const auto name = rate_profile(user);
    const auto found =
        SY_TRY(call({.path = "/ip/hotspot/user/profile/print", .queries = {"name=" + name}}));
    if (found.size() <= 1) {  // only the !done
        SY_TRY(
            call({.path = "/ip/hotspot/user/profile/add",
                  .attributes = {{"name", name},
                                 {"rate-limit", fmt::format("{}k/{}k", user.upload_kbps.value_or(0),
                                                            user.download_kbps.value_or(0))}}}));
    }
    return name;
}

Result<void> MikrotikController::create_user(const HotspotUser& user) {
    if (user.name.empty()) return fail(Errc::Invalid, "name", "a hotspot user needs a name");
    if (user.limit_uptime_seconds && *user.limit_uptime_seconds <= 0)
        return fail(Errc::Invalid, "limit_uptime_seconds", "a time limit must be positive");
    if (user.limit_bytes_total && *user.limit_bytes_total <= 0)
        return fail(Errc::Invalid, "limit_bytes_total", "a data limit must be positive");
    if (!user.mac.empty() && !normalize_mac(user.mac))
        return fail(Errc::Invalid, "mac", fmt::format("'{}' is not a MAC address", user.mac));
    const auto profile = SY_TRY(profile_for(user));
    ros::Command add{.path = "/ip/hotspot/user/add"};
    add.attributes.emplace_back("name", user.name);
    add.attributes.emplace_back("password", user.password.value_or(""));
    add.attributes.emplace_back("profile", profile);
    if (user.limit_uptime_seconds)
        add.attributes.emplace_back("limit-uptime",
                                    ros::format_duration(*user.limit_uptime_seconds));
    if (user.limit_bytes_total)
        add.attributes.emplace_back("limit-bytes-total", std::to_string(*user.limit_bytes_total));
    if (!user.mac.empty()) add.attributes.emplace_back("mac-address", routeros_mac(user.mac));
    if (!options_.hotspot_server.empty())
        add.attributes.emplace_back("server", options_.hotspot_server);
    if (!user.comment.empty()) add.attributes.emplace_back("comment", user.comment);
    SY_TRY(call(add));
    return {};
}

Result<std::string> MikrotikController::user_id(std::string_view name) {
    const auto found = SY_TRY(call({.path = "/ip/hotspot/user/print",
                                    .attributes = {{".proplist", ".id,name"}},
                                    .queries = {fmt::format("name={}", name)}}));
    for (const auto& r : found)
        if (r.type == ros::ReplyType::Re && r.get("name") == name)
            if (auto id = r.get(".id")) return *id;
    return fail(Errc::NotFound, "name", fmt::format("RouterOS has no hotspot user '{}'", name));
}

Result<void> MikrotikController::update_user(const HotspotUser& user) {
    const auto id = SY_TRY(user_id(user.name));
    const auto profile = SY_TRY(profile_for(user));
    ros::Command set{.path = "/ip/hotspot/user/set"};
    set.attributes.emplace_back(".id", id);
    if (user.password) set.attributes.emplace_back("password", *user.password);
    set.attributes.emplace_back("profile", profile);
    set.attributes.emplace_back("limit-uptime",
                                ros::format_duration(user.limit_uptime_seconds.value_or(0)));
    set.attributes.emplace_back("limit-bytes-total",
                                std::to_string(user.limit_bytes_total.value_or(0)));
    set.attributes.emplace_back("mac-address", user.mac.empty() ? std::string("00:00:00:00:00:00")
                                                                : routeros_mac(user.mac));
    SY_TRY(call(set));
    return {};
}

Result<void> MikrotikController::remove_user(std::string_view name) {
    const auto id = SY_TRY(user_id(name));
    SY_TRY(call({.path = "/ip/hotspot/user/remove", .attributes = {{".id", id}}}));
    return {};
}

Result<std::vector<HotspotUser>> MikrotikController::list_users(std::string_view name) {
    ros::Command print{.path = "/ip/hotspot/user/print"};
    if (!name.empty()) print.queries.push_back(fmt::format("name={}", name));
    const auto replies = SY_TRY(call(print));
    std::vector<HotspotUser> out;
    for (const auto& r : replies) {
        if (r.type != ros::ReplyType::Re) continue;
        // The built-in `default-trial` entry holds the counters of trial users; not a user.
        if (r.get("default") == "true" || r.get("dynamic") == "true" ||
            r.get("name") == "default-trial")
            continue;
        HotspotUser u;
        u.name = r.get("name").value_or("");
        u.password = r.get("password");
        u.profile = r.get("profile").value_or("");
        if (rates_from_profile(u.profile, u)) u.profile.clear();
        if (u.profile == "default") u.profile.clear();
        if (auto t = r.get("limit-uptime"); t && !t->empty()) {
            const auto s = ros::parse_duration(*t);
            if (!s)
                return fail(
                    Errc::Invalid, "limit-uptime",
                    fmt::format("RouterOS printed '{}' for user '{}', not a duration", *t, u.name));
            if (*s > 0) u.limit_uptime_seconds = *s;
        }
        if (auto b = r.get("limit-bytes-total"); b && !b->empty()) {
            const auto v = to_int(*b);
            if (!v)
                return fail(Errc::Invalid, "limit-bytes-total",
                            fmt::format("RouterOS printed '{}' for user '{}', not a byte count", *b,
                                        u.name));
            if (*v > 0) u.limit_bytes_total = *v;
        }
        if (auto m = r.get("mac-address"); m && !m->empty() && *m != "00:00:00:00:00:00")
            u.mac = normalize_mac(*m).value_or(*m);
        u.comment = r.get("comment").value_or("");
        out.push_back(std::move(u));
    }
    return out;
}

Result<void> MikrotikController::authorize_mac(const MacAuthorization& a) {
    if (!normalize_mac(a.mac))
        return fail(Errc::Invalid, "mac", fmt::format("'{}' is not a MAC address", a.mac));
    if (a.duration_seconds < 0)
        return fail(Errc::Invalid, "duration_seconds", "a duration cannot be negative");
    ros::Command add{.path = "/ip/hotspot/ip-binding/add"};
    add.attributes.emplace_back("mac-address", routeros_mac(a.mac));
    add.attributes.emplace_back("type", "bypassed");
    if (!options_.hotspot_server.empty())
        add.attributes.emplace_back("server", options_.hotspot_server);
    std::string comment = a.comment;
    if (a.duration_seconds > 0) {
        const auto until = clock_.now() + std::chrono::seconds(a.duration_seconds);
        comment =
            fmt::format("{}{}", kBindingComment,
                        core::format_rfc3339(std::chrono::floor<std::chrono::seconds>(until)));
    }
    if (!comment.empty()) add.attributes.emplace_back("comment", comment);
    SY_TRY(call(add));
    return {};
}

Result<int> MikrotikController::remove_expired_bindings() {
    const auto replies = SY_TRY(call({.path = "/ip/hotspot/ip-binding/print"}));
    const auto now = clock_.now();
    int removed = 0;
    for (const auto& r : replies) {
        if (r.type != ros::ReplyType::Re) continue;
        const auto comment = r.get("comment").value_or("");
        if (!comment.starts_with(kBindingComment)) continue;
        const auto until =
            core::parse_rfc3339(std::string_view(comment).substr(kBindingComment.size()));
        if (!until || *until > now) continue;
        if (auto id = r.get(".id")) {
            SY_TRY(call({.path = "/ip/hotspot/ip-binding/remove", .attributes = {{".id", *id}}}));
            ++removed;
        }
    }
    return removed;
}

Result<std::vector<ActiveSession>> MikrotikController::list_active() {
    const auto replies = SY_TRY(call({.path = "/ip/hotspot/active/print"}));
    std::vector<ActiveSession> out;
    for (const auto& r : replies) {
        if (r.type != ros::ReplyType::Re) continue;
        ActiveSession s;
        s.id = r.get(".id").value_or("");
        s.user = r.get("user").value_or("");
        const auto mac = r.get("mac-address").value_or("");
        s.mac = normalize_mac(mac).value_or(mac);
        s.address = r.get("address").value_or("");
        s.uptime_seconds = ros::parse_duration(r.get("uptime").value_or("0s")).value_or(0);
        s.bytes_in = to_int(r.get("bytes-in").value_or("0")).value_or(0);
        s.bytes_out = to_int(r.get("bytes-out").value_or("0")).value_or(0);
        out.push_back(std::move(s));
    }
    return out;
}

Result<void> MikrotikController::end_session(std::string_view id) {
    if (id.empty()) return fail(Errc::Invalid, "id", "an active session id like *1A is needed");
    SY_TRY(call({.path = "/ip/hotspot/active/remove", .attributes = {{".id", std::string(id)}}}));
    return {};
}

}  // namespace switchyard::adapters::hotspot
