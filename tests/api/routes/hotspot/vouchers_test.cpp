// /v1/hotspot/voucher-batches and /v1/hotspot/vouchers through the router: a batch answers its
// codes once (JSON reads show counts only), exports them as CSV and as printable HTML and PDF
// sheets with the portal login URL, redeems and revokes; bad input names the field; a retried
// POST generates nothing new; a reseller reaches its own batches and vouchers only.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "adapters/hotspot/voucher_sheet.hpp"

#include "core/hotspot/model.hpp"
#include "tests/api/routes/hotspot/hotspot_fixture.hpp"

using namespace switchyard;
using switchyard::testing::check_problem;
using switchyard::testing::HotspotFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {
void day_plan(HotspotFixture& f) {
    REQUIRE(f.call("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"day","name":"Day pass","duration_seconds":86400,)"
                   R"("price":"2.50","currency":"EUR"})")
                .status == 201);
}
std::vector<std::string> codes_of(const std::string& body) {
    simdjson::dom::parser p;
    std::vector<std::string> out;
    for (auto c : parse_json(p, body)["codes"].get_array())
        out.emplace_back(std::string(c.get_string().value()));
    return out;
}
std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}
const char* kBatch = R"({"batch_id":"dec","plan_id":"day","count":5,"prefix":"HT","length":8})";
}  // namespace

