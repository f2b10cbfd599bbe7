// The crash loop: 16 writers create categories, streams and lines against the real server,
// which is killed with SIGKILL while they write. After each kill every read model is replayed
// from the log (its digest must equal the live model's), the server is restarted, and every
// write it had acknowledged must be found. The default suite runs 2 cycles; the `slow` label
// runs 30 (SY_CRASH_CYCLES, see tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard::testing;
namespace json = boost::json;

namespace {

/// Every read model `switchyard replay` can rebuild.
const char* const kProjections[] = {"xtream_catalogue", "line_directory", "audit_trail",
                                    "api_keys",         "users",          "vpn_peers",
                                    "vpn_usage"};

constexpr int kWriters = 16;

/// A write the server answered with 2xx: what it was and where the log holds it.
struct Acked {
    std::string kind;  ///< categories, streams or lines
    std::int64_t id = 0;
    std::string name, position;
};

/// One round of writers until the server dies under them.
struct Load {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Acked> acked;
    std::atomic<std::int64_t> refused{0};   ///< Non-2xx answers from a live server.
    int finished = 0;                       ///< Writers that saw the server gone.
    std::map<long, std::int64_t> refusals;  ///< Status -> count of non-2xx answers.

    void writer(const std::string& base, const std::string& key, int cycle, int w) {
        write(base, key, cycle, w);
        {
            std::lock_guard lock(mu);
            ++finished;
        }
        cv.notify_all();
    }

    void write(const std::string& base, const std::string& key, int cycle, int w) {
        for (int j = 0;; ++j) {
            const auto tag = fmt::format("c{}-w{}-{}", cycle, w, j);
            Acked a;
            std::string body;
            switch (j % 3) {
                case 0:
                    a.kind = "categories";
                    a.name = "cat-" + tag;
                    body = json::serialize(json::object{{"name", a.name}});
                    break;
                case 1:
                    a.kind = "streams";
                    a.name = "stream-" + tag;
                    body = json::serialize(json::object{
                        {"name", a.name},
                        {"source_url", fmt::format("http://example.com/{}.m3u8", tag)}});
                    break;
                default:
                    a.kind = "lines";
                    a.name = "line-" + tag;
                    body = json::serialize(json::object{{"username", a.name}});
            }
            auto r = http("POST", fmt::format("{}/v1/iptv/{}", base, a.kind), body, key);
            if (r.status == 0) return;  // the server is gone
            if (r.status < 200 || r.status >= 300) {
                ++refused;
                {
                    std::lock_guard lock(mu);
                    ++refusals[r.status];
                }
                continue;
            }
            auto o = json::parse(r.body).as_object();
            const char* id_field = a.kind == "categories" ? "category_id"
                                   : a.kind == "streams"  ? "stream_id"
                                                          : "line_id";
            a.id = o.at(id_field).as_int64();
            a.position = std::string(o.at("position").as_string());
            {
                std::lock_guard lock(mu);
                acked.push_back(std::move(a));
            }
            cv.notify_all();
        }
    }

    /// Blocks until `n` writes are acknowledged in all, or every writer has stopped.
    void wait_for(std::size_t n) {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return acked.size() >= n || finished == kWriters; });
        CHECK_MESSAGE(finished < kWriters, "the server stopped answering before the kill");
    }
};

std::string admin_key(const fs::path& data_dir) {
    auto k = slurp(data_dir / "admin.key");
    return k.substr(0, k.find('\n'));
}

/// Replays every read model of a stopped (or killed) server; returns how many digests matched.
/// `leak_check` false skips LeakSanitizer's exit scan, which costs seconds per run in the dev
/// build (the final replays keep it).
int replay_all(const fs::path& data_dir, bool leak_check) {
    int matched = 0;
    for (const char* model : kProjections) {
        std::string out;
        const int rc =
            run(fmt::format(
                    "{}'{}' replay --data-dir '{}' --projection {} 2>&1",
                    leak_check ? "" : "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 ",
                    SY_SWITCHYARD, data_dir.string(), model),
                &out);
        CHECK_MESSAGE(rc == 0, model, "\n", out);
        const bool match = rc == 0 && out.find("digests match") != std::string::npos;
        CHECK_MESSAGE(match, model, "\n", out);
        matched += match;
    }
    return matched;
}

int cycles_wanted() {
    const char* env = std::getenv("SY_CRASH_CYCLES");
    return env && std::atoi(env) > 0 ? std::atoi(env) : 2;
}

}  // namespace

TEST_CASE("SIGKILL during 16 writers loses no acknowledged write and replays match the models") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    const int cycles = cycles_wanted();
    // Kill after this many acknowledged writes in a cycle: in-flight requests of all 16 writers
    // are cut in the middle.
    constexpr std::size_t kAckedBeforeKill = 96;
    std::size_t total_acked = 0, total_found = 0, total_refused = 0;
    std::map<long, std::int64_t> refusals;
    int replays = 0, matched = 0;
    // No rate limit: 16 writers from one key are far above the default 120 requests a minute.
    const std::vector<std::string> options{"--rate-authenticated", "0"};
    auto server = std::make_unique<Server>(data_dir, free_port(), "", options);
    const auto key = admin_key(data_dir);
    for (int cycle = 0; cycle < cycles; ++cycle) {
        Load load;
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w)
            writers.emplace_back([&, w, base = server->base] { load.writer(base, key, cycle, w); });
        load.wait_for(kAckedBeforeKill);
        kill(server->pid, SIGKILL);
        waitpid(server->pid, nullptr, 0);
        server->pid = -1;
        for (auto& t : writers) t.join();

        // The killed server's read models against a rebuild from its log.
        matched += replay_all(data_dir, false);
        replays += static_cast<int>(std::size(kProjections));

        // Restarted, it has every write it acknowledged.
        server = std::make_unique<Server>(data_dir, free_port(), "", options);
        std::size_t found = 0;
        for (const auto& a : load.acked) {
            auto r = http(
                "GET",
                fmt::format("{}/v1/iptv/{}/{}?after={}", server->base, a.kind, a.id, a.position),
                {}, key);
            const bool ok =
                r.status == 200 && r.body.find("\"" + a.name + "\"") != std::string::npos;
            CHECK_MESSAGE(ok, a.kind, " ", a.id, " ", a.name, ": ", r.status, " ", r.body);
            found += ok;
        }
        total_acked += load.acked.size();
        total_found += found;
        total_refused += static_cast<std::size_t>(load.refused.load());
        for (const auto& [status, count] : load.refusals) refusals[status] += count;
    }
    // A clean stop: every model at the head, and each equal to its rebuild.
    CHECK(server->stop() == 0);
    matched += replay_all(data_dir, true);
    replays += static_cast<int>(std::size(kProjections));
    std::string refused_by_status;
    for (const auto& [status, count] : refusals)
        refused_by_status += fmt::format(" {} x{}", status, count);
    MESSAGE(fmt::format(
        "crash loop: {} cycles of {} writers killed with SIGKILL; {} writes acknowledged, {} found "
        "after restart; {} refused while live (status x count:{}); {} replays, {} with matching "
        "digests",
        cycles, kWriters, total_acked, total_found, total_refused, refused_by_status, replays,
        matched));
    CHECK(total_found == total_acked);
    CHECK(matched == replays);
    curl_global_cleanup();
}
