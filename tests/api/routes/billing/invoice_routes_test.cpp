// Invoices over HTTP as `serve` starts the billing module, with a real SMTP server (aiosmtpd) on
// loopback: an invoice issued with tax and a promo code and paid from the wallet, read as JSON,
// HTML and PDF, emailed (the message arrives with the HTML body and the PDF attached), credited;
// the customer erased: their name and email read [erased], the log never held them in clear,
// the trial balance is unchanged; bad input is 4xx naming the field with nothing appended.
#include <doctest/doctest.h>

#include <fstream>

#include "app/modules/billing_module.hpp"
#include "events/envelope_codec.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/smtp_server.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// The fixture with a German seller emailing through `smtp_url` (empty: no email).
ApiFixture seller(const std::string& smtp_url) {
    return ApiFixture([smtp_url](app::Modules& modules) {
        for (auto& m : modules)
            if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) {
                b->seller_country = "DE";
                b->seller_name = "Nordwind Netze GmbH";
                b->seller_address = "Hafenstr. 5\\n20457 Hamburg";
                b->seller_vat_id = "DE123456789";
                b->seller_email = "billing@nordwind.example";
                b->invoice_footer = "IBAN DE02 1203 0000 0000 2020 51";
                b->smtp_url = smtp_url;
            }
    });
}

const char* kInvoice = R"({"invoice_id":"inv-1","customer_id":"c1","currency":"EUR",
  "buyer":{"name":"Ana <b>Lima</b> & Filhos","email":"ana.lima@example.net",
           "address":"Rua das Flores 1\n1000-001 Lisboa","country":"PT"},
  "promo_code":"welcome10","pay_from_wallet":true,
  "lines":[{"description":"VPN pro, December","line":"vpn","plan_id":"vpn-pro","unit_amount_micros":100000000},
           {"description":"IPTV package, 1 month","line":"iptv","unit_amount_micros":10000000}]})";

/// The log's events as one text (what an export or a Kafka topic would carry).
std::string log_text(ApiFixture& f) {
    auto all = f.store->read_all(events::Checkpoint{}, 100'000);
    REQUIRE(all);
    std::string text;
    for (const auto& e : *all) text += events::encode_envelope(e) + "\n";
    return text;
}

}  // namespace

