// `switchyard audit export`: the audit trail of a running server as CSV or JSON.
#include <cstdio>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/http_client.hpp"
#include "core/text.hpp"

namespace switchyard::app {

namespace json = boost::json;

namespace {

std::string text(const json::object& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return {};
    if (it->value().is_string()) return std::string(it->value().as_string());
    return json::serialize(it->value());
}

}  // namespace

int run_audit_export(const AuditExportOptions& o) {
    if (o.format != "csv" && o.format != "json") {
        std::fprintf(stderr, "error: --format: must be csv or json\n");
        return 1;
    }
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    std::string base = o.server;
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::string filters;
    for (auto [name, value] :
         {std::pair{"actor", &o.actor}, std::pair{"resource", &o.resource},
          std::pair{"type", &o.type}, std::pair{"from", &o.from}, std::pair{"to", &o.to}}) {
        if (!value->empty()) filters += fmt::format("&{}={}", name, url_encode(*value));
    }
    if (o.format == "csv")
        std::fputs(
            "time,actor_kind,actor_id,ip,type,resource,event_id,position,correlation_id,before,"
            "after\n",
            stdout);
    else
        std::fputs("[", stdout);
    std::string cursor;
    std::size_t rows = 0;
    for (;;) {
        auto url = fmt::format("{}/v1/audit?limit=1000{}", base, filters);
        if (!cursor.empty()) url += "&cursor=" + cursor;
        auto resp = http_request("GET", url, {"Authorization: Bearer " + key}, "");
        if (!resp) {
            std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
            return 1;
        }
        if (resp->status != 200) {
            std::fprintf(stderr, "error: HTTP %ld: %s\n", static_cast<long>(resp->status),
                         resp->body.c_str());
            return 1;
        }
        auto page = json::parse(resp->body).as_object();
        for (const auto& item : page.at("items").as_array()) {
            const auto& row = item.as_object();
            if (o.format == "json") {
                std::fputs(rows ? ",\n" : "\n", stdout);
                std::fputs(json::serialize(row).c_str(), stdout);
            } else {
                const auto& actor = row.at("actor").as_object();
                std::fputs(
                    fmt::format(
                        "{},{},{},{},{},{},{},{},{},{},{}\n", core::csv_field(text(row, "time")),
                        core::csv_field(text(actor, "kind")), core::csv_field(text(actor, "id")),
                        core::csv_field(text(actor, "ip")), core::csv_field(text(row, "type")),
                        core::csv_field(text(row, "stream")),
                        core::csv_field(text(row, "event_id")),
                        core::csv_field(text(row, "position")),
                        core::csv_field(text(row, "correlation_id")),
                        core::csv_field(text(row, "before")), core::csv_field(text(row, "after")))
                        .c_str(),
                    stdout);
            }
            ++rows;
        }
        std::fprintf(stderr, "\raudit export: %zu rows", rows);
        const auto& next = page.at("next_cursor");
        if (next.is_null()) break;
        cursor = std::string(next.as_string());
    }
    if (o.format == "json") std::fputs(rows ? "\n]\n" : "]\n", stdout);
    std::fprintf(stderr, "\n");
    return 0;
}

}  // namespace switchyard::app
