#include "adapters/radius/dae_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace switchyard::adapters::radius {

using core::Errc;
using core::fail;
using core::radius::Bytes;
using core::radius::Code;

namespace {

constexpr std::uint8_t kEventTimestamp = 55;  // RFC 2869 5.3
constexpr std::uint8_t kErrorCause = 101;     // RFC 5176 3.5
constexpr std::size_t kMaxSecret = 128;

std::array<std::uint8_t, 16> md5(std::span<const std::uint8_t> a, std::string_view b) {
    std::array<std::uint8_t, 16> out{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
    EVP_DigestUpdate(ctx, a.data(), a.size());
    EVP_DigestUpdate(ctx, b.data(), b.size());
    EVP_DigestFinal_ex(ctx, out.data(), &len);
    EVP_MD_CTX_free(ctx);
    return out;
}

std::array<std::uint8_t, 16> hmac_md5(std::span<const std::uint8_t> data, std::string_view key) {
    std::array<std::uint8_t, 16> out{};
    unsigned int len = 0;
    HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
         &len);
    return out;
}

/// The offset of the first Message-Authenticator value in an encoded packet, if any.
std::optional<std::size_t> message_authenticator_offset(std::span<const std::uint8_t> p) {
    std::size_t pos = core::radius::kHeaderLength;
    while (pos + 2 <= p.size()) {
        const std::size_t len = p[pos + 1];
        if (len < 2 || pos + len > p.size()) return std::nullopt;
        if (p[pos] == core::radius::kMessageAuthenticator && len == 18) return pos + 2;
        pos += len;
    }
    return std::nullopt;
}

/// A numeric address and port as a sockaddr.
bool make_address(const DaeTarget& t, sockaddr_storage& out, socklen_t& len) {
    std::memset(&out, 0, sizeof out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (t.address.size() <= 15 && inet_pton(AF_INET, t.address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(t.port);
        len = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (t.address.size() <= 45 && inet_pton(AF_INET6, t.address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(t.port);
        len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

bool same_address(const sockaddr_storage& a, const sockaddr_storage& b) {
    if (a.ss_family != b.ss_family) return false;
    if (a.ss_family == AF_INET) {
        const auto& x = reinterpret_cast<const sockaddr_in&>(a);
        const auto& y = reinterpret_cast<const sockaddr_in&>(b);
        return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
    }
    const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
    return x.sin6_port == y.sin6_port &&
           std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
}

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
};

struct Sent {
    std::uint8_t identifier = 0;
    std::array<std::uint8_t, 16> authenticator{};
    std::chrono::steady_clock::time_point at;
};

}  // namespace

const char* to_string(DaeOutcome outcome) noexcept {
    switch (outcome) {
        case DaeOutcome::Ack:
            return "ack";
        case DaeOutcome::Nak:
            return "nak";
        case DaeOutcome::Timeout:
            return "timeout";
        case DaeOutcome::Error:
            return "error";
    }
    return "error";
}

std::array<std::uint8_t, 16> response_authenticator(
    std::span<const std::uint8_t> packet, const std::array<std::uint8_t, 16>& authenticator,
    std::string_view secret) {
    Bytes copy(packet.begin(), packet.end());
    if (copy.size() >= core::radius::kHeaderLength) {
        std::copy(authenticator.begin(), authenticator.end(), copy.begin() + 4);
    }
    return md5(copy, secret);
}

void sign_request(std::vector<std::uint8_t>& packet, std::string_view secret) {
    std::fill(packet.begin() + 4, packet.begin() + 20, 0);
    if (const auto ma = message_authenticator_offset(packet)) {
        std::fill(packet.begin() + static_cast<std::ptrdiff_t>(*ma),
                  packet.begin() + static_cast<std::ptrdiff_t>(*ma + 16), 0);
        const auto mac = hmac_md5(packet, secret);
        std::copy(mac.begin(), mac.end(), packet.begin() + static_cast<std::ptrdiff_t>(*ma));
    }
    const auto auth = md5(packet, secret);
    std::copy(auth.begin(), auth.end(), packet.begin() + 4);
}

bool verify_response(std::span<const std::uint8_t> reply,
                     const std::array<std::uint8_t, 16>& request_authenticator,
                     std::string_view secret) {
    if (reply.size() < core::radius::kHeaderLength) return false;
    const auto expected = response_authenticator(reply, request_authenticator, secret);
    if (!std::equal(expected.begin(), expected.end(), reply.begin() + 4)) return false;
    if (const auto ma = message_authenticator_offset(reply)) {
        Bytes copy(reply.begin(), reply.end());
        std::copy(request_authenticator.begin(), request_authenticator.end(), copy.begin() + 4);
        std::fill(copy.begin() + static_cast<std::ptrdiff_t>(*ma),
                  copy.begin() + static_cast<std::ptrdiff_t>(*ma + 16), 0);
        const auto mac = hmac_md5(copy, secret);
        if (!std::equal(mac.begin(), mac.end(), reply.begin() + static_cast<std::ptrdiff_t>(*ma))) {
            return false;
        }
    }
    return true;
}

DaeClient::DaeClient(const core::radius::Dictionary& dictionary, DaeOptions options)
    : dictionary_(dictionary), options_(options) {}

core::Result<DaeResult> DaeClient::disconnect(const DaeTarget& target,
                                              const std::vector<DaeAttribute>& attributes) const {
    return send(Code::DisconnectRequest, target, attributes);
}

core::Result<DaeResult> DaeClient::coa(const DaeTarget& target,
                                       const std::vector<DaeAttribute>& attributes) const {
    return send(Code::CoaRequest, target, attributes);
}

core::Result<DaeResult> DaeClient::send(Code code, const DaeTarget& target,
                                        const std::vector<DaeAttribute>& attributes) const {
    if (code != Code::DisconnectRequest && code != Code::CoaRequest) {
        return fail(Errc::Invalid, "code",
                    fmt::format("{} is not a Dynamic Authorization request (RFC 5176 2)",
                                core::radius::to_string(code)));
    }
    if (target.secret.empty() || target.secret.size() > kMaxSecret) {
        return fail(Errc::Invalid, "secret", "the shared secret must be 1 to 128 octets");
    }
    if (target.port == 0) return fail(Errc::Invalid, "port", "port 0 cannot be sent to");
    sockaddr_storage nas{};
    socklen_t nas_len = 0;
    if (!make_address(target, nas, nas_len)) {
        return fail(Errc::Invalid, "address",
                    fmt::format("'{}' is not a numeric IPv4 or IPv6 address", target.address));
    }
    if (options_.max_attempts < 1 || options_.max_attempts > 20 ||
        options_.first_timeout.count() < 1 || options_.backoff_factor < 1.0 ||
        options_.max_timeout < options_.first_timeout) {
        return fail(Errc::Invalid, "options",
                    "max_attempts must be 1 to 20, first_timeout at least 1 ms and at most "
                    "max_timeout, backoff_factor at least 1");
    }
    std::vector<core::radius::RawAttribute> base;
    bool has_timestamp = false;
    for (const auto& a : attributes) {
        auto raw = SY_TRY(core::radius::make_attribute(dictionary_, a.name, a.value));
        if (raw.type == kEventTimestamp) has_timestamp = true;
        if (raw.type == core::radius::kMessageAuthenticator) {
            return fail(Errc::Invalid, a.name, "Message-Authenticator is computed, not given");
        }
        base.push_back(std::move(raw));
    }
    const Code ack = code == Code::DisconnectRequest ? Code::DisconnectAck : Code::CoaAck;
    const Code nak = code == Code::DisconnectRequest ? Code::DisconnectNak : Code::CoaNak;

    Socket sock;
    sock.fd = ::socket(nas.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    DaeResult result;
    if (sock.fd < 0) {
        result.outcome = DaeOutcome::Error;
        result.message = fmt::format("socket: {}", std::strerror(errno));
        return result;
    }
    if (::connect(sock.fd, reinterpret_cast<const sockaddr*>(&nas), nas_len) != 0) {
        result.outcome = DaeOutcome::Error;
        result.message = fmt::format("connect: {}", std::strerror(errno));
        return result;
    }

    std::random_device rd;
    const auto first_id = static_cast<std::uint8_t>(rd());
    std::vector<Sent> sent;
    auto timeout = options_.first_timeout;
    for (int n = 1; n <= options_.max_attempts; ++n) {
        core::radius::Packet request;
        request.code = code;
        request.identifier = static_cast<std::uint8_t>(first_id + n - 1);
        if (options_.message_authenticator) {
            request.attributes.push_back({core::radius::kMessageAuthenticator, Bytes(16, 0)});
        }
        request.attributes.insert(request.attributes.end(), base.begin(), base.end());
        DaeAttempt attempt;
        attempt.number = n;
        attempt.identifier = request.identifier;
        attempt.sent_at = std::chrono::system_clock::now();
        if (options_.event_timestamp && !has_timestamp) {
            attempt.event_timestamp = static_cast<std::uint32_t>(
                std::chrono::duration_cast<std::chrono::seconds>(attempt.sent_at.time_since_epoch())
                    .count());
            const std::uint32_t t = attempt.event_timestamp;
            request.attributes.push_back(
                {kEventTimestamp,
                 Bytes{static_cast<std::uint8_t>(t >> 24), static_cast<std::uint8_t>(t >> 16),
                       static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t)}});
        }
        auto bytes = SY_TRY(core::radius::encode_packet(request));
        sign_request(bytes, target.secret);
        Sent s{request.identifier, {}, std::chrono::steady_clock::now()};
        std::copy(bytes.begin() + 4, bytes.begin() + 20, s.authenticator.begin());
        if (::send(sock.fd, bytes.data(), bytes.size(), 0) < 0) {
            attempt.outcome = DaeOutcome::Error;
            result.attempts.push_back(attempt);
            result.outcome = DaeOutcome::Error;
            result.message = fmt::format("send to {} port {}: {}", target.address, target.port,
                                         std::strerror(errno));
            return result;
        }
        sent.push_back(s);
        result.attempts.push_back(attempt);

        const auto deadline = s.at + timeout;
        while (true) {
            const auto now = std::chrono::steady_clock::now();
            if (now >= deadline) break;
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
            pollfd pfd{sock.fd, POLLIN, 0};
            const int ready = ::poll(&pfd, 1, static_cast<int>(wait));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) continue;
            std::uint8_t buf[core::radius::kMaxPacketLength];
            sockaddr_storage from{};
            socklen_t from_len = sizeof from;
            const ssize_t got = ::recvfrom(sock.fd, buf, sizeof buf, 0,
                                           reinterpret_cast<sockaddr*>(&from), &from_len);
            const auto received = std::chrono::steady_clock::now();
            if (got < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                result.attempts.back().outcome = DaeOutcome::Error;
                result.outcome = DaeOutcome::Error;
                result.message = fmt::format("receive from {} port {}: {}", target.address,
                                             target.port, std::strerror(errno));
                return result;
            }
            const std::span<const std::uint8_t> reply(buf, static_cast<std::size_t>(got));
            auto packet = core::radius::decode_packet(reply);
            if (!packet || !same_address(from, nas) ||
                (packet->code != ack && packet->code != nak)) {
                ++result.ignored_datagrams;
                continue;
            }
            const auto match = std::find_if(sent.begin(), sent.end(), [&](const Sent& x) {
                return x.identifier == packet->identifier;
            });
            const std::size_t length = (std::size_t{buf[2]} << 8) | buf[3];
            if (match == sent.end() ||
                !verify_response(reply.first(length), match->authenticator, target.secret)) {
                ++result.ignored_datagrams;
                continue;
            }
            const auto index = static_cast<std::size_t>(match - sent.begin());
            auto& answered = result.attempts[index];
            answered.round_trip =
                std::chrono::duration_cast<std::chrono::microseconds>(received - match->at);
            answered.outcome = packet->code == ack ? DaeOutcome::Ack : DaeOutcome::Nak;
            result.outcome = answered.outcome;
            result.reply_code = packet->code;
            result.reply_attributes = core::radius::decode_attributes(dictionary_, *packet);
            for (const auto& a : result.reply_attributes) {
                if (a.vendor == 0 && a.number == kErrorCause && a.integer) {
                    result.error_cause = static_cast<std::uint32_t>(*a.integer);
                    const auto* name = dictionary_.value_name("Error-Cause", *a.integer);
                    result.error_cause_name = name ? *name : std::to_string(*a.integer);
                }
            }
            return result;
        }
        const auto next = std::chrono::duration_cast<std::chrono::milliseconds>(
            timeout * options_.backoff_factor);
        timeout = std::min(next, options_.max_timeout);
    }
    result.outcome = DaeOutcome::Timeout;
    result.message = fmt::format("no valid reply from {} port {} after {} attempts", target.address,
                                 target.port, options_.max_attempts);
    return result;
}

}  // namespace switchyard::adapters::radius
