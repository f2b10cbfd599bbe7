// The bad-input catalogue: malformed and hostile requests on every surface (the /v1 routes of
// iptv, identity, API keys, 2FA, VPN, events and audit, hotspot; the Xtream surface; the
// rlm_rest surface /radius; operations). Each
// /v1 case must get a 4xx problem+json that names the field and must leave the log head where
// it was, except failed sign-ins, which append exactly their audit event. The Xtream surface
// answers in its own formats: there the documented status is checked, and that the log did
// not move. Field cases are generated from a table of each JSON route's fields (wrong types,
// too long, empty, control characters, out-of-range values); the rest are written by hand.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/problem.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

// Longer than a short-string buffer: a value leaked on an error path shows under LeakSanitizer.
const char* kPassword = "Corr3ct-Horse-Battery-Staple";

/// One request and what it must get.
struct Case {
    std::string surface;  ///< For the figures: iptv, identity, api-keys, 2fa, vpn, ...
    std::string method, target, body;
    std::map<std::string, std::string> headers;  ///< Lower-case names.
    int status = 400;
    /// The field the problem must name; several when either is right (e.g. a number too big
    /// for JSON parsers is `body` for one and the field for another). Empty: no problem body
    /// is expected (the Xtream surface answers in its own formats).
    std::set<std::string> fields;
    std::string appends;  ///< The one event type a failed sign-in appends; empty: none.
    bool admin = true;    ///< Send the admin key unless `authorization` is set.
    std::string why;      ///< For failure messages.
    /// The rlm_rest surface (/radius): the refusal is rlm_rest's JSON, not problem+json; a
    /// 400 names the attribute in `field`, a 401 carries `reply:Reply-Message`.
    bool rlm_rest = false;
};

enum class Kind { Str, NullStr, Int, NullInt, Bool, IntList, StrList, Obj, ObjList };

/// A value that must be refused, with the status and field it must get (default: 400, the
/// field itself).
struct Bad {
    std::string json;
    int status = 400;
    std::string field;
};

/// A field of a JSON body and the checks that apply to it.
struct Field {
    std::string name;
    Kind kind;
    std::size_t max = 0;  ///< Longest accepted string (0: no limit to test).
    bool no_empty = false;
    bool no_control = false;
    std::vector<Bad> bad = {};
};

/// Values that must be refused with 400 naming the field itself.
std::vector<Bad> refused(std::initializer_list<const char*> json_values) {
    std::vector<Bad> out;
    for (const char* v : json_values) out.push_back(Bad{v});
    return out;
}

/// Values that must be refused with 400 naming another field (a nested one): (value, field).
std::vector<Bad> refused_naming(
    std::initializer_list<std::pair<const char*, const char*>> values_and_fields) {
    std::vector<Bad> out;
    for (const auto& [v, field] : values_and_fields) out.push_back(Bad{v, 400, field});
    return out;
}

/// A JSON route: where, a valid body, and its fields.
struct JsonRoute {
    std::string surface, method, target, base;
    std::vector<Field> fields;
    std::map<std::string, std::string> headers = {};
};

std::string with(const std::string& base, const std::string& key, const std::string& value) {
    auto o = json::parse(base).as_object();
    o[key] = json::parse(value);
    return json::serialize(o);
}

std::string quoted(const std::string& s) { return json::serialize(json::value(s)); }

/// Wrong JSON types for a field of `kind`: (value, field named). The values of the second list
/// are lists with a wrong element: the refusal names the element (`name[0]`).
std::vector<std::pair<std::string, std::string>> wrong_types(const std::string& name, Kind kind) {
    using Values = std::vector<const char*>;
    static const std::map<Kind, std::pair<Values, Values>> kWrong{
        {Kind::Str, {{"42", "true", "[]", "{}", "null"}, {}}},
        {Kind::NullStr, {{"42", "false", "[\"a\"]", "{}"}, {}}},
        {Kind::Int, {{"\"1\"", "1.5", "true", "[]", "{}", "null"}, {}}},
        {Kind::NullInt, {{"\"1\"", "2.5", "false", "[1]", "{}"}, {}}},
        {Kind::Bool, {{"\"true\"", "1", "[]", "{}", "null"}, {}}},
        {Kind::IntList, {{"\"1\"", "1", "{}"}, {"[\"a\"]", "[1.5]", "[null]"}}},
        {Kind::StrList, {{"\"a\"", "1", "{}"}, {"[1]", "[null]"}}},
        {Kind::Obj, {{"\"a\"", "1", "[]", "true"}, {}}},
        {Kind::ObjList, {{"\"a\"", "1", "{}"}, {"[1]", "[\"x\"]"}}}};
    std::vector<std::pair<std::string, std::string>> out;
    const auto& [whole, element] = kWrong.at(kind);
    for (const char* v : whole) out.emplace_back(v, name);
    for (const char* v : element) out.emplace_back(v, name + "[0]");
    return out;
}

/// The catalogue's world: a catalogue, a line, a reseller with a session, a VPN customer with
/// devices and a peer, and the cases.
struct Catalogue {
    ApiFixture f;
    std::string reseller_id, reseller_token, customer_id, line_password, api_key_id;
    std::vector<Case> cases;

