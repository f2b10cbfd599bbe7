#pragma once
/// The Dynamic Authorization client (RFC 5176): sends Disconnect-Request and CoA-Request over
/// UDP to a NAS and reads its ACK or NAK, retrying on timeout with exponential backoff. Every
/// attempt is recorded so the caller can append it as an event.
///
/// Each attempt is a new packet: a fresh Identifier, the current Event-Timestamp (RFC 5176 3.6:
/// "since Event-Timestamp changes, a retransmission is a new request") and so a new Request
/// Authenticator. A reply to any earlier attempt of the same call is still accepted.
///
/// Request Authenticator (RFC 5176 2.3, computed as RFC 2866 3 defines it for accounting):
/// MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret). With a
/// Message-Authenticator (RFC 3579 3.2), that HMAC-MD5 keyed by the secret is computed first,
/// over the packet with a zero Request Authenticator and a zero Message-Authenticator value.
/// A reply is accepted when it comes from the NAS's address and port, carries the Identifier
/// of an attempt, has the code that answers the request (41/42 for 40, 44/45 for 43), and its
/// Response Authenticator is MD5(Code + Identifier + Length + Request Authenticator +
/// Attributes + Secret) (RFC 2865 3); a Message-Authenticator in it must verify too. Other
/// datagrams are counted and ignored.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/radius/dictionary.hpp"
#include "core/radius/packet.hpp"
#include "core/result.hpp"

namespace switchyard::adapters::radius {

/// Where Disconnect/CoA requests go.
struct DaeTarget {
    std::string address;        ///< The NAS's IPv4 or IPv6 address (numeric, no DNS).
    std::uint16_t port = 3799;  ///< RFC 5176 3; MikroTik listens on 1700 by default.
    std::string secret;         ///< The RADIUS shared secret of the NAS, 1 to 128 octets.
};

/// Retry and packet options. Defaults: 1 s first timeout, doubled, 4 attempts (1+2+4+8 = 15 s
/// at most), Message-Authenticator and Event-Timestamp included.
struct DaeOptions {
    std::chrono::milliseconds first_timeout{1000};  ///< Wait for a reply to the first attempt.
    double backoff_factor = 2.0;                    ///< Each next wait is this times longer.
    std::chrono::milliseconds max_timeout{30000};   ///< No single wait is longer than this.
    int max_attempts = 4;                           ///< 1 to 20.
    bool message_authenticator = true;              ///< Add Message-Authenticator (RFC 3579).
    bool event_timestamp = true;                    ///< Add Event-Timestamp (RFC 5176 3.6).
};

/// How a request ended.
enum class DaeOutcome {
    Ack,      ///< Disconnect-ACK or CoA-ACK.
    Nak,      ///< Disconnect-NAK or CoA-NAK; see error_cause.
    Timeout,  ///< No valid reply after every attempt.
    Error,    ///< The socket failed (for example ICMP port unreachable); see message.
};

/// `ack`, `nak`, `timeout`, `error`.
const char* to_string(DaeOutcome outcome) noexcept;

/// One attempt: a packet sent and what came of it.
struct DaeAttempt {
    int number = 1;               ///< 1-based.
    std::uint8_t identifier = 0;  ///< The RADIUS Identifier of this attempt's packet.
    std::chrono::system_clock::time_point sent_at;
    std::uint32_t event_timestamp = 0;  ///< The Event-Timestamp sent (seconds), 0 when none.
    /// The time from sending to the reply; empty when no reply answered this attempt.
    std::optional<std::chrono::microseconds> round_trip;
    /// Ack or Nak when a reply answered this attempt, Timeout when its wait ran out, Error
    /// when sending failed.
    DaeOutcome outcome = DaeOutcome::Timeout;
};

/// What a Disconnect or CoA request came to.
struct DaeResult {
    DaeOutcome outcome = DaeOutcome::Timeout;
    /// The reply's Error-Cause (RFC 5176 3.5), e.g. 503 Session-Context-Not-Found, which
    /// means the session is already gone.
    std::optional<std::uint32_t> error_cause;
    std::string error_cause_name;  ///< Its dictionary VALUE name, e.g. `Session-Context-Not-Found`.
    core::radius::Code reply_code{};  ///< The reply's code, when there was one.
    std::vector<core::radius::AttributeValue> reply_attributes;  ///< As decoded.
    std::vector<DaeAttempt> attempts;                            ///< In the order sent.
    int ignored_datagrams = 0;  ///< Replies refused (wrong source, id, code or authenticator).
    std::string message;        ///< For Error: what failed.
};

/// One attribute to send, by dictionary name and FreeRADIUS text value
/// (core::radius::encode_value), e.g. {"Mikrotik-Rate-Limit", "2M/4M"}.
struct DaeAttribute {
    std::string name;
    std::string value;
};

/// Sends Dynamic Authorization requests with a dictionary loaded at start.
/// @thread Safe to call from many threads at once: each call has its own socket.
class DaeClient {
  public:
    /// @param dictionary must outlive the client.
    DaeClient(const core::radius::Dictionary& dictionary, DaeOptions options = {});

    /// Sends a Disconnect-Request (RFC 5176 3.1) with the identifying `attributes` (User-Name,
    /// Acct-Session-Id, Framed-IP-Address, NAS-IP-Address, ...) and waits for the answer.
    /// Blocks at most the sum of the timeouts.
    /// @errors Errc::Invalid for input that cannot be sent: an empty or over-long secret, an
    ///   address that is not numeric IPv4/IPv6, port 0, an unknown attribute or a bad value
    ///   (naming the attribute), more than 4096 octets, options out of range. Network outcomes
    ///   (ACK, NAK, timeout, socket errors) are values in DaeResult.
    core::Result<DaeResult> disconnect(const DaeTarget& target,
                                       const std::vector<DaeAttribute>& attributes) const;

    /// Sends a CoA-Request (RFC 5176 3.2): the identifying attributes and the new
    /// authorization attributes (Mikrotik-Rate-Limit, Session-Timeout, ...). As disconnect.
    core::Result<DaeResult> coa(const DaeTarget& target,
                                const std::vector<DaeAttribute>& attributes) const;

    /// Either request, by code (DisconnectRequest or CoaRequest).
    core::Result<DaeResult> send(core::radius::Code code, const DaeTarget& target,
                                 const std::vector<DaeAttribute>& attributes) const;

  private:
    const core::radius::Dictionary& dictionary_;
    DaeOptions options_;
};

/// Signs encoded request bytes in place (RFC 5176 2.3): fills a Message-Authenticator
/// attribute if the packet has one (its value must be 16 octets), then writes the Request
/// Authenticator MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret).
/// @pre `packet` is a well-formed encoded packet (encode_packet output).
void sign_request(std::vector<std::uint8_t>& packet, std::string_view secret);

/// True when `reply` (encoded) carries the Response Authenticator of RFC 2865 3 for
/// `request_authenticator` and `secret`, and its Message-Authenticator, when present, verifies
/// (RFC 3579 3.2, computed with the Request Authenticator in the authenticator field).
bool verify_response(std::span<const std::uint8_t> reply,
                     const std::array<std::uint8_t, 16>& request_authenticator,
                     std::string_view secret);

/// MD5(Code + Identifier + Length + `authenticator` + Attributes + Secret) of an encoded
/// packet: the Response Authenticator when `authenticator` is the Request Authenticator.
std::array<std::uint8_t, 16> response_authenticator(
    std::span<const std::uint8_t> packet, const std::array<std::uint8_t, 16>& authenticator,
    std::string_view secret);

}  // namespace switchyard::adapters::radius
