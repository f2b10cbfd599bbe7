#pragma once
// Real processes for integration tests: `switchyard serve`, `switchyard mock-kafka`, the CLI,
// and a small HTTP client (libcurl). Each process is stopped when its object dies.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <fmt/format.h>

namespace switchyard::testing {

namespace fs = std::filesystem;

struct Response {
    long status = 0;
    std::string body;
    std::string location;
};

inline std::size_t collect(char* d, std::size_t s, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(d, s * n);
    return s * n;
}

/// One request; a body is sent as `content_type` (JSON unless told otherwise). `status` is 0
/// when the server could not be reached or the connection broke.
inline Response http(const std::string& method, const std::string& url,
                     const std::string& body = {}, const std::string& key = {},
                     const std::string& content_type = "application/json") {
    Response r;
    CURL* c = curl_easy_init();
    curl_slist* h = nullptr;
    if (!key.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + key).c_str());
    if (!body.empty()) h = curl_slist_append(h, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (!body.empty()) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
        char* loc = nullptr;
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
        if (loc) r.location = loc;
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

/// Whole seconds since the Unix epoch, by the wall clock (the server's clock in these tests).
inline std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline int free_port() {
    // Bind port 0, read the port, close: the server binds it right after.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

/// `switchyard serve` as a child process.
struct Server {
    pid_t pid = -1;
    std::string base;
    Server(const fs::path& data_dir, int port, const std::string& log_url = {},
           std::vector<std::string> extra = {}) {
        base = fmt::format("http://127.0.0.1:{}", port);
        const auto log = (data_dir.parent_path() / "server.log").string();
        std::vector<std::string> args{SY_SWITCHYARD, "serve",
                                      "--data-dir",  data_dir.string(),
                                      "--listen",    fmt::format("127.0.0.1:{}", port)};
        if (!log_url.empty()) {
            args.push_back("--log");
            args.push_back(log_url);
        }
        args.insert(args.end(), extra.begin(), extra.end());
        pid = fork();
        if (pid == 0) {
            freopen(log.c_str(), "a", stdout);
            freopen(log.c_str(), "a", stderr);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(SY_SWITCHYARD, argv.data());
            _exit(127);
        }
        // Up to 60 s: on Kafka every module reads its topics to the end before serving, and
        // CI runs this beside other tests on 2 cores.
        for (int i = 0; i < 1'200; ++i) {
            if (http("GET", base + "/healthz").status == 200) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        // Not left running: the fixture that owns it is never built when its start fails.
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        pid = -1;
        FAIL("the server did not start; see ", log);
    }
    int stop() {
        if (pid <= 0) return -1;
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    ~Server() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
};

/// `switchyard mock-kafka` as a child process; its first stdout line is the bootstrap list.
struct MockKafka {
    pid_t pid = -1;
    std::string bootstrap;
    MockKafka() {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid = fork();
        if (pid == 0) {
            dup2(fds[1], 1);
            close(fds[0]);
            freopen("/dev/null", "w", stderr);
            execl(SY_SWITCHYARD, SY_SWITCHYARD, "mock-kafka", "--brokers", "3",
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fds[1]);
        char c;
        while (read(fds[0], &c, 1) == 1 && c != '\n') bootstrap += c;
        close(fds[0]);
        REQUIRE_FALSE(bootstrap.empty());
    }
    ~MockKafka() {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    }
};

inline int run(const std::string& command, std::string* out = nullptr) {
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    std::string text;
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) text.append(buf, n);
    if (out) *out = text;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// What the files say: URL -> (name, tvg-id).

}  // namespace switchyard::testing