TEST_CASE("invoices API: issued with tax and a promo code, paid, rendered, emailed, credited") {
    const auto python = python_with_aiosmtpd();
    if (python.empty()) {
        skip("python3-aiosmtpd is not installed");
        return;
    }
    SmtpServer smtp(python);
    auto f = seller(smtp.config().url);
    simdjson::dom::parser p;
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/PT", R"({"name":"IVA","rate_ppm":230000})").status ==
        200);
    REQUIRE(f.call("POST", "/v1/billing/promo-codes",
                   R"({"code":"welcome10","percent_ppm":100000,"plan_ids":["vpn-pro"]})")
                .status == 201);
    auto paid_in = f.call("POST", "/v1/billing/payments",
                          R"({"payment_id":"p1","method":"bank_transfer","customer_id":"c1",
                              "currency":"EUR","amount_micros":200000000})");
    REQUIRE_MESSAGE(paid_in.status == 201, paid_in.body);

    auto issued = f.call("POST", "/v1/billing/invoices", kInvoice);
    REQUIRE_MESSAGE(issued.status == 201, issued.body);
    auto doc = parse_json(p, issued.body);
    CHECK(str(doc, "invoice_number") == "INV-2026-000001");
    CHECK(str(doc, "status") == "paid");
    // 10 % off 100.00 before 23 % IVA on 90.00 + 10.00.
    CHECK(num(doc, "discount_micros") == 10'000'000);
    CHECK(num(doc, "tax_micros") == 23'000'000);
    CHECK(num(doc, "total_micros") == 123'000'000);
    CHECK(str(doc["buyer"], "email") == "ana.lima@example.net");
    auto again = f.call("POST", "/v1/billing/invoices", kInvoice);
    CHECK(again.status == 200);

    auto got = f.call("GET", "/v1/billing/invoices/inv-1");
    REQUIRE(got.status == 200);
    CHECK(str(parse_json(p, got.body)["buyer"], "name") == "Ana <b>Lima</b> & Filhos");
    auto html = f.call("GET", "/v1/billing/invoices/inv-1/document.html");
    REQUIRE(html.status == 200);
    CHECK(html.content_type.rfind("text/html", 0) == 0);
    CHECK(html.body.find("INV-2026-000001") != std::string::npos);
    CHECK(html.body.find("Ana &lt;b&gt;Lima&lt;/b&gt; &amp; Filhos") != std::string::npos);
    CHECK(html.body.find("<b>Lima</b>") == std::string::npos);
    auto pdf = f.call("GET", "/v1/billing/invoices/inv-1/document.pdf");
    REQUIRE(pdf.status == 200);
    CHECK(pdf.content_type == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);

    // Emailed: the message arrives with the invoice as HTML and as an attached PDF.
    auto mailed = f.call("POST", "/v1/billing/invoices/inv-1/emails", "");
    REQUIRE_MESSAGE(mailed.status == 200, mailed.body);
    auto mail_doc = parse_json(p, mailed.body);
    auto emails = mail_doc["emails"].get_array().value();
    REQUIRE(emails.size() == 1);
    CHECK(emails.at(0)["delivered"].get_bool().value());
    CHECK(str(emails.at(0), "to") == "ana.lima@example.net");
    const auto message = smtp.inspect(1);
    CHECK(one(message, "subject") == "Invoice INV-2026-000001 from Nordwind Netze GmbH");
    CHECK(one(message, "to") == "ana.lima@example.net");
    CHECK(one(message, "from_addr") == "billing@nordwind.example");
    CHECK(one(message, "message_id") == str(emails.at(0), "message_id"));
    bool html_part = false, pdf_part = false;
    for (const auto& part : mail_parts(message)) {
        if (part.type == "text/html")
            html_part = part.bytes.find("INV-2026-000001") != std::string::npos;
        if (part.type == "application/pdf")
            pdf_part = part.filename == "INV-2026-000001.pdf" && part.bytes.rfind("%PDF-", 0) == 0;
    }
    CHECK(html_part);
    CHECK(pdf_part);
    CHECK(smtp.envelope(1).find("ana.lima@example.net") != std::string::npos);

    // Credited: the wallet gets the total back.
    auto credited = f.call("POST", "/v1/billing/invoices/inv-1/credit-notes",
                           R"({"credit_note_id":"cn-1","reason":"charged twice"})");
    REQUIRE_MESSAGE(credited.status == 201, credited.body);
    auto note = parse_json(p, credited.body);
    CHECK(str(note, "invoice_number") == "CN-2026-000001");
    CHECK(str(note, "kind") == "credit_note");
    CHECK(str(note, "credits_invoice_number") == "INV-2026-000001");
    auto inv = f.call("GET", "/v1/billing/invoices/inv-1");
    CHECK(str(parse_json(p, inv.body), "status") == "credited");
    f.settle();
    auto wallet = f.call("GET", "/v1/billing/accounts/wallet:c1?currency=EUR");
    REQUIRE_MESSAGE(wallet.status == 200, wallet.body);
    CHECK(num(parse_json(p, wallet.body), "balance_micros") == 200'000'000);
    std::string ndjson = log_text(f);
    CHECK(ndjson.find("billing.invoice.sent") != std::string::npos);
#ifdef SY_EVENTS_OUT_INVOICES
    std::ofstream(SY_EVENTS_OUT_INVOICES) << ndjson;
#endif
}