    Catalogue() {
        auto ok = [&](const api::HttpResponse& r) {
            REQUIRE_MESSAGE(r.status < 300, r.status, " ", r.body);
            return r;
        };
        simdjson::dom::parser p;
        ok(f.call("POST", "/v1/iptv/categories", R"({"name":"News"})"));
        ok(f.call("POST", "/v1/iptv/streams",
                  R"({"name":"One","source_url":"http://example.com/one.m3u8","category_id":1})"));
        ok(f.call("POST", "/v1/iptv/bouquets", R"({"name":"All","stream_ids":[1]})"));
        ok(f.call("POST", "/v1/iptv/servers", R"({"name":"edge-1","host":"127.0.0.1"})"));
        ok(f.call("POST", "/v1/iptv/server-groups", R"({"name":"all","server_ids":[1]})"));
        auto line =
            ok(f.call("POST", "/v1/iptv/lines", R"({"username":"viewer1","bouquets":[1]})"));
        line_password = str(parse_json(p, line.body), "password");
        auto reseller = ok(f.call(
            "POST", "/v1/users",
            fmt::format(R"({{"username":"acme","password":"{}","role":"reseller"}})", kPassword)));
        reseller_id = str(parse_json(p, reseller.body), "user_id");
        auto session =
            ok(f.call("POST", "/v1/auth/login",
                      fmt::format(R"({{"username":"acme","password":"{}"}})", kPassword), false));
        reseller_token = str(parse_json(p, session.body), "token");
        auto key = ok(f.call("POST", "/v1/api-keys", R"({"name":"ops key","role":"support"})"));
        api_key_id = str(parse_json(p, key.body), "key_id");
        core::DecisionContext d;
        d.now = f.clock.now();
        REQUIRE(f.vpn->seed_default_plans(d));
        ok(f.call("PUT", "/v1/vpn/servers/nyc",
                  R"({"name":"New York","endpoint_host":"nyc.vpn.example.net",
                      "ipv4_pool":"10.8.1.0/24","dns":["10.8.1.1"]})"));
        auto customer = ok(f.call(
            "POST", "/v1/users",
            fmt::format(R"({{"username":"carol","password":"{}","role":"customer"}})", kPassword)));
        customer_id = str(parse_json(p, customer.body), "user_id");
        ok(f.call("PUT", "/v1/vpn/subscription?customer_id=" + customer_id,
                  R"({"plan_id":"family"})"));
        ok(f.call(
            "POST", "/v1/vpn/scans?customer_id=" + customer_id,
            R"({"devices":[{"id":"laptop","type":"laptop"},{"id":"phone","type":"phone"}]})"));
        ok(f.call("POST", "/v1/vpn/devices/laptop/peer?customer_id=" + customer_id, "{}"));
        f.settle();
        build();
    }

    void add(Case c) { cases.push_back(std::move(c)); }

    /// Case helper: a problem with `status` naming `field`.
    void expect(const std::string& surface, const std::string& method, const std::string& target,
                const std::string& body, int status, const std::string& field,
                const std::string& why, std::map<std::string, std::string> headers = {}) {
        Case c;
        c.surface = surface;
        c.method = method;
        c.target = target;
        c.body = body;
        c.status = status;
        c.fields = {field};
        c.why = why;
        c.headers = std::move(headers);
        cases.push_back(std::move(c));
    }

    /// `expect` of a GET of `target` followed by each of `values`, described as `why` followed by
    /// the value.
    void expect_get_each(const std::string& surface, const std::string& target,
                         std::initializer_list<const char*> values, int status,
                         const std::string& field, const std::string& why) {
        for (const char* v : values) expect(surface, "GET", target + v, "", status, field, why + v);
    }

    /// Every generated case of one JSON route.
    void json_route(const JsonRoute& r) {
        auto one = [&](const std::string& body, int status, std::set<std::string> fields,
                       const std::string& why) {
            Case c;
            c.surface = r.surface;
            c.method = r.method;
            c.target = r.target;
            c.body = body;
            c.status = status;
            c.fields = std::move(fields);
            c.why = why;
            c.headers = r.headers;
            cases.push_back(std::move(c));
        };
        for (const auto& fd : r.fields) {
            for (const auto& [value, named] : wrong_types(fd.name, fd.kind))
                one(with(r.base, fd.name, value), 400, {named}, fd.name + " = " + value);
            if (fd.max) {
                one(with(r.base, fd.name, quoted(std::string(fd.max + 1, 'a'))), 400, {fd.name},
                    fd.name + " one byte too long");
                one(with(r.base, fd.name, quoted(std::string(100'000, 'a'))), 400, {fd.name},
                    fd.name + " 100 kB long");
            }
            if (fd.no_empty) one(with(r.base, fd.name, "\"\""), 400, {fd.name}, fd.name + " empty");
            if (fd.no_control) {
                for (const char* v : {"a\x01z", "a\x1b[31mz", "a\nz", "a\x7fz"})
                    one(with(r.base, fd.name, quoted(std::string(v))), 400, {fd.name},
                        fd.name + " with a control character");
                one(with(r.base, fd.name, quoted(std::string("a\0z", 3))), 400, {fd.name},
                    fd.name + " with NUL");
            }
            for (const auto& b : fd.bad)
                one(with(r.base, fd.name, b.json), b.status, {b.field.empty() ? fd.name : b.field},
                    fd.name + " = " + b.json);
            if (fd.kind == Kind::Int || fd.kind == Kind::NullInt) {
                // Past int64: a string of digits some parsers refuse and others read as double.
                one(with(r.base, fd.name, "9223372036854775808"), 400, {fd.name},
                    fd.name + " = 2^63");
                auto raw = r.base;
                raw.insert(raw.size() - 1,
                           (raw.size() > 2 ? "," : "") + quoted(fd.name) + ":1e400");
                one(raw, 400, {"body", fd.name}, fd.name + " = 1e400");
                raw = r.base;
                raw.insert(raw.size() - 1, (raw.size() > 2 ? "," : "") + quoted(fd.name) +
                                               ":123456789012345678901234567890");
                one(raw, 400, {"body", fd.name}, fd.name + " = 30 digits");
            }
        }
        // The body as a whole.
        one(with(r.base, "zz_unknown", "1"), 400, {"zz_unknown"}, "an unknown field");
        one(with(r.base, "__proto__", "{}"), 400, {"__proto__"}, "__proto__");
        for (const char* b : {"[]", "[{}]", "\"text\"", "42", "null", "true"})
            one(b, 400, {"body"}, std::string("body ") + b);
        for (const char* b :
             {"{", "}", "{\"a\":}", "{\"a\":NaN}", "{\"a\":Infinity}", "{'a':'b'}", "{\"a\":1,}",
              "{\"a\" 1}", "{\"a\":01}", "{\"a\":\"\\x41\"}", "{\"a\":\"unterminated}", "{} {}",
              "{\"a\":tru}", "\xef\xbb\xbf{}", "<xml/>", "a=1&b=2"})
            one(b, 400, {"body"}, std::string("malformed JSON ") + b);
        one("{\"a\":\"\xff\xfe\"}", 400, {"body"}, "invalid UTF-8");
        one("{\"a\":\"\xc0\xaf\"}", 400, {"body"}, "overlong UTF-8");
        one("{\"a\":\"\xed\xa0\x80\"}", 400, {"body"}, "UTF-8 surrogate");
        one("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}", 400, {"body"},
            "arrays nested 5000 deep");
        std::string deep;
        for (int i = 0; i < 3000; ++i) deep += "{\"a\":";
        deep += "1" + std::string(3000, '}');
        one(deep, 400, {"body"}, "objects nested 3000 deep");

        // A key given twice, and a body that is not declared as JSON.
        if (!r.fields.empty()) {
            // The key twice, whether or not the base body has it already.
            const auto pair =
                quoted(r.fields[0].name) + ":" + (r.fields[0].kind == Kind::Str ? "\"dup\"" : "1");
            auto dup = r.base;
            dup.insert(dup.size() - 1,
                       std::string(r.base.size() > 2 ? "," : "") + pair + "," + pair);
            Case c;
            c.surface = r.surface;
            c.method = r.method;
            c.target = r.target;
            c.body = dup;
            c.status = 400;
            c.fields = {r.fields[0].name};
            c.why = "duplicate key " + r.fields[0].name;
            c.headers = r.headers;
            cases.push_back(c);
            for (const char* type :
                 {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
                c.body = r.base;
                c.status = 415;
                c.fields = {"content-type"};
                c.why = std::string("Content-Type: ") + type;
                c.headers = r.headers;
                c.headers["content-type"] = type;
                cases.push_back(c);
            }
        }
    }

    void build();
    void iptv();
    void identity();
    void vpn();
    void log_routes();
    void xtream();
    void ops();
    void paths_and_headers();
    void hotspot();
    /// An rlm_rest request to /radius that must get `status`, naming `field` (400) or saying
    /// why in Reply-Message (401, `field` empty).
    void rlm(const std::string& target, const std::string& body, int status,
             const std::string& field, const std::string& why) {
        Case c;
        c.surface = "hotspot-radius";
        c.method = "POST";
        c.target = target;
        c.body = body;
        c.status = status;
        if (!field.empty()) c.fields = {field};
        c.rlm_rest = true;
        c.why = why;
        cases.push_back(std::move(c));
    }
};

void Catalogue::iptv() {
    const Field name{"name", Kind::Str, 200, true, true};
    json_route({"iptv",
                "POST",
                "/v1/iptv/categories",
                R"({"name":"Sports and weather"})",
                {name,
                 {"kind", Kind::Str, 0, true, false, {{"\"tv\""}, {"\"LIVE \""}}},
                 {"parent_id", Kind::Int, 0, false, false, {{"999999", 404}}}}});
    json_route(
        {"iptv", "PATCH", "/v1/iptv/categories/1", R"({"name":"Renamed category one"})", {name}});
    std::vector<Field> stream{
        name,
        {"source_url", Kind::Str, 2048, true, false,
         refused({"\"ftp://example.com/a\"", "\"javascript:alert(1)\"", "\"http://exa mple.com/\"",
                  "\"http://example.com/\\r\\nX-Injected: 1\"", "\"file:///etc/passwd\"",
                  "\"../../etc/passwd\""})},
        {"tvg_id", Kind::Str, 200, false, true},
        {"logo", Kind::Str, 2048, false, true},
        {"category_id", Kind::NullInt, 0, false, false, {{"999999", 404}}},
        {"epg_channel_id", Kind::Str, 200, false, true},
        {"http_referrer", Kind::Str, 2048, false, true},
        {"user_agent", Kind::Str, 1024, false, true}};
    json_route({"iptv", "POST", "/v1/iptv/streams",
                R"({"name":"Stream number two","source_url":"http://example.com/two.m3u8"})",
                stream});
    json_route({"iptv", "PATCH", "/v1/iptv/streams/1", "{}", stream});
    std::vector<Field> bouquet{
        name,
        {.name = "category_ids",
         .kind = Kind::IntList,
         .bad = {{"[999999]", 404, "category_ids[0]"}, {"[1,1]", 400, "category_ids[1]"}}},
        {.name = "stream_ids",
         .kind = Kind::IntList,
         .bad = {{"[999999]", 404, "stream_ids[0]"}, {"[1,1]", 400, "stream_ids[1]"}}}};
    json_route(
        {"iptv", "POST", "/v1/iptv/bouquets", R"({"name":"Kids and family bouquet"})", bouquet});
    json_route({"iptv", "PATCH", "/v1/iptv/bouquets/1", "{}", bouquet});
    std::vector<Field> server{
        {"name", Kind::Str, 100, true, true},
        {"scheme", Kind::Str, 0, true, true, refused({"\"ftp\"", "\"HTTP\""})},
        {"host", Kind::Str, 253, true, true,
         refused({"\"a b\"", "\"-x\"", "\"http://h\"", "\"h/p\""})},
        {"port", Kind::Int, 0, false, false, refused({"0", "65536", "-1"})},
        {"max_connections", Kind::Int, 0, false, false, refused({"-1", "10000001"})},
        {"max_mbps", Kind::Int, 0, false, false, refused({"-1", "10000001"})},
        {"weight", Kind::Int, 0, false, false, refused({"0", "1001"})},
        {"enabled", Kind::Bool},
        {"health_path", Kind::Str, 0, true, true, refused({"\"healthz\"", "\"/a b\""})}};
    json_route(
        {"iptv", "POST", "/v1/iptv/servers", R"({"name":"edge-2","host":"10.0.0.2"})", server});
    json_route({"iptv", "PATCH", "/v1/iptv/servers/1", "{}", server});
    std::vector<Field> group{
        {"name", Kind::Str, 100, true, true},
        {"strategy", Kind::Str, 0, true, true, refused({"\"random\"", "\"ROUND_ROBIN\""})},
        {.name = "server_ids",
         .kind = Kind::IntList,
         .bad = {{"[999999]", 404, "server_ids[0]"}, {"[1,1]", 400, "server_ids[1]"}, {"[]"}}}};
    json_route(
        {"iptv", "POST", "/v1/iptv/server-groups", R"({"name":"eu","server_ids":[1]})", group});
    json_route({"iptv", "PATCH", "/v1/iptv/server-groups/1", "{}", group});
    std::vector<Field> assignment{
        {"group_id", Kind::NullInt, 0, false, false, {{"999999", 404}}},
        {.name = "server_ids",
         .kind = Kind::IntList,
         .bad = {{"[999999]", 404, "server_ids[0]"}, {"[1,1]", 400, "server_ids[1]"}}}};
    json_route({"iptv", "PUT", "/v1/iptv/streams/1/servers", "{}", assignment});
    std::vector<Field> line{
        {"password", Kind::Str, 64, true, true,
         refused({"\"short\"", "\"has a space 1\"", "\"semi;colon1\"", "\"slash/slash1\""})},
        {"max_connections", Kind::Int, 0, false, false, {{"0"}, {"-1"}, {"1001"}}},
        {"exp_date", Kind::NullInt, 0, false, false, {{"-1"}, {"253402300800"}}},
        {"bouquets", Kind::IntList, 0, false, false, {{"[999999]", 404, "bouquets[0]"}}},
        {"is_trial", Kind::Bool},
        {.name = "allowed_output_formats",
         .kind = Kind::StrList,
         .bad = {{"[]"}, {"[\"mkv\"]", 400, "allowed_output_formats[0]"}}},
        {"status", Kind::Str, 0, true, false, {{"\"deleted\""}, {"\"Active\""}}}};
    auto create = line;
    create.insert(create.begin(),
                  Field{"username", Kind::Str, 64, true, true,
                        refused({"\"ab\"", "\"a b c\"", "\"x/y/z\"", "\"caf\\u00e9s\"",
                                 "\"<script>\"", "\"' OR 1=1 --\""})});
    json_route(
        {"iptv", "POST", "/v1/iptv/lines", R"({"username":"new-line-with-long-name"})", create});
    json_route({"iptv", "PATCH", "/v1/iptv/lines/1", "{}", line});
    // M3U import: query parameters, and a body with no usable entry.
    const std::map<std::string, std::string> m3u{{"content-type", "audio/x-mpegurl"}};
    expect("iptv", "POST", "/v1/iptv/imports/m3u", "#EXTM3U\n", 400, "source", "no source", m3u);
    expect("iptv", "POST", "/v1/iptv/imports/m3u?source=", "#EXTM3U\n", 400, "source",
           "empty source", m3u);
    for (const char* from : {"bogus", "GROUP-TITLE", "", "country;drop"})
        expect("iptv", "POST", fmt::format("/v1/iptv/imports/m3u?source=us&category_from={}", from),
               "#EXTM3U\n", 400, "category_from", std::string("category_from=") + from, m3u);
    for (const char* body : {"", "#EXTM3U\n", "not a playlist", "#EXTM3U\n#EXTINF:-1,x\n",
                             "#EXTM3U\n#EXTINF:-1,x\nnot-a-url\n"})
        expect("iptv", "POST", "/v1/iptv/imports/m3u?source=us", body, 422, "body",
               std::string("playlist without entries: ") + body, m3u);
    // Query parameters of the lists.
    for (const char* list : {"categories", "streams", "bouquets", "lines"}) {
        expect_get_each("iptv", fmt::format("/v1/iptv/{}?cursor=", list),
                        {"-1", "abc", "1.5", "1e3", "99999999999999999999", "0x10", "%00"}, 400,
                        "cursor", "cursor=");
        expect_get_each("iptv", fmt::format("/v1/iptv/{}?limit=", list),
                        {"0", "-1", "1001", "abc", "1e2", "10%20", "99999999999999999999"}, 400,
                        "limit", "limit=");
    }
    expect_get_each("iptv", "/v1/iptv/streams?category_id=", {"0", "-1", "abc", "1.0"}, 400,
                    "category_id", "category_id=");
    for (const char* v : {"0", "-1", "abc"})
        expect("iptv", "DELETE", fmt::format("/v1/iptv/categories/1?move_streams_to={}", v), "",
               400, "move_streams_to", std::string("move_streams_to=") + v);
    // An Idempotency-Key over 255 characters.
    Case idem;
    idem.surface = "iptv";
    idem.method = "POST";
    idem.target = "/v1/iptv/lines";
    idem.body = R"({"username":"idemline"})";
    idem.headers = {{"idempotency-key", std::string(256, 'k')}};
    idem.fields = {"idempotency-key"};
    idem.why = "Idempotency-Key of 256 characters";
    cases.push_back(idem);
    idem.headers = {{"idempotency-key", std::string(100'000, 'k')}};
    idem.why = "Idempotency-Key of 100 kB";
    cases.push_back(idem);
}

void Catalogue::identity() {
    const std::map<std::string, std::string> session{{"authorization", "Bearer " + reseller_token}};
    // Sign-in: malformed bodies are refused before any attempt (nothing appended).
    JsonRoute login{"identity",
                    "POST",
                    "/v1/auth/login",
                    fmt::format(R"({{"username":"acme","password":"{}"}})", kPassword),
                    {{"username", Kind::Str}, {"password", Kind::Str}, {"totp", Kind::Str}}};
    const auto before = cases.size();
    json_route(login);
    for (auto i = before; i < cases.size(); ++i) cases[i].admin = false;
    // Failed sign-ins: 401 naming the password, and exactly one identity.login.failed event.
    for (const auto& [user, password] : std::vector<std::pair<std::string, std::string>>{
             {"acme", "Wrong-pass1"},
             {"acme", ""},
             {"acme", std::string(10'000, 'x')},
             {"acme", "Corr3ct-Horse "},
             {"nobody", kPassword},
             {"", kPassword},
             {std::string(5'000, 'u'), kPassword},
             {"acme' OR '1'='1", "x' OR '1'='1"},
             {"acme\r\nX-Injected: 1", kPassword},
             {"viewer1", "line-password"},
             {std::string("carol") + '\0', kPassword}}) {
        Case c;
        c.surface = "identity";
        c.method = "POST";
        c.target = "/v1/auth/login";
        c.body = json::serialize(json::object{{"username", user}, {"password", password}});
        c.status = 401;
        c.fields = {"password"};
        c.appends = "identity.login.failed";
        c.admin = false;
        c.why = "failed sign-in as " + user.substr(0, 20);
        cases.push_back(std::move(c));
    }
    // Password change, 2FA: the reseller's own session.
    json_route({"identity",
                "POST",
                "/v1/auth/password",
                fmt::format(R"({{"current_password":"{}","password":"N3w-Horse-Battery-Staple"}})",
                            kPassword),
                {{"current_password", Kind::Str},
                 {"password", Kind::Str, 0, false, false, {{"\"short\""}}}},
                session});
    for (const char* route : {"/v1/auth/2fa/enable", "/v1/auth/2fa/disable"})
        json_route({"2fa", "POST", route, R"({"code":"123456"})", {{"code", Kind::Str}}, session});
    // API keys cannot use user routes.
    for (const auto& [route, body] : std::vector<std::pair<std::string, std::string>>{
             {"/v1/auth/2fa/setup", "{}"},
             {"/v1/auth/2fa/enable", R"({"code":"123456"})"},
             {"/v1/auth/2fa/disable", R"({"code":"123456"})"},
             {"/v1/auth/password",
              R"({"current_password":"Corr3ct-Horse-Battery","password":"N3w-Horse-Battery"})"},
             {"/v1/auth/logout", ""}})
        expect(route[9] == '2' ? "2fa" : "identity", "POST", route, body, 403, "authorization",
               "an API key on a user route");
    // Sessions are ended only from a session (issue 10: a key never manages its owner's).
    expect("identity", "POST", "/v1/auth/sessions/revoke?user_id=", "", 403, "authorization",
           "an API key revoking sessions of nobody");
    expect("identity", "POST", "/v1/auth/sessions/revoke?user_id=u_nobody", "", 403,
           "authorization", "an API key revoking sessions of an unknown user");
    json_route({"identity",
                "POST",
                "/v1/users",
                fmt::format(
                    R"({{"username":"new-user-with-long-name","password":"{}","role":"customer"}})",
                    kPassword),
                {{"username", Kind::Str, 64, true, true, {{"\"ab\""}, {"\"a b c\""}}},
                 {"password", Kind::Str, 0, true, false, {{"\"short\""}}},
                 {"role", Kind::Str, 0, true, false, {{"\"root\""}, {"\"Admin\""}}},
                 {"parent", Kind::Str}}});
    // An unknown parent is named as the request names it: `parent`.
    Case parent;
    parent.surface = "identity";
    parent.method = "POST";
    parent.target = "/v1/users";
    parent.body = fmt::format(
        R"({{"username":"new-user-with-a-parent","password":"{}","role":"customer",
             "parent":"u_nobody"}})",
        kPassword);
    parent.status = 404;
    parent.fields = {"parent"};
    parent.why = "an unknown parent";
    cases.push_back(parent);
    json_route(
        {"identity",
         "PUT",
         "/v1/users/" + reseller_id + "/allowlist",
         R"({"cidrs":["10.0.0.0/8"]})",
         {{.name = "cidrs",
           .kind = Kind::StrList,
           .bad = {{"[\"10.0.0.0/33\"]"},
                   {"[\"abc\"]"},
                   {"[\"10.0.0.0/8\\n\"]"},
                   {"[\"300.0.0.0/8\"]"},
                   {"[\"::/129\"]"},
                   {json::serialize(json::value_from(std::vector<std::string>(101, "10.0.0.0/8")))},
                   {"null"}}}}});
    json_route(
        {"api-keys",
         "POST",
         "/v1/api-keys",
         R"({"name":"a key with a long name"})",
         {{"name", Kind::Str, 100, true, false},
          {"role", Kind::Str, 0, true, false, {{"\"root\""}}},
          {"route_prefixes", Kind::StrList, 0, false, false,
           refused_naming({{"[\"/x\"]", "route_prefixes"}, {"[\"v1/iptv\"]", "route_prefixes"}})},
          {"expires_at", Kind::Str, 0, true, false,
           refused({"\"tomorrow\"", "\"2026-13-01T00:00:00Z\"", "\"1790000000\""})}}});
    for (const char* id : {"k_nobody", "..", "%2e%2e", "x%00", "%27%20OR%201=1"}) {
        expect("api-keys", "POST", fmt::format("/v1/api-keys/{}/rotate", id), "", 404, "id",
               std::string("rotate key ") + id);
        expect("api-keys", "DELETE", fmt::format("/v1/api-keys/{}", id), "", 404, "id",
               std::string("revoke key ") + id);
    }
    expect_get_each("identity", "/v1/users?limit=", {"0", "-1", "1001", "abc"}, 400, "limit",
                    "users limit=");
    expect_get_each("identity", "/v1/users/", {"u_nobody", "%2e%2e", "x%00y", "%3Cscript%3E"}, 404,
                    "id", "user ");
}

void Catalogue::vpn() {
    const auto q = "?customer_id=" + customer_id;
    json_route({"vpn",
                "PUT",
                "/v1/vpn/plans/gold",
                R"({"name":"Gold plan for families"})",
                {{"name", Kind::Str, 0, true, false},
                 {"home_network_max", Kind::NullInt, 0, false, false, {{"-1"}, {"100001"}}},
                 {"personal_max", Kind::NullInt, 0, false, false, {{"-1"}, {"100001"}}},
                 {"type_max", Kind::Obj, 0, false, false,
                  refused_naming({{R"({"laptop":"a"})", "type_max.laptop"},
                                  {R"({"laptop":-1})", "type_max.laptop"},
                                  {R"({"Bad Type":1})", "type_max"}})},
                 {"vip_access", Kind::Bool},
                 {"dedicated_server_only", Kind::Bool}}});
    json_route(
        {"vpn",
         "PUT",
         "/v1/vpn/servers/dal",
         R"({"name":"Dallas and Fort Worth","endpoint_host":"dal.vpn.example.net","ipv4_pool":"10.8.2.0/24"})",
         {{"name", Kind::Str, 64, true, false},
          {"location", Kind::Str, 128, false, true},
          {"endpoint_host", Kind::Str, 0, true, false,
           refused({"\"a b\"", "\"-x.example\"", "\"http://x\"", "\"x;rm -rf\""})},
          {"listen_port", Kind::Int, 0, false, false, {{"0"}, {"-1"}, {"65536"}}},
          {"ipv4_pool", Kind::Str, 0, true, false,
           refused({"\"10.0.0.0/33\"", "\"fd00::/64\"", "\"x\"", "\"10.0.0.0\""})},
          {"ipv6_pool", Kind::Str, 0, false, false, {{"\"10.9.0.0/24\""}, {"\"fd00::/129\""}}},
          {"dns", Kind::StrList, 0, false, false,
           refused_naming(
               {{"[\"x\"]", "dns"},
                {"[\"1.1.1.1\",\"1.1.1.2\",\"1.1.1.3\",\"1.1.1.4\",\"1.1.1.5\"]", "dns"}})},
          {"client_allowed_ips", Kind::Str, 0, true, false, {{"\"x\""}, {"\"10.0.0.0/8,\""}}},
          {"persistent_keepalive", Kind::Int, 0, false, false, {{"-1"}, {"65536"}}},
          {"policy", Kind::Obj, 0, false, false,
           refused_naming({{R"({"bandwidth":"fast"})", "policy.bandwidth"},
                           {R"({"zz":1})", "policy.zz"},
                           {R"({"allowed_categories":["x"]})", "policy.allowed_categories"},
                           {R"({"allowed_categories":[]})", "policy.allowed_categories"},
                           {R"({"vip_only":"yes"})", "policy.vip_only"},
                           {R"({"capacity":"10"})", "policy.capacity"},
                           {R"({"allowlist":[1]})", "policy.allowlist[0]"}})}}});
    for (const std::string& id :
         {std::string("Bad%20Id"), std::string("x%00"), std::string(33, 'a'),
          std::string("%3Cscript%3E"), std::string("UP")})
        expect("vpn", "PUT", std::string("/v1/vpn/servers/") + id,
               R"({"name":"X","endpoint_host":"x.example.net","ipv4_pool":"10.8.9.0/24"})", 400,
               "server_id", std::string("server id ") + id);
    json_route({"vpn",
                "PUT",
                "/v1/vpn/subscription" + q,
                R"({"plan_id":"family"})",
                {{"plan_id", Kind::Str, 0, false, false, {{"\"nope\"", 404}}}}});
    json_route(
        {"vpn",
         "POST",
         "/v1/vpn/scans" + q,
         R"({"devices":[]})",
         {{"devices", Kind::ObjList, 0, false, false,
           refused_naming(
               {{R"([{"id":""}])", "devices[0].id"},
                {R"([{"id":"a b"}])", "devices[0].id"},
                {R"([{"ip":"1.1.1.1"}])", "devices[0].id"},
                {R"([{"id":"x","ip":"999.1.1.1"}])", "devices[0].ip"},
                {R"([{"id":"x","mac":"zz"}])", "devices[0].mac"},
                {R"([{"id":"x","hostname":"a\u0007b"}])", "devices[0].hostname"},
                {R"([{"id":"x","open_ports":[{"port":0}]}])", "devices[0].open_ports[0].port"},
                {R"([{"id":"x","open_ports":[{"port":"80"}]}])", "devices[0].open_ports[0].port"},
                {R"([{"id":"x","discovered_at":"yesterday"}])", "devices[0].discovered_at"},
                {R"([{"id":"x","zz":1}])", "devices[0].zz"},
                {R"([{"id":"x"},{"id":"y","mac":1}])", "devices[1].mac"}})}}});
    // The decider's checks of this one device name its own fields, not `devices[0].<field>`.
    json_route({"vpn",
                "POST",
                "/v1/vpn/devices" + q,
                R"({"id":"tablet-in-the-kitchen"})",
                {{"id", Kind::Str, 64, true, false, {{"\"a b\""}, {"\"../etc\""}, {"\"x/y\""}}},
                 {"ip", Kind::Str, 0, false, false, {{"\"999.0.0.1\""}, {"\"localhost\""}}},
                 {"mac", Kind::Str, 0, false, false, {{"\"zz\""}, {"\"00:11:22:33:44\""}}},
                 {"hostname", Kind::Str, 253, false, true},
                 {"vendor", Kind::Str, 128, false, true},
                 {"type", Kind::Str, 32, false, true},
                 {"type_name", Kind::Str, 128, false, true},
                 {"icon", Kind::Str, 16, false, true},
                 {"server_id", Kind::Str, 32, false, false},
                 {"open_ports", Kind::ObjList, 0, false, false,
                  refused_naming({{R"([{"port":65536}])", "open_ports[0].port"}})}}});
    // The route's own check of discovered_at names it right.
    json_route({"vpn",
                "POST",
                "/v1/vpn/devices" + q,
                R"({"id":"tablet-in-the-kitchen"})",
                {{"discovered_at", Kind::Str, 0, false, false, {{"\"yesterday\""}, {"\"\""}}}}});
    json_route({"vpn",
                "PATCH",
                "/v1/vpn/devices/laptop" + q,
                R"({"server_id":"nyc"})",
                {{"server_id", Kind::Str}}});
    std::vector<Field> peer_limits{
        {"expires_at", Kind::NullStr, 0, false, false, {{"\"tomorrow\""}, {"\"\""}}},
        {"quota_bytes", Kind::NullInt}};
    auto create_peer = peer_limits;
    create_peer.push_back({"public_key", Kind::Str, 0, true, false, {{"\"notbase64\""}}});
    create_peer.push_back({"dns", Kind::StrList, 0, false, false, {{"[\"x\"]", 400, "dns"}}});
    create_peer.push_back(
        {"persistent_keepalive", Kind::Int, 0, false, false, {{"-1"}, {"65536"}}});
    json_route({"vpn", "POST", "/v1/vpn/devices/phone/peer" + q, "{}", create_peer});
    auto update_peer = peer_limits;
    update_peer.push_back({"enabled", Kind::Bool});
    json_route({"vpn", "PATCH", "/v1/vpn/devices/laptop/peer" + q, "{}", update_peer});
    json_route({"vpn",
                "POST",
                "/v1/vpn/port-forwards" + q,
                R"({"device_id":"laptop","local_port":8080})",
                {{"device_id", Kind::Str},
                 {"local_ip", Kind::Str, 0, false, false, {{"\"x\""}, {"\"10.0.0.256\""}}},
                 {"local_port", Kind::Int, 0, false, false, {{"0"}, {"65536"}}},
                 {"external_port", Kind::NullInt, 0, false, false, {{"0"}, {"70000"}}},
                 {"protocol", Kind::Str, 0, true, false, {{"\"icmp\""}}},
                 {"description", Kind::Str, 128, false, true},
                 {"template", Kind::Str, 0, false, false, {{"\"nope\"", 404}}}}});
    json_route({"vpn",
                "PATCH",
                "/v1/vpn/port-forwards/1" + q,
                "{}",
                {{"local_ip", Kind::Str},
                 {"local_port", Kind::Int},
                 {"external_port", Kind::Int},
                 {"protocol", Kind::Str, 0, true, false, {{"\"icmp\""}}},
                 {"description", Kind::Str},
                 {"status", Kind::Str}}});
    json_route({"vpn",
                "POST",
                "/v1/vpn/diagnostics" + q,
                R"({"tool":"ping","target":"diagnostics.example.com"})",
                {{"tool", Kind::Str, 0, true, false, {{"\"rm\""}, {"\"bash\""}}},
                 {"target", Kind::Str, 0, true, true,
                  refused({"\"; rm -rf /\"", "\"-f\"", "\"$(id)\"", "\"a b\"", "\"`reboot`\"",
                           "\"example.com && id\""})}}});
    // The customer a request acts for.
    for (const char* route :
         {"/v1/vpn/subscription", "/v1/vpn/devices", "/v1/vpn/port-forwards", "/v1/vpn/usage"}) {
        expect("vpn", "GET", route, "", 400, "customer_id", "no customer_id");
        for (const char* id : {"u_nobody", "%27%20OR%201%3D1", "..%2F..", "x%00"})
            expect("vpn", "GET", fmt::format("{}?customer_id={}", route, id), "", 404,
                   "customer_id", std::string("customer_id=") + id);
        expect("vpn", "GET", fmt::format("{}?customer_id={}", route, reseller_id), "", 422,
               "customer_id", "a reseller as customer");
    }
    expect_get_each("vpn", "/v1/vpn/usage" + q + "&month=",
                    {"2026-13", "2026-1", "abc", "2026-01-01", "-2026-01", "2026-00"}, 400, "month",
                    "month=");
    for (const char* id : {"nope", "%2e%2e", "x%00"}) {
        expect("vpn", "GET", fmt::format("/v1/vpn/devices/{}{}", id, q), "", 404, "id",
               std::string("device ") + id);
        expect("vpn", "GET", fmt::format("/v1/vpn/devices/{}/wireguard.conf{}", id, q), "", 404,
               "id", std::string("wireguard.conf of ") + id);
    }
    expect("vpn", "GET", "/v1/vpn/devices/phone/wireguard.conf" + q, "", 404, "id",
           "wireguard.conf without a peer");
    expect("vpn", "GET", "/v1/vpn/devices/x%0d%0aSet-Cookie:%20a=b/wireguard.conf" + q, "", 404,
           "id", "a device id with CR LF (header injection)");
}

void Catalogue::log_routes() {
    expect_get_each("events", "/v1/events?from=",
                    {"abc", "0:abc", ":", "0:1:2", "0:99999999999999999999", "x:1"}, 400, "from",
                    "from=");
    expect_get_each("events", "/v1/events?from=0:0&limit=", {"0", "5001", "-5", "abc"}, 400,
                    "limit", "limit=");
    expect_get_each("events", "/v1/events?from=0:0&wait_ms=", {"-1", "30001", "abc", "1e3"}, 400,
                    "wait_ms", "wait_ms=");
    for (const char* v : {"yesterday", "2026-13-01T00:00:00Z", "1790000000", "2026-01-01"}) {
        expect("audit", "GET", std::string("/v1/audit?from=") + v, "", 400, "from",
               std::string("audit from=") + v);
        expect("audit", "GET", std::string("/v1/audit?to=") + v, "", 400, "to",
               std::string("audit to=") + v);
    }
    expect_get_each("audit", "/v1/audit?limit=", {"0", "1001", "abc"}, 400, "limit",
                    "audit limit=");
    for (const char* v : {"abc", "0:x", "p:1"}) {
        expect("audit", "GET", std::string("/v1/audit?after=") + v, "", 400, "after",
               std::string("audit after=") + v);
        expect("iptv", "GET", std::string("/v1/iptv/lines?after=") + v, "", 400, "after",
               std::string("lines after=") + v);
        expect("iptv", "GET", "/v1/iptv/streams", "", 400, "after",
               std::string("X-Switchyard-After: ") + v, {{"x-switchyard-after", v}});
    }
    // Negative positions: `after=-1`, `from=-1`.
    for (const char* v : {"-1", "0:-1"}) {
        Case c;
        c.surface = "events";
        c.method = "GET";
        c.target = std::string("/v1/events?from=") + v;
        c.fields = {"from"};
        c.why = std::string("from=") + v;
        cases.push_back(c);
    }
    for (const char* route : {"/v1/audit", "/v1/iptv/lines", "/v1/vpn/plans"}) {
        Case c;
        c.surface = route[4] == 'a' ? "audit" : route[4] == 'i' ? "iptv" : "vpn";
        c.method = "GET";
        c.target = std::string(route) + "?after=-1";
        c.fields = {"after"};
        c.why = "after=-1";
        cases.push_back(c);
        c.target = std::string(route) + "?after=0:-1";
        c.why = "after=0:-1";
        cases.push_back(c);
    }
}

void Catalogue::xtream() {
    auto xt = [&](const std::string& method, const std::string& target, int status,
                  const std::string& field, const std::string& why) {
        Case c;
        c.surface = "xtream";
        c.method = method;
        c.target = target;
        c.status = status;
        if (!field.empty()) c.fields = {field};
        c.admin = false;
        c.why = why;
        cases.push_back(std::move(c));
    };
    const auto good = "username=viewer1&password=" + line_password;
    // player_api.php answers 200 with auth 0 to every failed authentication.
    for (const char* method : {"GET", "POST"}) {
        for (const std::string& creds :
             {std::string(), std::string("username=viewer1"), std::string("password=x"),
              std::string("username=viewer1&password=wrong"),
              std::string("username=viewer1&password="), std::string("username=&password="),
              std::string("username=nobody&password=") + line_password,
              std::string("username=viewer1%27%20OR%20%271%27=%271&password=x"),
              std::string("username=") + std::string(10'000, 'u') + "&password=x",
              std::string("username=viewer1&password=") + std::string(10'000, 'p'),
              std::string("username=viewer1%00&password=") + line_password,
              std::string("username=../../etc/passwd&password=x"),
              std::string("username%5B%5D=viewer1&password%5B%5D=x")}) {
            xt(method, "/player_api.php?" + creds, 200, "",
               std::string(method) + " player_api " + creds.substr(0, 40));
            xt(method, "/player_api.php?" + creds + "&action=get_live_streams", 200, "",
               std::string(method) + " get_live_streams " + creds.substr(0, 40));
        }
    }
    // Authenticated, with odd parameters: 200 in the panel's shapes.
    for (const char* extra :
         {"&action=bogus", "&action=get_live_streams&category_id=abc",
          "&action=get_live_streams&category_id=-1", "&action=get_live_streams&category_id=1e9",
          "&action=get_live_streams&category_id=99999999999999999999",
          "&action=", "&action=get_vod_streams", "&action=get_series_info&series_id=1%27"})
        xt("GET", "/player_api.php?" + good + extra, 200, "", std::string("player_api ") + extra);
    // get.php: 401 text for bad credentials; problems for bad parameters.
    for (const std::string& creds :
         {std::string(), std::string("username=viewer1&password=wrong"),
          std::string("username=viewer1"), std::string("username=&password=")})
        xt("GET", "/get.php?" + creds, 401, "", "get.php " + creds);
    for (const char* type : {"bogus", "M3U", "m3u_plus%00", "m3u_plus%0d%0aX-A:1"})
        xt("GET", fmt::format("/get.php?{}&type={}", good, type), 400, "type",
           std::string("get.php type=") + type);
    for (const char* output : {"mkv", "TS", "../ts", ""})
        xt("GET", fmt::format("/get.php?{}&output={}", good, output), 400, "output",
           std::string("get.php output=") + output);
    xt("GET", fmt::format("/get.php?{}&output=m3u8", good), 200, "", "get.php m3u8 (allowed)");
    // /live/: 401 for bad credentials, 404 for streams the line does not have.
    for (const std::string& creds : {std::string("viewer1/wrong"), std::string("nobody/x"),
                                     std::string("viewer1/") + std::string(5'000, 'p')})
        xt("GET", "/live/" + creds + "/1.ts", 401, "", "live " + creds.substr(0, 20));
    const auto live = "/live/viewer1/" + line_password + "/";
    for (const char* file : {"999.ts", "0.ts", "-1.ts"})
        xt("GET", live + file, 404, "", std::string("live ") + file);
    // An id that is not all digits names no stream: 404, never the stream its digits begin.
    for (const char* file : {"abc.ts", "99999999999999999999.ts", ".ts", "%00.ts", "1.ts%00.php",
                             "1e9.ts", "1abc.ts", "1%20.ts", "01x.ts"})
        xt("GET", live + file, 404, "", std::string("live ") + file);
    for (const char* file : {"1.mkv", "1.exe", "1."})
        xt("GET", live + file, 403, "output", std::string("live ") + file);
    xt("GET", live + "1/2.ts", 404, "path", "live with an extra segment");
    xt("GET", "/live/viewer1/%2e%2e/%2e%2e", 401, "", "live traversal");
    // xmltv.php: 401 text for bad credentials, as get.php.
    for (const std::string& creds :
         {std::string(), std::string("username=viewer1&password=wrong"),
          std::string("username=viewer1"), std::string("username=&password=")})
        xt("GET", "/xmltv.php?" + creds, 401, "", "xmltv.php " + creds);
}

void Catalogue::ops() {
    // Operations answer without credentials: `admin` off for them.
    auto anonymous = [this](const std::string& method, const std::string& target,
                            const std::string& body, int status, const std::string& field,
                            const std::string& why) {
        expect("ops", method, target, body, status, field, why);
        cases.back().admin = false;
    };
    for (const char* route : {"/healthz", "/readyz", "/metrics"}) {
        for (const char* method : {"POST", "PUT", "DELETE", "PATCH"})
            anonymous(method, route, "{}", 405, "method", std::string(method) + " " + route);
    }
    for (const char* path : {"/healthz/x", "/metrics/../admin.key", "/..%2f..%2fetc%2fpasswd",
                             "/admin.key", "/.env", "/v1", "/v2/iptv/lines", "/%00"})
        anonymous("GET", path, "", 404, "path", std::string("GET ") + path);
    for (const char* target : {"/v1/iptv/lines?x=%zz", "/healthz%", "/v1/iptv/lines/%G1",
                               "http://evil.example/healthz", "*", "/v1/iptv/lines?%"})
        expect("ops", "GET", target, "", 400, "target", std::string("target ") + target);
}

void Catalogue::paths_and_headers() {
    // Numeric path ids.
    const std::vector<std::pair<std::string, std::string>> numeric{
        {"GET", "/v1/iptv/categories/{}"},
        {"PATCH", "/v1/iptv/categories/{}"},
        {"DELETE", "/v1/iptv/categories/{}"},
        {"GET", "/v1/iptv/streams/{}"},
        {"PATCH", "/v1/iptv/streams/{}"},
        {"DELETE", "/v1/iptv/streams/{}"},
        {"GET", "/v1/iptv/bouquets/{}"},
        {"PATCH", "/v1/iptv/bouquets/{}"},
        {"DELETE", "/v1/iptv/bouquets/{}"},
        {"GET", "/v1/iptv/servers/{}"},
        {"PATCH", "/v1/iptv/servers/{}"},
        {"DELETE", "/v1/iptv/servers/{}"},
        {"GET", "/v1/iptv/server-groups/{}"},
        {"PATCH", "/v1/iptv/server-groups/{}"},
        {"DELETE", "/v1/iptv/server-groups/{}"},
        {"GET", "/v1/iptv/streams/{}/servers"},
        {"PUT", "/v1/iptv/streams/{}/servers"},
        {"GET", "/v1/iptv/lines/{}"},
        {"PATCH", "/v1/iptv/lines/{}"},
        {"DELETE", "/v1/iptv/lines/{}"},
        {"GET", "/v1/vpn/port-forwards/{}?customer_id=" + customer_id},
        {"PATCH", "/v1/vpn/port-forwards/{}?customer_id=" + customer_id},
        {"DELETE", "/v1/vpn/port-forwards/{}?customer_id=" + customer_id}};
    for (const auto& [method, pattern] : numeric) {
        const std::string surface = pattern.starts_with("/v1/vpn") ? "vpn" : "iptv";
        const std::string body = method == "PATCH" ? R"({"name":"x"})" : "";
        for (const char* id : {"0", "-1", "1e9", "1abc", "99999999999999999999", "0x10", "+1",
                               "1.0", "%201", "1%00", "%2e%2e", "abc"}) {
            auto target = fmt::format(fmt::runtime(pattern), id);
            expect(surface, method, target, surface == "vpn" ? "{}" : body, 400, "id",
                   method + " id " + id);
        }
    }
    // Ids that do not exist: 404 naming what the id is.
    for (const auto& [method, pattern, field] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "/v1/iptv/categories/1000000000", "id"},
             {"GET", "/v1/iptv/streams/1000000000", "id"},
             {"PATCH", "/v1/iptv/streams/1000000000", "id"},
             {"GET", "/v1/iptv/bouquets/1000000000", "id"},
             {"PATCH", "/v1/iptv/bouquets/1000000000", "id"},
             {"GET", "/v1/iptv/lines/1000000000", "id"},
             {"PATCH", "/v1/iptv/lines/1000000000", "line_id"},
             {"DELETE", "/v1/iptv/lines/1000000000", "line_id"},
             {"GET", "/v1/vpn/port-forwards/1000000000?customer_id=" + customer_id, "id"}})
        expect(pattern.starts_with("/v1/vpn") ? "vpn" : "iptv", method, pattern, "{}", 404, field,
               method + " " + pattern.substr(0, 40));
    // Authentication headers: 401 naming authorization, on every module.
    const std::vector<std::pair<std::string, std::string>> guarded{
        {"GET", "/v1/iptv/lines"},      {"POST", "/v1/iptv/categories"},
        {"GET", "/v1/vpn/plans"},       {"PUT", "/v1/vpn/servers/x"},
        {"GET", "/v1/users"},           {"POST", "/v1/api-keys"},
        {"POST", "/v1/auth/2fa/setup"}, {"GET", "/v1/events?from=0:0"},
        {"GET", "/v1/audit"},           {"GET", "/v1/auth/me"}};
    for (const auto& [method, target] : guarded) {
        std::string surface = target.substr(4, target.find('/', 4) - 4);
        if (surface == "users" || surface == "auth") surface = "identity";
        if (target.find("2fa") != std::string::npos) surface = "2fa";
        if (surface.starts_with("events?")) surface = "events";
        for (const std::string& value :
             {std::string(), std::string("Bearer"), std::string("Bearer "),
              std::string("Bearer sy_wrong"), std::string("Basic YWRtaW46YWRtaW4="),
              std::string("Bearer ") + std::string(10'000, 'k'), "bearer " + f.key + "x",
              "Bearer " + f.key + "\r\nX-Injected: 1", "Bearer " + f.key.substr(0, 20),
              std::string("Bearer \xff\xfe"), "Bearer " + line_password}) {
            Case c;
            c.surface = surface;
            c.method = method;
            c.target = target;
            c.body = method == "GET" ? "" : "{}";
            c.status = 401;
            c.fields = {"authorization"};
            c.admin = false;
            if (!value.empty()) c.headers["authorization"] = value;
            c.why = "Authorization: " + value.substr(0, 30);
            cases.push_back(std::move(c));
        }
    }
    // Methods a route does not have.
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"PUT", "/v1/iptv/lines"},
                                                          {"DELETE", "/v1/iptv/streams"},
                                                          {"POST", "/v1/iptv/lines/1"},
                                                          {"GET", "/v1/auth/login"},
                                                          {"PATCH", "/v1/users"},
                                                          {"POST", "/v1/events"},
                                                          {"DELETE", "/v1/audit"},
                                                          {"POST", "/v1/vpn/plans/x"},
                                                          {"TRACE", "/v1/iptv/lines"},
                                                          {"BREW", "/v1/vpn/servers"}})
        expect(target.starts_with("/v1/iptv")  ? "iptv"
               : target.starts_with("/v1/vpn") ? "vpn"
               : target == "/v1/events"        ? "events"
               : target == "/v1/audit"         ? "audit"
                                               : "identity",
               method, target, "", 405, "method", method + " " + target);
}

/// rlm_rest's JSON attribute `name` of `type` with one value (a JSON text).
std::string attr(const std::string& name, const std::string& type, const std::string& value) {
    return quoted(name) + R"(:{"type":)" + quoted(type) + R"(,"value":[)" + value + "]}";
}

/// An Accounting-Request body of the session `s1` of alice at the lobby NAS.
std::string acct_body(const std::string& status, std::int64_t in, std::int64_t out,
                      std::int64_t seconds, const std::string& nas_ip = "192.0.2.10") {
    return "{" + attr("User-Name", "string", "\"alice\"") + "," +
           attr("Acct-Status-Type", "integer", quoted(status)) + "," +
           attr("Acct-Session-Id", "string", "\"81000001\"") + "," +
           attr("Acct-Unique-Session-Id", "string", "\"s1\"") + "," +
           attr("NAS-IP-Address", "ipaddr", quoted(nas_ip)) + "," +
           attr("Acct-Input-Octets", "integer", std::to_string(in)) + "," +
           attr("Acct-Output-Octets", "integer", std::to_string(out)) + "," +
           attr("Acct-Session-Time", "integer", std::to_string(seconds)) + "}";
}

void Catalogue::hotspot() {
    auto ok = [&](const api::HttpResponse& r) {
        REQUIRE_MESSAGE(r.status < 300, r.status, " ", r.body);
        return r;
    };
    auto as_reseller = [&](const std::string& method, const std::string& target,
                           const std::string& body) {
        return f.call(method, target, body, true, {{"authorization", "Bearer " + reseller_token}});
    };
    // A NAS, a plan and an account of the operator; a batch of the operator and one of the
    // reseller; a session of alice started through rlm_rest.
    ok(f.call("POST", "/v1/hotspot/nas",
              R"({"nas_id":"lobby","name":"Lobby","vendor":"mikrotik","address":"192.0.2.10",)"
              R"("secret":"radius-s3cret-16ch","timezone":"Europe/Berlin"})"));
    ok(f.call("POST", "/v1/hotspot/plans",
              R"({"plan_id":"hour","name":"Hour","duration_seconds":3600,)"
              R"("data_limit_bytes":1000000000,"price":"2.50","currency":"EUR"})"));
    ok(f.call("POST", "/v1/hotspot/accounts",
              R"({"username":"alice","password":"wonderland1","plan_id":"hour"})"));
    simdjson::dom::parser p;
    auto batch = ok(f.call("POST", "/v1/hotspot/voucher-batches",
                           R"({"batch_id":"ops","plan_id":"hour","count":1})"));
    const auto operator_code =
        std::string(parse_json(p, batch.body)["codes"].at(0).get_string().value());
    ok(as_reseller("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"acme-hour","name":"Acme hour","duration_seconds":3600})"));
    ok(f.call("POST", "/radius/user/alice/sessions/s1?action=accounting",
              acct_body("Start", 0, 0, 0), true, {{"content-type", "application/json"}}));
    ok(f.call("POST", "/radius/user/alice/sessions/s1?action=accounting",
              acct_body("Interim-Update", 5000, 9000, 60), true,
              {{"content-type", "application/json"}}));
    f.settle();

    json_route({"hotspot",
                "POST",
                "/v1/hotspot/nas",
                R"({"nas_id":"gate","name":"Gate","vendor":"mikrotik","address":"192.0.2.20",)"
                R"("secret":"radius-s3cret-16ch"})",
                {{"name", Kind::Str, 0, true, false},
                 {"vendor", Kind::Str, 0, false, false, refused({"\"cisco-x\"", "\"MikroTik\""})},
                 {"address", Kind::Str, 0, false, false,
                  refused({"\"10.0.0.0/33\"", "\"x\"", "\"300.1.1.1\""})},
                 {"secret", Kind::Str, 0, false, false, refused({"\"\""})},
                 {"coa_port", Kind::Int, 0, false, false, refused({"70000", "-1", "65536"})},
                 {"timezone", Kind::Str, 0, false, false, refused({"\"not a zone\""})}}});
    expect("hotspot", "POST", "/v1/hotspot/nas",
           R"({"name":"Gate","vendor":"mikrotik","address":"192.0.2.20"})", 400, "secret",
           "a NAS without its secret");
    json_route({"hotspot",
                "POST",
                "/v1/hotspot/plans",
                R"({"plan_id":"gold","name":"Gold hour","duration_seconds":3600})",
                {{"name", Kind::Str, 0, true, false},
                 {"duration_seconds", Kind::NullInt, 0, false, false, refused({"-1", "0"})},
                 {"data_limit_bytes", Kind::NullInt, 0, false, false, refused({"-5"})},
                 {"price", Kind::Str, 0, false, false, refused({"\"abc\"", "\"1.2.3\"", "\"-1\""})},
                 {"currency", Kind::Str, 0, false, false, refused({"\"EURO\"", "\"XYZ\""})},
                 {"data_direction", Kind::Str, 0, false, false, refused({"\"sideways\""})}}});
    json_route({"hotspot",
                "POST",
                "/v1/hotspot/accounts",
                R"({"username":"bob","password":"builder123","plan_id":"hour"})",
                {{"username", Kind::Str, 0, true, false, refused({"\"bob smith\""})},
                 {"password", Kind::Str, 0, true, false},
                 {"plan_id", Kind::Str, 0, false, false, {{"\"nope\"", 404}}},
                 {"mac", Kind::Str, 0, false, false, refused({"\"zz:zz\"", "\"aa:bb:cc\""})}}});
    expect("hotspot", "POST", "/v1/hotspot/accounts", R"({"username":"bob","plan_id":"hour"})", 400,
           "password", "an account without a password");
    json_route({"hotspot",
                "POST",
                "/v1/hotspot/voucher-batches",
                R"({"plan_id":"hour","count":2})",
                {{"plan_id", Kind::Str, 0, false, false, {{"\"nope\"", 404}}},
                 {"count", Kind::Int, 0, false, false, refused({"0", "100001", "-1"})},
                 {"length", Kind::Int, 0, false, false, refused({"3", "5", "17"})},
                 {"prefix", Kind::Str, 0, false, false, refused({"\"a-b\"", "\"AB CD\""})}}});
    expect("hotspot", "POST", "/v1/hotspot/vouchers/redeem", R"({"code":"NQPX3467"})", 404, "code",
           "an unknown voucher code");
    {
        Case c;
        c.surface = "hotspot";
        c.method = "POST";
        c.target = "/v1/hotspot/vouchers/redeem";
        c.body = R"({"code":")" + operator_code + R"("})";
        c.headers = {{"authorization", "Bearer " + reseller_token}};
        c.status = 404;
        c.fields = {"code"};
        c.why = "a reseller redeeming the operator's voucher";
        cases.push_back(std::move(c));
    }

    // rlm_rest (/radius): wrong attribute types, no User-Name, counters going backwards, an
    // unknown NAS.
    const auto nas_ip = attr("NAS-IP-Address", "ipaddr", "\"192.0.2.10\"");
    const auto authorize = "/radius/user/alice/mac/aa-bb?action=authorize";
    // A User-Name sent as an integer is read as its text: no such account, refused with the
    // Reply-Message (rlm_rest's reject).
    rlm(authorize, "{" + attr("User-Name", "integer", "5") + "," + nas_ip + "}", 401, "",
        "User-Name as an integer");
    rlm(authorize,
        "{" + attr("User-Name", "string", "\"alice\"") + "," +
            attr("NAS-IP-Address", "ipaddr", "7") + "}",
        400, "NAS-IP-Address", "NAS-IP-Address as a number");
    rlm(authorize, R"({"User-Name":"alice"})", 400, "User-Name", "an attribute without type");
    rlm(authorize, "{" + nas_ip + "}", 400, "User-Name", "no User-Name");
    rlm(authorize, "{", 400, "body", "malformed JSON");
    rlm(authorize,
        "{" + attr("User-Name", "string", "\"alice\"") + "," +
            attr("NAS-IP-Address", "ipaddr", "\"198.51.100.7\"") + "}",
        401, "", "an unknown NAS address");
    const auto accounting = "/radius/user/alice/sessions/s1?action=accounting";
    rlm(accounting, acct_body("Interim-Update", 4000, 9000, 70), 400, "Acct-Input-Octets",
        "Acct-Input-Octets going backwards");
    rlm(accounting, acct_body("Interim-Update", 5000, 100, 70), 400, "Acct-Output-Octets",
        "Acct-Output-Octets going backwards");
    rlm(accounting, acct_body("Interim-Update", 6000, 9000, 50), 400, "Acct-Session-Time",
        "Acct-Session-Time going backwards while a byte counter moves forward");
    rlm(accounting, acct_body("Interim-Update", 5000, 9000, 50), 204, "",
        "an older Interim-Update arriving late (appends nothing)");
    rlm(accounting, acct_body("Interim-Update", 5000, 9000, 60), 204, "",
        "a replayed Interim-Update (appends nothing)");
    rlm(accounting, acct_body("Bogus", 5000, 9000, 60), 400, "Acct-Status-Type",
        "an unknown Acct-Status-Type");
    rlm(accounting, acct_body("Interim-Update", 6000, 9000, 70, "198.51.100.7"), 401, "",
        "accounting from an unknown NAS");
    rlm(authorize + std::string("x"), "{}", 400, "action", "an unknown action");
}

void Catalogue::build() {
    iptv();
    identity();
    vpn();
    log_routes();
    xtream();
    ops();
    paths_and_headers();
    hotspot();
}

/// Sends a case as the transport would: a target it cannot parse gets its 400.
api::HttpResponse send(Catalogue& cat, const Case& c, const std::string& ip) {
    api::HttpRequest r;
    r.method = c.method;
    r.target = c.target;
    r.body = c.body;
    r.remote_ip = ip;
    r.headers = c.headers;
    if (c.admin && !r.headers.count("authorization"))
        r.headers["authorization"] = "Bearer " + cat.f.key;
    if (!c.body.empty() && !r.headers.count("content-type"))
        r.headers["content-type"] = "application/json";
    if (!api::parse_target(r))
        return api::problem(core::Errc::Invalid, "target",
                            "the request target is not a valid path and query");
    return cat.f.router->dispatch(r);
}

/// Runs the cases; returns the number that did not get what they must, and counts.
struct Figures {
    std::size_t cases = 0, four_xx = 0, failed = 0;
    std::map<std::string, std::pair<std::size_t, std::size_t>> surface;  ///< cases, 4xx
};

Figures run_cases(Catalogue& cat, const std::vector<Case>& cases) {
    Figures out;
    std::size_t n = 0;
    for (const auto& c : cases) {
        ++n;
        // A source of its own per case: failed sign-ins never add up to a lockout.
        const auto ip = fmt::format("198.18.{}.{}", n / 250, n % 250 + 1);
        const auto head = cat.f.store->head();
        const auto before = head.total();
        auto r = send(cat, c, ip);
        const auto label =
            fmt::format("{} {} [{}] body={}: got {} {}", c.method, c.target.substr(0, 120), c.why,
                        c.body.substr(0, 80), r.status, r.body.substr(0, 300));
        bool good = r.status == c.status;
        if (c.rlm_rest) {
            simdjson::dom::parser p;
            auto doc = p.parse(r.body);
            if (!c.fields.empty()) {
                bool named = false;
                if (!doc.error()) {
                    auto field = doc["field"].get_string();
                    named = !field.error() && c.fields.count(std::string(field.value())) > 0;
                }
                good = good && named;
            } else if (c.status == 401) {
                good = good && !doc.error() && !doc["reply:Reply-Message"].error();
            }
        } else if (!c.fields.empty()) {
            good = good && r.content_type == "application/problem+json";
            simdjson::dom::parser p;
            auto doc = p.parse(r.body);
            if (doc.error()) {
                good = false;
            } else {
                auto field = doc["field"].get_string();
                auto status = doc["status"].get_int64();
                auto detail = doc["detail"].get_string();
                good = good && !field.error() && c.fields.count(std::string(field.value())) &&
                       !status.error() && status.value() == c.status && !detail.error() &&
                       detail.value().find(field.value()) != std::string_view::npos;
            }
        }
        const auto after = cat.f.log_size();
        if (c.appends.empty()) {
            good = good && after == before;
        } else {
            auto added = cat.f.store->read_all(head, 10);
            good = good && after == before + 1 && added && added->size() == 1 &&
                   added->front().type == c.appends;
        }
        CHECK_MESSAGE(good, label);
        ++out.cases;
        auto& s = out.surface[c.surface];
        ++s.first;
        if (r.status >= 400 && r.status < 500) {
            ++out.four_xx;
            ++s.second;
        }
        if (!good) ++out.failed;
    }
    return out;
}

void report(const char* what, const Figures& fig) {
    std::string per;
    for (const auto& [name, counts] : fig.surface)
        per += fmt::format(" {} {}/{}", name, counts.second, counts.first);
    MESSAGE(fmt::format("{}: {} cases, {} answered 4xx, {} failed; per surface (4xx/cases):{}",
                        what, fig.cases, fig.four_xx, fig.failed, per));
}

}  // namespace

TEST_CASE("bad input on every surface gets a 4xx naming the field and leaves the log alone") {
    Catalogue cat;
    REQUIRE(cat.cases.size() >= 600);
    std::set<std::string> surfaces;
    for (const auto& c : cat.cases) surfaces.insert(c.surface);
    CHECK(surfaces == std::set<std::string>{"2fa", "api-keys", "audit", "events", "hotspot",
                                            "hotspot-radius", "identity", "iptv", "ops", "vpn",
                                            "xtream"});
    auto fig = run_cases(cat, cat.cases);
    report("bad-input catalogue", fig);
    CHECK(fig.failed == 0);
}
