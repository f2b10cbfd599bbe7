#include "tests/support/smtp_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "adapters/process/process.hpp"
#include "core/base64.hpp"
#include "tests/support/wait_until.hpp"

namespace switchyard::testing {

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Stores message N as N.eml (the DATA bytes, dot-unstuffed) and N.envelope (MAIL FROM, then
// one RCPT TO a line); N.eml appears last, by rename, so a reader never sees half a message.
constexpr const char* kServerScript = R"PY(
import asyncio, os, sys
from aiosmtpd.smtp import SMTP

class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".envelope", "w") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Stored as message %d" % self.count

async def main():
    store = Store(sys.argv[1])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(store, hostname="smtp.test"), "127.0.0.1", 0)
    print("listening on port %d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
)PY";

// Prints one `key<TAB>value` line per header and one per leaf MIME part: its type, filename
// (or -) and its decoded bytes in base64. Defects are the parser's complaints.
constexpr const char* kInspectScript = R"PY(
import base64, email, sys
from email import policy
from email.utils import parsedate_to_datetime
with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=policy.default)
lines = []
def put(key, value):
    lines.append("%s\t%s" % (key, value))
put("subject", str(msg["Subject"]))
put("from_name", msg["From"].addresses[0].display_name)
put("from_addr", msg["From"].addresses[0].addr_spec)
put("to", ",".join(a.addr_spec for a in msg["To"].addresses))
put("message_id", str(msg["Message-ID"]))
put("mime_version", str(msg["MIME-Version"]))
put("date_unix", int(parsedate_to_datetime(str(msg["Date"])).timestamp()))
put("type", msg.get_content_type())
defects = 0
for part in msg.walk():
    defects += len(part.defects)
    if part.is_multipart():
        put("multipart", part.get_content_type())
        continue
    payload = base64.b64encode(part.get_payload(decode=True)).decode()
    put("part", "%s %s %s" % (part.get_content_type(), part.get_filename() or "-", payload))
put("defects", defects)
sys.stdout.buffer.write(("\n".join(lines) + "\n").encode("utf-8"))
)PY";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

/// Debian's python3 when it has aiosmtpd (a pyenv python3 first on PATH may not); empty when
/// none has.
std::string python_with_aiosmtpd() {
    for (const char* python : {"/usr/bin/python3", "python3"}) {
        const auto r = adapters::run_process({python, "-c", "import aiosmtpd"}, "", 20'000, 4096);
        if (r.exit_code == 0) return python;
    }
    return {};
}

SmtpServer::SmtpServer(const std::string& python) : python_(python) {
    fs::create_directory(mail_dir());
    write_file(dir_.path() / "server.py", kServerScript);
    write_file(dir_.path() / "dump_mail.py", kInspectScript);
    const auto log = dir_.path() / "server.log";
    auto child = adapters::ChildProcess::start(
        {python_, "-u", (dir_.path() / "server.py").string(), mail_dir().string()}, log);
    REQUIRE_MESSAGE(child, (child ? "" : child.error().message));
    child_ = std::move(*child);
    const std::regex listening(R"(listening on port (\d+))");
    const bool up = wait_until(
        [&] {
            std::smatch m;
            const auto text = slurp(log);
            if (std::regex_search(text, m, listening)) port_ = std::stoi(m[1].str());
            return port_ > 0 || child_.poll().has_value();  // listening, or gone
        },
        milliseconds(20'000), milliseconds(25));
    REQUIRE_MESSAGE((up && port_ > 0), ("aiosmtpd did not start: " + slurp(log)));
}

adapters::email::SmtpConfig SmtpServer::config() const {
    adapters::email::SmtpConfig c;
    c.url = "smtp://127.0.0.1:" + std::to_string(port_);
    c.timeout_ms = 10'000;
    return c;
}

std::string SmtpServer::message(int n) const {
    const auto path = mail_dir() / (std::to_string(n) + ".eml");
    REQUIRE(wait_until([&] { return fs::exists(path); }, milliseconds(10'000)));
    return slurp(path);
}

std::string SmtpServer::envelope(int n) const {
    return slurp(mail_dir() / (std::to_string(n) + ".envelope"));
}

int SmtpServer::count() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(mail_dir()))
        if (e.path().extension() == ".eml") ++n;
    return n;
}

std::multimap<std::string, std::string> SmtpServer::inspect(int n) const {
    message(n);
    const auto r = adapters::run_process({python_, (dir_.path() / "dump_mail.py").string(),
                                          (mail_dir() / (std::to_string(n) + ".eml")).string()},
                                         "", 20'000, 16 << 20);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    std::multimap<std::string, std::string> out;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos) out.emplace(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
}

std::string one(const std::multimap<std::string, std::string>& m, const std::string& key) {
    const auto [first, last] = m.equal_range(key);
    REQUIRE_MESSAGE(std::distance(first, last) == 1, "expected one ", key);
    return first->second;
}

std::vector<MailPart> mail_parts(const std::multimap<std::string, std::string>& m) {
    std::vector<MailPart> out;
    const auto [first, last] = m.equal_range("part");
    for (auto it = first; it != last; ++it) {
        std::istringstream fields(it->second);
        MailPart p;
        std::string b64;
        fields >> p.type >> p.filename >> b64;
        const auto bytes = core::base64_decode(b64);
        REQUIRE_MESSAGE(bytes, "not base64: ", b64);
        p.bytes = *bytes;
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace switchyard::testing
