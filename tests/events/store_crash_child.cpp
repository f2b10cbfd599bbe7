// Child process of the SIGKILL test: appends concurrently forever, recording each acknowledged
// append's event ids as one line (written with one write(2) after the append returned).
// `--async` as the third argument: one thread keeps 64 appends in flight through append_async
// and each answer's callback writes its line.
#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/uuid.hpp"

using namespace switchyard;
using namespace switchyard::events;

namespace {

/// One append of the test: 2 events to the writer's stream, 1 to a shared one, all carrying
/// the append's group id.
std::vector<StreamWrite> make_append(int t, long i, std::string& ack_line) {
    const auto now = core::from_unix_seconds(1'790'000'000);
    const auto group = fmt::format(R"({{"group":"{}-{}"}})", t, i);
    auto make = [&] {
        NewEvent e;
        e.id = new_uuid_v7(now);
        e.type = "test.crash.appended";
        e.time = now;
        e.data = group;
        return e;
    };
    std::vector<NewEvent> a{make(), make()}, b{make()};
    ack_line = fmt::format("{} {} {};\n", a[0].id, a[1].id, b[0].id);
    return {{fmt::format("crash-{}", t), ExpectedRevision::any(), std::move(a)},
            {fmt::format("crash-shared-{}", t % 4), ExpectedRevision::any(), std::move(b)}};
}

bool write_line(int fd, const std::string& line) {
    return ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

/// 64 clients in flight from this thread; an answered client sends its next append.
int run_async(EventStore& store, int fd) {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<int> ready;
    bool failed = false;
    std::vector<long> next(16 * 4, 0);
    auto send = [&](int client) {
        std::string line;
        auto writes = make_append(client % 16,
                                  next[static_cast<std::size_t>(client)]++ * 4 + client / 16, line);
        store.append_async(std::move(writes), [&, client, line](core::Result<AppendResult> r) {
            // The acknowledgement: written only once the append is durable.
            bool ok = !r || write_line(fd, line);
            std::lock_guard lock(mu);
            if (!ok) failed = true;
            ready.push_back(client);
            cv.notify_one();
        });
    };
    for (int c = 0; c < 64; ++c) send(c);
    for (;;) {
        std::deque<int> now;
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return !ready.empty() || failed; });
            if (failed) return 5;
            now.swap(ready);
        }
        for (int c : now) send(c);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) return 2;
    auto store = open_rocksdb_event_store(argv[1]);
    if (!store) return 3;
    int fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return 4;
    if (argc == 4 && std::string(argv[3]) == "--async") return run_async(**store, fd);
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            for (long i = 0;; ++i) {
                std::string line;
                auto r = (*store)->append(make_append(t, i, line));
                if (!r) continue;
                if (!write_line(fd, line)) return;
            }
        });
    }
    for (auto& th : threads) th.join();
    return 0;
}
