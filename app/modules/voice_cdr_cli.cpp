#include "app/modules/voice_cdr_cli.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/data_dir.hpp"
#include "app/http_client.hpp"
#include "core/voice/money.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string trim_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

/// `1234567` -> `1,234,567`.
std::string grouped(std::int64_t n) {
    auto digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

bool is_header(std::string_view line) {
    while (!line.empty() && line.front() == '"') line.remove_prefix(1);
    return line.starts_with("accountcode") || line.starts_with("caller_id_name");
}

std::int64_t int_of(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
}

/// Adds one batch's report into the sum; refused rows' lines shifted by `line_offset`.
void add_report(json::object& sum, const json::object& r, std::int64_t line_offset) {
    for (const char* k : {"rated", "unrated", "duplicates", "unanswered", "failed", "refused"})
        sum[k] = int_of(sum, k) + int_of(r, k);
    auto& totals = sum["totals"].as_object();
    if (const auto* t = r.if_contains("totals"); t && t->is_object()) {
        for (const auto& [currency, v] : t->as_object()) {
            if (!v.is_object()) continue;
            auto& into = totals[currency];
            if (!into.is_object()) into = json::object{};
            auto& o = into.as_object();
            for (const char* k : {"cdrs", "sell_micros", "buy_micros", "margin_micros"})
                o[k] = int_of(o, k) + int_of(v.as_object(), k);
            o["sell"] = core::voice::format_micros(int_of(o, "sell_micros"), 6);
            o["buy"] = core::voice::format_micros(int_of(o, "buy_micros"), 6);
            o["margin"] = core::voice::format_micros(int_of(o, "margin_micros"), 6);
        }
    }
    if (const auto* rows = r.if_contains("refused_rows"); rows && rows->is_array())
        for (auto row : rows->as_array()) {
            if (row.is_object()) {
                auto& o = row.as_object();
                o["line"] = int_of(o, "line") + line_offset;
            }
            sum["refused_rows"].as_array().push_back(std::move(row));
        }
}

}  // namespace

std::vector<std::pair<std::int64_t, std::string>> cdr_batches(const std::string& text,
                                                              std::size_t lines) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    if (lines == 0) lines = 1;
    std::size_t pos = 0;
    std::int64_t line_no = 0;
    std::string header;
    std::string current;
    std::size_t in_current = 0;
    std::int64_t first_line = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        const auto next = end == std::string::npos ? text.size() : end + 1;
        const std::string_view line(text.data() + pos, next - pos);
        ++line_no;
        pos = next;
        if (line_no == 1 && is_header(line)) {
            header = std::string(line);
            if (!header.ends_with('\n')) header += '\n';
            continue;
        }
        if (in_current == 0) {
            current = header;
            first_line = line_no;
        }
        current += line;
        if (!line.empty() && line.find_first_not_of(" \t\r\n") != std::string_view::npos)
            ++in_current;
        if (in_current >= lines) {
            out.emplace_back(first_line, std::move(current));
            current.clear();
            in_current = 0;
        }
    }
    if (in_current > 0) out.emplace_back(first_line, std::move(current));
    return out;
}

int run_import_cdrs(const CdrImportOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    json::object sum{
        {"rated", 0},  {"unrated", 0}, {"duplicates", 0},          {"unanswered", 0},
        {"failed", 0}, {"refused", 0}, {"totals", json::object{}}, {"refused_rows", json::array{}}};
    json::array files;
    int status = 0;
    for (const auto& name : o.files) {
        const fs::path file = name;
        auto text = read_file(file);
        if (!text) {
            std::fprintf(stderr, "error: %s\n", text.error().message.c_str());
            return 1;
        }
        const bool whole =
            o.format == "json" || o.format == "freeswitch-json" ||
            (o.format == "auto" && text->find_first_not_of(" \t\r\n") != std::string::npos &&
             ((*text)[text->find_first_not_of(" \t\r\n")] == '{' ||
              (*text)[text->find_first_not_of(" \t\r\n")] == '['));
        const auto batches = whole ? std::vector<std::pair<std::int64_t, std::string>>{{1, *text}}
                                   : cdr_batches(*text, o.batch_lines);
        std::int64_t total_lines = 0;
        if (!whole)
            for (const auto& [first, batch] : batches) {
                for (char c : batch) total_lines += c == '\n';
                if (!batch.empty() && batch.back() != '\n') ++total_lines;
            }
        const auto started = std::chrono::steady_clock::now();
        std::int64_t done = 0;
        json::array statuses;
        for (const auto& [first_line, batch] : batches) {
            auto url =
                fmt::format("{}/v1/voice/cdrs/imports?format={}&file={}&partial={}",
                            trim_slash(o.server), url_encode(o.format),
                            url_encode(file.filename().string()), o.partial ? "true" : "false");
            if (!o.utc_offset.empty()) url += "&utc_offset=" + url_encode(o.utc_offset);
            if (!o.accountcode.empty()) url += "&accountcode=" + url_encode(o.accountcode);
            if (!o.area_code.empty()) url += "&area_code=" + url_encode(o.area_code);
            const bool is_json = whole && o.format != "asterisk" && o.format != "freeswitch-csv";
            auto resp = http_request(
                "POST", url,
                {"Authorization: Bearer " + key,
                 std::string("Content-Type: ") + (is_json ? "application/json" : "text/csv")},
                batch);
            if (!resp) {
                std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
                return 1;
            }
            statuses.push_back(resp->status);
            json::value report;
            try {
                report = json::parse(resp->body);
            } catch (const std::exception&) {
                report = json::object{{"status", resp->status}, {"body", resp->body}};
            }
            // The server numbers lines from 1 in each batch; a batch after the first repeats the
            // header line, which the server skips without counting.
            const bool has_header = !whole && is_header(batch);
            const std::int64_t offset = first_line - 1 - (has_header ? 1 : 0);
            if (resp->status != 200) {
                status = 1;
                std::fprintf(stderr, "[%s] batch from line %lld refused: HTTP %ld %s\n",
                             file.filename().c_str(), static_cast<long long>(first_line),
                             resp->status, resp->body.substr(0, 500).c_str());
            }
            if (report.is_object()) add_report(sum, report.as_object(), offset);
            for (char c : batch) done += c == '\n';
            const auto seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::fprintf(
                stderr, "[%s] %s/%s CDRs, %s/s\n", file.filename().c_str(),
                grouped(whole ? 1 : std::min(done, total_lines)).c_str(),
                grouped(whole ? 1 : total_lines).c_str(),
                grouped(seconds > 0 ? static_cast<std::int64_t>(done / seconds) : done).c_str());
        }
        files.push_back(
            json::object{{"file", file.string()}, {"http_status", std::move(statuses)}});
    }
    sum["files"] = std::move(files);
    std::printf("%s\n", json::serialize(sum).c_str());
    return status;
}

