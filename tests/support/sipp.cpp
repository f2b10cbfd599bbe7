#include "tests/support/sipp.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace switchyard::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep)) out.push_back(cell);
    return out;
}

std::atomic<int> counter{0};

}  // namespace

std::optional<std::string> missing_sipp() {
    if (std::system("command -v sipp >/dev/null 2>&1") != 0) return "sipp (Debian sip-tester)";
    return std::nullopt;
}

fs::path sipp_scenarios() { return fs::path(SY_SOURCE_DIR) / "adapters" / "kamailio" / "sipp"; }

Sipp::Sipp(const fs::path& work_dir, const std::string& scenario, std::vector<std::string> args)
    : name_(scenario) {
    dir_ = work_dir /
           ("sipp-" + std::to_string(++counter) + "-" + scenario.substr(0, scenario.find('.')));
    fs::create_directories(dir_);
    out_ = dir_ / "output.txt";
    argv_ = {"sipp",
             "-sf",
             (sipp_scenarios() / scenario).string(),
             "-nostdin",
             "-trace_stat",
             "-stf",
             (dir_ / "stat.csv").string(),
             "-fd",
             "1",
             "-trace_rtt",
             "-rtt_freq",
             "1"};
    argv_.insert(argv_.end(), args.begin(), args.end());
}

Sipp::~Sipp() { stop(); }

void Sipp::start() {
    std::fflush(stdout);
    std::fflush(stderr);
    pid_ = ::fork();
    if (pid_ == 0) {
        if (::chdir(dir_.c_str()) != 0) ::_exit(126);
        std::freopen(out_.c_str(), "a", stdout);
        std::freopen(out_.c_str(), "a", stderr);
        // Inherit none of the test's descriptors (its HTTP server's listening socket above all:
        // a child holding it keeps the port bound after the server stopped).
        for (int fd = 3, max = static_cast<int>(::sysconf(_SC_OPEN_MAX)); fd < max && fd < 65536;
             ++fd)
            ::close(fd);
        std::vector<char*> argv;
        for (auto& a : argv_) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execvp("sipp", argv.data());
        ::_exit(127);
    }
}

int Sipp::wait(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return -1;
}

int Sipp::run(std::chrono::milliseconds limit) {
    start();
    return wait(limit);
}

void Sipp::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

std::string Sipp::output() const { return slurp(out_); }

std::string Sipp::file(const std::string& name) const { return slurp(dir_ / name); }

std::string Sipp::errors(std::size_t limit) const {
    std::string out;
    for (const auto& entry : fs::directory_iterator(dir_))
        if (entry.path().filename().string().find("_errors.log") != std::string::npos)
            out += slurp(entry.path());
    if (out.size() > limit) out.resize(limit);
    return out;
}

long long Sipp::stat(const std::string& column) const {
    std::istringstream in(slurp(dir_ / "stat.csv"));
    std::string header, line, last;
    if (!std::getline(in, header)) return -1;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    const auto names = split(header, ';');
    const auto values = split(last, ';');
    for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
        if (names[i] == column) return std::atoll(values[i].c_str());
    return -1;
}

std::vector<double> Sipp::response_times_ms() const {
    std::vector<double> out;
    for (const auto& entry : fs::directory_iterator(dir_)) {
        const auto name = entry.path().filename().string();
        if (name.find("_rtt.csv") == std::string::npos) continue;
        std::istringstream in(slurp(entry.path()));
        std::string line;
        std::getline(in, line);  // Date_ms;response_time_ms;rtd_no
        while (std::getline(in, line)) {
            const auto cells = split(line, ';');
            if (cells.size() >= 2) out.push_back(std::atof(cells[1].c_str()));
        }
    }
    return out;
}

}  // namespace switchyard::testing
