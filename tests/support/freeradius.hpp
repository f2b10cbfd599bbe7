#pragma once
/// A real FreeRADIUS 3.2 for tests: copies the shipped configuration (adapters/radius/raddb)
/// into a temporary directory, points rlm_rest's connect_uri at a given URL, binds auth and
/// acct to free loopback UDP ports, starts `freeradius -f` (foreground) and stops it by PID.
/// `radclient` sends requests to it. Nothing else of the configuration is changed, so a test
/// runs what operators run.
///
/// Tools: Debian `freeradius`, `freeradius-rest`, `freeradius-utils`. missing_tool() says
/// which is absent so the test can skip (tests/support/skip.hpp).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::testing {

/// What radclient printed (stdout and stderr) and its exit code.
struct RadclientResult {
    int exit_code = -1;
    std::string output;
    /// True when the output has `Received <code>`, e.g. code = "Access-Accept".
    bool received(const std::string& code) const {
        return output.find("Received " + code) != std::string::npos;
    }
};

namespace freeradius_detail {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

/// Replaces every match of `pattern` in the file with `replacement`; throws when none matched,
/// so a change to the shipped files that breaks the harness is loud.
inline void edit(const std::filesystem::path& p, const std::string& pattern,
                 const std::string& replacement) {
    const auto text = read_file(p);
    const std::regex re(pattern);
    if (!std::regex_search(text, re))
        throw std::runtime_error("freeradius harness: no " + pattern + " in " + p.string());
    write_file(p, std::regex_replace(text, re, replacement));
}

inline bool on_path(const std::string& tool) {
    return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

/// Runs a shell command, returning its exit code and combined output.
inline RadclientResult shell(const std::string& command) {
    RadclientResult r;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace freeradius_detail

/// A free UDP port on 127.0.0.1 (bound to port 0, read, closed).
inline int free_udp_port() {
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

/// The first of freeradius, radclient and the rlm_rest module that is missing, or nullopt.
inline std::optional<std::string> missing_freeradius_tool() {
    if (!freeradius_detail::on_path("freeradius")) return "freeradius (Debian freeradius)";
    if (!freeradius_detail::on_path("radclient")) return "radclient (Debian freeradius-utils)";
    if (!std::filesystem::exists("/usr/lib/freeradius/rlm_rest.so"))
        return "rlm_rest (Debian freeradius-rest)";
    return std::nullopt;
}

/// A FreeRADIUS process with the shipped configuration.
class FreeRadius {
  public:
    /// Copies `raddb` into `work_dir/raddb`, sets connect_uri, the ports and the log and run
    /// directories. Does not start it (start()).
    FreeRadius(const std::filesystem::path& raddb, const std::filesystem::path& work_dir,
               const std::string& connect_uri)
        : dir_(work_dir / "raddb"), log_(work_dir / "radiusd.log") {
        namespace fs = std::filesystem;
        fs::create_directories(dir_);
        fs::copy(raddb, dir_, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        auth_port_ = free_udp_port();
        acct_port_ = free_udp_port();
        while (acct_port_ == auth_port_) acct_port_ = free_udp_port();
        using freeradius_detail::edit;
        edit(dir_ / "radiusd.conf", "\nlogdir = [^\n]*", "\nlogdir = " + work_dir.string());
        edit(dir_ / "radiusd.conf", "\nrun_dir = [^\n]*", "\nrun_dir = " + work_dir.string());
        edit(dir_ / "mods-enabled/rest", "connect_uri = \"[^\"]*\"",
             "connect_uri = \"" + connect_uri + "\"");
        const auto site = dir_ / "sites-enabled/switchyard";
        edit(site, "ipaddr = \\*", "ipaddr = 127.0.0.1");
        edit(site, "port = 1812", "port = " + std::to_string(auth_port_));
        edit(site, "port = 1813", "port = " + std::to_string(acct_port_));
    }
    FreeRadius(const FreeRadius&) = delete;
    FreeRadius& operator=(const FreeRadius&) = delete;
    ~FreeRadius() { stop(); }

    /// `freeradius -XC`: checks the configuration without starting. Returns its output when it
    /// fails, nullopt when the configuration is OK.
    std::optional<std::string> check() const {
        auto r = freeradius_detail::shell("freeradius -XC -d '" + dir_.string() + "'");
        if (r.exit_code == 0) return std::nullopt;
        return r.output;
    }

    /// Starts `freeradius -f -l stdout -d <dir>` and waits (up to `wait`) until it answers a
    /// Status-Server on the auth port. @returns false when it did not (see log()).
    bool start(std::chrono::milliseconds wait = std::chrono::seconds(20)) {
        std::fflush(stdout);
        std::fflush(stderr);
        pid_ = ::fork();
        if (pid_ == 0) {
            std::freopen(log_.c_str(), "a", stdout);
            std::freopen(log_.c_str(), "a", stderr);
            const std::string dir = dir_.string();
            ::execlp("freeradius", "freeradius", "-f", "-l", "stdout", "-d", dir.c_str(),
                     static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto until = std::chrono::steady_clock::now() + wait;
        while (std::chrono::steady_clock::now() < until) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return false;
            }
            if (radclient("Message-Authenticator = 0x00", "status", 1).received("Access-Accept"))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        stop();
        return false;
    }

    /// Stops it (SIGTERM, then SIGKILL after 5 s) by its PID.
    void stop() {
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

    /// Sends one request with radclient: `attributes` in radclient's text form
    /// (`User-Name = bob, User-Password = x`), `type` = auth, acct or status (acct goes to
    /// the acct port), shared secret testing123 (clients.conf localhost).
    RadclientResult radclient(const std::string& attributes, const std::string& type = "auth",
                              int timeout_s = 3) const {
        const int port = type == "acct" ? acct_port_ : auth_port_;
        std::string quoted;
        for (char c : attributes) {
            if (c == '\'')
                quoted += "'\\''";
            else
                quoted += c;
        }
        return freeradius_detail::shell(
            "printf '%s\\n' '" + quoted + "' | radclient -x -r 1 -t " + std::to_string(timeout_s) +
            " 127.0.0.1:" + std::to_string(port) + " " + type + " testing123");
    }

    int auth_port() const { return auth_port_; }
    int acct_port() const { return acct_port_; }
    const std::filesystem::path& dir() const { return dir_; }
    /// What FreeRADIUS logged.
    std::string log() const { return freeradius_detail::read_file(log_); }

  private:
    std::filesystem::path dir_;
    std::filesystem::path log_;
    int auth_port_ = 0;
    int acct_port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace switchyard::testing
