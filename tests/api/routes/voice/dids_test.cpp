// DIDs over HTTP, end to end on a real RocksDB log with the server's data directory: countries
// and providers, an inventory CSV with bad lines, an order held by KYC until its documents are
// approved (uploaded as base64, checked by their bytes, stored under the data directory by
// their SHA-256), fees in the log, the monthly run, inbound routing, porting, and bad input
// answered 4xx naming the field with nothing appended. The log is reopened at the end.
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/voice/did_codec.hpp"
#include "events/voice/did_service.hpp"
#include "projections/voice/dids.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// The API as `serve` starts it, on a RocksDB log and a data directory in a temp dir.
struct DidFixture {
    FixedClock clock{core::from_unix_seconds(1'790'000'000)};  // 2026-09-21
    TempDir own;
    std::filesystem::path root;  ///< The log, read models and data directory under it.
    std::unique_ptr<events::EventStore> store;
    std::unique_ptr<projections::ProjectionRunner> runner;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    api::Metrics metrics;
    app::Modules modules = app::make_modules();
    std::unique_ptr<api::ApiContext> ctx;
    std::unique_ptr<app::ModuleHost> host;
    std::unique_ptr<api::Router> router;
    events::voice::DidService* dids = nullptr;
    std::string key;

    /// @param at the directory to work in; a fresh temp dir when empty.
    explicit DidFixture(std::filesystem::path at = {}) : root(at.empty() ? own.path() : at) {
        auto s = events::open_rocksdb_event_store(root / "log");
        REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
        store = std::move(*s);
        auto r = projections::ProjectionRunner::open(root / "views", app::all_projectors(modules));
        REQUIRE(r);
        runner = std::move(*r);
        runner->start(*store);
        ctx.reset(new api::ApiContext{*store, *runner, clock, metrics, std::string(32, 's'), "op"});
        ctx->security.anonymous_per_minute = 0;
        ctx->security.authenticated_per_minute = 0;
        for (auto& m : modules) {
            if (auto* identity = dynamic_cast<app::IdentityModule*>(m.get()))
                identity->options.hash_cost = events::identity::PasswordHashCost::minimum();
            if (auto* vpn = dynamic_cast<app::VpnModule*>(m.get())) {
                vpn->options.config_dir = SY_CONFIG_DIR "/vpn";
                vpn->options.ieee_data = SY_IEEE_DATA;
                vpn->options.seed_default_plans = false;
            }
            if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) {
                voice->options.seed = false;
                voice->options.config_dir = SY_CONFIG_DIR "/voice";
            }
        }
        host.reset(new app::ModuleHost{*store, *runner, clock, keyring, *ctx, "op", root / "data"});
        auto started = app::start_modules(modules, *host);
        REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
        router = std::move(*started);
        for (auto& m : modules)
            if (auto* v = dynamic_cast<app::VoiceModule*>(m.get())) dids = &v->did_service();
        core::DecisionContext d;
        d.now = clock.now();
        auto created = events::identity::create_api_key(*store, "test admin", "admin", d, "op");
        REQUIRE(created);
        key = created->key;
        REQUIRE(runner->wait_for(created->positions, std::chrono::seconds(10)));
        REQUIRE(call("GET", "/v1/auth/me").status == 200);
    }
    ~DidFixture() {
        app::stop_modules(modules);
        runner->stop();
    }

    api::HttpResponse call(const std::string& method, const std::string& target,
                           const std::string& body = {},
                           std::map<std::string, std::string> headers = {}) {
        api::HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.remote_ip = "127.0.0.1";
        r.headers = std::move(headers);
        if (!r.headers.count("authorization")) r.headers["authorization"] = "Bearer " + key;
        if (!body.empty() && !r.headers.count("content-type"))
            r.headers["content-type"] = "application/json";
        REQUIRE(api::parse_target(r));
        return router->dispatch(r);
    }

    std::int64_t log_size() const { return store->head().total(); }

    /// The events of `type` in the log, decoded.
    std::vector<core::voice::DidEvent> did_events(const std::string& type) {
        std::vector<core::voice::DidEvent> out;
        events::Checkpoint cursor;
        for (;;) {
            auto batch = store->read_all(cursor, 1000);
            REQUIRE(batch);
            if (batch->empty()) break;
            for (const auto& e : *batch) {
                cursor.advance(e.position);
                if (e.type == type) out.push_back(*events::voice::decode_did_event(e));
            }
        }
        return out;
    }
};

std::string base64(std::string_view bytes) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += {t[n >> 18], t[(n >> 12) & 63], t[(n >> 6) & 63], t[n & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        out += {t[n >> 18], t[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {t[n >> 18], t[(n >> 12) & 63], t[(n >> 6) & 63], '='};
    }
    return out;
}

std::string openssl_sha256(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    REQUIRE(EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) == 1);
    std::string out;
    for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
    return out;
}

/// A problem+json answer with `status` naming `field`, and the log unchanged.
void check_problem(DidFixture& f, const api::HttpResponse& r, int status, const std::string& field,
                   std::int64_t log_before) {
    CHECK_MESSAGE(r.status == status, r.body);
    CHECK(r.content_type == "application/problem+json");
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK_MESSAGE(str(doc, "field") == field, r.body);
    CHECK(str(doc, "detail").find(field) != std::string::npos);
    CHECK(f.log_size() == log_before);
}

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8);
const std::string kPdf = "%PDF-1.7\n%%EOF\n";

std::int64_t make_customer(DidFixture& f) {
    REQUIRE(f.call("POST", "/v1/voice/categories", R"({"category_id":"sip_trunk","name":"SIP"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/voice/groups",
                   R"({"group_id":"gold","category_id":"sip_trunk","name":"G"})")
                .status == 201);
    auto r = f.call("POST", "/v1/voice/customers",
                    R"({"name":"Acme","country":"DE","currency":"EUR",)"
                    R"("category_id":"sip_trunk","group_id":"gold"})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return num(parse_json(p, r.body), "customer_id");
}

void stock(DidFixture& f) {
    REQUIRE(f.call("PUT", "/v1/voice/did-countries/DE",
                   R"({"name":"Germany","kyc_documents":["id","proof_of_address"]})")
                .status == 200);
    REQUIRE(f.call("PUT", "/v1/voice/did-countries/GB", R"({"name":"United Kingdom"})").status ==
            200);
    REQUIRE(f.call("PUT", "/v1/voice/did-providers/didco",
                   R"({"name":"DID Co","currency":"EUR","api_notes":"REST v2"})")
                .status == 200);
}

const char* kCsv =
    "number,country,provider,type,area,setup_price,monthly_price,channels\n"  // 1
    "+493012345678,DE,didco,local,Berlin,2.00,3.50,2\n"                       // 2
    "442071234567,GB,didco,tollfree,,0,1.25,4\n"                              // 3
    "12,DE,didco,local,,0,0,1\n"                                              // 4: number
    "493012345679,FR,didco,local,,0,0,1\n"                                    // 5: country
    "493012345670,DE,didco,local,,0,0.1234567,1\n";                           // 6: price

}  // namespace

TEST_CASE("a DID goes from a CSV through KYC to active with its fees over HTTP on RocksDB") {
    TempDir dir;
    const auto data_dir = dir.path() / "data";
    std::string png_sha;
    {
        DidFixture f(dir.path());
        const auto customer = make_customer(f);
        stock(f);

        // Import: three bad lines named, two numbers imported; a retry imports nothing.
        const auto body =
            boost::json::serialize(boost::json::object{{"file", "stock.csv"}, {"content", kCsv}});
        auto imp = f.call("POST", "/v1/voice/dids", body, {{"idempotency-key", "stock-1"}});
        REQUIRE_MESSAGE(imp.status == 201, imp.body);
        simdjson::dom::parser p;
        auto doc = parse_json(p, imp.body);
        CHECK(num(doc, "imported") == 2);
        CHECK(num(doc, "refused") == 3);
        std::vector<std::pair<std::int64_t, std::string>> errors;
        for (auto e : doc["errors"].get_array())
            errors.emplace_back(num(e, "line"), str(e, "field"));
        CHECK(errors == std::vector<std::pair<std::int64_t, std::string>>{
                            {4, "number"}, {5, "country"}, {6, "monthly_price"}});
        const auto after_import = f.log_size();
        auto retry = f.call("POST", "/v1/voice/dids", body, {{"idempotency-key", "stock-1"}});
        CHECK(retry.status == 200);
        CHECK(f.log_size() == after_import);

        // Filters.
        auto list = f.call("GET", "/v1/voice/dids?country=GB&status=available");
        REQUIRE(list.status == 200);
        simdjson::dom::parser lp;
        auto items = parse_json(lp, list.body)["items"].get_array().value();
        REQUIRE(items.size() == 1);
        CHECK(str(items.at(0).value(), "number") == "442071234567");
        CHECK(str(items.at(0).value(), "type") == "tollfree");
        CHECK(num(items.at(0).value(), "monthly_price_micros") == 1'250'000);

        // Order in Germany: pending KYC, no fee yet.
        auto ordered = f.call("POST", "/v1/voice/dids/+493012345678/order",
                              fmt::format(R"({{"customer_id":{}}})", customer));
        REQUIRE_MESSAGE(ordered.status == 200, ordered.body);
        simdjson::dom::parser op;
        CHECK(str(parse_json(op, ordered.body), "status") == "pending_kyc");
        CHECK(f.did_events("voice.did.fee_charged").empty());

        // A GIF is refused by its bytes, a document over nothing is refused, nothing appended.
        auto before = f.log_size();
        check_problem(f,
                      f.call("POST", "/v1/voice/dids/493012345678/kyc",
                             fmt::format(R"({{"doc_type":"id","content_base64":"{}"}})",
                                         base64("GIF89a-not-a-pdf"))),
                      415, "document", before);
        check_problem(f,
                      f.call("POST", "/v1/voice/dids/493012345678/kyc",
                             R"({"doc_type":"id","content_base64":"%%%"})"),
                      400, "content_base64", before);
        check_problem(
            f,
            f.call("POST", "/v1/voice/dids/493012345678/kyc",
                   fmt::format(R"({{"doc_type":"passport","content_base64":"{}"}})", base64(kPdf))),
            422, "doc_type", before);

        // The ID as a PNG: stored under its SHA-256, the hash in the event.
        auto id = f.call("POST", "/v1/voice/dids/493012345678/kyc",
                         fmt::format(R"({{"doc_type":"id","content_base64":"{}"}})", base64(kPng)));
        REQUIRE_MESSAGE(id.status == 201, id.body);
        png_sha = openssl_sha256(kPng);
        simdjson::dom::parser ip;
        auto idoc = parse_json(ip, id.body);
        CHECK(str(idoc, "sha256") == png_sha);
        CHECK(str(idoc, "content_type") == "image/png");
        CHECK(num(idoc, "document_id") == 1);
        const auto stored = data_dir / "kyc" / "op" / (png_sha + ".png");
        REQUIRE(std::filesystem::exists(stored));
        CHECK(std::filesystem::file_size(stored) == kPng.size());
        const auto submitted = f.did_events("voice.kyc.submitted");
        REQUIRE(submitted.size() == 1);
        CHECK(std::get<core::voice::KycSubmitted>(submitted[0]).sha256 == png_sha);
        auto file = f.call("GET", "/v1/voice/dids/493012345678/kyc/1");
        CHECK(file.status == 200);
        CHECK(file.content_type == "image/png");
        CHECK(file.body == kPng);

        // Proof of address rejected (a reason is required), uploaded again, both approved.
        auto poa = f.call("POST", "/v1/voice/dids/493012345678/kyc",
                          fmt::format(R"({{"doc_type":"proof_of_address","content_base64":"{}"}})",
                                      base64(kPdf)));
        REQUIRE(poa.status == 201);
        before = f.log_size();
        check_problem(f, f.call("POST", "/v1/voice/dids/493012345678/kyc/2/reject", "{}"), 400,
                      "reason", before);
        check_problem(
            f, f.call("POST", "/v1/voice/dids/493012345678/kyc/2/reject", R"({"reason":""})"), 400,
            "reason", before);
        REQUIRE(f.call("POST", "/v1/voice/dids/493012345678/kyc/2/reject",
                       R"({"reason":"older than three months"})")
                    .status == 200);
        const std::string pdf2 = kPdf + "% second\n";
        REQUIRE(f.call("POST", "/v1/voice/dids/493012345678/kyc",
                       fmt::format(R"({{"doc_type":"proof_of_address","content_base64":"{}"}})",
                                   base64(pdf2)))
                    .status == 201);
        REQUIRE(f.call("POST", "/v1/voice/dids/493012345678/kyc/1/approve").status == 200);
        auto kyc = f.call("GET", "/v1/voice/dids/493012345678/kyc");
        simdjson::dom::parser kp;
        auto kdoc = parse_json(kp, kyc.body);
        CHECK(str(kdoc, "status") == "pending_kyc");
        CHECK(kdoc["missing"].get_array().size() == 1);
        auto last = f.call("POST", "/v1/voice/dids/493012345678/kyc/3/approve");
        REQUIRE(last.status == 200);
        simdjson::dom::parser ap;
        CHECK(str(parse_json(ap, last.body), "status") == "active");

        // Fees: setup 2.00 and September's 3.50; October once however often it runs.
        auto fees = f.did_events("voice.did.fee_charged");
        REQUIRE(fees.size() == 2);
        CHECK(std::get<core::voice::DidFeeCharged>(fees[0]).amount_micros == 2'000'000);
        CHECK(std::get<core::voice::DidFeeCharged>(fees[1]).period == "2026-09");
        auto oct = f.call("POST", "/v1/voice/did-fees/monthly", R"({"period":"2026-10"})");
        REQUIRE(oct.status == 200);
        simdjson::dom::parser mp;
        CHECK(num(parse_json(mp, oct.body), "charged") == 1);
        auto oct2 = f.call("POST", "/v1/voice/did-fees/monthly", R"({"period":"2026-10"})");
        simdjson::dom::parser mp2;
        CHECK(num(parse_json(mp2, oct2.body), "charged") == 0);
        CHECK(f.did_events("voice.did.fee_charged").size() == 3);
        // The same fees in the voice_did_fees read model, by period.
        const auto head = f.store->head();
        REQUIRE(f.runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                   std::chrono::seconds(10)));
        const auto* fees_view = f.runner->view(projections::voice::kVoiceDidFees);
        REQUIRE(fees_view);
        const auto sept = projections::voice::list_did_fees(*fees_view, "2026-09", "", 10);
        REQUIRE(sept.size() == 2);
        CHECK(sept[0].kind == core::voice::FeeKind::Monthly);
        CHECK(sept[1].amount_micros == 2'000'000);
        CHECK(projections::voice::list_did_fees(*fees_view, "2026-10", "", 10).size() == 1);

        // Inbound routing: a trunk then a SIP URI.
        auto routed = f.call("PUT", "/v1/voice/dids/493012345678/routing",
                             R"({"targets":[{"kind":"trunk","value":"acme-main"},)"
                             R"({"kind":"uri","value":"sip:pbx@192.0.2.10:5060"}]})");
        REQUIRE_MESSAGE(routed.status == 200, routed.body);
        f.dids->set_trunk_resolver([](const std::string& t) -> std::optional<std::string> {
            return t == "acme-main" ? std::optional<std::string>("127.0.0.1:5098") : std::nullopt;
        });
        const auto plan = f.dids->inbound_plan("+493012345678");
        REQUIRE(plan);
        REQUIRE(plan->routes.size() == 2);
        CHECK(plan->routes[0].uri == "sip:493012345678@127.0.0.1:5098");
        CHECK(plan->routes[1].uri == "sip:pbx@192.0.2.10:5060");
        CHECK(plan->routes[1].why == "did inbound #2");

        // Porting out releases it.
        REQUIRE(f.call("PUT", "/v1/voice/dids/493012345678/port",
                       R"({"port_status":"port_out_requested"})")
                    .status == 200);
    }
    // The log reopened: the DID's state folds back from RocksDB.
    {
        auto s = events::open_rocksdb_event_store(dir.path() / "log");
        REQUIRE(s);
        events::voice::DidService again(**s, "op");
        const auto state = again.state();
        REQUIRE(state);
        const auto& d = (*state)->dids.at("493012345678");
        CHECK(d.status == core::voice::DidStatus::Active);
        CHECK(d.port_status == core::voice::PortStatus::PortOutRequested);
        CHECK(d.kyc.size() == 3);
        CHECK(d.kyc[0].sha256 == png_sha);
        CHECK(d.monthly_charged == std::set<std::string>{"2026-09", "2026-10"});
    }
}