int run_rerate(const RerateOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    json::object body{{"from", o.from}, {"to", o.to}};
    if (!o.customer.empty()) body["customer_id"] = o.customer;
    if (!o.deck.empty()) body["deck_id"] = o.deck;
    if (!o.tariffs_at.empty()) body["tariffs_at"] = o.tariffs_at;
    auto resp = http_request("POST", trim_slash(o.server) + "/v1/voice/reratings",
                             {"Authorization: Bearer " + key}, json::serialize(body));
    if (!resp) {
        std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
        return 1;
    }
    if (resp->status != 200) {
        std::fprintf(stderr, "error: HTTP %ld: %s\n", resp->status, resp->body.c_str());
        return 1;
    }
    std::printf("%s\n", resp->body.c_str());
    return 0;
}

void add_voice_cdr_subcommands(CLI::App& app, std::vector<Subcommand>& out) {
    auto found = app.get_subcommands([](CLI::App* a) { return a->get_name() == "import"; });
    CLI::App* import_cmd = found.empty()
                               ? app.add_subcommand("import", "Import data into a running server")
                               : found.front();
    auto import = std::make_shared<CdrImportOptions>();
    auto* cdrs = import_cmd->add_subcommand(
        "cdrs", "Rate and append CDR files through POST /v1/voice/cdrs/imports");
    cdrs->add_option("files", import->files, "CDR files")->required()->check(CLI::ExistingFile);
    cdrs->add_option("--format", import->format,
                     "asterisk, freeswitch-csv, freeswitch-json, "
                     "json or auto")
        ->check(CLI::IsMember({"asterisk", "freeswitch-csv", "freeswitch-json", "json", "auto"}))
        ->capture_default_str();
    cdrs->add_option("--utc-offset", import->utc_offset,
                     "UTC offset of the switch's local times (+03:00); default UTC");
    cdrs->add_flag("--partial", import->partial, "Append the good rows of a file with bad ones");
    cdrs->add_option("--accountcode", import->accountcode,
                     "Accountcode of the records that have none");
    cdrs->add_option("--area-code", import->area_code,
                     "Digits put in front of local numbers (1 to 7 digits) before E.164");
    cdrs->add_option("--batch-lines", import->batch_lines, "CDR lines per request")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    cdrs->add_option("--server", import->server, "Server base URL")->required();
    cdrs->add_option("--data-dir", import->data_dir, "Data directory holding admin.key");
    out.push_back({cdrs, [import] { return run_import_cdrs(*import); }});

    auto rerate = std::make_shared<RerateOptions>();
    auto* cmd = app.add_subcommand(
        "rerate", "Re-rate the rated CDRs of a time range through POST /v1/voice/reratings");
    cmd->add_option("--from", rerate->from, "Start of the range (RFC 3339)")->required();
    cmd->add_option("--to", rerate->to, "End of the range, exclusive (RFC 3339)")->required();
    cmd->add_option("--customer", rerate->customer, "Only this customer's CDRs");
    cmd->add_option("--deck", rerate->deck, "Only the CDRs rated with this deck");
    cmd->add_option("--tariffs-at", rerate->tariffs_at,
                    "Use the tariff versions effective at this instant (RFC 3339)");
    cmd->add_option("--server", rerate->server, "Server base URL")->required();
    cmd->add_option("--data-dir", rerate->data_dir, "Data directory holding admin.key");
    out.push_back({cmd, [rerate] { return run_rerate(*rerate); }});
}

}  // namespace switchyard::app
