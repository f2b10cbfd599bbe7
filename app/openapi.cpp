#include "app/openapi.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/modules/module.hpp"
#include "events/memory_event_store.hpp"

namespace switchyard::app {

namespace json = boost::json;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

/// `/v1/vpn/devices/{id}` -> its parameter names; `{rest...}` -> `rest`.
std::vector<std::string> path_params(const std::string& pattern) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while ((i = pattern.find('{', i)) != std::string::npos) {
        auto j = pattern.find('}', i);
        auto name = pattern.substr(i + 1, j - i - 1);
        if (name.ends_with("...")) name.resize(name.size() - 3);
        out.push_back(name);
        i = j;
    }
    return out;
}

/// OpenAPI writes `{rest...}` as `{rest}`.
std::string openapi_path(std::string pattern) {
    for (auto p = pattern.find("...}"); p != std::string::npos; p = pattern.find("...}"))
        pattern.erase(p, 3);
    return pattern;
}

/// `GET /v1/vpn/devices/{id}` -> `get_v1_vpn_devices_id`.
std::string operation_id(const api::Route& route) {
    std::string id = lower(route.method);
    for (char c : openapi_path(route.pattern)) {
        const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (word)
            id += c;
        else if (id.back() != '_')
            id += '_';
    }
    while (id.back() == '_') id.pop_back();
    return id;
}

json::object operation(const api::Route& route) {
    json::object op;
    op["summary"] = route.summary;
    op["tags"] = json::array{json::value(route.module)};
    op["operationId"] = operation_id(route);
    json::array params;
    for (const auto& name : path_params(route.pattern))
        params.push_back(json::object{{"name", name},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", json::object{{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = std::move(params);
    if (route.reach == api::Reach::Public) {
        op["security"] = json::array{};
    } else {
        op["security"] = json::array{json::object{{"bearer", json::array{}}}};
        json::array roles;
        if (route.roles.empty()) roles.push_back("admin");
        for (auto r : route.roles) roles.push_back(json::value(core::identity::to_string(r)));
        op["x-roles"] = std::move(roles);
        if (route.reach == api::Reach::SessionOnly) op["x-session-only"] = true;
    }
    if (route.method == "POST" || route.method == "PUT" || route.method == "PATCH")
        op["requestBody"] = json::object{
            {"required", false},
            {"content",
             json::object{{"application/json",
                           json::object{{"schema", json::object{{"type", "object"}}}}}}}};
    op["responses"] = json::object{
        {"2XX", json::object{{"description", "Success."}}},
        {"default",
         json::object{
             {"description", "An RFC 9457 problem naming the field and the reason."},
             {"content",
              json::object{{"application/problem+json",
                            json::object{{"schema", json::object{{"$ref",
                                                                  "#/components/"
                                                                  "schemas/Problem"}}}}}}}}}};
    return op;
}

json::object problem_schema() {
    auto str = json::object{{"type", "string"}};
    return json::object{{"type", "object"},
                        {"required", json::array{"type", "title", "status", "detail"}},
                        {"properties", json::object{{"type", str},
                                                    {"title", str},
                                                    {"status", json::object{{"type", "integer"}}},
                                                    {"detail", str},
                                                    {"field", str}}}};
}

void pretty(std::string& out, const json::value& v, int indent) {
    const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
    if (v.is_object() && !v.as_object().empty()) {
        out += "{\n";
        bool first = true;
        for (const auto& [k, x] : v.as_object()) {
            if (!first) out += ",\n";
            first = false;
            out += inner + json::serialize(json::value(k)) + ": ";
            pretty(out, x, indent + 1);
        }
        out += "\n" + pad + "}";
    } else if (v.is_array() && !v.as_array().empty()) {
        out += "[\n";
        bool first = true;
        for (const auto& x : v.as_array()) {
            if (!first) out += ",\n";
            first = false;
            out += inner;
            pretty(out, x, indent + 1);
        }
        out += "\n" + pad + "]";
    } else {
        out += json::serialize(v);
    }
}

}  // namespace

std::string openapi_document(const api::Router& router) {
    std::map<std::string, std::map<std::string, json::object>> paths;  // sorted: stable output
    for (const auto& route : router.routes())
        paths[openapi_path(route.pattern)][lower(route.method)] = operation(route);
    json::object p;
    for (auto& [path, ops] : paths) {
        json::object item;
        for (auto& [method, op] : ops) item[method] = std::move(op);
        p[path] = std::move(item);
    }
    json::object doc{
        {"openapi", "3.1.0"},
        {"info", json::object{{"title", "Switchyard API"},
                              {"version", "1"},
                              {"description",
                               "Generated by `switchyard openapi` from the routes the modules "
                               "register (app/modules); x-roles lists the roles that may call "
                               "an operation."}}},
        {"paths", std::move(p)},
        {"components",
         json::object{{"schemas", json::object{{"Problem", problem_schema()}}},
                      {"securitySchemes",
                       json::object{{"bearer", json::object{{"type", "http"},
                                                            {"scheme", "bearer"},
                                                            {"description",
                                                             "An API key (sy_...) or a "
                                                             "session token (syt_...)."}}}}}}}};
    std::string out;
    pretty(out, doc, 0);
    out += '\n';
    return out;
}

core::Result<std::string> openapi_of_modules() {
    namespace fs = std::filesystem;
    const auto modules = make_modules();
    auto store = events::make_memory_event_store();
    std::string tmpl = (fs::temp_directory_path() / "switchyard-openapi-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        return core::fail(core::Errc::Internal, "tmpdir", "cannot create a temporary directory");
    const fs::path dir = tmpl;
    auto run = [&]() -> core::Result<std::string> {
        auto runner = SY_TRY(projections::ProjectionRunner::open(dir, all_projectors(modules)));
        core::SystemClock clock;
        api::Metrics metrics;
        api::ApiContext ctx{*store, *runner, clock, metrics, std::string(32, 'x'), "op"};
        auto keyring = events::MasterKeyring::generate();
        ModuleHost host{*store, *runner, clock, keyring, ctx, "op"};
        auto router = SY_TRY(start_modules(modules, host));
        auto doc = openapi_document(*router);
        stop_modules(modules);
        return doc;
    };
    auto out = run();
    std::error_code ec;
    fs::remove_all(dir, ec);
    return out;
}

int run_openapi(const std::string& output) {
    // The document goes to stdout: the modules' start-up notes (spdlog writes to stdout) do not.
    spdlog::set_level(spdlog::level::err);
    auto doc = openapi_of_modules();
    if (!doc) {
        std::fprintf(stderr, "error: %s: %s\n", doc.error().field.c_str(),
                     doc.error().message.c_str());
        return 1;
    }
    if (output.empty()) {
        std::fwrite(doc->data(), 1, doc->size(), stdout);
        return 0;
    }
    std::ofstream f(output, std::ios::binary | std::ios::trunc);
    f << *doc;
    if (!f) {
        std::fprintf(stderr, "error: --output: cannot write %s\n", output.c_str());
        return 1;
    }
    return 0;
}

}  // namespace switchyard::app
