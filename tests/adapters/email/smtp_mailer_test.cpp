// send_mail against a real SMTP server on loopback: aiosmtpd (Debian python3-aiosmtpd) with a
// small handler that stores each message's raw bytes and envelope, and refuses recipients
// named nobody@. Python's email package then parses what arrived, as a mail client would.

#include "adapters/email/smtp_mailer.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/process/child_process.hpp"
#include "adapters/process/process.hpp"
#include "core/base64.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/smtp_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

namespace {

namespace fs = std::filesystem;
using namespace switchyard::testing;
using namespace switchyard::adapters::email;
using std::chrono::milliseconds;
using switchyard::core::Errc;

/// A loopback port nothing listens on: bound by the kernel's choice, then closed.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::string lf_lines(const std::string& text) {
    return std::regex_replace(text, std::regex("\r\n"), "\n");
}

/// A PDF-looking file with every byte value, NUL and 0xFF among them, and an SMTP end of data.
std::string pdfish_bytes() {
    std::string bytes = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    bytes += std::string("\0\xff\0\xff", 4);
    bytes += "\r\n.\r\nQUIT\r\n";
    for (int i = 0; i < 3000; ++i) bytes += static_cast<char>((i * 7919) % 256);
    bytes += "%%EOF";
    return bytes;
}

MailMessage invoice() {
    MailMessage m;
    m.from = "billing@example.net";
    m.from_name = "Zoë Rechnungsstelle — Straße 5";
    m.to = {"alice@example.org", "bob@example.com"};
    m.subject =
        "Rechnung Nr. 42 für März 2026 ✓ Grüße aus Köln 😀 — bitte bis zum 15. "
        "überweisen, danke schön";
    m.text = "Hallo Zoë,\n\nanbei die Rechnung.\n.a line starting with a dot\n" +
             std::string(1500, 'x') + "\nGrüße\n";
    m.html = "<p>Hallo Zoë,</p><p>anbei die <b>Rechnung</b>.</p>";
    m.attachments.push_back({"invoice-42.pdf", "application/pdf", pdfish_bytes()});
    return m;
}

}  // namespace

TEST_CASE("a message with a UTF-8 subject, text, html and a binary attachment arrives intact") {
    const auto python = python_with_aiosmtpd();
    if (python.empty()) {
        switchyard::testing::skip("no python3 with aiosmtpd (Debian python3-aiosmtpd)");
        return;
    }
    SmtpServer server(python);
    const auto m = invoice();
    const auto before = std::chrono::system_clock::now();
    const auto sent = send_mail(server.config(), m);
    REQUIRE_MESSAGE(sent, (sent ? "" : sent.error().message));
    CHECK(sent->server_reply == "250 2.0.0 Stored as message 1");
    CHECK(std::regex_match(sent->message_id, std::regex("<[0-9a-f]{32}@example\\.net>")));

    CHECK(server.envelope(1) == "billing@example.net\nalice@example.org\nbob@example.com\n");
    const auto raw = server.message(1);
    CHECK(raw.find("\r\nSubject: =?UTF-8?B?") != std::string::npos);
    CHECK(raw.find("\r\nMessage-ID: " + sent->message_id + "\r\n") != std::string::npos);
    std::istringstream raw_lines(raw);
    for (std::string line; std::getline(raw_lines, line);) {
        CHECK(line.size() <= 998);  // RFC 5322 2.1.1
        CHECK(line.find('\0') == std::string::npos);
    }

    const auto got = server.inspect(1);
    CHECK(one(got, "subject") == m.subject);
    CHECK(one(got, "from_name") == m.from_name);
    CHECK(one(got, "from_addr") == "billing@example.net");
    CHECK(one(got, "to") == "alice@example.org,bob@example.com");
    CHECK(one(got, "message_id") == sent->message_id);
    CHECK(one(got, "mime_version") == "1.0");
    const auto date = std::stoll(one(got, "date_unix"));
    const auto now_s = [](auto t) {
        return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    };
    CHECK(date >= now_s(before) - 1);
    CHECK(date <= now_s(std::chrono::system_clock::now()) + 1);
    CHECK(one(got, "type") == "multipart/mixed");
    const auto [first, last] = got.equal_range("multipart");
    std::vector<std::string> multiparts;
    for (auto it = first; it != last; ++it) multiparts.push_back(it->second);
    CHECK(multiparts == std::vector<std::string>{"multipart/mixed", "multipart/alternative"});
    CHECK(one(got, "defects") == "0");

    const auto leaves = mail_parts(got);
    REQUIRE(leaves.size() == 3);
    CHECK(leaves[0].type == "text/plain");
    CHECK(lf_lines(leaves[0].bytes) == m.text);
    CHECK(leaves[1].type == "text/html");
    CHECK(lf_lines(leaves[1].bytes) == m.html);
    CHECK(leaves[2].type == "application/pdf");
    CHECK(leaves[2].filename == "invoice-42.pdf");
    CHECK(leaves[2].bytes.size() == m.attachments[0].bytes.size());
    CHECK(leaves[2].bytes == m.attachments[0].bytes);
}

