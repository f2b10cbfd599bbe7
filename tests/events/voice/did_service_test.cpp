// The DID command side: codec round trips against the schemas, the KYC document store (magic
// bytes, size, SHA-256 checked with OpenSSL, path), and the service end to end on a memory log
// (import, order, KYC upload to activation, monthly fees, inbound plan).
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/voice/customer_decider.hpp"
#include "events/envelope_codec.hpp"
#include "events/memory_event_store.hpp"
#include "events/voice/did_codec.hpp"
#include "events/voice/did_service.hpp"
#include "events/voice/kyc_store.hpp"
#include "events/voice/voice_service.hpp"
#include "tests/events/voice/schema_keys.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;

namespace {

const core::Timestamp kNow = core::from_unix_seconds(1'790'000'000);  // 2026-09-21

core::DecisionContext ctx(core::Timestamp now = kNow, std::string correlation = "c-1") {
    core::DecisionContext c;
    c.now = now;
    c.correlation_id = std::move(correlation);
    return c;
}

/// SHA-256 of `bytes` as lowercase hex, computed with OpenSSL (the store uses libsodium).
std::string openssl_sha256(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    REQUIRE(EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) == 1);
    std::string out;
    static const char* hex = "0123456789abcdef";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8);
const std::string kJpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF";

}  // namespace

TEST_CASE("every DID event round-trips through its codec and matches its schema") {
    DidInventory inv{
        "493012345678", "DE", "didco", DidType::Mobile, "Berlin", "EUR", 1, 2, 3, 4, 5};
    const std::vector<DidEvent> all{
        DidCountryDefined{{"DE", "Germany", {"id"}}},
        DidProviderDefined{{"didco", "DID Co", "EUR", "notes"}},
        DidImported{inv, "idem:1", kNow},
        DidReserved{"493012345678", 7, kNow},
        DidOrdered{"493012345678", 7, true, kNow},
        DidActivated{"493012345678", 7, kNow},
        DidSuspended{"493012345678", "unpaid", kNow},
        DidResumed{"493012345678", kNow},
        DidReleased{"493012345678", 7, kNow},
        DidRoutingSet{
            "493012345678", {{DidTargetKind::Trunk, "t1"}, {DidTargetKind::Uri, "sip:a@b"}}, kNow},
        DidPortStatusChanged{"493012345678", PortStatus::PortOutRequested, kNow},
        DidFeeCharged{"493012345678", 7, FeeKind::Monthly, "2026-09", 3'500'000, "EUR", kNow},
        KycSubmitted{"493012345678", 7, 1, "id", std::string(64, 'a'), "image/png", 10, kNow},
        KycApproved{"493012345678", 1, kNow},
        KycRejected{"493012345678", 1, "blurred", kNow},
    };
    std::set<std::string> types;
    for (const auto& e : all) {
        const auto encoded = encode(e);
        types.insert(encoded.type);
        testing::check_against_schema(encoded);
        events::RecordedEvent r;
        r.type = encoded.type;
        r.schema = encoded.schema;
        r.data = encoded.data;
        const auto back = decode_did_event(r);
        REQUIRE_MESSAGE(back, encoded.type);
        CHECK(encode(*back).data == encoded.data);
    }
    CHECK(types.size() == std::variant_size_v<DidEvent>);
}

