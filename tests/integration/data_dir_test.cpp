// The data directory at rest, with the real binary: everything `serve` writes is private to its
// user (directories 0700, files 0600), looser modes left by older versions are narrowed, and a
// tree that other users could write is refused before anything is read from it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(p.c_str(), &st) == 0, p.string());
    return st.st_mode & 07777;
}

/// Every directory and regular file under `dir` (itself included) with a mode other than
/// 0700 / 0600, as "path mode" lines; the number of entries seen goes to `seen`.
std::vector<std::string> loose_entries(const fs::path& dir, std::size_t& seen) {
    std::vector<std::string> loose;
    auto check = [&](const fs::path& p) {
        const auto want = fs::is_directory(fs::symlink_status(p)) ? 0700u : 0600u;
        if (mode_of(p) != want) loose.push_back(fmt::format("{} {:o}", p.string(), mode_of(p)));
        ++seen;
    };
    check(dir);
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink()) continue;
        check(e.path());
    }
    return loose;
}

/// Runs `serve` on `dir` expecting it to refuse; returns its exit code and output. The bound
/// only keeps a server that wrongly starts from holding the test up.
int refused_start(const fs::path& dir, std::string& out) {
    return run(fmt::format("timeout 60 {} serve --data-dir '{}' --listen 127.0.0.1:{} 2>&1",
                           SY_SWITCHYARD, dir.string(), free_port()),
               &out);
}

}  // namespace

TEST_CASE("serve makes the data directory private: directories 0700, files 0600") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    {
        Server server(data_dir, free_port());
        const auto key = slurp(data_dir / "admin.key").substr(0, 46);
        auto line = http("POST", server.base + "/v1/iptv/lines",
                         R"({"username":"private1","max_connections":1})", key);
        REQUIRE_MESSAGE(line.status == 201, line.body);
        // Read it back through the read models (waiting for its position), so that they have
        // written their files too.
        const auto at = line.body.find("\"position\":\"");
        REQUIRE(at != std::string::npos);
        const auto start = at + 12;
        const auto position = line.body.substr(start, line.body.find('"', start) - start);
        REQUIRE(http("GET", server.base + "/v1/iptv/lines/1?after=" + position, {}, key).status ==
                200);
        CHECK(server.stop() == 0);
    }
    std::size_t seen = 0;
    auto loose = loose_entries(data_dir, seen);
    CHECK(seen > 10);  // log/, readmodels/ and their RocksDB files, the keys
    CHECK(fs::exists(data_dir / "log"));
    CHECK(fs::exists(data_dir / "readmodels"));
    for (const auto& l : loose) CHECK_MESSAGE(false, "not private: ", l);
    CHECK(loose.empty());
}

TEST_CASE("serve narrows the modes an older data directory was left with") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "old";
    fs::create_directories(data_dir / "readmodels");
    { std::ofstream(data_dir / "notes.txt") << "left by hand\n"; }
    fs::permissions(data_dir, fs::perms(0755));
    fs::permissions(data_dir / "readmodels", fs::perms(0755));
    fs::permissions(data_dir / "notes.txt", fs::perms(0644));
    {
        Server server(data_dir, free_port());
        CHECK(server.stop() == 0);
    }
    CHECK(mode_of(data_dir) == 0700);
    CHECK(mode_of(data_dir / "readmodels") == 0700);
    CHECK(mode_of(data_dir / "notes.txt") == 0600);
}

TEST_CASE("serve refuses a data directory, or a directory in it, that other users can write") {
    TempDir tmp;
    std::string out;
    SUBCASE("the data directory itself, world-writable") {
        const auto data_dir = tmp.path() / "open";
        fs::create_directories(data_dir);
        fs::permissions(data_dir, fs::perms(0777));
        CHECK(refused_start(data_dir, out) == 1);
        CHECK_MESSAGE(
            out.find(data_dir.string() + " is writable by other users") != std::string::npos, out);
        CHECK_FALSE(fs::exists(data_dir / "log"));  // nothing was written into it
        CHECK_FALSE(fs::exists(data_dir / "admin.key"));
    }
    SUBCASE("a group-writable subdirectory") {
        const auto data_dir = tmp.path() / "sub";
        fs::create_directories(data_dir / "readmodels");
        fs::permissions(data_dir, fs::perms(0700));
        fs::permissions(data_dir / "readmodels", fs::perms(0770));
        CHECK(refused_start(data_dir, out) == 1);
        CHECK_MESSAGE(out.find((data_dir / "readmodels").string()) != std::string::npos, out);
        CHECK_FALSE(fs::exists(data_dir / "admin.key"));
    }
}
