#include "adapters/email/smtp_mailer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <string_view>

#include <curl/curl.h>

#include "core/base64.hpp"
#include "core/text.hpp"

namespace switchyard::adapters::email {

using core::Errc;

namespace {

constexpr std::size_t kMaxAddressBytes = 254;  // RFC 5321 4.5.3.1.3: a path of 256 with <>
// Bounds that keep a header sane; the encoded subject is folded, so any of these fits.
constexpr std::size_t kMaxSubjectBytes = 900;
constexpr std::size_t kMaxFromNameBytes = 200;
constexpr std::size_t kMaxMessageIdBytes = 250;
constexpr std::size_t kMaxFilenameBytes = 255;
// RFC 2047 2: an encoded-word is at most 75 characters; 39 bytes make 52 base64 characters,
// a 64-character word, so `Subject: ` and one word fit the 78 columns of RFC 5322 2.1.1.
constexpr std::size_t kEncodedWordBytes = 39;
constexpr std::size_t kPlainHeaderColumns = 78;

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
void ensure_curl() { static CurlGlobal global; }

bool printable_ascii(std::string_view s) {
    for (const char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

/// The simple addr-spec check check_mail documents; empty when fine, else the reason.
std::string address_problem(std::string_view a) {
    if (a.empty()) return "must not be empty";
    if (a.size() > kMaxAddressBytes) return "must be at most 254 bytes";
    if (!printable_ascii(a)) return "must be printable ASCII (no CR, LF or other controls)";
    if (a.find_first_of(" <>,;\"()\\") != std::string_view::npos)
        return "must be a bare address: no space, <, >, comma, semicolon, quote, parenthesis "
               "or backslash";
    const auto at = a.find('@');
    if (at == std::string_view::npos || a.find('@', at + 1) != std::string_view::npos)
        return "must contain exactly one @";
    if (at == 0 || at + 1 == a.size()) return "needs text on both sides of the @";
    return {};
}

/// Valid UTF-8 without control characters, at most `max` bytes; empty when fine.
std::string header_text_problem(std::string_view s, std::size_t max) {
    if (s.size() > max) return "must be at most " + std::to_string(max) + " bytes";
    if (!core::is_valid_utf8(s)) return "must be UTF-8";
    if (core::has_control_chars(s))
        return "must not contain control characters (CR and LF would start new header lines)";
    return {};
}

bool valid_message_id(std::string_view id) {
    if (id.size() < 5 || id.size() > kMaxMessageIdBytes || id.front() != '<' || id.back() != '>')
        return false;
    const auto inner = id.substr(1, id.size() - 2);
    if (!printable_ascii(inner) || inner.find_first_of(" <>") != std::string_view::npos)
        return false;
    const auto at = inner.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < inner.size();
}

/// `s` split at UTF-8 character boundaries into pieces of at most `max` bytes.
std::vector<std::string_view> utf8_chunks(std::string_view s, std::size_t max) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        std::size_t n = std::min(max, s.size());
        // Back off continuation bytes (10xxxxxx) so that no character is cut.
        while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
        out.push_back(s.substr(0, n));
        s.remove_prefix(n);
    }
    return out;
}

/// `text` as RFC 2047 `=?UTF-8?B?...?=` words, one per line after the first (folded with
/// CR LF SP; a decoder joins adjacent encoded-words without the white space, RFC 2047 6.2).
std::string encoded_words(std::string_view text) {
    std::string out;
    for (const auto chunk : utf8_chunks(text, kEncodedWordBytes)) {
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + core::base64_encode(chunk) + "?=";
    }
    return out;
}

/// The Subject header value: as is when it is short printable ASCII that cannot be read as
/// an encoded-word, else encoded-words.
std::string subject_value(std::string_view subject) {
    if (printable_ascii(subject) && subject.find("=?") == std::string_view::npos &&
        subject.size() + 9 <= kPlainHeaderColumns)
        return std::string(subject);
    return encoded_words(subject);
}

/// The From header value: `"Name" <addr>`, `=?UTF-8?B?...?= <addr>` or `addr`.
std::string from_value(const MailMessage& m) {
    if (m.from_name.empty()) return m.from;
    if (printable_ascii(m.from_name) && m.from_name.find("=?") == std::string::npos &&
        m.from_name.size() + m.from.size() + 11 <= kPlainHeaderColumns) {
        std::string quoted = "\"";
        for (const char c : m.from_name) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return quoted + "\" <" + m.from + ">";
    }
    return encoded_words(m.from_name) + "\r\n <" + m.from + ">";
}

/// The To header value: the addresses separated by commas, folded when longer than a line.
std::string to_value(const std::vector<std::string>& to) {
    std::string out;
    std::size_t column = 4;  // "To: "
    for (std::size_t i = 0; i < to.size(); ++i) {
        if (i > 0) {
            out += ',';
            ++column;
            if (column + 1 + to[i].size() > kPlainHeaderColumns) {
                out += "\r\n";
                column = 0;
            }
            out += ' ';
            ++column;
        }
        out += to[i];
        column += to[i].size();
    }
    return out;
}

/// `now` as RFC 5322 3.3 date-time in UTC, e.g. `Tue, 21 Nov 2026 13:40:00 +0000`.
std::string rfc5322_date(std::chrono::system_clock::time_point now) {
    static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                      "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

/// `<32 random hex digits@domain of from>`.
std::string generate_message_id(const std::string& from) {
    std::random_device rd;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id = "<";
    for (int i = 0; i < 4; ++i) {
        auto word = static_cast<std::uint32_t>(rd());
        for (int k = 0; k < 8; ++k, word >>= 4) id += kHex[word & 0xf];
    }
    return id + from.substr(from.find('@')) + ">";
}

/// `text` with every line end (CR LF, lone LF, lone CR) as CR LF, as RFC 5322 2.3 wants.
std::string crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

/// The server's reply lines, as curl hands them to the header callback.
std::size_t collect_reply(char* data, std::size_t size, std::size_t n, void* out) {
    std::string line(data, size * n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) static_cast<std::vector<std::string>*>(out)->push_back(std::move(line));
    return size * n;
}

/// Everything one transfer holds; curl's handles are released before the reply lines die
/// (curl_easy_cleanup sends QUIT and hands its reply to the callback).
struct Transfer {
    std::vector<std::string> replies;
    CURL* curl = nullptr;
    curl_mime* mime = nullptr;
    curl_slist* headers = nullptr;
    curl_slist* recipients = nullptr;
    std::vector<curl_slist*> part_headers;
    char error[CURL_ERROR_SIZE] = {};

    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() {
        if (curl) curl_easy_cleanup(curl);
        if (mime) curl_mime_free(mime);
        curl_slist_free_all(headers);
        curl_slist_free_all(recipients);
        for (auto* h : part_headers) curl_slist_free_all(h);
    }

    /// Appends `line` to `list`; false when curl is out of memory.
    static bool append(curl_slist*& list, const std::string& line) {
        auto* grown = curl_slist_append(list, line.c_str());
        if (!grown) return false;
        list = grown;
        return true;
    }

    /// A part of `into` with `bytes` as `type`, transfer-encoded with `encoder`.
    bool add_part(curl_mime* into, const std::string& bytes, const char* type, const char* encoder,
                  const char* filename = nullptr) {
        curl_mimepart* part = curl_mime_addpart(into);
        return part && curl_mime_data(part, bytes.data(), bytes.size()) == CURLE_OK &&
               curl_mime_type(part, type) == CURLE_OK &&
               curl_mime_encoder(part, encoder) == CURLE_OK &&
               (!filename || curl_mime_filename(part, filename) == CURLE_OK);
    }

    /// The text part, or a multipart/alternative of text and html, added to `mime`.
    bool add_body(const MailMessage& m) {
        const char* text_type = "text/plain; charset=utf-8";
        if (m.html.empty())
            return add_part(mime, crlf_lines(m.text), text_type, "quoted-printable");
        curl_mime* alternative = curl_mime_init(curl);
        if (!alternative) return false;
        curl_mimepart* part = curl_mime_addpart(mime);
        if (!part || curl_mime_subparts(part, alternative) != CURLE_OK) {
            curl_mime_free(alternative);
            return false;
        }
        // The part owns `alternative` from here on.
        curl_slist* inline_disposition = nullptr;
        if (!append(inline_disposition, "Content-Disposition: inline")) return false;
        part_headers.push_back(inline_disposition);
        return curl_mime_type(part, "multipart/alternative") == CURLE_OK &&
               curl_mime_headers(part, inline_disposition, 0) == CURLE_OK &&
               add_part(alternative, crlf_lines(m.text), text_type, "quoted-printable") &&
               add_part(alternative, crlf_lines(m.html), "text/html; charset=utf-8",
                        "quoted-printable");
    }
};

/// The URL without anything after the authority, for error messages.
std::string where(const SmtpConfig& c) {
    const auto scheme = c.url.find("://");
    const auto slash = c.url.find('/', scheme + 3);
    return slash == std::string::npos ? c.url : c.url.substr(0, slash);
}

core::Error transfer_error(const SmtpConfig& c, CURLcode rc, long reply_code, const Transfer& t) {
    std::string message = where(c) + ": " + curl_easy_strerror(rc);
    if (t.error[0] != '\0') message += std::string(" (") + t.error + ")";
    // The last refusal (4xx, 5xx), not the 221 to the QUIT curl sends after it.
    for (auto it = t.replies.rbegin(); it != t.replies.rend(); ++it) {
        if (!it->empty() && ((*it)[0] == '4' || (*it)[0] == '5')) {
            message += "; the server said: " + *it;
            break;
        }
    }
    Errc code = Errc::Unavailable;
    if (rc == CURLE_OPERATION_TIMEDOUT) code = Errc::Timeout;
    if (rc == CURLE_LOGIN_DENIED) code = Errc::Unauthorized;
    if (rc == CURLE_OUT_OF_MEMORY) code = Errc::Internal;
    // A 5xx reply to MAIL, RCPT or DATA is permanent (RFC 5321 4.2.1); curl reports it as a
    // send error or a weird reply.
    if ((rc == CURLE_SEND_ERROR || rc == CURLE_WEIRD_SERVER_REPLY || rc == CURLE_RECV_ERROR) &&
        reply_code >= 500 && reply_code < 600)
        code = Errc::Rejected;
    return core::Error{code, "smtp", std::move(message)};
}

}  // namespace

core::Result<void> check_config(const SmtpConfig& c) {
    const bool smtp = core::starts_with_ci(c.url, "smtp://");
    const bool smtps = core::starts_with_ci(c.url, "smtps://");
    if (!smtp && !smtps)
        return core::fail(Errc::Invalid, "url", "must start with smtp:// or smtps://");
    if (!printable_ascii(c.url) || c.url.find(' ') != std::string::npos)
        return core::fail(Errc::Invalid, "url", "must be printable ASCII without spaces");
    const auto host = c.url.substr(c.url.find("://") + 3);
    const auto authority = host.substr(0, host.find('/'));
    if (authority.empty() || authority.front() == ':')
        return core::fail(Errc::Invalid, "url", "names no host");
    if (authority.find('@') != std::string::npos)
        return core::fail(Errc::Invalid, "url",
                          "must not carry credentials: use username and password");
    if (c.timeout_ms <= 0) return core::fail(Errc::Invalid, "timeout_ms", "must be above 0");
    return {};
}

core::Result<void> check_mail(const MailMessage& m) {
    if (auto p = address_problem(m.from); !p.empty()) return core::fail(Errc::Invalid, "from", p);
    if (auto p = header_text_problem(m.from_name, kMaxFromNameBytes); !p.empty())
        return core::fail(Errc::Invalid, "from_name", p);
    if (m.to.empty() || m.to.size() > kMaxRecipients)
        return core::fail(Errc::Invalid, "to", "needs 1 to 50 recipients");
    for (std::size_t i = 0; i < m.to.size(); ++i)
        if (auto p = address_problem(m.to[i]); !p.empty())
            return core::fail(Errc::Invalid, "to[" + std::to_string(i) + "]", p);
    if (m.subject.empty()) return core::fail(Errc::Invalid, "subject", "must not be empty");
    if (auto p = header_text_problem(m.subject, kMaxSubjectBytes); !p.empty())
        return core::fail(Errc::Invalid, "subject", p);
    if (m.text.empty()) return core::fail(Errc::Invalid, "text", "must not be empty");
    if (!core::is_valid_utf8(m.text)) return core::fail(Errc::Invalid, "text", "must be UTF-8");
    if (!core::is_valid_utf8(m.html)) return core::fail(Errc::Invalid, "html", "must be UTF-8");
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        const auto& a = m.attachments[i];
        const auto field = "attachments[" + std::to_string(i) + "].";
        if (a.filename.empty() || a.filename.size() > kMaxFilenameBytes ||
            !printable_ascii(a.filename) || a.filename.find_first_of("\"\\/") != std::string::npos)
            return core::fail(Errc::Invalid, field + "filename",
                              "must be 1 to 255 bytes of printable ASCII without \", \\ or /");
        if (!a.content_type.empty() &&
            (!printable_ascii(a.content_type) || a.content_type.find('/') == std::string::npos))
            return core::fail(Errc::Invalid, field + "content_type",
                              "must be a printable ASCII media type such as application/pdf");
    }
    if (!m.message_id.empty() && !valid_message_id(m.message_id))
        return core::fail(Errc::Invalid, "message_id",
                          "must be <left@right> in printable ASCII without spaces, at most 250 "
                          "bytes");
    return {};
}

core::Result<SentMail> send_mail(const SmtpConfig& c, const MailMessage& m) {
    SY_TRY(check_config(c));
    SY_TRY(check_mail(m));
    ensure_curl();
    SentMail sent;
    sent.message_id = m.message_id.empty() ? generate_message_id(m.from) : m.message_id;

    Transfer t;
    const auto cannot_build = [] {
        return core::fail(Errc::Internal, "smtp", "curl cannot build the request (out of memory)");
    };
    t.curl = curl_easy_init();
    if (!t.curl) return cannot_build();
    t.mime = curl_mime_init(t.curl);
    if (!t.mime || !t.add_body(m)) return cannot_build();
    for (const auto& a : m.attachments) {
        const std::string type =
            a.content_type.empty() ? "application/octet-stream" : a.content_type;
        if (!t.add_part(t.mime, a.bytes, type.c_str(), "base64", a.filename.c_str()))
            return cannot_build();
    }
    for (const auto& line :
         {"Date: " + rfc5322_date(std::chrono::system_clock::now()), "From: " + from_value(m),
          "To: " + to_value(m.to), "Subject: " + subject_value(m.subject),
          "Message-ID: " + sent.message_id, std::string("MIME-Version: 1.0")})
        if (!Transfer::append(t.headers, line)) return cannot_build();
    for (const auto& rcpt : m.to)
        if (!Transfer::append(t.recipients, "<" + rcpt + ">")) return cannot_build();

    const std::string mail_from = "<" + m.from + ">";
    CURL* curl = t.curl;
    curl_easy_setopt(curl, CURLOPT_URL, c.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, t.recipients);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, t.mime);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_reply);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t.replies);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, c.timeout_ms);
    curl_easy_setopt(
        curl, CURLOPT_USE_SSL,
        c.require_starttls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!c.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, c.ca_file.c_str());
    if (!c.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, c.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c.password.c_str());
    }

    const CURLcode rc = curl_easy_perform(curl);
    long reply_code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply_code);
    if (rc != CURLE_OK) return core::fail(transfer_error(c, rc, reply_code, t));
    if (!t.replies.empty()) sent.server_reply = t.replies.back();
    return sent;
}

}  // namespace switchyard::adapters::email
