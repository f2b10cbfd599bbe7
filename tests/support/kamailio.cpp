#include "tests/support/kamailio.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace switchyard::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* kModules = "/usr/lib/x86_64-linux-gnu/kamailio/modules";

bool on_path(const std::string& tool) {
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

/// Sends an OPTIONS to 127.0.0.1:port and waits up to 300 ms for any reply.
bool answers_options(int port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return false;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    const int me = ntohs(local.sin_port);
    const std::string msg = "OPTIONS sip:ping@127.0.0.1:" + std::to_string(port) +
                            " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + std::to_string(me) +
                            ";branch=z9hG4bK-probe" + std::to_string(me) +
                            "\r\nMax-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: "
                            "<sip:ping@127.0.0.1>\r\nCall-ID: probe-" +
                            std::to_string(me) +
                            "@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    pollfd p{fd, POLLIN, 0};
    bool ok = false;
    if (::poll(&p, 1, 300) == 1) {
        char buf[2048];
        ok = ::recv(fd, buf, sizeof buf, 0) > 0;
    }
    ::close(fd);
    return ok;
}

}  // namespace

int free_sip_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::optional<std::string> missing_kamailio() {
    if (!on_path("kamailio")) return "kamailio (Debian kamailio)";
    for (const char* m : {"rtjson", "dialog", "async", "mqueue", "rtimer", "jsonrpcs", "uac"})
        if (!fs::exists(fs::path(kModules) / (std::string(m) + ".so")))
            return std::string(m) + ".so (Debian kamailio)";
    if (!fs::exists(fs::path(kModules) / "http_client.so"))
        return "http_client.so (Debian kamailio-utils-modules)";
    if (!fs::exists(fs::path(kModules) / "jansson.so"))
        return "jansson.so (Debian kamailio-extra-modules)";
    return std::nullopt;
}

Kamailio::Kamailio(const fs::path& cfg, const fs::path& work_dir, std::string switchyard_base)
    : cfg_(cfg),
      dir_(work_dir),
      log_(work_dir / "kamailio.log"),
      base_(std::move(switchyard_base)) {
    fs::create_directories(dir_ / "run");
    port_ = free_sip_port();
}

Kamailio::~Kamailio() { stop(); }

std::vector<std::string> Kamailio::args(bool check_only) const {
    std::vector<std::string> a{"kamailio"};
    if (check_only)
        a.push_back("-c");
    else
        for (const char* s : {"-DD", "-E"}) a.emplace_back(s);
    a.insert(a.end(), {"-f", cfg_.string(), "-w", dir_.string(), "-Y", (dir_ / "run").string(),
                       "-P", (dir_ / "run" / "kamailio.pid").string(), "-m", "256", "-M", "8"});
    a.insert(a.end(), {"-A", "SY_LISTEN=udp:127.0.0.1:" + std::to_string(port_), "-A",
                       "SWITCHYARD_HTTPCON=\"sy=>" + base_ + "\""});
    auto given = [&](const std::string& name) {
        for (const auto& d : defines_)
            if (d.starts_with(name + "=")) return true;
        return false;
    };
    // Two workers of each kind unless the test says otherwise (the tests run few calls).
    for (const char* name : {"SY_CHILDREN", "SY_ASYNC_WORKERS"})
        if (!given(name)) a.insert(a.end(), {"-A", std::string(name) + "=2"});
    for (const auto& d : defines_) a.insert(a.end(), {"-A", d});
    return a;
}

std::optional<std::string> Kamailio::check() const {
    std::string command;
    for (const auto& a : args(true)) command += "'" + a + "' ";
    FILE* p = ::popen((command + "2>&1").c_str(), "r");
    if (!p) return "popen failed";
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::nullopt;
    return out;
}

bool Kamailio::start(std::chrono::milliseconds wait) {
    const auto argv_text = args(false);
    std::fflush(stdout);
    std::fflush(stderr);
    pid_ = ::fork();
    if (pid_ == 0) {
        std::freopen(log_.c_str(), "a", stdout);
        std::freopen(log_.c_str(), "a", stderr);
        // Inherit none of the test's descriptors (its HTTP server's listening socket above all:
        // a child holding it keeps the port bound after the server stopped).
        for (int fd = 3, max = static_cast<int>(::sysconf(_SC_OPEN_MAX)); fd < max && fd < 65536;
             ++fd)
            ::close(fd);
        std::vector<char*> argv;
        for (const auto& a : argv_text) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execvp("kamailio", argv.data());
        ::_exit(127);
    }
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (answers_options(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop();
    return false;
}

void Kamailio::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

std::string Kamailio::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string Kamailio::log() const {
    std::ifstream in(log_, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace switchyard::testing