TEST_CASE("a voucher batch answers its codes once, reads show counts and exports give them again") {
    HotspotFixture f;
    f.ctx->public_url = api::PublicUrl::parse("https://wifi.example.net", "public_url").value();
    day_plan(f);
    auto r = f.call("POST", "/v1/hotspot/voucher-batches", kBatch);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    const auto codes = codes_of(r.body);
    REQUIRE(codes.size() == 5);
    for (const auto& c : codes) {
        CHECK(c.size() == 10);  // prefix HT + 8
        CHECK(c.rfind("HT", 0) == 0);
        CHECK(c.substr(2).find_first_not_of(core::hotspot::kVoucherAlphabet) == std::string::npos);
    }
    CHECK(std::set<std::string>(codes.begin(), codes.end()).size() == 5);
    CHECK(std::is_sorted(codes.begin(), codes.end()));

    auto batch = f.call("GET", "/v1/hotspot/voucher-batches/dec");
    REQUIRE(batch.status == 200);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, batch.body);
        CHECK(num(doc, "unused") == 5);
        CHECK(num(doc, "count") == 5);
        CHECK(doc["codes"].error());
    }
    auto list = f.call("GET", "/v1/hotspot/voucher-batches");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("\"dec\"") != std::string::npos);
    for (const auto& c : codes) {
        CHECK(batch.body.find(c) == std::string::npos);
        CHECK(list.body.find(c) == std::string::npos);
    }

    auto csv = f.call("GET", "/v1/hotspot/voucher-batches/dec/codes.csv");
    REQUIRE(csv.status == 200);
    CHECK(csv.content_type == "text/csv; charset=utf-8");
    CHECK(csv.body.rfind("code,state,batch_id,plan_id,username,redeemed_at\r\n", 0) == 0);
    CHECK(count(csv.body, "\r\n") == 6);
    for (const auto& c : codes)
        CHECK(csv.body.find(c + ",unused,dec,day,,\r\n") != std::string::npos);

    auto html = f.call("GET", "/v1/hotspot/voucher-batches/dec/sheet.html");
    REQUIRE_MESSAGE(html.status == 200, html.body);
    CHECK(html.content_type == "text/html; charset=utf-8");
    CHECK(count(html.body, "class=\"card\"") == 5);
    CHECK(html.body.find("Day pass") != std::string::npos);
    CHECK(html.body.find("2.50 EUR") != std::string::npos);
    CHECK(html.body.find("1 day from first login") != std::string::npos);
    // The very sheet the adapter renders for these cards: each QR code encodes
    // <public base>/portal/?voucher=<code>&autologin=1 (voucher_sheet_test reads them back).
    {
        adapters::hotspot::VoucherSheet expected;
        expected.codes = codes;  // in code order, as the batch lists them
        expected.title = "Wi-Fi";
        expected.plan_name = "Day pass";
        expected.price = "2.50 EUR";
        expected.validity = "1 day from first login";
        expected.login_url_template =
            "https://wifi.example.net:443/portal/?voucher={code}&autologin=1";
        CHECK(html.body == adapters::hotspot::render_voucher_sheet_html(expected).value());
        expected.login_url_template = "http://127.0.0.1:8080/portal/?voucher={code}&autologin=1";
        CHECK(html.body != adapters::hotspot::render_voucher_sheet_html(expected).value());
    }
    auto pdf = f.call("GET", "/v1/hotspot/voucher-batches/dec/sheet.pdf");
    REQUIRE_MESSAGE(pdf.status == 200, pdf.body);
    CHECK(pdf.content_type == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);

    // Redeem one at the desk: a new account named after the code.
    auto redeem = f.call("POST", "/v1/hotspot/vouchers/redeem", "{\"code\":\"" + codes[0] + "\"}");
    REQUIRE_MESSAGE(redeem.status == 201, redeem.body);
    simdjson::dom::parser pr;
    CHECK(str(parse_json(pr, redeem.body), "username") == codes[0]);
    auto v = f.call("GET", "/v1/hotspot/vouchers/" + codes[0]);
    REQUIRE(v.status == 200);
    simdjson::dom::parser pv;
    CHECK(str(parse_json(pv, v.body), "state") == "active");
    CHECK(f.call("GET", "/v1/hotspot/accounts/" + codes[0]).status == 200);
    const auto size = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/hotspot/vouchers/redeem", "{\"code\":\"" + codes[0] + "\"}"),
                  422, "code", size);

    // Revoke: the unused four are revoked, the redeemed one keeps running.
    auto revoke = f.call("POST", "/v1/hotspot/voucher-batches/dec/revoke", R"({"reason":"lost"})");
    REQUIRE_MESSAGE(revoke.status == 200, revoke.body);
    auto revoked = f.call("GET", "/v1/hotspot/voucher-batches/dec/codes.csv?state=revoked");
    CHECK(count(revoked.body, ",revoked,") == 4);
    simdjson::dom::parser pb;
    CHECK(num(parse_json(pb, f.call("GET", "/v1/hotspot/voucher-batches/dec").body), "active") ==
          1);
    // Nothing left to sell: the sheet of unused vouchers is refused naming the state.
    const auto after = f.log_size();
    check_problem(f, f.call("GET", "/v1/hotspot/voucher-batches/dec/sheet.html"), 422, "state",
                  after);
    check_problem(f,
                  f.call("POST", "/v1/hotspot/vouchers/redeem", "{\"code\":\"" + codes[1] + "\"}"),
                  422, "code", after);
}

TEST_CASE("voucher requests with a bad field are refused naming it, and nothing is appended") {
    HotspotFixture f;
    day_plan(f);
    const auto before = f.log_size();
    auto post = [&](const std::string& body) {
        return f.call("POST", "/v1/hotspot/voucher-batches", body);
    };
    check_problem(f, post(R"({"plan_id":"day","count":0})"), 400, "count", before);
    check_problem(f, post(R"({"plan_id":"day","count":10001})"), 400, "count", before);
    check_problem(f, post(R"({"plan_id":"day"})"), 400, "count", before);
    check_problem(f, post(R"({"plan_id":"day","count":3,"length":3})"), 400, "length", before);
    check_problem(f, post(R"({"plan_id":"day","count":3,"prefix":"ab!"})"), 400, "prefix", before);
    check_problem(f, post(R"({"plan_id":"nope","count":3})"), 404, "plan_id", before);
    check_problem(f, post(R"({"plan_id":"day","count":3,"colour":"red"})"), 400, "colour", before);
    check_problem(f, f.call("POST", "/v1/hotspot/vouchers/redeem", R"({"code":"HT4444444"})"), 404,
                  "code", before);
    check_problem(f, f.call("POST", "/v1/hotspot/vouchers/redeem", "{}"), 400, "code", before);
    check_problem(f, f.call("GET", "/v1/hotspot/voucher-batches/nope/codes.csv"), 404, "id",
                  before);
    REQUIRE(post(kBatch).status == 201);
    const auto one = f.log_size();
    check_problem(f, f.call("GET", "/v1/hotspot/voucher-batches/dec/codes.csv?state=lost"), 400,
                  "state", one);
    check_problem(f, post(kBatch), 409, "batch_id", one);
}

