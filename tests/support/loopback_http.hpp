#pragma once
/// A real HTTP server on loopback for tests: `python3 -m http.server` serving a temporary
/// folder, on a port the kernel picks (read back from its first line), stopped by its process
/// id and restartable on the same port.

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "adapters/process/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::testing {

class LoopbackHttpServer {
  public:
    /// Starts on a free port (0) and waits until it listens.
    LoopbackHttpServer() { start(0); }
    ~LoopbackHttpServer() { stop(); }

    int port() const { return port_; }
    /// The pid of the running server; -1 when stopped.
    pid_t pid() const { return child_.pid(); }
    /// Stops the server by its pid (SIGTERM to its process group).
    void stop() { child_.stop(std::chrono::milliseconds(2000)); }
    /// Starts it again on the same port.
    void restart() { start(port_); }

  private:
    void start(int port) {
        const auto log = (dir_.path() / ("http-" + std::to_string(++starts_) + ".log")).string();
        auto child = adapters::ChildProcess::start(
            {"python3", "-u", "-m", "http.server", std::to_string(port), "--bind", "127.0.0.1",
             "--directory", dir_.path().string()},
            log);
        REQUIRE_MESSAGE(child, (child ? "" : child.error().message));
        child_ = std::move(*child);
        const std::regex listening(R"(port (\d+))");
        for (int i = 0; i < 200; ++i) {
            std::ifstream in(log);
            std::stringstream text;
            text << in.rdbuf();
            std::smatch m;
            const auto s = text.str();
            if (std::regex_search(s, m, listening)) {
                port_ = std::stoi(m[1].str());
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        FAIL("python3 -m http.server did not start");
    }

    TempDir dir_;
    adapters::ChildProcess child_;
    int port_ = 0;
    int starts_ = 0;
};

}  // namespace switchyard::testing
