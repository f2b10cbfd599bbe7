// Child process of the SIGKILL test: appends concurrently forever, recording each acknowledged
// append's event ids as one line (written with one write(2) after the append returned).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/uuid.hpp"

using namespace switchyard;
using namespace switchyard::events;

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    auto store = open_rocksdb_event_store(argv[1]);
    if (!store) return 3;
    int fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return 4;
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            for (long i = 0;; ++i) {
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
                auto r = (*store)->append(
                    {{fmt::format("crash-{}", t), ExpectedRevision::any(), a},
                     {fmt::format("crash-shared-{}", t % 4), ExpectedRevision::any(), b}});
                if (!r) continue;
                auto line = fmt::format("{} {} {};\n", a[0].id, a[1].id, b[0].id);
                if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
                    return;
            }
        });
    }
    for (auto& th : threads) th.join();
    return 0;
}