TEST_CASE("the KYC store takes PDF or PNG or JPEG by their first bytes up to its size limit") {
    testing::TempDir dir;
    const KycStore store(dir.path(), 64);
    const auto pdf = store.put("op", kPdf);
    REQUIRE(pdf);
    CHECK(pdf->sha256 == openssl_sha256(kPdf));
    CHECK(pdf->content_type == "application/pdf");
    CHECK(pdf->size_bytes == static_cast<std::int64_t>(kPdf.size()));
    CHECK(pdf->path == dir.path() / "kyc" / "op" / (openssl_sha256(kPdf) + ".pdf"));
    CHECK(file_text(pdf->path) == kPdf);
    CHECK(store.read("op", pdf->sha256, "application/pdf") == kPdf);
    // Stored once: the same bytes again give the same file.
    CHECK(store.put("op", kPdf)->path == pdf->path);

    const auto png = store.put("op", kPng);
    REQUIRE(png);
    CHECK(png->content_type == "image/png");
    CHECK(png->path.extension() == ".png");
    const auto jpg = store.put("op", kJpeg);
    REQUIRE(jpg);
    CHECK(jpg->content_type == "image/jpeg");
    CHECK(jpg->sha256 == openssl_sha256(kJpeg));

    // A GIF, a text file named like a PDF, an empty file, one byte over the limit.
    for (const std::string& bad : {std::string("GIF89a......"), std::string("PDF-1.4 no percent"),
                                   std::string("\x89PNX\r\n\x1a\n")}) {
        const auto r = store.put("op", bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::UnsupportedMediaType);
        CHECK(r.error().field == "document");
    }
    CHECK(store.put("op", "").error().field == "document");
    const auto big = store.put("op", "%PDF-" + std::string(60, 'x'));
    REQUIRE_FALSE(big);
    CHECK(big.error().code == core::Errc::Invalid);
    CHECK(big.error().message.find("65 bytes") != std::string::npos);
    CHECK(store.put("op", "%PDF-" + std::string(59, 'x')));  // exactly 64
    CHECK(store.read("op", std::string(64, 'f'), "image/png").error().code == core::Errc::NotFound);
}