TEST_CASE(
    "invoices API: erasing a customer leaves their data unreadable and the books as they were") {
    auto f = seller("");
    simdjson::dom::parser p;
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/PT", R"({"name":"IVA","rate_ppm":230000})").status ==
        200);
    REQUIRE(
        f.call("POST", "/v1/billing/promo-codes", R"({"code":"welcome10","percent_ppm":100000})")
            .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/payments",
                   R"({"payment_id":"p1","method":"cash","customer_id":"c1","currency":"EUR",
                       "amount_micros":200000000})")
                .status == 201);
    auto issued = f.call("POST", "/v1/billing/invoices", kInvoice);
    REQUIRE_MESSAGE(issued.status == 201, issued.body);
    CHECK(f.call("POST", "/v1/billing/invoices/inv-1/emails", "").status == 503);
    f.settle();
    const auto before = f.call("GET", "/v1/billing/trial-balance");
    REQUIRE(before.status == 200);
    CHECK(log_text(f).find("ana.lima@example.net") == std::string::npos);
    CHECK(log_text(f).find("Flores") == std::string::npos);

    auto erased =
        f.call("POST", "/v1/billing/customers/c1/erasure", R"({"reason":"GDPR art. 17"})");
    REQUIRE_MESSAGE(erased.status == 200, erased.body);
    CHECK(parse_json(p, erased.body)["key_destroyed"].get_bool().value());
    auto got = f.call("GET", "/v1/billing/invoices/inv-1");
    REQUIRE(got.status == 200);
    auto doc = parse_json(p, got.body);
    CHECK(str(doc["buyer"], "name") == "[erased]");
    CHECK(str(doc["buyer"], "email") == "[erased]");
    CHECK(str(doc["buyer"], "address") == "[erased]");
    CHECK(num(doc, "total_micros") == 121'770'000);  // 10 % off both lines
    auto pdf = f.call("GET", "/v1/billing/invoices/inv-1/document.pdf");
    CHECK(pdf.status == 200);
    f.settle();
    const auto after = f.call("GET", "/v1/billing/trial-balance");
    CHECK(after.body == before.body);
    CHECK(log_text(f).find("billing.customer.erased") != std::string::npos);

    // No new invoice with their personal data.
    const auto size = f.log_size();
    std::string second = kInvoice;
    second.replace(second.find("inv-1"), 5, "inv-2");
    check_problem(f, f.call("POST", "/v1/billing/invoices", second), 422, "subject", size);
}

TEST_CASE("invoices API: bad invoices are 4xx naming the field, nothing appended") {
    auto f = seller("");
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/PT", R"({"name":"IVA","rate_ppm":230000})").status ==
        200);
    f.settle();
    const auto before = f.log_size();
    const std::string head = R"({"invoice_id":"inv-9","customer_id":"c1","currency":"EUR",)";
    const std::string lines =
        R"("lines":[{"description":"x","line":"vpn","unit_amount_micros":1000000}])";
    const std::string buyer = R"("buyer":{"name":"Ana","country":"PT"},)";
    struct Case {
        std::string body;
        int status;
        const char* field;
    };
    const std::vector<Case> cases{
        {head + lines + "}", 400, "buyer"},
        {head + R"("buyer":{"name":"","country":"PT"},)" + lines + "}", 400, "buyer.name"},
        {head + R"("buyer":{"name":"Ana","country":"PT","email":"not-an-email"},)" + lines + "}",
         400, "buyer.email"},
        {head + R"("buyer":{"name":"Ana","country":"ZZ"},)" + lines + "}", 404, "buyer.country"},
        {head + buyer + R"("lines":[{"description":"x","line":"fax","unit_amount_micros":1}]})",
         400, "lines[0].line"},
        {head + buyer + R"("due_days":999,)" + lines + "}", 400, "due_days"},
        {head + buyer + R"("promo_code":"NOPE",)" + lines + "}", 404, "promo_code"},
        {head + buyer + R"("pay_from_wallet":true,)" + lines + "}", 404, "postings[0].account"},
        {head + buyer + R"("colour":"red",)" + lines + "}", 400, "colour"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        check_problem(f, f.call("POST", "/v1/billing/invoices", c.body), c.status, c.field, before);
    }
    check_problem(f, f.call("GET", "/v1/billing/invoices/nope"), 404, "invoice_id", before);
    check_problem(f, f.call("POST", "/v1/billing/invoices/nope/payment", ""), 404, "invoice_id",
                  before);
    check_problem(
        f, f.call("POST", "/v1/billing/invoices/nope/credit-notes", R"({"credit_note_id":"cn-1"})"),
        404, "invoice_id", before);
    check_problem(f, f.call("POST", "/v1/billing/customers/bad%20id/erasure", ""), 400,
                  "customer_id", before);
}
