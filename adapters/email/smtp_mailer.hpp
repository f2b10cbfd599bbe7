#pragma once
/// Sends one email through an SMTP relay with libcurl (RFC 5321): MAIL FROM, one RCPT TO per
/// recipient, then a MIME message (RFC 2045, 2046) built by curl's MIME API:
///
///     multipart/mixed
///       multipart/alternative        (text/plain, text/html; when `html` is given)
///       or text/plain                (when it is not)
///       attachment parts             (base64, Content-Disposition: attachment; filename="...")
///
/// Text parts are UTF-8 in quoted-printable, their line ends turned into CR LF. The header
/// carries Date (RFC 5322 3.3, UTC), From, To, Subject, Message-ID and MIME-Version; a display
/// name or subject that is not short printable ASCII goes as RFC 2047 `B` encoded-words, folded
/// to lines of at most 78 characters. Every recipient must be accepted, or nothing is sent.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters::email {

/// Where and how to reach the relay.
struct SmtpConfig {
    /// `smtp://host:port` (STARTTLS, RFC 3207) or `smtps://host:port` (TLS from the first byte,
    /// RFC 8314). Credentials go in `username`/`password`, never in the URL. The URL's path,
    /// when given, is the name curl sends in EHLO.
    std::string url;
    /// AUTH (RFC 4954) with the mechanisms curl and the server share; empty: no AUTH. On
    /// `smtp://` without `require_starttls`, a server that offers no STARTTLS gets the password
    /// in the clear.
    std::string username;
    std::string password;
    /// `smtp://` only: fail unless the server upgrades to TLS (curl's CURLUSESSL_ALL); when
    /// false, TLS is used if offered (CURLUSESSL_TRY). Default: false.
    bool require_starttls = false;
    /// A PEM CA bundle to check the server's certificate with; empty: the system's. The
    /// certificate and host name are always checked.
    std::string ca_file;
    /// Bound on the whole exchange, connection included, in milliseconds. Default: 10 s.
    long timeout_ms = 10'000;
};

/// A file sent along with the message.
struct MailAttachment {
    std::string filename;      ///< 1 to 255 bytes of printable ASCII, without `"`, `\`, `/`.
    std::string content_type;  ///< e.g. `application/pdf`; empty: `application/octet-stream`.
    std::string bytes;         ///< Any bytes, sent base64-encoded.
};

/// One message.
struct MailMessage {
    std::string from;       ///< addr-spec, e.g. `billing@example.net`; also the envelope sender.
    std::string from_name;  ///< Display name, UTF-8, up to 200 bytes; may be empty.
    std::vector<std::string> to;  ///< 1 to 50 addr-specs; the envelope recipients too.
    std::string subject;          ///< UTF-8, 1 to 900 bytes, no control characters.
    std::string text;             ///< The text/plain body, UTF-8, not empty.
    std::string html;             ///< An optional text/html alternative, UTF-8.
    std::vector<MailAttachment> attachments;
    /// `<left@right>`, printable ASCII without spaces, up to 250 bytes; empty: generated as
    /// `<32 random hex digits@domain of from>`.
    std::string message_id;
};

/// What the relay answered.
struct SentMail {
    std::string message_id;    ///< The Message-ID the message carried, with its angle brackets.
    std::string server_reply;  ///< The relay's last reply line, e.g. `250 2.0.0 Ok: queued`.
};

/// Upper bound on `MailMessage::to`.
inline constexpr std::size_t kMaxRecipients = 50;

/// Checks `config` as send_mail needs it.
/// @errors Invalid naming `url` (not `smtp://` or `smtps://` with a host, credentials or
///         whitespace in it) or `timeout_ms` (not above 0).
core::Result<void> check_config(const SmtpConfig& config);

/// Checks `message` as send_mail needs it. An address (addr-spec) is checked simply: at most
/// 254 bytes of printable ASCII, exactly one `@` with text on both sides, none of
/// space `<` `>` `,` `;` `"` `(` `)` `\` (RFC 5321 4.5.3.1.3 for the length).
/// @errors Invalid naming the first bad field: `from`, `from_name`, `to` (none or more than
///         kMaxRecipients), `to[i]`, `subject` (empty, too long, not UTF-8, or a control
///         character such as CR or LF, which would inject header lines), `text`, `html`,
///         `attachments[i].filename`, `attachments[i].content_type`, `message_id`.
core::Result<void> check_mail(const MailMessage& message);

/// Sends `message` through the relay of `config`. Blocks up to `config.timeout_ms`.
/// @returns the Message-ID sent and the relay's reply to the end of the data.
/// @errors as check_config and check_mail, before any connection; then, naming `smtp` with
///         curl's reason and the server's refusal if any: Timeout past timeout_ms;
///         Unauthorized when AUTH fails; Rejected when the server refuses the sender, a
///         recipient or the message with a 5xx reply (permanent: do not retry as is);
///         Unavailable when it cannot be reached, breaks the connection, answers 4xx or TLS
///         fails (retry later); Internal when curl cannot build the request.
/// @thread safe (each call its own connection).
/// @source RFC 5321 (SMTP), RFC 5322 (message format), RFC 2045-2047 (MIME), RFC 3207.
core::Result<SentMail> send_mail(const SmtpConfig& config, const MailMessage& message);

}  // namespace switchyard::adapters::email
