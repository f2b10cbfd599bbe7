#pragma once
/// A real SMTP server for tests: aiosmtpd (Debian python3-aiosmtpd) on a loopback port the
/// kernel picks, with a small handler that stores each message's raw bytes and envelope and
/// refuses recipients named nobody@; Python's email package parses what arrived, as a mail
/// client would. Stopped when the object dies.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "adapters/email/smtp_mailer.hpp"
#include "adapters/process/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::testing {

/// Debian's python3 when it has aiosmtpd (a pyenv python3 first on PATH may not); empty when
/// none has.
std::string python_with_aiosmtpd();

class SmtpServer {
  public:
    /// Starts the server with `python` (python_with_aiosmtpd). REQUIREs that it listens.
    explicit SmtpServer(const std::string& python);

    /// How send_mail reaches it (smtp://127.0.0.1:<port>, no TLS, no AUTH).
    adapters::email::SmtpConfig config() const;
    std::filesystem::path mail_dir() const { return dir_.path() / "mail"; }
    /// The raw bytes of message `n` (1-based), waiting up to 10 s for it to arrive.
    std::string message(int n) const;
    /// MAIL FROM, then the accepted RCPT TO addresses, one a line.
    std::string envelope(int n) const;
    /// How many messages arrived so far.
    int count() const;
    /// What Python's email parser says of message `n`: `subject`, `from_name`, `from_addr`,
    /// `to`, `message_id`, `mime_version`, `date_unix`, `type`, `multipart` (each container),
    /// `part` (each leaf: `<type> <filename or -> <base64 of its decoded bytes>`), `defects`.
    std::multimap<std::string, std::string> inspect(int n) const;

  private:
    std::string python_;
    TempDir dir_;
    adapters::ChildProcess child_;
    int port_ = 0;
};

/// The one value of `key` in `m` (REQUIREs exactly one).
std::string one(const std::multimap<std::string, std::string>& m, const std::string& key);

/// A leaf MIME part as SmtpServer::inspect prints it, decoded.
struct MailPart {
    std::string type;
    std::string filename;  ///< `-` when none.
    std::string bytes;
};
std::vector<MailPart> mail_parts(const std::multimap<std::string, std::string>& m);

}  // namespace switchyard::testing