TEST_CASE("bad DID input is answered 4xx naming the field with nothing appended") {
    DidFixture f;
    const auto customer = make_customer(f);
    stock(f);
    REQUIRE(f.call("POST", "/v1/voice/dids",
                   R"({"content":"number,country,provider\n442071234567,GB,didco\n"})")
                .status == 201);
    const auto before = f.log_size();
    struct Bad {
        const char* method;
        std::string target, body;
        int status;
        const char* field;
    };
    const std::vector<Bad> bad{
        {"PUT", "/v1/voice/did-countries/XX", R"({"name":"X"})", 400, "country"},
        {"PUT", "/v1/voice/did-countries/DE", R"({"name":"G","kyc_documents":["ID Card"]})", 400,
         "kyc_documents"},
        {"PUT", "/v1/voice/did-countries/DE", R"({"name":"G","extra":1})", 400, "extra"},
        {"PUT", "/v1/voice/did-providers/BAD", R"({"name":"X","currency":"EUR"})", 400,
         "provider_id"},
        {"PUT", "/v1/voice/did-providers/p2", R"({"name":"X","currency":"EURO"})", 400, "currency"},
        {"POST", "/v1/voice/dids", R"({})", 400, "content"},
        {"POST", "/v1/voice/dids", R"({"content":"a,b\n1,2\n"})", 400, "mapping.number"},
        {"POST", "/v1/voice/dids", R"({"content_base64":"!!"})", 400, "content_base64"},
        {"POST", "/v1/voice/dids", R"({"content":"number\n","separator":"x"})", 400, "separator"},
        {"GET", "/v1/voice/dids?status=lost", "", 400, "status"},
        {"GET", "/v1/voice/dids/12", "", 400, "number"},
        {"GET", "/v1/voice/dids/491111111111", "", 404, "number"},
        {"POST", "/v1/voice/dids/442071234567/order", R"({})", 400, "customer_id"},
        {"POST", "/v1/voice/dids/442071234567/order", R"({"customer_id":0})", 400, "customer_id"},
        {"POST", "/v1/voice/dids/442071234567/order",
         fmt::format(R"({{"customer_id":{}}})", customer + 50), 404, "customer_id"},
        {"POST", "/v1/voice/dids/442071234567/suspend", R"({"reason":"x"})", 422, "status"},
        {"POST", "/v1/voice/dids/442071234567/resume", "", 422, "status"},
        {"POST", "/v1/voice/dids/442071234567/release", "", 422, "status"},
        {"PUT", "/v1/voice/dids/442071234567/routing", R"({"targets":[{"kind":"x","value":"y"}]})",
         400, "targets[0].kind"},
        {"PUT", "/v1/voice/dids/442071234567/routing", R"({})", 400, "targets"},
        {"PUT", "/v1/voice/dids/442071234567/port", R"({"port_status":"gone"})", 400,
         "port_status"},
        {"PUT", "/v1/voice/dids/442071234567/port", R"({"port_status":"ported_out"})", 422,
         "port_status"},
        {"POST", "/v1/voice/dids/442071234567/kyc/x/approve", "", 400, "document_id"},
        {"POST", "/v1/voice/dids/442071234567/kyc/7/approve", "", 404, "document_id"},
        {"POST", "/v1/voice/did-fees/monthly", R"({"period":"2026-13"})", 400, "period"},
        {"POST", "/v1/voice/did-fees/monthly", R"({})", 400, "period"},
    };
    for (const auto& b : bad) {
        CAPTURE(b.target);
        CAPTURE(b.body);
        check_problem(f, f.call(b.method, b.target, b.body), b.status, b.field, before);
    }
}
