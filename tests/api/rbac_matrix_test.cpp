// The role matrix: every route of the router, called by every kind of caller, with the status
// each must get. The expectations are written out here, independently of api/access.cpp, and
// the test fails when the router has a /v1 route this table does not cover.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "events/identity/totp.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

/// Callers, in the order each route is tried (the later ones may change what they address).
enum Who { Anon, Customer, Carrier, Support, Reseller2, Reseller1, AdminKey, AdminUser, kWho };
const char* kWhoNames[] = {"anonymous", "customer",  "carrier",   "support",
                           "reseller2", "reseller1", "admin key", "admin user"};

/// Expected status per caller; 0 = "passes authentication and the role check" (any status but
/// 401 and 403: the handler then answers by the body, e.g. 201, 400 or 409).
using Row = std::array<int, kWho>;

struct Case {
    std::string method, pattern;
    Row expected;
    std::string body;  ///< `{who}` is replaced by the caller's name (unique names per caller).
};

const char* kPassword = "Corr3ct-Horse";

}  // namespace

TEST_CASE(
    "every route answers every role as the matrix says, also for another reseller's "
    "resources") {
    ApiFixture f;
    // ---- the world: a catalogue, users of every role, lines of two resellers ----
    const char* playlist = "#EXTM3U\n#EXTINF:-1 group-title=\"News\",One\nhttp://example.com/1\n";
    REQUIRE(f.call("POST", "/v1/iptv/imports/m3u?source=t", playlist).status == 200);
    REQUIRE(f.call("POST", "/v1/iptv/bouquets", R"({"name":"Base","category_ids":[1]})").status ==
            201);
    REQUIRE(f.call("POST", "/v1/iptv/servers", R"({"name":"edge-1","host":"127.0.0.1"})").status ==
            201);
    REQUIRE(f.call("POST", "/v1/iptv/server-groups", R"({"name":"all","server_ids":[1]})").status ==
            201);
    auto make_user = [&](const std::string& auth, const std::string& name, const char* role) {
        auto r = f.call("POST", "/v1/users",
                        fmt::format(R"({{"username":"{}","password":"{}","role":"{}"}})", name,
                                    kPassword, role),
                        true, {{"authorization", "Bearer " + auth}});
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        return str(parse_json(p, r.body), "user_id");
    };
    auto login = [&](const std::string& name) {
        auto r =
            f.call("POST", "/v1/auth/login",
                   fmt::format(R"({{"username":"{}","password":"{}"}})", name, kPassword), false);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        simdjson::dom::parser p;
        return str(parse_json(p, r.body), "token");
    };
    make_user(f.key, "res1", "reseller");
    make_user(f.key, "res2", "reseller");
    make_user(f.key, "sup", "support");
    make_user(f.key, "carr", "carrier");
    make_user(f.key, "boss", "admin");
    std::array<std::string, kWho> token;
    token[Reseller1] = login("res1");
    token[Reseller2] = login("res2");
    const auto customer_id = make_user(token[Reseller1], "cust", "customer");  // r1's customer
    token[Customer] = login("cust");
    token[Support] = login("sup");
    token[Carrier] = login("carr");
    {
        // An admin account must turn on two-factor authentication before it can act.
        const auto restricted = login("boss");
        auto setup = f.call("POST", "/v1/auth/2fa/setup", "", true,
                            {{"authorization", "Bearer " + restricted}});
        REQUIRE(setup.status == 200);
        simdjson::dom::parser p;
        const auto seed =
            events::identity::base32_decode(str(parse_json(p, setup.body), "secret")).value();
        auto code = [&] {
            return events::identity::totp_code(seed, core::unix_seconds(f.clock.now()));
        };
        REQUIRE(f.call("POST", "/v1/auth/2fa/enable", fmt::format(R"({{"code":"{}"}})", code()),
                       true, {{"authorization", "Bearer " + restricted}})
                    .status == 200);
        f.clock.advance(std::chrono::seconds(30));
        auto full = f.call(
            "POST", "/v1/auth/login",
            fmt::format(R"({{"username":"boss","password":"{}","totp":"{}"}})", kPassword, code()),
            false);
        REQUIRE_MESSAGE(full.status == 200, full.body);
        simdjson::dom::parser p2;
        token[AdminUser] = str(parse_json(p2, full.body), "token");
    }
    token[AdminKey] = f.key;
    auto line_of = [&](Who who, const std::string& name) {
        auto r = f.call("POST", "/v1/iptv/lines", fmt::format(R"({{"username":"{}"}})", name), true,
                        {{"authorization", "Bearer " + token[who]}});
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        return std::to_string(parse_json(p, r.body)["line_id"].get_int64().value());
    };
    const auto line1 = line_of(Reseller1, "line-r1");
    line_of(Reseller2, "line-r2");
    std::string r1_key;
    {
        auto k = f.call("POST", "/v1/api-keys", R"({"name":"r1 integration"})", true,
                        {{"authorization", "Bearer " + token[Reseller1]}});
        REQUIRE_MESSAGE(k.status == 201, k.body);
        simdjson::dom::parser p;
        r1_key = str(parse_json(p, k.body), "key_id");
    }
    line_of(AdminKey, "line-op");
    // Voice: a group, r1's voice customer (signed in as by `cust`), an assignment, and one item
    // of each reference kind.
    auto admin_post = [&](const std::string& path, const std::string& body) {
        auto r = f.call("POST", path, body);
        REQUIRE_MESSAGE(r.status == 201, path, r.body);
    };
    admin_post("/v1/voice/categories", R"({"category_id":"sip_trunk","name":"SIP Trunk"})");
    admin_post("/v1/voice/tiers", R"({"tier_id":"premium","name":"Premium"})");
    admin_post("/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"G"})");
    std::string voice_customer;
    {
        auto r = f.call("POST", "/v1/voice/customers",
                        fmt::format(R"({{"name":"R1 voice","country":"DE","currency":"EUR",)"
                                    R"("category_id":"sip_trunk","group_id":"gold",)"
                                    R"("user_id":"{}"}})",
                                    customer_id),
                        true, {{"authorization", "Bearer " + token[Reseller1]}});
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        voice_customer = std::to_string(parse_json(p, r.body)["customer_id"].get_int64().value());
    }
    std::string voice_assignment;
    {
        auto r = f.call("POST", "/v1/voice/assignments",
                        R"({"kind":"rate_card","value":"deck-1","scope":"all"})");
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        voice_assignment =
            std::to_string(parse_json(p, r.body)["assignment_id"].get_int64().value());
    }
    admin_post("/v1/voice/pops",
               R"({"pop_id":"fra1","name":"F","sip_addresses":["a.example:5060"]})");
    admin_post("/v1/voice/codecs",
               R"({"codec_id":"pcmu","name":"PCMU","payload_type":0,"clock_rate":8000})");
    admin_post("/v1/voice/codec-sets", R"({"codec_set_id":"g711","name":"G","codecs":["pcmu"]})");
    admin_post("/v1/voice/channel-plans",
               R"({"channel_plan_id":"c30","name":"C","channels":30,"cps":5})");
    admin_post("/v1/voice/carriers",
               R"({"carrier_id":"acme","name":"A","trunk_hosts":["h.example"],"currency":"USD"})");
    admin_post("/v1/voice/route-groups", R"({"route_group_id":"rg1","name":"R"})");
    admin_post("/v1/voice/gateways",
               R"({"gateway_id":"gw1","carrier_id":"acme","host":"h.example"})");
    admin_post(
        "/v1/voice/routes",
        R"({"route_id":"rt1","route_group_id":"rg1","prefix":"1","carriers":[{"carrier_id":"acme"}]})");
    admin_post("/v1/voice/quality/rules", R"({"rule_id":"qr1","name":"Q"})");
    admin_post("/v1/voice/decks",
               R"({"deck_id":"d1","name":"D1","kind":"sell","currency":"EUR","format":"csv"})");
    // DIDs: a country without KYC, a provider, and one DID ordered for r1's voice customer.
    REQUIRE(f.call("PUT", "/v1/voice/did-countries/GB", R"({"name":"United Kingdom"})").status ==
            200);
    REQUIRE(
        f.call("PUT", "/v1/voice/did-providers/didco", R"({"name":"D","currency":"GBP"})").status ==
        200);
    admin_post("/v1/voice/dids",
               R"({"content":"number,country,provider\n442071234567,GB,didco\n"})");
    REQUIRE(f.call("POST", "/v1/voice/dids/442071234567/order",
                   fmt::format(R"({{"customer_id":{}}})", voice_customer))
                .status == 200);
    // r1's customer's digest trunk.
    admin_post("/v1/voice/trunks",
               fmt::format(R"({{"trunk_id":"r1-trunk","customer_id":{},"name":"T",)"
                           R"("username":"r1-trunk"}})",
                           voice_customer));
    // r1's customer's extension and ring group; the operator's media server.
    admin_post("/v1/voice/extensions",
               fmt::format(R"({{"extension_id":"r1-ext","customer_id":{},"number":"201"}})",
                           voice_customer));
    admin_post("/v1/voice/ring-groups", fmt::format(R"({{"ring_group_id":"r1-rg","customer_id":{},)"
                                                    R"("members":[{{"extension_id":"r1-ext"}}]}})",
                                                    voice_customer));
    admin_post("/v1/voice/media-servers",
               R"({"media_server_id":"ms1","name":"VM","uri":"sip:vm@10.0.0.9",)"
               R"("purpose":"voicemail"})");
    // The {id} of each voice resource, by path prefix.
    const std::map<std::string, std::string> voice_ids{{"/v1/voice/categories", "sip_trunk"},
                                                       {"/v1/voice/groups", "gold"},
                                                       {"/v1/voice/customers", voice_customer},
                                                       {"/v1/voice/assignments", voice_assignment},
                                                       {"/v1/voice/pops", "fra1"},
                                                       {"/v1/voice/tiers", "premium"},
                                                       {"/v1/voice/codecs", "pcmu"},
                                                       {"/v1/voice/codec-sets", "g711"},
                                                       {"/v1/voice/channel-plans", "c30"},
                                                       {"/v1/voice/carriers", "acme"},
                                                       {"/v1/voice/decks", "d1"},
                                                       {"/v1/voice/cdrs", "none"},
                                                       {"/v1/voice/did-providers", "didco"},
                                                       {"/v1/voice/gateways", "gw1"},
                                                       {"/v1/voice/routes", "rt1"},
                                                       {"/v1/voice/route-groups", "rg1"},
                                                       {"/v1/voice/trunks", "r1-trunk"},
                                                       {"/v1/voice/quality/rules", "qr1"},
                                                       {"/v1/voice/quality/alerts", "none"},
                                                       {"/v1/voice/extensions", "r1-ext"},
                                                       {"/v1/voice/ring-groups", "r1-rg"},
                                                       {"/v1/voice/media-servers", "ms1"}};
    // Hotspot: r1's NAS, plan, account and voucher batch (one code); the operator's plan, which
    // everyone at the desk may sell.
    admin_post("/v1/hotspot/plans", R"({"plan_id":"op-plan","name":"Op","duration_seconds":3600})");
    auto r1_post = [&](const std::string& path, const std::string& body) {
        auto r =
            f.call("POST", path, body, true, {{"authorization", "Bearer " + token[Reseller1]}});
        REQUIRE_MESSAGE(r.status == 201, path, r.body);
        return r.body;
    };
    r1_post("/v1/hotspot/nas", R"({"nas_id":"r1-nas","name":"R1","vendor":"mikrotik",)"
                               R"("address":"10.8.0.1","secret":"r1-secret-1"})");
    r1_post("/v1/hotspot/plans", R"({"plan_id":"r1-plan","name":"R1 plan"})");
    r1_post("/v1/hotspot/accounts",
            R"({"username":"r1-acct","password":"r1-password","plan_id":"r1-plan"})");
    std::string r1_code;
    {
        const auto body = r1_post("/v1/hotspot/voucher-batches",
                                  R"({"batch_id":"r1-batch","plan_id":"op-plan","count":2})");
        simdjson::dom::parser p;
        r1_code = std::string(parse_json(p, body)["codes"].at(0).get_string().value());
    }
    // r1's controller: a RouterOS API address where nothing listens (its operations answer 502).
    r1_post("/v1/hotspot/controllers",
            R"({"controller_id":"r1-ctl","name":"R1 router","vendor":"mikrotik",)"
            R"("address":"127.0.0.1","port":1,"username":"admin","password":"r1-router-pw"})");
    const std::map<std::string, std::string> hotspot_ids{
        {"/v1/hotspot/controllers", "r1-ctl"},
        {"/v1/hotspot/nas", "r1-nas"},
        {"/v1/hotspot/plans", "r1-plan"},
        {"/v1/hotspot/accounts", "r1-acct"},
        {"/v1/hotspot/voucher-batches", "r1-batch"},
        {"/v1/hotspot/vouchers", r1_code}};

    // ---- the matrix ----
    //                       anon cust carr supp  r2   r1  key  admin
    const Row staff_get{401, 403, 403, 200, 200, 200, 200, 200};
    const Row admin_only{401, 403, 403, 403, 403, 403, 0, 0};
    const Row everyone_200{401, 200, 200, 200, 200, 200, 200, 200};
    std::vector<Case> cases;
    for (std::string thing : {"categories", "streams", "bouquets"}) {
        const auto base = "/v1/iptv/" + thing;
        cases.push_back({"GET", base, staff_get, ""});
        cases.push_back({"GET", base + "/{id}", staff_get, ""});
        cases.push_back({"POST", base, admin_only, R"({"name":"x-{who}"})"});
        cases.push_back({"PATCH", base + "/{id}", admin_only, R"({"name":"y-{who}"})"});
    }
    // Streaming servers and groups: {id} 1 exists (the world above).
    cases.push_back({"GET", "/v1/iptv/servers", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/servers/{id}", staff_get, ""});
    cases.push_back({"POST", "/v1/iptv/servers", admin_only, R"({"name":"s-{who}","host":"h"})"});
    cases.push_back({"PATCH", "/v1/iptv/servers/{id}", admin_only, R"({"weight":2})"});
    cases.push_back({"GET", "/v1/iptv/server-groups", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/server-groups/{id}", staff_get, ""});
    cases.push_back(
        {"POST", "/v1/iptv/server-groups", admin_only, R"({"name":"g-{who}","server_ids":[1]})"});
    cases.push_back(
        {"PATCH", "/v1/iptv/server-groups/{id}", admin_only, R"({"strategy":"weighted"})"});
    cases.push_back({"GET", "/v1/iptv/streams/{id}/servers", staff_get, ""});
    cases.push_back({"PUT", "/v1/iptv/streams/{id}/servers", admin_only, R"({"server_ids":[1]})"});
    // What the streams' FFmpeg workers do (stream 1 exists: its worker never reported).
    cases.push_back({"GET", "/v1/iptv/streams/status", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/monitoring/connections", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/monitoring/usage", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/monitoring/most-watched", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/monitoring/alerts", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/streams/{id}/status", staff_get, ""});
    // Recordings: {id} does not exist here (404 past the roles).
    cases.push_back({"POST", "/v1/iptv/recordings", admin_only, ""});
    cases.push_back({"GET", "/v1/iptv/recordings", staff_get, ""});
    cases.push_back(
        {"GET", "/v1/iptv/recordings/{id}", {401, 403, 403, 404, 404, 404, 404, 404}, ""});
    cases.push_back(
        {"GET", "/v1/iptv/recordings/{id}/file", {401, 403, 403, 404, 404, 404, 404, 404}, ""});
    cases.push_back({"DELETE", "/v1/iptv/recordings/{id}", admin_only, ""});
    cases.push_back({"POST", "/v1/iptv/imports/m3u", admin_only, ""});
    cases.push_back({"POST", "/v1/iptv/imports/xtream", admin_only, ""});
    cases.push_back({"POST", "/v1/iptv/imports/m3u-vod", admin_only, ""});
    // Subtitles: the movie and episode {id} do not exist here (404 past the roles).
    for (std::string thing : {"movies", "episodes"}) {
        cases.push_back({"POST", "/v1/iptv/" + thing + "/{id}/subtitles", admin_only, ""});
        cases.push_back({"GET",
                         "/v1/iptv/" + thing + "/{id}/subtitles/{file}",
                         {401, 403, 403, 404, 404, 404, 404, 404},
                         ""});
    }
    cases.push_back({"POST", "/v1/iptv/epg/imports", admin_only, ""});
    cases.push_back({"PUT", "/v1/iptv/epg/mappings/{id}", admin_only, R"({"channel_id":"A.tr"})"});
    cases.push_back({"PUT", "/v1/iptv/epg/programmes", admin_only,
                     R"({"source":"s","channel_id":"A.tr","start":1,"stop":2,"title":"t"})"});
    cases.push_back({"DELETE", "/v1/iptv/epg/programmes", admin_only, ""});
    cases.push_back({"GET", "/v1/events", {401, 403, 403, 403, 403, 403, 200, 200}, ""});
    cases.push_back({"GET", "/v1/audit", {401, 403, 403, 200, 403, 403, 200, 200}, ""});
    cases.push_back({"GET", "/v1/admin/backups", {401, 403, 403, 403, 403, 403, 200, 200}, ""});
    // Lines: {id} is r1's line. r2 does not see it (404); the operator's staff do.
    cases.push_back({"GET", "/v1/iptv/lines", staff_get, ""});
    cases.push_back({"GET", "/v1/iptv/lines/{id}", {401, 403, 403, 200, 404, 200, 200, 200}, ""});
    cases.push_back({"POST",
                     "/v1/iptv/lines",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"username":"l-{who}"})"});
    cases.push_back({"PATCH",
                     "/v1/iptv/lines/{id}",
                     {401, 403, 403, 403, 404, 200, 200, 200},
                     R"({"max_connections":3})"});
    // Users: {id} is r1's customer.
    cases.push_back({"GET", "/v1/users", staff_get, ""});
    cases.push_back({"GET", "/v1/users/{id}", {401, 403, 403, 200, 404, 200, 200, 200}, ""});
    cases.push_back({"POST",
                     "/v1/users",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"username":"u-{who}","password":"Corr3ct-Horse","role":"customer"})"});
    // The allowlist of r1's customer: the customer itself, r1 and the operator's admins.
    cases.push_back({"PUT",
                     "/v1/users/{id}/allowlist",
                     {401, 200, 404, 404, 404, 200, 200, 200},
                     R"({"cidrs":["0.0.0.0/0","::/0"]})"});
    cases.push_back({"POST",
                     "/v1/auth/login",
                     {401, 401, 401, 401, 401, 401, 401, 401},
                     R"({"username":"nobody","password":"Wrong-pass1"})"});
    cases.push_back({"GET", "/v1/auth/me", everyone_200, ""});
    // API keys: everyone may hold keys of their own role or below; {id} is made below.
    cases.push_back({"GET", "/v1/api-keys", everyone_200, ""});
    cases.push_back({"POST",
                     "/v1/api-keys",
                     {401, 201, 201, 201, 201, 201, 201, 201},
                     R"({"name":"k-{who}"})"});
    cases.push_back(
        {"POST", "/v1/api-keys/{id}/rotate", {401, 404, 404, 404, 404, 200, 200, 200}, ""});
    cases.push_back({"DELETE", "/v1/api-keys/{id}", {401, 404, 404, 404, 404, 200, 404, 404}, ""});
    // Passwords, second factors and sessions need the user's own session: an API key gets 403.
    cases.push_back({"POST",
                     "/v1/auth/password",
                     {401, 200, 200, 200, 200, 200, 403, 200},
                     R"({"current_password":"Corr3ct-Horse","password":"Corr3ct-Horse2"})"});
    // Two-factor: enabling before a setup is refused (422); the admin user has it on already.
    // An API key never manages one (403). A wrong code to disable it is 401.
    cases.push_back({"POST",
                     "/v1/auth/2fa/enable",
                     {401, 422, 422, 422, 422, 422, 403, 422},
                     R"({"code":"000000"})"});
    cases.push_back({"POST", "/v1/auth/2fa/setup", {401, 200, 200, 200, 200, 200, 403, 422}, ""});
    cases.push_back({"POST",
                     "/v1/auth/2fa/disable",
                     {401, 422, 422, 422, 422, 422, 403, 401},
                     R"({"code":"000000"})"});
    // VPN: the offer is the operator's; a customer's account is reached by the customer, its
    // reseller (r1) and the operator's staff with ?customer_id=; r2 does not see it (404).
    const Row vpn_account{401, 0, 403, 403, 404, 0, 0, 0};
    const Row vpn_read{401, 0, 403, 0, 404, 0, 0, 0};
    const Row vpn_offer_read{401, 200, 403, 200, 200, 200, 200, 200};
    cases.push_back({"GET", "/v1/vpn/plans", vpn_offer_read, ""});
    cases.push_back({"PUT", "/v1/vpn/plans/{id}", admin_only, R"({"name":"Plan {who}"})"});
    cases.push_back({"GET", "/v1/vpn/servers", vpn_offer_read, ""});
    cases.push_back({"PUT", "/v1/vpn/servers/{id}", admin_only, R"({"name":"S"})"});
    cases.push_back({"GET", "/v1/vpn/port-forward-templates", vpn_offer_read, ""});
    for (const char* path : {"/v1/vpn/subscription", "/v1/vpn/devices", "/v1/vpn/devices/{id}",
                             "/v1/vpn/devices/{id}/wireguard.conf", "/v1/vpn/port-forwards",
                             "/v1/vpn/port-forwards/{id}", "/v1/vpn/usage"}) {
        const bool secret = std::string(path).find("wireguard") != std::string::npos;
        cases.push_back({"GET", path, secret ? vpn_account : vpn_read, ""});
    }
    cases.push_back({"GET", "/v1/vpn/devices/{id}/wireguard.png", vpn_account, ""});
    cases.push_back({"PUT", "/v1/vpn/subscription", vpn_account, R"({"plan_id":"none"})"});
    cases.push_back({"POST", "/v1/vpn/scans", vpn_account, R"({"devices":[]})"});
    cases.push_back({"POST", "/v1/vpn/devices", vpn_account, R"({"id":"d{who}"})"});
    cases.push_back({"PATCH", "/v1/vpn/devices/{id}", vpn_account, R"({"server_id":"x"})"});
    cases.push_back({"POST", "/v1/vpn/devices/{id}/peer", vpn_account, ""});
    cases.push_back({"PATCH", "/v1/vpn/devices/{id}/peer", vpn_account, ""});
    cases.push_back({"POST", "/v1/vpn/port-forwards", vpn_account, R"({"device_id":"1"})"});
    cases.push_back({"PATCH", "/v1/vpn/port-forwards/{id}", vpn_account, ""});
    cases.push_back({"POST", "/v1/vpn/diagnostics", vpn_account, ""});
    // Voice: categories, groups and reference data are the operator's (carriers and
    // assignments not shown to resellers); customers are reached by the operator's staff, the
    // owning reseller (r1) and the customer user linked to it; r2 does not see them (404).
    const Row voice_operator_read{401, 403, 403, 200, 403, 403, 200, 200};
    const Row voice_customer_read{401, 200, 403, 200, 404, 200, 200, 200};
    for (std::string thing : {"categories", "groups"}) {
        const auto base = "/v1/voice/" + thing;
        cases.push_back({"GET", base, staff_get, ""});
        cases.push_back({"GET", base + "/{id}", staff_get, ""});
        cases.push_back({"POST", base, admin_only, R"({"name":"v-{who}"})"});
        cases.push_back({"PATCH", base + "/{id}", admin_only, R"({"description":"d{who}"})"});
    }
    cases.push_back({"GET", "/v1/voice/customers", staff_get, ""});
    cases.push_back({"GET", "/v1/voice/customers/{id}", voice_customer_read, ""});
    cases.push_back({"GET", "/v1/voice/customers/{id}/effective", voice_customer_read, ""});
    cases.push_back({"POST",
                     "/v1/voice/customers",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"name":"c{who}","country":"DE","currency":"EUR",)"
                     R"("category_id":"sip_trunk","group_id":"gold"})"});
    cases.push_back({"PATCH",
                     "/v1/voice/customers/{id}",
                     {401, 403, 403, 403, 404, 200, 200, 200},
                     R"({"company":"c{who}"})"});
    cases.push_back({"GET", "/v1/voice/assignments", voice_operator_read, ""});
    cases.push_back({"POST", "/v1/voice/assignments", admin_only,
                     R"({"kind":"rate_card","value":"d{who}","scope":"all"})"});
    for (std::string thing :
         {"pops", "tiers", "codecs", "codec-sets", "channel-plans", "carriers"}) {
        const auto base = "/v1/voice/" + thing;
        const auto& read = thing == "carriers" ? voice_operator_read : staff_get;
        cases.push_back({"GET", base, read, ""});
        cases.push_back({"GET", base + "/{id}", read, ""});
        cases.push_back({"POST", base, admin_only, R"({"name":"v-{who}"})"});
        cases.push_back({"PATCH", base + "/{id}", admin_only, R"({"name":"v-{who}"})"});
    }
    // Gateways, routes and route groups are the operator's: admins manage them, admins and
    // support read them and ask for the plan a call would get.
    for (std::string thing : {"gateways", "routes", "route-groups"}) {
        const auto base = "/v1/voice/" + thing;
        cases.push_back({"GET", base, voice_operator_read, ""});
        cases.push_back({"GET", base + "/{id}", voice_operator_read, ""});
        cases.push_back({"POST", base, admin_only, R"({"name":"v-{who}"})"});
        cases.push_back({"PATCH", base + "/{id}", admin_only, "{}"});
    }
    cases.push_back({"POST", "/v1/voice/routing/explain", voice_operator_read,
                     R"({"route_group_id":"rg1","destination":"1"})"});
    // Route quality is the operator's: admins manage rules; admins and support read rules,
    // alerts and figures and acknowledge alerts (the matrix has none: 404).
    cases.push_back({"GET", "/v1/voice/quality/rules", voice_operator_read, ""});
    cases.push_back({"GET", "/v1/voice/quality/rules/{id}", voice_operator_read, ""});
    cases.push_back({"POST", "/v1/voice/quality/rules", admin_only, R"({"name":"q-{who}"})"});
    cases.push_back({"PATCH", "/v1/voice/quality/rules/{id}", admin_only, "{}"});
    cases.push_back({"GET", "/v1/voice/quality/alerts", voice_operator_read, ""});
    const Row no_alert{401, 403, 403, 404, 403, 403, 404, 404};
    cases.push_back({"GET", "/v1/voice/quality/alerts/{id}", no_alert, ""});
    cases.push_back({"POST", "/v1/voice/quality/alerts/{id}/acknowledge", no_alert, ""});
    cases.push_back({"GET", "/v1/voice/quality/figures", voice_operator_read, ""});
    // Rate decks are the operator's: admins manage them, admins and support read them.
    cases.push_back({"GET", "/v1/voice/decks", voice_operator_read, ""});
    cases.push_back({"GET", "/v1/voice/decks/{id}", voice_operator_read, ""});
    cases.push_back({"POST", "/v1/voice/decks", admin_only,
                     R"({"name":"d{who}","kind":"sell","currency":"EUR","format":"csv"})"});
    cases.push_back({"POST", "/v1/voice/decks/imports", admin_only, ""});
    // d1 has no version yet: 404 for those who may read it.
    const Row deck_version_read{401, 403, 403, 404, 403, 403, 404, 404};
    cases.push_back({"GET", "/v1/voice/decks/{id}/versions/{v}/diff", deck_version_read, ""});
    cases.push_back({"GET", "/v1/voice/decks/{id}/versions/{v}/rates", deck_version_read, ""});
    // Pricing r1's voice customer (whose rate card deck-1 has no version: 422): the operator's
    // staff, r1 and the customer itself; r2 does not see it (404); carriers may not price.
    cases.push_back({"POST",
                     "/v1/voice/costs",
                     {401, 422, 403, 422, 404, 422, 422, 422},
                     fmt::format(R"({{"subject":"{}","destination":"4930","setup_time":)"
                                 R"("2026-01-01T00:00:00Z","usage_seconds":60}})",
                                 voice_customer)});
    // Voice CDRs and balances: the operator's staff ingest, rate again, re-rate, top up and
    // see carriers' costs and margins; CDRs, usage and balances are read within the caller's
    // reach (r2 sees an empty list, and 404 for r1's customer); admins set account terms.
    const Row voice_staff_write{401, 403, 403, 0, 403, 403, 0, 0};
    const Row voice_reach_list{401, 200, 403, 200, 200, 200, 200, 200};
    cases.push_back({"POST", "/v1/voice/cdrs/imports", voice_staff_write, ""});
    cases.push_back({"POST", "/v1/voice/cdrs", voice_staff_write, R"({"cdrs":[]})"});
    cases.push_back({"POST", "/v1/voice/cdrs/rate-again", voice_staff_write, "{}"});
    cases.push_back({"GET", "/v1/voice/cdrs", voice_reach_list, ""});
    cases.push_back({"GET", "/v1/voice/cdrs.csv", voice_reach_list, ""});
    cases.push_back({"GET", "/v1/voice/cdrs/{id}", {401, 404, 403, 404, 404, 404, 404, 404}, ""});
    cases.push_back({"GET", "/v1/voice/usage", voice_reach_list, ""});
    cases.push_back({"GET", "/v1/voice/carriers/{id}/costs", voice_operator_read, ""});
    // Kamailio's surface: an API key (unrestricted admin, or scoped to /v1/voice/kamailio) as
    // HTTP Basic or Bearer; sessions are refused. `{}` is a bad request for each (400).
    const Row kamailio_key{401, 401, 401, 401, 401, 401, 0, 401};
    for (const char* path : {"/v1/voice/kamailio/route", "/v1/voice/kamailio/credentials",
                             "/v1/voice/kamailio/events"})
        cases.push_back({"POST", path, kamailio_key, "{}"});
    // What a streaming server process asks of the main server: an API key as well (unrestricted
    // admin, or scoped to /v1/iptv/edge); server {id} 1 exists.
    cases.push_back({"POST", "/v1/iptv/edge/{id}/admissions", kamailio_key,
                     R"({"token":"t","file":"1.ts","remote_ip":"192.0.2.1"})"});
    for (const char* op : {"renew", "close"})
        cases.push_back({"POST", fmt::format("/v1/iptv/edge/{{id}}/leases/{{lease_id}}/{}", op),
                         kamailio_key, R"({"line_id":1})"});
    cases.push_back({"GET", "/v1/voice/calls/{id}", {401, 403, 403, 0, 403, 403, 0, 0}, ""});
    cases.push_back({"GET", "/v1/voice/margins", voice_operator_read, ""});
    cases.push_back({"GET", "/v1/voice/customers/{id}/balance", voice_customer_read, ""});
    // The matrix's customer has no rate card assigned: those who may see it get 404 naming
    // rate_card (cdrs_test reads a real card as the customer user).
    cases.push_back({"GET",
                     "/v1/voice/customers/{id}/rate-card",
                     {401, 404, 403, 404, 404, 404, 404, 404},
                     ""});
    cases.push_back({"POST",
                     "/v1/voice/customers/{id}/top-ups",
                     {401, 403, 403, 201, 403, 403, 201, 201},
                     R"({"amount":"1.00","reason":"r{who}"})"});
    cases.push_back({"POST",
                     "/v1/voice/customers/{id}/adjustments",
                     {401, 403, 403, 201, 403, 403, 201, 201},
                     R"({"amount":"-0.10","reason":"r{who}"})"});
    cases.push_back({"PUT",
                     "/v1/voice/customers/{id}/account",
                     {401, 403, 403, 403, 403, 403, 200, 200},
                     "{}"});
    cases.push_back({"GET", "/v1/voice/balances", staff_get, ""});
    cases.push_back({"POST",
                     "/v1/voice/reratings",
                     {401, 403, 403, 200, 403, 403, 200, 200},
                     R"({"from":"2024-01-01T00:00:00Z","to":"2024-01-02T00:00:00Z"})"});
    // DIDs: countries for staff, providers for the operator; a DID and its KYC documents are
    // reached like its customer (r1's: r2 gets 404); admins change them (bodies that are
    // refused, so the DID stays as it is for the rows after).
    cases.push_back({"GET", "/v1/voice/did-countries", staff_get, ""});
    cases.push_back({"GET", "/v1/voice/did-countries/{country}", staff_get, ""});
    cases.push_back(
        {"PUT", "/v1/voice/did-countries/{country}", admin_only, R"({"name":"UK {who}"})"});
    cases.push_back({"GET", "/v1/voice/did-providers", voice_operator_read, ""});
    cases.push_back({"GET", "/v1/voice/did-providers/{id}", voice_operator_read, ""});
    cases.push_back({"PUT", "/v1/voice/did-providers/{id}", admin_only,
                     R"({"name":"D{who}","currency":"GBP"})"});
    cases.push_back({"GET", "/v1/voice/dids", voice_reach_list, ""});
    cases.push_back({"POST", "/v1/voice/dids", admin_only, "{}"});
    cases.push_back({"GET", "/v1/voice/dids/{number}", voice_customer_read, ""});
    for (std::string action : {"reserve", "order", "suspend", "resume", "release"})
        cases.push_back({"POST", "/v1/voice/dids/{number}/" + action, admin_only, R"({"x":1})"});
    cases.push_back({"PUT", "/v1/voice/dids/{number}/routing", admin_only, R"({"x":1})"});
    cases.push_back({"PUT", "/v1/voice/dids/{number}/port", admin_only, R"({"x":1})"});
    cases.push_back({"GET", "/v1/voice/dids/{number}/kyc", voice_customer_read, ""});
    cases.push_back(
        {"POST", "/v1/voice/dids/{number}/kyc", {401, 400, 403, 400, 404, 400, 400, 400}, "{}"});
    cases.push_back({"GET",
                     "/v1/voice/dids/{number}/kyc/{document_id}",
                     {401, 403, 403, 404, 403, 403, 404, 404},
                     ""});
    cases.push_back(
        {"POST", "/v1/voice/dids/{number}/kyc/{document_id}/approve", admin_only, R"({"x":1})"});
    cases.push_back(
        {"POST", "/v1/voice/dids/{number}/kyc/{document_id}/reject", admin_only, R"({"x":1})"});
    cases.push_back({"POST", "/v1/voice/did-fees/monthly", admin_only, R"({"x":1})"});
    // Hotspot: {id} is r1's. Reads for staff and resellers (r2 does not see r1's: 404); the
    // catalog (NAS, plans) for admins and resellers; the desk (accounts, vouchers) also for
    // support staff.
    cases.push_back({"GET", "/v1/voice/trunks", {401, 200, 403, 200, 200, 200, 200, 200}, ""});
    cases.push_back({"GET", "/v1/voice/trunks/{id}", voice_customer_read, ""});
    cases.push_back({"POST",
                     "/v1/voice/trunks",
                     {401, 403, 403, 403, 404, 201, 201, 201},
                     fmt::format(R"({{"trunk_id":"t-{{who}}","customer_id":{},"name":"T",)"
                                 R"("username":"u-{{who}}"}})",
                                 voice_customer)});
    cases.push_back({"PATCH",
                     "/v1/voice/trunks/{id}",
                     {401, 403, 403, 403, 404, 200, 200, 200},
                     R"({"name":"n{who}"})"});
    cases.push_back({"POST", "/v1/voice/trunks/{id}/password", voice_customer_read,
                     R"({"password":"pass-word-{who}"})"});
    cases.push_back({"GET", "/v1/voice/admission", voice_operator_read, ""});
    // Extensions and ring groups are reached like their customer (r1's: r2 gets 404); sellers
    // write them. Media servers are the operator's.
    cases.push_back({"GET", "/v1/voice/extensions", {401, 200, 403, 200, 200, 200, 200, 200}, ""});
    cases.push_back({"GET", "/v1/voice/extensions/{id}", voice_customer_read, ""});
    cases.push_back({"POST",
                     "/v1/voice/extensions",
                     {401, 403, 403, 403, 404, 201, 201, 201},
                     fmt::format(R"({{"extension_id":"e-{{who}}","customer_id":{},)"
                                 R"("number":"30{{who}}"}})",
                                 voice_customer)});
    cases.push_back({"PATCH",
                     "/v1/voice/extensions/{id}",
                     {401, 403, 403, 403, 404, 200, 200, 200},
                     R"({"name":"n{who}"})"});
    cases.push_back({"POST", "/v1/voice/extensions/{id}/password", voice_customer_read,
                     R"({"password":"pass-word-{who}"})"});
    cases.push_back({"GET", "/v1/voice/ring-groups", {401, 200, 403, 200, 200, 200, 200, 200}, ""});
    cases.push_back({"GET", "/v1/voice/ring-groups/{id}", voice_customer_read, ""});
    cases.push_back({"POST",
                     "/v1/voice/ring-groups",
                     {401, 403, 403, 403, 404, 201, 201, 201},
                     fmt::format(R"({{"ring_group_id":"g-{{who}}","customer_id":{},)"
                                 R"("members":[{{"extension_id":"e-{{who}}"}}]}})",
                                 voice_customer)});
    cases.push_back({"PATCH",
                     "/v1/voice/ring-groups/{id}",
                     {401, 403, 403, 403, 404, 200, 200, 200},
                     R"({"name":"n{who}"})"});
    cases.push_back({"GET", "/v1/voice/media-servers", voice_operator_read, ""});
    cases.push_back({"GET", "/v1/voice/media-servers/{id}", voice_operator_read, ""});
    cases.push_back({"POST", "/v1/voice/media-servers", admin_only,
                     R"({"media_server_id":"m{who}","name":"M","uri":"sip:m@10.0.0.1",)"
                     R"("purpose":"ivr"})"});
    cases.push_back({"PATCH", "/v1/voice/media-servers/{id}", admin_only, R"({"name":"M{who}"})"});
    const Row hotspot_r1_read{401, 403, 403, 200, 404, 200, 200, 200};
    const Row hotspot_r1_catalog{401, 403, 403, 403, 404, 200, 200, 200};
    const Row hotspot_r1_desk{401, 403, 403, 200, 404, 200, 200, 200};
    for (std::string thing : {"nas", "plans", "accounts", "voucher-batches"}) {
        cases.push_back({"GET", "/v1/hotspot/" + thing, staff_get, ""});
        cases.push_back({"GET", "/v1/hotspot/" + thing + "/{id}", hotspot_r1_read, ""});
    }
    cases.push_back({"POST",
                     "/v1/hotspot/nas",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"nas_id":"n{who}","name":"N","vendor":"generic","address":"10.9.0.{who}",)"
                     R"("secret":"secret-{who}-xyz"})"});
    cases.push_back({"PATCH", "/v1/hotspot/nas/{id}", hotspot_r1_catalog, R"({"site":"s{who}"})"});
    cases.push_back({"POST", "/v1/hotspot/nas/{id}/disable", hotspot_r1_catalog, ""});
    cases.push_back({"POST", "/v1/hotspot/nas/{id}/enable", hotspot_r1_catalog, ""});
    // Controllers: defined by admins and resellers; operations by the desk (r1's controller is
    // down, so they pass the role check and answer 502; r2 does not see it).
    cases.push_back({"GET", "/v1/hotspot/controllers", staff_get, ""});
    cases.push_back({"GET", "/v1/hotspot/controllers/{id}", hotspot_r1_read, ""});
    cases.push_back({"POST",
                     "/v1/hotspot/controllers",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"controller_id":"c{who}","name":"C","vendor":"mikrotik",)"
                     R"("address":"127.0.0.1","port":{who},"username":"a","password":"pw"})"});
    cases.push_back(
        {"PATCH", "/v1/hotspot/controllers/{id}", hotspot_r1_catalog, R"({"site":"s{who}"})"});
    const Row controller_op{401, 403, 403, 0, 404, 0, 0, 0};
    cases.push_back({"POST", "/v1/hotspot/controllers/{id}/test", controller_op, ""});
    cases.push_back({"GET", "/v1/hotspot/controllers/{id}/users", controller_op, ""});
    cases.push_back({"POST", "/v1/hotspot/controllers/{id}/users", controller_op,
                     R"({"name":"u{who}","password":"pw-{who}-x"})"});
    cases.push_back({"DELETE", "/v1/hotspot/controllers/{id}/users/{name}", controller_op, ""});
    cases.push_back({"POST", "/v1/hotspot/controllers/{id}/authorize-mac", controller_op,
                     R"({"mac":"aa:bb:cc:dd:ee:0{who}"})"});
    cases.push_back({"GET", "/v1/hotspot/controllers/{id}/active", controller_op, ""});
    cases.push_back({"DELETE", "/v1/hotspot/controllers/{id}/active/{session}", controller_op, ""});
    cases.push_back({"POST", "/v1/hotspot/controllers/{id}/sync", controller_op, ""});
    cases.push_back(
        {"POST", "/v1/hotspot/controllers/sync", {401, 403, 403, 200, 200, 200, 200, 200}, ""});
    cases.push_back({"POST",
                     "/v1/hotspot/controllers/broadcast",
                     {401, 403, 403, 200, 200, 200, 200, 200},
                     R"({"operation":"authorize_mac","mac":"aa:bb:cc:dd:ee:0{who}"})"});
    cases.push_back({"POST",
                     "/v1/hotspot/plans",
                     {401, 403, 403, 403, 201, 201, 201, 201},
                     R"({"name":"plan {who}"})"});
    cases.push_back(
        {"PATCH", "/v1/hotspot/plans/{id}", hotspot_r1_catalog, R"({"name":"P{who}"})"});
    cases.push_back({"POST",
                     "/v1/hotspot/accounts",
                     {401, 403, 403, 201, 201, 201, 201, 201},
                     R"({"username":"acct-{who}","password":"pass-word","plan_id":"op-plan"})"});
    cases.push_back(
        {"PATCH", "/v1/hotspot/accounts/{id}", hotspot_r1_desk, R"({"password":"pw-{who}-xx"})"});
    cases.push_back({"POST", "/v1/hotspot/accounts/{id}/disable", hotspot_r1_desk, ""});
    cases.push_back({"POST", "/v1/hotspot/accounts/{id}/enable", hotspot_r1_desk, ""});
    cases.push_back(
        {"POST", "/v1/hotspot/accounts/{id}/extend", hotspot_r1_desk, R"({"add_seconds":60})"});
    cases.push_back({"POST",
                     "/v1/hotspot/voucher-batches",
                     {401, 403, 403, 201, 201, 201, 201, 201},
                     R"({"plan_id":"op-plan","count":1,"batch_id":"b{who}"})"});
    for (const char* file : {"codes.csv", "sheet.html", "sheet.pdf"})
        cases.push_back(
            {"GET", std::string("/v1/hotspot/voucher-batches/{id}/") + file, hotspot_r1_desk, ""});
    cases.push_back({"GET", "/v1/hotspot/vouchers/{id}", hotspot_r1_read, ""});
    // Sessions and reports: staff and resellers (a reseller's answers hold its own NAS only,
    // tested in hotspot_radius_e2e_test); the mixed reports are the operator's staff's.
    const Row hotspot_reach{401, 403, 403, 0, 0, 0, 0, 0};
    const Row hotspot_operator{401, 403, 403, 0, 403, 403, 0, 0};
    for (const char* path : {"/v1/hotspot/sessions", "/v1/hotspot/sessions.csv",
                             "/v1/hotspot/sessions/{id}", "/v1/hotspot/usage/{username}"})
        cases.push_back({"GET", path, hotspot_reach, ""});
    cases.push_back({"DELETE", "/v1/hotspot/sessions/{id}", hotspot_reach, ""});
    for (std::string report : {"usage-by-plan", "usage-by-nas", "voucher-sales"}) {
        cases.push_back({"GET", "/v1/hotspot/reports/" + report, hotspot_reach, ""});
        cases.push_back({"GET", "/v1/hotspot/reports/" + report + ".csv", hotspot_reach, ""});
    }
    for (std::string report : {"usage-by-hour", "top-users"}) {
        cases.push_back({"GET", "/v1/hotspot/reports/" + report, hotspot_operator, ""});
        cases.push_back({"GET", "/v1/hotspot/reports/" + report + ".csv", hotspot_operator, ""});
    }
    // r1's code: support redeems it first; later callers find it redeemed (422); r2 does not
    // see it (404).
    cases.push_back({"POST",
                     "/v1/hotspot/vouchers/redeem",
                     {401, 403, 403, 201, 404, 422, 422, 422},
                     fmt::format(R"({{"code":"{}"}})", r1_code)});
    // The books: admins write them; admins and support read them (resellers and customers
    // never see the operator's books).
    const Row books_read{401, 403, 403, 0, 403, 403, 0, 0};
    cases.push_back({"POST", "/v1/billing/accounts", admin_only,
                     R"({"account":"wallet:rbac-{who}","currency":"EUR"})"});
    cases.push_back({"POST", "/v1/billing/entries", admin_only,
                     R"({"entry_id":"rbac-{who}","currency":"EUR","memo":"m","postings":[)"
                     R"({"account":"gateway_clearing:bank","debit_micros":1},)"
                     R"({"account":"revenue:other","credit_micros":1}]})"});
    cases.push_back(
        {"POST", "/v1/billing/entries/{entry_id}/reversal", admin_only, R"({"memo":"rbac"})"});
    for (const char* path : {"/v1/billing/accounts", "/v1/billing/accounts/{account}",
                             "/v1/billing/accounts/{account}/lines",
                             "/v1/billing/entries/{entry_id}", "/v1/billing/trial-balance"})
        cases.push_back({"GET", path, books_read, ""});
    for (const char* report : {"revenue", "taxes", "profit-and-loss", "mrr", "receivables-aging"}) {
        cases.push_back({"GET", std::string("/v1/billing/reports/") + report, books_read, ""});
        cases.push_back(
            {"GET", std::string("/v1/billing/reports/") + report + ".csv", books_read, ""});
    }
    // Plans and subscriptions: admins sell them; admins and support read them.
    cases.push_back({"POST", "/v1/billing/plans", admin_only,
                     R"({"plan_id":"rbac-{who}","name":"P","line":"vpn",)"
                     R"("prices":[{"currency":"EUR","amount_micros":0}]})"});
    cases.push_back({"POST", "/v1/billing/subscriptions", admin_only,
                     R"({"subscription_id":"rbac-{who}","customer_id":"c","plan_id":"rbac-{who}",)"
                     R"("currency":"EUR","payer":"receivable:c"})"});
    for (const auto& [action, body] : std::vector<std::pair<std::string, std::string>>{
             {"plan", R"({"plan_id":"rbac-7"})"},
             {"cancellation", R"({"cancel_at_period_end":true})"},
             {"auto-renew", R"({"auto_renew":false})"},
             {"pause", ""},
             {"resume", ""},
             {"renewal", ""}})
        cases.push_back(
            {"POST", "/v1/billing/subscriptions/{subscription_id}/" + action, admin_only, body});
    for (const char* path :
         {"/v1/billing/plans", "/v1/billing/plans/{plan_id}", "/v1/billing/subscriptions",
          "/v1/billing/subscriptions/{subscription_id}"})
        cases.push_back({"GET", path, books_read, ""});
    cases.push_back({"POST", "/v1/billing/plans/{plan_id}/retirement", admin_only, ""});
    // Payments: admins record them and their refunds; admins and support read them. The
    // gateways' webhooks take no caller: their signature is the credential (no gateway is
    // configured here: 503 for everyone, whoever calls).
    cases.push_back({"POST", "/v1/billing/payments", admin_only,
                     R"({"payment_id":"rbac-{who}","method":"cash","customer_id":"c",)"
                     R"("currency":"EUR","amount_micros":1})"});
    cases.push_back({"GET", "/v1/billing/payments/{payment_id}", books_read, ""});
    cases.push_back({"POST", "/v1/billing/payment-intents", admin_only,
                     R"({"customer_id":"c","amount_micros":1000000,"currency":"EUR"})"});
    cases.push_back({"POST", "/v1/billing/payments/{payment_id}/refunds", admin_only,
                     R"({"refund_id":"r-{who}","amount_micros":1})"});
    // Tax rates and promo codes: admins set them; quotes are for those who read the books.
    cases.push_back({"PUT", "/v1/billing/tax-rates/{jurisdiction}", admin_only,
                     R"({"name":"VAT","rate_ppm":190000})"});
    cases.push_back({"GET", "/v1/billing/tax-rates", books_read, ""});
    cases.push_back({"POST", "/v1/billing/promo-codes", admin_only,
                     R"({"code":"RBAC{who}","percent_ppm":100000})"});
    cases.push_back({"GET", "/v1/billing/promo-codes/{code}", books_read, ""});
    cases.push_back({"POST", "/v1/billing/quotes", books_read,
                     R"({"currency":"EUR","buyer":{"country":"DE"},)"
                     R"("lines":[{"description":"x","unit_amount_micros":1}]})"});
    cases.push_back({"POST", "/v1/billing/promo-codes/{code}/retirement", admin_only, ""});
    // Purchases and credits: the operator's staff and resellers (on their own credits).
    const Row sellers{401, 403, 403, 403, 0, 0, 0, 0};
    cases.push_back({"POST", "/v1/billing/purchases", sellers,
                     R"({"subscription_id":"rbac-p-{who}","plan_id":"rbac-6","service_id":"1"})"});
    cases.push_back({"GET", "/v1/billing/credits", sellers, ""});
    cases.push_back({"POST", "/v1/billing/credits/transfers", sellers,
                     R"({"transfer_id":"t-{who}","to_reseller_id":"u_x","amount_micros":1})"});
    // Commissions: admins set rates, approve, reject and pay out; support and resellers read
    // them (a reseller its own: another reseller's rate is 403, its commissions 404).
    const Row commission_read{401, 403, 403, 0, 0, 0, 0, 0};
    cases.push_back({"PUT", "/v1/billing/commission-rates/{reseller_id}", admin_only,
                     R"({"percent_ppm":100000})"});
    cases.push_back({"GET", "/v1/billing/commission-rates/{reseller_id}", books_read, ""});
    for (const char* path :
         {"/v1/billing/commissions", "/v1/billing/commissions/summary",
          "/v1/billing/commissions/{commission_id}", "/v1/billing/commission-payouts/{payout_id}"})
        cases.push_back({"GET", path, commission_read, ""});
    cases.push_back({"POST", "/v1/billing/commissions/{commission_id}/approval", admin_only, ""});
    cases.push_back({"POST", "/v1/billing/commissions/{commission_id}/rejection", admin_only,
                     R"({"reason":"rbac"})"});
    cases.push_back({"POST", "/v1/billing/commission-payouts", admin_only,
                     R"({"payout_id":"rbac-{who}","reseller_id":"u_x","currency":"EUR"})"});
    // Referral codes: admins define, retire and register; staff who read the books read them.
    cases.push_back({"POST", "/v1/billing/referral-codes", admin_only,
                     R"({"code":"RBACREF{who}","referrer_id":"a","currency":"EUR",)"
                     R"("referrer_bonus_micros":1})"});
    cases.push_back({"GET", "/v1/billing/referral-codes/{code}", books_read, ""});
    cases.push_back({"POST", "/v1/billing/referral-codes/{code}/retirement", admin_only, ""});
    cases.push_back(
        {"POST", "/v1/billing/referrals", admin_only, R"({"code":"NOPE1","customer_id":"c"})"});
    cases.push_back({"GET", "/v1/billing/referrals/{customer_id}", books_read, ""});
    // Notifications: admins set templates, contacts and settings; staff who read the books
    // read them and the notification log.
    cases.push_back({"PUT", "/v1/billing/notification-templates/{trigger}/{channel}/{language}",
                     admin_only, R"({"subject":"rbac {who}","body":"x"})"});
    cases.push_back({"DELETE", "/v1/billing/notification-templates/{trigger}/{channel}/{language}",
                     admin_only, ""});
    cases.push_back({"PUT", "/v1/billing/notification-contacts/{subject_id}", admin_only,
                     R"({"language":"en"})"});
    cases.push_back({"PUT", "/v1/billing/notification-settings", admin_only, "{}"});
    for (const char* path :
         {"/v1/billing/notification-templates", "/v1/billing/notification-contacts/{subject_id}",
          "/v1/billing/notification-settings", "/v1/billing/notifications",
          "/v1/billing/notifications/{notification_id}"})
        cases.push_back({"GET", path, books_read, ""});
    // Invoices: admins issue, pay, credit, email them and erase customers; staff who read the
    // books read them.
    cases.push_back({"POST", "/v1/billing/invoices", admin_only,
                     R"({"invoice_id":"rbac-{who}","customer_id":"c","currency":"EUR",)"
                     R"("buyer":{"name":"A","country":"DE"},)"
                     R"("lines":[{"description":"x","unit_amount_micros":1}]})"});
    for (const char* path :
         {"/v1/billing/invoices/{invoice_id}", "/v1/billing/invoices/{invoice_id}/document.html",
          "/v1/billing/invoices/{invoice_id}/document.pdf"})
        cases.push_back({"GET", path, books_read, ""});
    cases.push_back({"POST", "/v1/billing/invoices/{invoice_id}/payment", admin_only, ""});
    cases.push_back({"POST", "/v1/billing/invoices/{invoice_id}/emails", admin_only, ""});
    cases.push_back({"POST", "/v1/billing/invoices/{invoice_id}/credit-notes", admin_only,
                     R"({"credit_note_id":"rbac-cn-{who}"})"});
    cases.push_back({"POST", "/v1/billing/customers/{customer_id}/erasure", admin_only, ""});
    const Row webhook{503, 503, 503, 503, 503, 503, 503, 503};
    cases.push_back({"POST", "/v1/billing/webhooks/stripe", webhook, "{}"});
    cases.push_back({"POST", "/v1/billing/webhooks/paypal", webhook, "{}"});
    // Deletions and session ends last: they change what later requests address.
    cases.push_back({"DELETE", "/v1/vpn/devices/{id}/peer", vpn_account, ""});
    cases.push_back({"DELETE", "/v1/hotspot/plans/{id}", hotspot_r1_catalog, ""});
    // r2 cannot remove r1's controller; r1 can; then it is gone for the operator too.
    cases.push_back(
        {"DELETE", "/v1/hotspot/controllers/{id}", {401, 403, 403, 403, 404, 200, 404, 404}, ""});
    cases.push_back({"POST", "/v1/hotspot/voucher-batches/{id}/revoke", hotspot_r1_desk, ""});
    cases.push_back({"DELETE", "/v1/vpn/devices/{id}", vpn_account, ""});
    cases.push_back({"DELETE", "/v1/vpn/port-forwards/{id}", vpn_account, ""});
    cases.push_back({"DELETE", "/v1/vpn/plans/{id}", admin_only, ""});
    cases.push_back({"DELETE", "/v1/vpn/servers/{id}", admin_only, ""});
    cases.push_back({"DELETE", "/v1/iptv/server-groups/{id}", admin_only, ""});
    cases.push_back({"DELETE", "/v1/iptv/servers/{id}", admin_only, ""});
    for (std::string thing : {"categories", "streams", "bouquets"})
        cases.push_back({"DELETE", "/v1/iptv/" + thing + "/{id}", admin_only, ""});
    cases.push_back({"DELETE", "/v1/voice/assignments/{id}", admin_only, ""});
    // r2 cannot remove r1's customer's trunk; r1 can; then it is gone for the operator too.
    cases.push_back(
        {"DELETE", "/v1/voice/trunks/{id}", {401, 403, 403, 403, 404, 200, 404, 404}, ""});
    // The same for r1's ring group, then its extension once no ring group points at it.
    cases.push_back(
        {"DELETE", "/v1/voice/ring-groups/{id}", {401, 403, 403, 403, 404, 200, 404, 404}, ""});
    cases.push_back(
        {"DELETE", "/v1/voice/extensions/{id}", {401, 403, 403, 403, 404, 200, 404, 404}, ""});
    cases.push_back({"DELETE", "/v1/voice/media-servers/{id}", admin_only, ""});
    for (std::string thing : {"pops", "tiers", "codecs", "codec-sets", "channel-plans", "carriers"})
        cases.push_back({"DELETE", "/v1/voice/" + thing + "/{id}", admin_only, ""});
    for (std::string thing : {"routes", "gateways", "route-groups"})
        cases.push_back({"DELETE", "/v1/voice/" + thing + "/{id}", admin_only, ""});
    cases.push_back({"DELETE", "/v1/voice/quality/rules/{id}", admin_only, ""});
    // r2 cannot delete r1's line; r1 can; then it is gone for the operator too.
    cases.push_back(
        {"DELETE", "/v1/iptv/lines/{id}", {401, 403, 403, 403, 404, 200, 404, 404}, ""});
    cases.push_back(
        {"POST", "/v1/auth/sessions/revoke", {401, 200, 200, 200, 200, 200, 403, 200}, ""});
    // Revoked sessions no longer authenticate, so logout answers 401; a key is not a session.
    cases.push_back({"POST", "/v1/auth/logout", {401, 401, 401, 401, 401, 401, 403, 401}, ""});

    // Every /v1 route of the router is covered, and nothing else.
    std::set<std::string> covered, routed;
    for (const auto& c : cases) covered.insert(c.method + " " + c.pattern);
    for (const auto& r : f.router->routes()) {
        if (r.pattern.starts_with("/v1/")) routed.insert(r.method + " " + r.pattern);
    }
    CHECK(covered == routed);
    for (const auto& c : covered)
        if (!routed.count(c)) MESSAGE("no route for the row " << c);
    for (const auto& r : routed)
        if (!covered.count(r)) MESSAGE("no row for the route " << r);

    for (const auto& c : cases) {
        std::string target = c.pattern;
        if (auto at = target.find("{id}"); at != std::string::npos) {
            std::string id = "1";
            if (c.pattern.starts_with("/v1/iptv/lines")) id = line1;
            if (c.pattern.starts_with("/v1/users")) id = customer_id;
            if (c.pattern.starts_with("/v1/api-keys")) id = r1_key;
            for (const auto& [prefix, voice_id] : voice_ids)
                if (c.pattern.starts_with(prefix + "/")) id = voice_id;
            for (const auto& [prefix, hotspot_id] : hotspot_ids)
                if (c.pattern.starts_with(prefix + "/")) id = hotspot_id;
            target.replace(at, 4, id);
        }
        if (auto at = target.find("{v}"); at != std::string::npos) target.replace(at, 3, "1");
        if (auto at = target.find("{number}"); at != std::string::npos)
            target.replace(at, 8, "442071234567");
        if (auto at = target.find("{country}"); at != std::string::npos)
            target.replace(at, 9, "GB");
        if (auto at = target.find("{lease_id}"); at != std::string::npos)
            target.replace(at, 10, "no-such-lease");
        if (auto at = target.find("{document_id}"); at != std::string::npos)
            target.replace(at, 13, "1");
        if (auto at = target.find("{name}"); at != std::string::npos)
            target.replace(at, 6, "nobody");
        if (auto at = target.find("{session}"); at != std::string::npos)
            target.replace(at, 9, "*1");
        if (auto at = target.find("{username}"); at != std::string::npos)
            target.replace(at, 10, "r1-acct");
        if (auto at = target.find("{account}"); at != std::string::npos)
            target.replace(at, 9, "revenue:other");
        if (auto at = target.find("{entry_id}"); at != std::string::npos)
            target.replace(at, 10, "rbac-6");
        if (auto at = target.find("{plan_id}"); at != std::string::npos)
            target.replace(at, 9, "rbac-6");
        if (auto at = target.find("{subscription_id}"); at != std::string::npos)
            target.replace(at, 17, "rbac-6");
        if (auto at = target.find("{payment_id}"); at != std::string::npos)
            target.replace(at, 12, "rbac-6");
        if (auto at = target.find("{jurisdiction}"); at != std::string::npos)
            target.replace(at, 14, "DE");
        if (auto at = target.find("{code}"); at != std::string::npos)
            target.replace(at, 6, "RBAC6");
        if (auto at = target.find("{invoice_id}"); at != std::string::npos)
            target.replace(at, 12, "rbac-6");
        if (auto at = target.find("{customer_id}"); at != std::string::npos)
            target.replace(at, 13, "rbac-6");
        if (auto at = target.find("{reseller_id}"); at != std::string::npos)
            target.replace(at, 13, "rbac-6");
        if (auto at = target.find("{commission_id}"); at != std::string::npos)
            target.replace(at, 15, "sub:rbac-6:1");
        if (auto at = target.find("{payout_id}"); at != std::string::npos)
            target.replace(at, 11, "rbac-6");
        if (auto at = target.find("{trigger}"); at != std::string::npos)
            target.replace(at, 9, "invoice.issued");
        if (auto at = target.find("{channel}"); at != std::string::npos)
            target.replace(at, 9, "email");
        if (auto at = target.find("{language}"); at != std::string::npos)
            target.replace(at, 10, "en");
        if (auto at = target.find("{subject_id}"); at != std::string::npos)
            target.replace(at, 12, "rbac-6");
        if (auto at = target.find("{notification_id}"); at != std::string::npos)
            target.replace(at, 17, "rbac-6");
        if (c.pattern.starts_with("/v1/billing/accounts/")) target += "?currency=EUR";
        if (c.pattern == "/v1/iptv/imports/m3u") target += "?source=m";
        if (c.pattern == "/v1/iptv/imports/xtream") target += "?source=m";
        if (c.pattern == "/v1/iptv/imports/m3u-vod") target += "?source=m";
        if (auto at = target.find("{file}"); at != std::string::npos)
            target.replace(at, 6, "en.vtt");
        // A customer's VPN account: r1's customer, named for staff.
        const bool vpn_offer = c.pattern.starts_with("/v1/vpn/plans") ||
                               c.pattern.starts_with("/v1/vpn/servers") ||
                               c.pattern == "/v1/vpn/port-forward-templates";
        if (c.pattern.starts_with("/v1/vpn/") && !vpn_offer)
            target += "?customer_id=" + customer_id;
        for (int who = 0; who < kWho; ++who) {
            std::map<std::string, std::string> headers;
            if (who != Anon)
                headers["authorization"] = "Bearer " + token[static_cast<std::size_t>(who)];
            std::string body = c.body;
            for (auto at = body.find("{who}"); at != std::string::npos; at = body.find("{who}"))
                body.replace(at, 5, std::to_string(who));
            auto r = f.call(c.method, target, body, false, headers);
            const int want = c.expected[static_cast<std::size_t>(who)];
            CAPTURE(c.method);
            CAPTURE(target);
            CAPTURE(kWhoNames[who]);
            CAPTURE(r.body);
            if (want == 0) {
                CHECK(r.status != 401);
                CHECK(r.status != 403);
            } else {
                CHECK(r.status == want);
            }
        }
    }
}

TEST_CASE("a reseller's line list holds its own subtree's lines only") {
    ApiFixture f;
    auto user = [&](const std::string& auth, const std::string& name) {
        auto r = f.call("POST", "/v1/users",
                        fmt::format(R"({{"username":"{}","password":"{}","role":"reseller"}})",
                                    name, kPassword),
                        true, {{"authorization", "Bearer " + auth}});
        REQUIRE_MESSAGE(r.status == 201, r.body);
        auto l =
            f.call("POST", "/v1/auth/login",
                   fmt::format(R"({{"username":"{}","password":"{}"}})", name, kPassword), false);
        simdjson::dom::parser p;
        return str(parse_json(p, l.body), "token");
    };
    const auto r1 = user(f.key, "res1");
    const auto r2 = user(f.key, "res2");
    const auto sub = user(r1, "r1-sub");
    auto line = [&](const std::string& auth, const std::string& name) {
        REQUIRE(f.call("POST", "/v1/iptv/lines", fmt::format(R"({{"username":"{}"}})", name), true,
                       {{"authorization", "Bearer " + auth}})
                    .status == 201);
    };
    line(r1, "la1");
    line(r2, "lb1");
    line(sub, "ls1");
    line(f.key, "lop1");
    line(r1, "la2");
    auto names = [&](const std::string& auth) {
        auto r = f.call("GET", "/v1/iptv/lines", "", true, {{"authorization", "Bearer " + auth}});
        REQUIRE(r.status == 200);
        std::set<std::string> out;
        simdjson::dom::parser p;
        for (auto item : parse_json(p, r.body)["items"].get_array())
            out.insert(str(item, "username"));
        return out;
    };
    CHECK(names(r1) == std::set<std::string>{"la1", "la2", "ls1"});
    CHECK(names(sub) == std::set<std::string>{"ls1"});
    CHECK(names(r2) == std::set<std::string>{"lb1"});
    CHECK(names(f.key) == std::set<std::string>{"la1", "la2", "lb1", "ls1", "lop1"});
}

TEST_CASE(
    "no credential of any role or confinement acts on a stronger credential of its own owner") {
    using namespace std::chrono_literals;
    ApiFixture f;
    auto as = [&](const std::string& token, const std::string& method, const std::string& target,
                  const std::string& body = {}) {
        return f.call(method, target, body, true, {{"authorization", "Bearer " + token}});
    };
    struct Key {
        std::string id, key;
    };
    auto make_key = [&](const std::string& token, const std::string& body) {
        auto r = as(token, "POST", "/v1/api-keys", body);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        return Key{str(doc, "key_id"), str(doc, "key")};
    };
    auto login = [&](const std::string& name, const std::string& totp = {}) {
        auto r = f.call("POST", "/v1/auth/login",
                        totp.empty()
                            ? fmt::format(R"({{"username":"{}","password":"{}"}})", name, kPassword)
                            : fmt::format(R"({{"username":"{}","password":"{}",)"
                                          R"("totp":"{}"}})",
                                          name, kPassword, totp),
                        false);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        simdjson::dom::parser p;
        return str(parse_json(p, r.body), "token");
    };
    // The roles below each role, written out here (not taken from the code under test).
    const std::map<std::string, std::vector<std::string>> below{
        {"admin", {"reseller", "support", "customer", "carrier"}},
        {"reseller", {"customer"}},
        {"support", {}},
        {"customer", {}},
        {"carrier", {}}};
    const std::string confinement = R"("route_prefixes":["/v1/api-keys","/v1/auth","/v1/users"])";
    for (const auto& [role, lower] : below) {
        CAPTURE(role);
        auto u = f.call("POST", "/v1/users",
                        fmt::format(R"({{"username":"o-{}","password":"{}","role":"{}"}})", role,
                                    kPassword, role));
        REQUIRE_MESSAGE(u.status == 201, u.body);
        simdjson::dom::parser up;
        const auto user_id = str(parse_json(up, u.body), "user_id");
        const auto name = "o-" + role;
        std::string session = login(name);
        std::string seed;
        auto code = [&] {
            return events::identity::totp_code(seed, core::unix_seconds(f.clock.now()));
        };
        if (role == "admin") {
            // An admin turns on two-factor authentication, then signs in with a code.
            auto setup = as(session, "POST", "/v1/auth/2fa/setup");
            REQUIRE(setup.status == 200);
            simdjson::dom::parser p;
            seed =
                events::identity::base32_decode(str(parse_json(p, setup.body), "secret")).value();
            REQUIRE(as(session, "POST", "/v1/auth/2fa/enable",
                       fmt::format(R"({{"code":"{}"}})", code()))
                        .status == 200);
            f.clock.advance(30s);
            session = login(name, code());
        }
        // The owner's strongest key: its own role, every route, no end.
        const auto strong = make_key(session, R"({"name":"strong"})");
        // Weaker credentials of the same owner: confined, ending, lower roles (also confined).
        std::vector<std::pair<std::string, std::string>> weaker{
            {"confined", fmt::format(R"({{"name":"w",{}}})", confinement)},
            {"ending", fmt::format(R"({{"name":"w","expires_at":"{}"}})",
                                   core::format_rfc3339(f.clock.now() + 1h))}};
        for (const auto& l : lower) {
            weaker.push_back({l, fmt::format(R"({{"name":"w","role":"{}"}})", l)});
            weaker.push_back(
                {l + " confined", fmt::format(R"({{"name":"w","role":"{}",{}}})", l, confinement)});
        }
        const auto wider = fmt::format(R"({{"name":"wider","role":"{}","route_prefixes":["/v1/"],)"
                                       R"("expires_at":"{}"}})",
                                       role, core::format_rfc3339(f.clock.now() + 24h * 30));
        const std::vector<std::array<std::string, 3>> attempts{
            {"POST", "/v1/api-keys/" + strong.id + "/rotate", ""},
            {"DELETE", "/v1/api-keys/" + strong.id, ""},
            {"POST", "/v1/api-keys", wider},
            {"POST", "/v1/auth/2fa/setup", ""},
            {"POST", "/v1/auth/2fa/enable", R"({"code":"000000"})"},
            {"POST", "/v1/auth/2fa/disable", R"({"code":"000000"})"},
            {"POST", "/v1/auth/password",
             fmt::format(R"({{"current_password":"{}","password":"N3w-Horse-Battery"}})",
                         kPassword)},
            {"POST", "/v1/auth/sessions/revoke", ""},
            {"POST", "/v1/auth/logout", ""},
            {"PUT", "/v1/users/" + user_id + "/allowlist", R"({"cidrs":["192.0.2.0/24"]})"}};
        for (const auto& [what, body] : weaker) {
            CAPTURE(what);
            auto weak = make_key(session, body);
            REQUIRE(as(weak.key, "GET", "/v1/auth/me").status == 200);  // its use is recorded
            f.settle();
            const auto before = f.log_size();
            for (const auto& [method, target, request] : attempts) {
                CAPTURE(method);
                CAPTURE(target);
                auto r = as(weak.key, method, target, request);
                CAPTURE(r.body);
                CHECK((r.status == 403 || r.status == 404));
                CHECK(f.log_size() == before);
            }
            CHECK(as(weak.key, "GET", "/v1/api-keys").body.find(strong.id) == std::string::npos);
            CHECK(as(strong.key, "GET", "/v1/auth/me").status == 200);
            // What it may do: create keys no stronger than itself, and rotate itself.
            make_key(weak.key, R"({"name":"within"})");
            CHECK(as(weak.key, "POST", "/v1/api-keys/" + weak.id + "/rotate").status == 200);
            // The owner's session manages every key of its own.
            CHECK(as(session, "DELETE", "/v1/api-keys/" + weak.id).status == 200);
        }
        if (role == "admin") {
            // A session whose second factor is older than 10 minutes is weaker too.
            f.clock.advance(11min);
            f.settle();
            const auto before = f.log_size();
            for (const auto& [method, target, request] : std::vector<std::array<std::string, 3>>{
                     {"POST", "/v1/api-keys/" + strong.id + "/rotate", ""},
                     {"POST", "/v1/api-keys", R"({"name":"admin again"})"},
                     {"POST", "/v1/users",
                      fmt::format(R"({{"username":"o-admin2","password":"{}","role":"admin"}})",
                                  kPassword)},
                     {"POST", "/v1/auth/password",
                      fmt::format(R"({{"current_password":"{}","password":"N3w-Horse-Battery"}})",
                                  kPassword)}}) {
                CAPTURE(target);
                auto r = as(session, method, target, request);
                CAPTURE(r.body);
                CHECK(r.status == 403);
                CHECK(f.log_size() == before);
            }
            session = login(name, code());
        }
        // The owner's (fresh) session does all of it.
        CHECK(as(session, "POST", "/v1/api-keys/" + strong.id + "/rotate").status == 200);
        CHECK(as(session, "POST", "/v1/auth/password",
                 fmt::format(R"({{"current_password":"{}","password":"N3w-Horse-Battery"}})",
                             kPassword))
                  .status == 200);
        CHECK(as(session, "DELETE", "/v1/api-keys/" + strong.id).status == 200);
    }
}