TEST_CASE("a plain ASCII message keeps its headers readable and its given Message-ID") {
    const auto python = python_with_aiosmtpd();
    if (python.empty()) {
        switchyard::testing::skip("no python3 with aiosmtpd (Debian python3-aiosmtpd)");
        return;
    }
    SmtpServer server(python);
    MailMessage m;
    m.from = "noc@example.net";
    m.from_name = "Switchyard \"NOC\"";
    for (int i = 0; i < 12; ++i) m.to.push_back("operator" + std::to_string(i) + "@example.org");
    m.subject = "Invoice 42";
    m.text = "Line one\r\nLine two\rLine three\n";
    m.message_id = "<invoice-42.7@billing.example.net>";
    const auto sent = send_mail(server.config(), m);
    REQUIRE_MESSAGE(sent, (sent ? "" : sent.error().message));
    CHECK(sent->message_id == m.message_id);

    const auto raw = server.message(1);
    CHECK(raw.find("\r\nSubject: Invoice 42\r\n") != std::string::npos);
    CHECK(raw.find("\r\nFrom: \"Switchyard \\\"NOC\\\"\" <noc@example.net>\r\n") !=
          std::string::npos);
    const auto got = server.inspect(1);
    CHECK(one(got, "subject") == "Invoice 42");
    CHECK(one(got, "from_name") == "Switchyard \"NOC\"");
    std::string all_to;
    for (const auto& t : m.to) all_to += (all_to.empty() ? "" : ",") + t;
    CHECK(one(got, "to") == all_to);
    CHECK(one(got, "message_id") == m.message_id);
    CHECK(one(got, "defects") == "0");
    const auto leaves = mail_parts(got);
    REQUIRE(leaves.size() == 1);
    CHECK(leaves[0].type == "text/plain");
    CHECK(lf_lines(leaves[0].bytes) == "Line one\nLine two\nLine three\n");
    CHECK(raw.find("\r\n\r\nLine one\r\nLine two\r\nLine three\r\n") != std::string::npos);
}

TEST_CASE("a recipient the server refuses fails the send as Rejected naming smtp") {
    const auto python = python_with_aiosmtpd();
    if (python.empty()) {
        switchyard::testing::skip("no python3 with aiosmtpd (Debian python3-aiosmtpd)");
        return;
    }
    SmtpServer server(python);
    auto m = invoice();
    m.to = {"alice@example.org", "nobody@example.org"};
    const auto sent = send_mail(server.config(), m);
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == Errc::Rejected);
    CHECK(sent.error().field == "smtp");
    CHECK(sent.error().message.find("550 5.1.1 No such mailbox here") != std::string::npos);
    // Nothing was delivered, and the server still takes the next message.
    m.to = {"alice@example.org"};
    const auto next = send_mail(server.config(), m);
    REQUIRE_MESSAGE(next, (next ? "" : next.error().message));
    CHECK(next->server_reply == "250 2.0.0 Stored as message 1");
}

TEST_CASE("an unreachable server gives Unavailable naming smtp, not a crash") {
    SmtpConfig c;
    c.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
    c.timeout_ms = 5'000;
    const auto sent = send_mail(c, invoice());
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == Errc::Unavailable);
    CHECK(sent.error().field == "smtp");
    CHECK(sent.error().message.find(c.url) != std::string::npos);
    CHECK_FALSE(sent.error().message.empty());
}

TEST_CASE("bad input is refused naming the field, before any connection") {
    SmtpConfig c;
    c.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
    const auto refused = [&](const MailMessage& m) {
        CHECK(check_mail(m).error().code == Errc::Invalid);
        const auto sent = send_mail(c, m);
        REQUIRE_FALSE(sent);
        CHECK(sent.error().code == Errc::Invalid);
        return sent.error().field;
    };
    CHECK(check_mail(invoice()));

    auto m = invoice();
    m.subject = "Invoice\r\nBcc: everyone@example.org";
    CHECK(refused(m) == "subject");
    m.subject = "Invoice\nBcc: everyone@example.org";
    CHECK(refused(m) == "subject");
    m.subject = "";
    CHECK(refused(m) == "subject");
    m.subject = "bad UTF-8 \xc3";
    CHECK(refused(m) == "subject");

    m = invoice();
    m.to = {"alice@example.org", "bob example.org"};
    CHECK(refused(m) == "to[1]");
    m.to = {"alice@example.org", "<bob@example.org>"};
    CHECK(refused(m) == "to[1]");
    m.to = {"a@b@example.org"};
    CHECK(refused(m) == "to[0]");
    m.to = {"bob@example.org\r\nRCPT TO:<x@y>"};
    CHECK(refused(m) == "to[0]");
    m.to = {std::string(250, 'a') + "@example.org"};
    CHECK(refused(m) == "to[0]");
    m.to = {};
    CHECK(refused(m) == "to");
    m.to = std::vector<std::string>(kMaxRecipients + 1, "alice@example.org");
    CHECK(refused(m) == "to");

    m = invoice();
    m.from = "billing";
    CHECK(refused(m) == "from");
    m = invoice();
    m.from_name = "Billing\r\nX-Evil: 1";
    CHECK(refused(m) == "from_name");
    m = invoice();
    m.text = "";
    CHECK(refused(m) == "text");
    m = invoice();
    m.attachments.push_back({"a\"b.pdf", "application/pdf", "x"});
    CHECK(refused(m) == "attachments[1].filename");
    m = invoice();
    m.attachments[0].content_type = "application/pdf\r\nX-Evil: 1";
    CHECK(refused(m) == "attachments[0].content_type");
    m = invoice();
    m.message_id = "no-angle-brackets@example.net";
    CHECK(refused(m) == "message_id");
}

TEST_CASE("a config that is not smtp or smtps, or carries credentials in its URL, is refused") {
    SmtpConfig c;
    c.url = "http://127.0.0.1:25";
    CHECK(check_config(c).error().field == "url");
    c.url = "smtp://user:secret@mail.example.net:587";
    CHECK(check_config(c).error().field == "url");
    c.url = "smtp://";
    CHECK(check_config(c).error().field == "url");
    c.url = "smtps://mail.example.net:465";
    CHECK(check_config(c));
    c.timeout_ms = 0;
    CHECK(check_config(c).error().field == "timeout_ms");
    const auto sent = send_mail(c, invoice());
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == Errc::Invalid);
}