TEST_CASE("a voucher batch POST retried with the same Idempotency-Key answers the same codes") {
    HotspotFixture f;
    day_plan(f);
    const char* body = R"({"plan_id":"day","count":3})";
    auto first = f.post_once("/v1/hotspot/voucher-batches", body, "batch-1");
    REQUIRE_MESSAGE(first.status == 201, first.body);
    const auto size = f.log_size();
    auto again = f.post_once("/v1/hotspot/voucher-batches", body, "batch-1");
    CHECK_MESSAGE(again.status == 200, again.body);
    CHECK(f.log_size() == size);
    CHECK(codes_of(again.body) == codes_of(first.body));
    simdjson::dom::parser p1, p2;
    CHECK(str(parse_json(p1, first.body), "batch_id") ==
          str(parse_json(p2, again.body), "batch_id"));
    // A redemption retried with its key redeems once.
    const auto code = codes_of(first.body)[0];
    REQUIRE(
        f.post_once("/v1/hotspot/vouchers/redeem", "{\"code\":\"" + code + "\"}", "red-1").status ==
        201);
    const auto redeemed = f.log_size();
    CHECK(
        f.post_once("/v1/hotspot/vouchers/redeem", "{\"code\":\"" + code + "\"}", "red-1").status ==
        200);
    CHECK(f.log_size() == redeemed);
}

TEST_CASE("a reseller manages its own voucher batches, which do not exist for another reseller") {
    HotspotFixture f;
    day_plan(f);
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    const auto cust = f.user("cust", "customer");
    auto mine = f.as(r1, "POST", "/v1/hotspot/voucher-batches",
                     R"({"batch_id":"r1b","plan_id":"day","count":2})");
    REQUIRE_MESSAGE(mine.status == 201, mine.body);
    const auto codes = codes_of(mine.body);
    CHECK(f.as(r1, "GET", "/v1/hotspot/voucher-batches/r1b").status == 200);
    CHECK(f.as(r1, "GET", "/v1/hotspot/voucher-batches/r1b/codes.csv").status == 200);
    for (const char* path :
         {"/v1/hotspot/voucher-batches/r1b", "/v1/hotspot/voucher-batches/r1b/codes.csv",
          "/v1/hotspot/voucher-batches/r1b/sheet.html",
          "/v1/hotspot/voucher-batches/r1b/sheet.pdf"})
        CHECK(f.as(r2, "GET", path).status == 404);
    CHECK(f.as(r2, "POST", "/v1/hotspot/voucher-batches/r1b/revoke").status == 404);
    CHECK(f.as(r2, "GET", "/v1/hotspot/vouchers/" + codes[0]).status == 404);
    const auto size = f.log_size();
    check_problem(
        f, f.as(r2, "POST", "/v1/hotspot/vouchers/redeem", "{\"code\":\"" + codes[0] + "\"}"), 404,
        "code", size);
    CHECK(f.as(r2, "GET", "/v1/hotspot/voucher-batches").body.find("r1b") == std::string::npos);
    CHECK(f.as(cust, "GET", "/v1/hotspot/voucher-batches").status == 403);
    CHECK(f.call("GET", "/v1/hotspot/voucher-batches/r1b").status == 200);
    CHECK(
        f.as(r1, "POST", "/v1/hotspot/vouchers/redeem", "{\"code\":\"" + codes[0] + "\"}").status ==
        201);
}
