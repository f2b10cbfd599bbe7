// The `switchyard` executable: composition root and subcommands.
#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

int main(int argc, char** argv) {
    // Whatever a subcommand writes into a data directory (log, read models, keys, the relay
    // checkpoint) is for this user alone: files 0600, directories 0700.
    ::umask(077);
    using namespace switchyard::app;
    CLI::App app{"Switchyard: event-sourced operations backend for network-service operators"};
    app.require_subcommand(1);

    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP API on the embedded log");
    serve_cmd->add_option("--data-dir", serve.data_dir, "Data directory (log, read models, keys)")
        ->capture_default_str();
    serve_cmd
        ->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0 picks a free one)")
        ->capture_default_str();
    serve_cmd->add_option("--threads", serve.io_threads, "I/O threads (0 = one per core)")
        ->capture_default_str();
    serve_cmd->add_option("--log", serve.log,
                          "Log on a Kafka cluster: kafka://HOST:PORT[,HOST:PORT...] (default: the "
                          "embedded log in DATA_DIR/log)");
    serve_cmd->add_option("--tls-cert", serve.tls_cert,
                          "PEM certificate chain: serve HTTPS (with --tls-key), with HSTS");
    serve_cmd->add_option("--tls-key", serve.tls_key, "PEM private key of --tls-cert");
    serve_cmd->add_option("--public-url", serve.public_url,
                          "http[s]://HOST[:PORT] players reach this server at: the base of "
                          "get.php and player_api media URLs (default: a valid Host header, "
                          "else the --listen address)");
    serve_cmd->add_option("--admin-allow", serve.admin_allow,
                          "CIDR network admins may use the API from (repeat; default: anywhere)");
    serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                          "CIDR network of proxies whose X-Forwarded-For is believed (repeat)");
    serve_cmd
        ->add_option("--rate-anonymous", serve.anonymous_per_minute,
                     "/v1 requests a minute per address without credentials (0 = no limit)")
        ->capture_default_str();
    serve_cmd
        ->add_option("--rate-authenticated", serve.authenticated_per_minute,
                     "/v1 requests a minute per API key or user (0 = no limit)")
        ->capture_default_str();

    AuditExportOptions audit;
    auto* audit_cmd = app.add_subcommand("audit", "The audit trail of a running server");
    audit_cmd->require_subcommand(1);
    auto* audit_export_cmd = audit_cmd->add_subcommand(
        "export", "Write audit rows as CSV or JSON, with the filters of GET /v1/audit");
    audit_export_cmd->add_option("--server", audit.server, "Server base URL")->required();
    audit_export_cmd->add_option("--data-dir", audit.data_dir,
                                 "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    audit_export_cmd->add_option("--format", audit.format, "csv or json")->capture_default_str();
    audit_export_cmd->add_option("--actor", audit.actor, "KIND:ID, e.g. user:u_...");
    audit_export_cmd->add_option("--resource", audit.resource, "A stream, e.g. line-42");
    audit_export_cmd->add_option("--type", audit.type, "An event type");
    audit_export_cmd->add_option("--from", audit.from, "Rows at or after this RFC 3339 time");
    audit_export_cmd->add_option("--to", audit.to, "Rows before this RFC 3339 time");

    AdminOptions admin;
    auto* admin_cmd = app.add_subcommand("admin", "Maintenance of a data directory");
    admin_cmd->require_subcommand(1);
    auto* rotate_cmd = admin_cmd->add_subcommand(
        "rotate-master-key", "New master key; seal stored secrets again (server stopped)");
    rotate_cmd->add_option("--data-dir", admin.data_dir, "Data directory")->capture_default_str();

    MockKafkaOptions mock;
    auto* mock_cmd = app.add_subcommand(
        "mock-kafka", "Run librdkafka's mock Kafka cluster (tests and demos; not a real broker)");
    mock_cmd->add_option("--brokers", mock.brokers, "Number of brokers")
        ->capture_default_str()
        ->check(CLI::Range(1, 16));

    ReplayOptions replay;
    auto* replay_cmd = app.add_subcommand(
        "replay", "Rebuild a read model from the log and compare digests (stopped server)");
    replay_cmd->add_option("--data-dir", replay.data_dir, "Data directory")->required();
    replay_cmd
        ->add_option("--projection", replay.projection,
                     "Read model, e.g. xtream_catalogue or xtream_catalogue.v1")
        ->required();
    replay_cmd->add_option(
        "--until", replay.until,
        "Rebuild up to this checkpoint (p:next_offset,...) or RFC 3339 time (every event up to "
        "it: the books at month end); default: where the live model is");

    TailOptions tail;
    auto* events_cmd = app.add_subcommand("events", "Read the event log");
    events_cmd->require_subcommand(1);
    auto* tail_cmd =
        events_cmd->add_subcommand("tail", "Print events as NDJSON, following new ones");
    tail_cmd->add_option("--server", tail.server, "Server base URL")->required();
    tail_cmd->add_option("--data-dir", tail.data_dir,
                         "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    tail_cmd->add_option("--from", tail.from, "Checkpoint to start from (default: the beginning)");
    tail_cmd->add_flag("--no-follow", tail.no_follow, "Stop at the end of the log");

    ExportOptions exp;
    auto* export_cmd =
        events_cmd->add_subcommand("export", "Write events for analysis (NDJSON or CSV)");
    export_cmd->add_option("--data-dir", exp.data_dir, "Data directory of the embedded log");
    export_cmd->add_option("--log", exp.log, "kafka://HOST:PORT[,HOST:PORT...]");
    export_cmd->add_option("--format", exp.format, "ndjson or csv")->capture_default_str();
    export_cmd->add_option("--from", exp.from, "Events at or after this RFC 3339 time");
    export_cmd->add_option("--to", exp.to, "Events before this RFC 3339 time");
    export_cmd->add_option("--type", exp.types, "Only these event types (repeatable)");

    RelayCommandOptions relay;
    auto* relay_cmd =
        app.add_subcommand("relay", "Publish the embedded log to the Kafka event topics");
    relay_cmd->add_option("--data-dir", relay.data_dir, "Data directory of the embedded log")
        ->required();
    relay_cmd->add_option("--to", relay.to, "kafka://HOST:PORT[,HOST:PORT...]")->required();
    relay_cmd->add_flag("--once", relay.once, "Exit when caught up instead of following the log");

    std::string openapi_output;
    auto* openapi_cmd = app.add_subcommand(
        "openapi", "Print the OpenAPI document of every module's routes (schemas/openapi.json)");
    openapi_cmd->add_option("--output", openapi_output, "Write it to this file instead");

    // Each module adds its own serve options and subcommands (app/modules).
    const auto modules = make_modules();
    std::vector<Subcommand> module_commands;
    for (const auto& m : modules) {
        m->add_serve_options(*serve_cmd);
        m->add_subcommands(app, module_commands);
    }

    CLI11_PARSE(app, argc, argv);
    if (serve_cmd->parsed()) return run_serve(serve, modules);
    if (openapi_cmd->parsed()) return run_openapi(openapi_output);
    for (const auto& c : module_commands)
        if (c.command->parsed()) return c.run();
    if (replay_cmd->parsed()) return run_replay(replay);
    if (tail_cmd->parsed()) return run_events_tail(tail);
    if (audit_export_cmd->parsed()) return run_audit_export(audit);
    if (rotate_cmd->parsed()) return run_rotate_master_key(admin);
    if (mock_cmd->parsed()) return run_mock_kafka(mock);
    if (relay_cmd->parsed()) return run_relay(relay);
    if (export_cmd->parsed()) return run_events_export(exp);
    return 2;
}
