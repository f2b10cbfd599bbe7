#include "adapters/process/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace switchyard::adapters {

namespace {

int exit_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

core::Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                               const std::filesystem::path& log_file) {
    if (argv.empty()) return core::fail(core::Errc::Invalid, "argv", "no program to start");
    const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log < 0)
        return core::fail(core::Errc::Unavailable, argv[0],
                          "cannot open " + log_file.string() + ": " + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, log, 1);
    posix_spawn_file_actions_adddup2(&actions, log, 2);
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
    ::close(log);
    if (rc != 0)
        return core::fail(core::Errc::Unavailable, argv[0],
                          std::string("cannot start: ") + std::strerror(rc));
    ChildProcess child;
    child.pid_ = pid;
    return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = other.pid_;
        other.pid_ = -1;
    }
    return *this;
}

ChildProcess::~ChildProcess() { stop(); }

std::optional<int> ChildProcess::poll() {
    if (pid_ <= 0) return std::nullopt;
    int status = 0;
    const auto r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        pid_ = -1;
        return exit_status(status);
    }
    if (r < 0 && errno == ECHILD) {  // reaped elsewhere: it is gone
        pid_ = -1;
        return -1;
    }
    return std::nullopt;
}

std::optional<int> ChildProcess::stop(std::chrono::milliseconds grace) {
    if (pid_ <= 0) return std::nullopt;
    kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto status = poll()) return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(-pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return exit_status(status);
}

bool process_matches(pid_t pid, const std::string& needle) {
    if (pid <= 0) return false;
    // /proc files report size 0: read with read(2) until end of file.
    const int fd =
        ::open(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    std::string cmdline;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        cmdline.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    return cmdline.find(needle) != std::string::npos;
}

}  // namespace switchyard::adapters
