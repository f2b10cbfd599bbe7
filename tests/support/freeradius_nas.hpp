#pragma once
/// A FreeRADIUS 3.2 playing a NAS's Dynamic Authorization listener (RFC 5176) for the tests of
/// the Disconnect/CoA client and the enforcer: started on a free loopback UDP port in a
/// directory, it records every request it receives (a `detail` file), answers ACK, NAK with
/// Error-Cause 503 for User-Name `gone`, and nothing for `silent`. Stopped by PID.
///
/// Shared by the tests (tests/adapters/radius) and the enforcement bench
/// (bench/hotspot_enforcement_bench.cpp, with FakeNasOptions::for_bench()): it needs no test
/// framework, and a listener that does not start throws std::runtime_error with the log.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "adapters/radius/dae_client.hpp"

namespace switchyard::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// The freeradius binary; SY_FREERADIUS overrides it (to check the skip path, for example).
inline const char* freeradius_binary() {
    const char* env = std::getenv("SY_FREERADIUS");
    return env ? env : "/usr/sbin/freeradius";
}
inline const char* const kSecret = "s3cret-for-the-nas";

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

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

/// One request as the detail module wrote it: attribute name -> printed values.
struct Received {
    std::multimap<std::string, std::string> attributes;
    std::string get(const std::string& name) const {
        const auto it = attributes.find(name);
        return it == attributes.end() ? std::string() : it->second;
    }
};

/// Parses rlm_detail output: a date line, then "\tName = value" lines, then a blank line.
inline std::vector<Received> read_detail(const fs::path& file) {
    std::vector<Received> out;
    std::istringstream in(slurp(file));
    std::string line;
    Received current;
    bool open = false;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (open) out.push_back(current);
            current = {};
            open = false;
            continue;
        }
        if (line[0] != '\t') {
            open = true;  // the date header of a new record
            continue;
        }
        const auto eq = line.find(" = ");
        if (eq == std::string::npos) continue;
        std::string value = line.substr(eq + 3);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        current.attributes.emplace(line.substr(1, eq - 1), value);
    }
    if (open) out.push_back(current);
    return out;
}

/// How the listener runs.
struct FakeNasOptions {
    /// FreeRADIUS in debug mode (`-X`: one thread, every packet in the log) or not (`-f`).
    /// Default: true.
    bool debug = true;
    /// Record every request in `received.detail` (received()). Default: true.
    bool record = true;
    /// The thread pool's max_servers (start_servers is half of it, at least 1). Default: 2.
    int max_servers = 2;
    /// The bench's listener: not in debug mode, nothing recorded, 8 threads, so that the
    /// listener is not what is measured.
    static FakeNasOptions for_bench() { return {false, false, 8}; }
};

/// A FreeRADIUS 3.2 playing the NAS's Dynamic Authorization listener.
class FakeNas {
  public:
    /// Starts it (within 15 s) on a free loopback UDP port, its files in `dir`.
    /// @throws std::runtime_error with the FreeRADIUS log when it exits or does not start.
    explicit FakeNas(const fs::path& dir, FakeNasOptions options = {})
        : dir_(dir), port_(free_udp_port()) {
        const auto servers = std::max(1, options.max_servers);
        std::ofstream(dir_ / "radiusd.conf") << fmt::format(
            R"(prefix = /usr
confdir = {dir}
logdir = {dir}
run_dir = {dir}
libdir = /usr/lib/freeradius
pidfile = {dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {{
	destination = stdout
}}
security {{
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}}
client switchyard {{
	ipaddr = 127.0.0.1
	secret = {secret}
}}
thread pool {{
	start_servers = {start}
	max_servers = {servers}
	min_spare_servers = 1
	max_spare_servers = {servers}
}}
modules {{
	always ok {{
		rcode = ok
	}}
	always reject {{
		rcode = reject
	}}
	always handled {{
		rcode = handled
	}}
	detail received {{
		filename = {dir}/received.detail
		escape_filenames = no
		permissions = 0600
		header = "%t"
	}}
}}
listen {{
	type = coa
	ipaddr = 127.0.0.1
	port = {port}
	virtual_server = nas
}}
server nas {{
	recv-coa {{
		{received}
		if (&User-Name == "silent") {{
			update control {{
				&Response-Packet-Type := Do-Not-Respond
			}}
			handled
		}}
		elsif (&User-Name == "gone") {{
			update reply {{
				&Error-Cause := Session-Context-Not-Found
			}}
			reject
		}}
		else {{
			ok
		}}
	}}
	send-coa {{
		ok
	}}
}}
)",
            fmt::arg("dir", dir_.string()), fmt::arg("secret", kSecret), fmt::arg("port", port_),
            fmt::arg("start", std::max(1, servers / 2)), fmt::arg("servers", servers),
            fmt::arg("received", options.record ? "received" : ""));
        const auto log = (dir_ / "freeradius.log").string();
        std::fflush(stdout);
        std::fflush(stderr);
        pid_ = ::fork();
        if (pid_ == 0) {
            if (!std::freopen(log.c_str(), "a", stdout) ||
                !std::freopen(log.c_str(), "a", stderr)) {
                _exit(126);
            }
            ::setenv("TZ", "UTC", 1);
            if (options.debug)
                ::execl(freeradius_binary(), freeradius_binary(), "-X", "-d", dir_.c_str(), "-n",
                        "radiusd", static_cast<char*>(nullptr));
            else
                ::execl(freeradius_binary(), freeradius_binary(), "-f", "-l", "stdout", "-d",
                        dir_.c_str(), "-n", "radiusd", static_cast<char*>(nullptr));
            _exit(127);
        }
        for (int i = 0; i < 300; ++i) {
            if (slurp(log).find("Ready to process requests") != std::string::npos) return;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("freeradius exited at start; see " + log + ":\n" +
                                         slurp(log));
            }
            std::this_thread::sleep_for(50ms);
        }
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        throw std::runtime_error("freeradius did not start in 15 s; see " + log);
    }
    ~FakeNas() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    FakeNas(const FakeNas&) = delete;
    FakeNas& operator=(const FakeNas&) = delete;

    std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
    adapters::radius::DaeTarget target(const std::string& secret = kSecret) const {
        return {"127.0.0.1", port(), secret};
    }
    std::vector<Received> received() const { return read_detail(dir_ / "received.detail"); }
    std::string log() const { return slurp(dir_ / "freeradius.log"); }

  private:
    fs::path dir_;
    int port_;
    pid_t pid_ = -1;
};

}  // namespace switchyard::testing
