// Child process of the invoice-number SIGKILL test: 4 threads number invoices of one series on
// a RocksDB log forever, each writing `<invoice id> <number>;` with one write(2) after the
// numbering was acknowledged (durable).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "events/billing/invoice_numbers.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"

using namespace switchyard;

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    auto store = events::open_rocksdb_event_store(argv[1]);
    if (!store) return 3;
    const int fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return 4;
    events::billing::InvoiceNumbers numbers(**store, "op");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            core::DecisionContext ctx;
            ctx.now = core::from_unix_seconds(1'790'000'000);
            ctx.actor = core::Actor{core::ActorKind::System, "crash-child", ""};
            for (long i = 0;; ++i) {
                const auto id = fmt::format("inv-{}-{}", t, i);
                auto r = numbers.number({"INV-2026", id}, ctx);
                if (!r) _exit(5);
                const auto line = fmt::format("{} {};\n", id, r->number);
                if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
                    _exit(6);
            }
        });
    }
    for (auto& t : threads) t.join();
    return 0;
}
