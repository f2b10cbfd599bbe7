#include "adapters/process/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace switchyard::adapters {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          int timeout_ms, std::size_t max_output) {
    ProcessResult out;
    if (argv.empty()) return out;
    const auto start = std::chrono::steady_clock::now();
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return out;
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        ::close(in_pipe[0]);
        ::close(in_pipe[1]);
        return out;
    }
    Fd in_read{in_pipe[0]}, in_write{in_pipe[1]}, out_read{out_pipe[0]}, out_write{out_pipe[1]};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_read.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, out_write.fd, 2);
    // Nothing else of ours reaches the child: sockets opened without O_CLOEXEC (Asio's accepted
    // connections, the listener) would otherwise outlive this process in it, holding players'
    // connections and the port open after a crash.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);  // serve blocks SIGINT/SIGTERM; children must not
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::string path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    std::string locale = "LC_ALL=C";
    char* env[] = {path.data(), locale.data(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), env);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    in_read.close();
    out_write.close();
    if (rc != 0) {
        out.output = std::string("cannot start ") + argv[0] + ": " + std::strerror(rc);
        return out;
    }
    // Input is small (keys, configuration): write it and close stdin.
    std::size_t written = 0;
    while (written < input.size()) {
        auto n = ::write(in_write.fd, input.data() + written, input.size() - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    in_write.close();

    const auto deadline = start + std::chrono::milliseconds(timeout_ms);
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            out.timed_out = true;
            kill(-pid, SIGKILL);
            break;
        }
        pollfd p{out_read.fd, POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        const auto n = ::read(out_read.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EOF: the program closed its output
        const auto keep = std::min<std::size_t>(
            static_cast<std::size_t>(n), max_output - std::min(max_output, out.output.size()));
        out.output.append(buf, keep);
        if (keep < static_cast<std::size_t>(n)) out.truncated = true;
    }
    // A program that closed its output may still run: wait for it up to the deadline.
    int status = 0;
    for (;;) {
        const auto r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) break;
        if (r == 0 && std::chrono::steady_clock::now() >= deadline) {
            out.timed_out = true;
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        if (r == 0) usleep(2000);
    }
    if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) out.exit_code = 128 + WTERMSIG(status);
    out.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    return out;
}

}  // namespace switchyard::adapters