TEST_CASE("a DID is imported and ordered and activated by its KYC documents and charged monthly") {
    testing::TempDir dir;
    auto store = events::make_memory_event_store();
    VoiceService voice(*store, "op");
    DidService dids(*store, "op", &voice, std::make_shared<KycStore>(dir.path()));

    // A customer to order for.
    DefineCategory cat;
    cat.category = {"sip_trunk", "SIP Trunk", "", true, 0};
    REQUIRE(voice.execute(cat, ctx()));
    DefineGroup grp;
    grp.group = {"gold", "sip_trunk", "Gold", ""};
    REQUIRE(voice.execute(grp, ctx()));
    CreateCustomer cc;
    cc.customer.group_id = "gold";
    cc.customer.category_id = "sip_trunk";
    cc.customer.name = "Acme";
    cc.customer.company = "Acme GmbH";
    cc.customer.country = "DE";
    cc.customer.currency = "EUR";
    cc.command_id = "cust";
    auto created = voice.execute(cc, ctx());
    REQUIRE_MESSAGE(created, (created ? "" : created.error().field + created.error().message));
    const auto customer = created->id;

    REQUIRE(dids.execute(DefineDidCountry{{"DE", "Germany", {"id", "proof_of_address"}}}, ctx()));
    REQUIRE(dids.execute(DefineDidProvider{{"didco", "DID Co", "EUR", ""}}, ctx()));
    ImportDids imp;
    imp.file = "stock.csv";
    imp.command_id = "idem:stock";
    imp.rows = {{2,
                 {"493012345678", "DE", "didco", DidType::Local, "Berlin", "", 0, 0, 2'000'000,
                  3'500'000, 2}},
                {3, {"493012345679", "FR", "didco", DidType::Local, "", "", 0, 0, 0, 0, 1}}};
    auto imported = dids.import(imp, ctx());
    REQUIRE(imported);
    CHECK(imported->imported == 1);
    CHECK(imported->changed);
    REQUIRE(imported->errors.size() == 1);
    CHECK(imported->errors[0].line == 3);
    auto again = dids.import(imp, ctx());
    REQUIRE(again);
    CHECK(again->replayed);
    CHECK_FALSE(again->changed);

    // An unknown customer is refused before anything is decided.
    const auto unknown = dids.execute(OrderDid{"493012345678", customer + 100}, ctx());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "customer_id");
    REQUIRE(dids.execute(OrderDid{"+493012345678", customer}, ctx()));
    CHECK((*dids.state())->dids.at("493012345678").status == DidStatus::PendingKyc);
    REQUIRE(
        dids.execute(SetDidRouting{"493012345678", {{DidTargetKind::Trunk, "acme-main"}}}, ctx()));
    CHECK_FALSE(dids.inbound_plan("493012345678"));  // not active yet

    // A document of a type the country does not ask for leaves no file behind.
    const auto wrong = dids.submit_kyc("493012345678", "passport", kPdf, ctx());
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().field == "doc_type");
    CHECK_FALSE(std::filesystem::exists(dir.path() / "kyc"));
    // A GIF is refused by type.
    CHECK(dids.submit_kyc("493012345678", "id", "GIF89a", ctx()).error().code ==
          core::Errc::UnsupportedMediaType);

    auto id = dids.submit_kyc("493012345678", "id", kPng, ctx());
    REQUIRE(id);
    CHECK(id->document_id == 1);
    CHECK(id->file.sha256 == openssl_sha256(kPng));
    CHECK(std::filesystem::exists(id->file.path));
    auto retry = dids.submit_kyc("493012345678", "id", kPng, ctx());
    REQUIRE(retry);
    CHECK_FALSE(retry->changed);
    CHECK(retry->document_id == 1);
    auto poa = dids.submit_kyc("493012345678", "proof_of_address", kPdf, ctx());
    REQUIRE(poa);
    REQUIRE(
        dids.execute(RejectKyc{"493012345678", poa->document_id, "older than 3 months"}, ctx()));
    auto poa2 = dids.submit_kyc("493012345678", "proof_of_address", kJpeg, ctx());
    REQUIRE(poa2);
    CHECK(poa2->document_id == 3);
    REQUIRE(dids.execute(ApproveKyc{"493012345678", 1}, ctx()));
    CHECK((*dids.state())->dids.at("493012345678").status == DidStatus::PendingKyc);
    REQUIRE(dids.execute(ApproveKyc{"493012345678", 3}, ctx()));
    CHECK((*dids.state())->dids.at("493012345678").status == DidStatus::Active);

    dids.set_trunk_resolver([](const std::string& t) -> std::optional<std::string> {
        return t == "acme-main" ? std::optional<std::string>("127.0.0.1:5999") : std::nullopt;
    });
    const auto plan = dids.inbound_plan("+493012345678");
    REQUIRE(plan);
    REQUIRE(plan->routes.size() == 1);
    CHECK(plan->routes[0].uri == "sip:493012345678@127.0.0.1:5999");
    CHECK_FALSE(dids.inbound_plan("493012345679"));

    // Monthly fees: October once, however often billing asks.
    auto oct = dids.charge_monthly("2026-10", ctx(kNow, "c-oct"));
    REQUIRE(oct);
    CHECK(oct->changed);
    auto oct2 = dids.charge_monthly("2026-10", ctx(kNow, "c-oct-2"));
    REQUIRE(oct2);
    CHECK_FALSE(oct2->changed);
    CHECK(dids.charge_monthly("2026-1", ctx()).error().field == "period");

    // The fees in the log: setup + September at activation, then October.
    std::vector<std::string> fees;
    std::string ndjson;
    events::Checkpoint cursor;
    const auto batch = store->read_all(cursor, 1000);
    REQUIRE(batch);
    for (const auto& e : *batch) {
        ndjson += events::encode_envelope(e) + "\n";
        if (e.type != "voice.did.fee_charged") continue;
        const auto fee = std::get<DidFeeCharged>(*decode_did_event(e));
        fees.push_back(std::string(to_string(fee.kind)) + " " + fee.period + " " +
                       std::to_string(fee.amount_micros) + " " + fee.currency);
    }
    CHECK(fees == std::vector<std::string>{"setup 2026-09 2000000 EUR",
                                           "monthly 2026-09 3500000 EUR",
                                           "monthly 2026-10 3500000 EUR"});
#ifdef SY_EVENTS_OUT_DIDS
    std::ofstream(SY_EVENTS_OUT_DIDS) << ndjson;
#endif
}
