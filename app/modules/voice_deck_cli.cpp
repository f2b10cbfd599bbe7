#include "app/modules/voice_deck_cli.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/data_dir.hpp"
#include "app/http_client.hpp"
#include "events/voice/deck_import.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64(const std::string& bytes) {
    static const char* const kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                       (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                       std::uint32_t(std::uint8_t(bytes[i + 2]));
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i < bytes.size()) {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size()) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string trim_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

/// The files of `paths`: a file as named, a folder's `*.csv` files in name order.
core::Result<std::vector<fs::path>> files_of(const std::vector<std::string>& paths) {
    std::vector<fs::path> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> found;
            for (const auto& e : fs::directory_iterator(p, ec))
                if (e.is_regular_file() && e.path().extension() == ".csv")
                    found.push_back(e.path());
            if (found.empty())
                return core::fail(core::Errc::Invalid, "paths", p + " holds no .csv file");
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else {
            out.emplace_back(p);
        }
    }
    return out;
}

void print_refused(const json::value& report) {
    if (!report.is_object() || !report.as_object().contains("refused")) return;
    const auto& rows = report.as_object().at("refused");
    if (!rows.is_array()) return;
    for (const auto& row : rows.as_array()) {
        if (!row.is_object()) continue;
        const auto& o = row.as_object();
        auto text = [&](const char* k) {
            return o.contains(k) && o.at(k).is_string() ? std::string(o.at(k).as_string())
                                                        : std::string();
        };
        const auto line =
            o.contains("line") && o.at("line").is_int64() ? o.at("line").as_int64() : 0;
        std::fprintf(stderr, "%s:%lld: %s: %s\n", text("file").c_str(),
                     static_cast<long long>(line), text("field").c_str(), text("reason").c_str());
    }
}

}  // namespace

void add_import_deck_command(CLI::App& app, std::vector<Subcommand>& out) {
    CLI::App* import_cmd = nullptr;
    try {
        import_cmd = app.get_subcommand("import");
    } catch (const CLI::OptionNotFound&) {
        import_cmd = app.add_subcommand("import", "Import data into a running server");
        import_cmd->require_subcommand(1);
    }
    auto o = std::make_shared<DeckImportOptions>();
    auto* cmd = import_cmd->add_subcommand(
        "deck", "Import a rate deck version through POST /v1/voice/decks/imports");
    cmd->add_option("paths", o->paths, "Deck files, or folders of .csv files")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--format", o->format, "cdrtool, cgrates or csv")
        ->required()
        ->check(CLI::IsMember({"cdrtool", "cgrates", "csv"}));
    cmd->add_option("--mapping", o->mapping, "TOML column mapping of a csv deck")
        ->check(CLI::ExistingFile);
    cmd->add_option("--name", o->name, "The deck's name (found, or created on first import)")
        ->required();
    cmd->add_option("--carrier", o->carrier, "Carrier id: the deck is its buy deck");
    cmd->add_option("--currency", o->currency, "ISO 4217 currency of the deck");
    cmd->add_option("--effective-from", o->effective_from,
                    "RFC 3339 time the version rates calls from (default: now)");
    cmd->add_option("--tenant", o->tenant, "cgrates: keep only this tenant's rating profiles");
    cmd->add_flag("--partial", o->partial, "Import the accepted rows when some are refused");
    cmd->add_option("--server", o->server, "Server base URL")->required();
    cmd->add_option("--data-dir", o->data_dir,
                    "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    out.push_back({cmd, [o] { return run_import_deck(*o); }});
}

core::Result<std::string> deck_import_body(const DeckImportOptions& o) {
    json::object body{{"name", o.name}, {"format", o.format}, {"partial", o.partial}};
    if (!o.carrier.empty()) body["carrier_id"] = o.carrier;
    if (!o.currency.empty()) body["currency"] = o.currency;
    if (!o.effective_from.empty()) body["effective_from"] = o.effective_from;
    if (!o.tenant.empty()) body["tenant"] = o.tenant;
    if (!o.mapping.empty()) {
        const auto text = SY_TRY(read_file(o.mapping));
        const auto mapping = SY_TRY(events::voice::column_mapping_json_from_toml(text, o.mapping));
        body["mapping"] = json::parse(mapping);
    } else if (o.format == "csv") {
        return core::fail(core::Errc::Invalid, "mapping", "--mapping is required for a csv deck");
    }
    json::array files;
    for (const auto& path : SY_TRY(files_of(o.paths))) {
        const auto bytes = SY_TRY(read_file(path));
        std::fprintf(stderr, "read %s: %zu bytes\n", path.string().c_str(), bytes.size());
        files.push_back(
            json::object{{"name", path.filename().string()}, {"content_base64", base64(bytes)}});
    }
    body["files"] = std::move(files);
    return json::serialize(body);
}

int run_import_deck(const DeckImportOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    auto body = deck_import_body(o);
    if (!body) {
        std::fprintf(stderr, "error: %s: %s\n", body.error().field.c_str(),
                     body.error().message.c_str());
        return 1;
    }
    std::fprintf(stderr, "sending %zu bytes to %s/v1/voice/decks/imports\n", body->size(),
                 trim_slash(o.server).c_str());
    auto resp =
        http_request("POST", trim_slash(o.server) + "/v1/voice/decks/imports",
                     {"Authorization: Bearer " + key, "Content-Type: application/json"}, *body);
    if (!resp) {
        std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
        return 1;
    }
    json::value report;
    try {
        report = json::parse(resp->body);
    } catch (const std::exception&) {
        report = json::object{{"status", resp->status}, {"body", resp->body}};
    }
    print_refused(report);
    const bool ok = resp->status == 200 || resp->status == 201;
    if (ok && report.is_object()) {
        const auto& r = report.as_object();
        std::fprintf(
            stderr, "HTTP %ld: deck %s version %lld%s\n", resp->status,
            r.contains("deck_id") && r.at("deck_id").is_string()
                ? std::string(r.at("deck_id").as_string()).c_str()
                : "?",
            r.contains("version") && r.at("version").is_int64()
                ? static_cast<long long>(r.at("version").as_int64())
                : 0LL,
            r.contains("unchanged") && r.at("unchanged").is_bool() && r.at("unchanged").as_bool()
                ? " (unchanged)"
                : "");
    } else if (report.is_object() && report.as_object().contains("detail") &&
               report.as_object().at("detail").is_string()) {
        std::fprintf(stderr, "HTTP %ld: %s\n", resp->status,
                     std::string(report.as_object().at("detail").as_string()).c_str());
    } else {
        std::fprintf(stderr, "HTTP %ld\n", resp->status);
    }
    std::printf("%s\n", json::serialize(report).c_str());
    return ok ? 0 : 1;
}

}  // namespace switchyard::app
