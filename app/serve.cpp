// `switchyard serve`: the composition root.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/api_context.hpp"
#include "api/http_server.hpp"
#include "app/commands.hpp"
#include "app/data_dir.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/kafka/kafka_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/secret_box.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

namespace {

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return false;
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    try {
        auto p = std::stoul(listen.substr(colon + 1));
        if (p > 65535) return false;
        port = static_cast<std::uint16_t>(p);
    } catch (const std::exception&) {
        return false;
    }
    return !host.empty();
}

/// A free TCP port on `host` (bind port 0, read it, close): `--listen HOST:0` then has a port
/// to put in the default public URL before the server starts. 0 when none can be had.
std::uint16_t free_port(const std::string& host) {
    const bool v6 = host.find(':') != std::string::npos;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_storage a{};
    socklen_t len = 0;
    if (v6) {
        auto* a6 = reinterpret_cast<sockaddr_in6*>(&a);
        a6->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) != 1) a6->sin6_addr = in6addr_any;
        len = sizeof(sockaddr_in6);
    } else {
        auto* a4 = reinterpret_cast<sockaddr_in*>(&a);
        a4->sin_family = AF_INET;
        if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) != 1) a4->sin_addr.s_addr = INADDR_ANY;
        len = sizeof(sockaddr_in);
    }
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&a)->sin6_port
                        : reinterpret_cast<sockaddr_in*>(&a)->sin_port);
    ::close(fd);
    return port;
}

}  // namespace

core::Result<std::unique_ptr<events::EventStore>> open_log(const ServeOptions& options,
                                                           const fs::path& dir,
                                                           const Modules& modules) {
    if (options.log.empty() || options.log == "embedded")
        return events::open_rocksdb_event_store(dir / "log");
    events::kafka::KafkaEventStoreOptions kafka;
    kafka.brokers = SY_TRY(events::kafka::parse_kafka_url(options.log));
    kafka.modules.clear();  // each module's topic exists before its first event
    for (const auto& m : modules) kafka.modules.push_back(m->name());
    return events::kafka::open_kafka_event_store(kafka);
}

int run_serve(const ServeOptions& options, const Modules& modules) {
    std::string host;
    std::uint16_t port = 0;
    if (!split_listen(options.listen, host, port)) {
        std::fprintf(stderr, "error: --listen: expected HOST:PORT, got '%s'\n",
                     options.listen.c_str());
        return 1;
    }
    // Media URLs: the configured public URL, else the listen address (a wildcard address names
    // no host players can reach: then 127.0.0.1, and a valid Host header wins, see PublicUrl).
    api::PublicUrl public_url;
    if (!options.public_url.empty()) {
        auto parsed = api::PublicUrl::parse(options.public_url, "--public-url");
        if (!parsed) {
            std::fprintf(stderr, "error: --public-url: %s\n", parsed.error().message.c_str());
            return 1;
        }
        public_url = *parsed;
    } else {
        if (port == 0) port = free_port(host);
        public_url.scheme = options.tls_cert.empty() ? "http" : "https";
        const bool wildcard = host == "0.0.0.0" || host == "::";
        public_url.host = wildcard                              ? std::string("127.0.0.1")
                          : host.find(':') != std::string::npos ? "[" + host + "]"
                                                                : host;
        public_url.port = std::to_string(port);
    }
    // Signals are taken by sigwait below; block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const fs::path dir = options.data_dir;
    auto fail = [](const core::Error& e) {
        std::fprintf(stderr, "error: %s: %s\n", e.field.c_str(), e.message.c_str());
        return 1;
    };
    // Before anything is written: umask 077, and no directory others could have written.
    if (auto secured = secure_data_dir(dir); !secured) return fail(secured.error());
    auto secret = load_or_create_secret(dir / "server.secret", 32);
    if (!secret) return fail(secret.error());
    auto store = open_log(options, dir, modules);
    if (!store) return fail(store.error());
    auto runner = projections::ProjectionRunner::open(dir / "readmodels", all_projectors(modules));
    if (!runner) return fail(runner.error());
    (*runner)->start(**store);

    core::SystemClock clock;
    const std::string tenant = "op";
    const auto key_file = dir / "admin.key";
    if ((*store)->head().total() == 0) {
        core::DecisionContext ctx;
        ctx.now = clock.now();
        ctx.actor = core::Actor{core::ActorKind::System, "bootstrap", ""};
        ctx.correlation_id = "bootstrap";
        auto key =
            events::identity::create_api_key(**store, "bootstrap admin", "admin", ctx, tenant);
        if (!key) return fail(key.error());
        if (auto w = write_private_file(key_file, key->key + "\n"); !w) return fail(w.error());
        spdlog::info("created the admin API key {} in {}", key->key_id, key_file.string());
    }

    // Answer only once the read models hold the log as it stands (API keys included): on Kafka
    // the read models first join their consumer group. Past the bound, serve anyway; /readyz
    // tells the lag.
    std::vector<events::Position> head_positions;
    const auto head = (*store)->head();
    for (const auto& [key, next] : head.entries())
        head_positions.push_back(events::Position{key.second, next - 1, key.first});
    if (!(*runner)->wait_for(head_positions, std::chrono::seconds(60)))
        spdlog::warn("the read models have not caught up with the log yet; serving anyway");

    auto keyring = events::MasterKeyring::load_or_create(dir / "master.key");
    if (!keyring) return fail(keyring.error());
    api::Metrics metrics;
    api::ApiContext ctx{**store, **runner, clock, metrics, *secret, tenant};
    ctx.public_url = public_url;
    ctx.security.anonymous_per_minute = options.anonymous_per_minute;
    ctx.security.authenticated_per_minute = options.authenticated_per_minute;
    for (const auto& text : options.admin_allow) {
        auto c = api::Cidr::parse(text, "--admin-allow");
        if (!c) return fail(c.error());
        ctx.security.admin_allowlist.push_back(*c);
    }
    for (const auto& text : options.trusted_proxies) {
        auto c = api::Cidr::parse(text, "--trusted-proxy");
        if (!c) return fail(c.error());
        ctx.security.trusted_proxies.push_back(*c);
    }
    // Every module: its services and routes, then its workers (app/modules).
    ModuleHost module_host{**store, **runner, clock, *keyring, ctx, tenant, dir};
    auto router = start_modules(modules, module_host);
    if (!router) return fail(router.error());
    if (auto w = start_workers(modules, module_host); !w) return fail(w.error());
    api::HttpServerOptions http;
    http.host = host;
    http.port = port;
    http.io_threads = options.io_threads;
    http.tls_cert_file = options.tls_cert;
    http.tls_key_file = options.tls_key;
    auto server = api::HttpServer::start(**router, http);
    if (!server) return fail(server.error());

    const auto shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::printf("Switchyard listening on %s://%s:%u\n", options.tls_cert.empty() ? "http" : "https",
                shown_host.c_str(), (*server)->port());
    std::printf("Admin API key: %s\n", fs::absolute(key_file).c_str());
    std::printf("Log: %s\n",
                options.log.empty() ? (fs::absolute(dir) / "log").c_str() : options.log.c_str());
    std::fflush(stdout);

    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: shutting down", sig);
    (*server)->stop();
    stop_modules(modules);
    (*runner)->stop();
    return 0;
}

}  // namespace switchyard::app
