// Invoices and credit notes over HTTP: staff issue an invoice (numbered gaplessly, taxed for the
// buyer, a promo code taken off before tax, posted to the books, paid from the wallet when
// asked), read it as JSON, HTML or PDF, email it, pay it from the wallet, credit it; and erase a
// customer's personal data (GDPR art. 17), which leaves the books as they were.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "events/subject_keys.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::line_json;
using billing_routes::param;
const auto& kBillingRead = billing_routes::kBooksRead;

json::value time_or_null(const std::optional<core::Timestamp>& t) {
    return t ? json::value(core::format_rfc3339(*t)) : json::value(nullptr);
}

json::object invoice_json(const std::string& id, const InvoiceState& s) {
    json::object o{{"invoice_id", id},
                   {"invoice_number", s.number ? s.number->invoice_number : ""},
                   {"status", s.status()}};
    if (!s.issued) return o;
    const auto& e = *s.issued;
    json::array lines;
    for (const auto& l : e.lines) lines.push_back(line_json(l));
    json::array emails;
    for (const auto& m : s.sent)
        emails.push_back(json::object{{"to", m.to},
                                      {"message_id", m.message_id},
                                      {"delivered", m.delivered},
                                      {"error", m.error}});
    o["kind"] = to_string(e.kind);
    o["customer_id"] = e.customer_id;
    o["currency"] = e.currency;
    o["issued_at"] = core::format_rfc3339(e.issued_at);
    o["due_at"] = time_or_null(e.due_at);
    o["buyer"] = json::object{{"name", e.buyer.name},
                              {"email", e.buyer.email},
                              {"address", e.buyer.address},
                              {"country", e.buyer.country},
                              {"region", e.buyer.region}};
    o["tax"] = json::object{{"jurisdiction", e.tax.jurisdiction},
                            {"name", e.tax.name},
                            {"rate_ppm", e.tax.rate_ppm},
                            {"reverse_charge", e.tax.reverse_charge},
                            {"vat_id", e.tax.vat_id},
                            {"note", e.tax.note}};
    o["tax_behavior"] = to_string(e.behavior);
    o["promo_code"] = e.promo_code;
    o["subscription_id"] = e.subscription_id;
    o["credits_invoice_id"] = e.credits_invoice_id;
    o["credits_invoice_number"] = e.credits_invoice_number;
    o["note"] = e.note;
    o["lines"] = std::move(lines);
    o["subtotal_micros"] = e.totals.subtotal_micros;
    o["discount_micros"] = e.totals.discount_micros;
    o["net_micros"] = e.totals.net_micros;
    o["tax_micros"] = e.totals.tax_micros;
    o["total_micros"] = e.totals.total_micros;
    o["entry_id"] = e.entry_id;
    o["paid"] = s.paid ? json::value(json::object{{"source", s.paid->source},
                                                  {"amount_micros", s.paid->amount_micros},
                                                  {"entry_id", s.paid->entry_id}})
                       : json::value(nullptr);
    o["credited"] =
        s.credited
            ? json::value(json::object{{"credit_note_id", s.credited->credit_note_id},
                                       {"credit_note_number", s.credited->credit_note_number},
                                       {"amount_micros", s.credited->amount_micros},
                                       {"reason", s.credited->reason}})
            : json::value(nullptr);
    o["emails"] = std::move(emails);
    return o;
}

/// The document `{invoice_id}` as stored (buyer opened). @errors NotFound `invoice_id`.
core::Result<InvoiceState> issued_document(BillingApi& api, const std::string& id) {
    auto [s, revision] = SY_TRY(api.invoices.invoice(id));
    if (!s.issued) return core::fail(Errc::NotFound, "invoice_id", "no invoice " + id);
    return std::move(s);
}

/// An invoice command's answer: the document as it now is.
core::Result<HttpResponse> document_answer(BillingApi& api, int status, const std::string& id,
                                           const std::vector<events::Position>& positions) {
    const auto s = SY_TRY(api.invoices.invoice(id)).first;
    return answer(status, invoice_json(id, s), positions);
}

/// POST /v1/billing/invoices
core::Result<HttpResponse> issue_invoice(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(
        b.only({"invoice_id", "customer_id", "currency", "series", "buyer", "tax_behavior", "lines",
                "promo_code", "subscription_id", "due_days", "pay_from_wallet", "note"}));
    IssueInvoice c;
    c.invoice_id = SY_TRY(b.string("invoice_id"));
    c.customer_id = SY_TRY(b.string("customer_id"));
    c.currency = SY_TRY(b.string("currency"));
    c.series = SY_TRY(b.opt_string("series")).value_or("");
    auto buyer = SY_TRY(b.opt_object("buyer"));
    if (!buyer)
        return core::fail(Errc::Invalid, "buyer",
                          "is required ({\"name\": \"Ana Lima\", \"country\": \"PT\"})");
    SY_TRY(buyer->only({"name", "email", "address", "country", "region", "vat_id"}));
    c.buyer.name = SY_TRY(buyer->string("name"));
    c.buyer.email = SY_TRY(buyer->opt_string("email")).value_or("");
    c.buyer.address = SY_TRY(buyer->opt_string("address")).value_or("");
    c.buyer.country = SY_TRY(buyer->string("country"));
    c.buyer.region = SY_TRY(buyer->opt_string("region")).value_or("");
    c.vat_id = SY_TRY(buyer->opt_string("vat_id")).value_or("");
    const auto behavior = SY_TRY(b.opt_string("tax_behavior")).value_or("exclusive");
    if (!parse_tax_behavior(behavior, c.behavior))
        return core::fail(Errc::Invalid, "tax_behavior", "must be exclusive or inclusive");
    c.lines = SY_TRY(billing_routes::invoice_lines(b));
    c.promo_code = SY_TRY(b.opt_string("promo_code")).value_or("");
    c.subscription_id = SY_TRY(b.opt_string("subscription_id")).value_or("");
    c.due_days = SY_TRY(b.opt_int("due_days")).value_or(14);
    c.pay_from_wallet = SY_TRY(b.opt_bool("pay_from_wallet")).value_or(false);
    c.note = SY_TRY(b.opt_string("note")).value_or("");
    auto o = SY_TRY(api.invoices.issue(c, context_of(api, r)));
    return document_answer(api, o.changed ? 201 : 200, c.invoice_id, o.positions);
}

/// GET /v1/billing/invoices/{invoice_id}
core::Result<HttpResponse> get_invoice(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "invoice_id");
    const auto s = SY_TRY(issued_document(api, id));
    return json_response(200, json::serialize(invoice_json(id, s)));
}

core::Result<HttpResponse> render_document(BillingApi& api, HttpRequest& r, std::string_view format,
                                           const char* content_type) {
    const auto id = param(r, "invoice_id");
    const auto s = SY_TRY(issued_document(api, id));
    if (!api.outputs.render)
        return core::fail(Errc::Unavailable, "invoice", "documents are not rendered here");
    HttpResponse out;
    out.status = 200;
    out.content_type = content_type;
    out.body = SY_TRY(api.outputs.render(s, format));
    out.headers.emplace_back(
        "Content-Disposition",
        "inline; filename=\"" + s.number->invoice_number + "." + std::string(format) + "\"");
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

/// GET /v1/billing/invoices/{invoice_id}/document.html
core::Result<HttpResponse> document_html(BillingApi& api, HttpRequest& r) {
    return render_document(api, r, "html", "text/html; charset=utf-8");
}

/// GET /v1/billing/invoices/{invoice_id}/document.pdf
core::Result<HttpResponse> document_pdf(BillingApi& api, HttpRequest& r) {
    return render_document(api, r, "pdf", "application/pdf");
}

/// POST /v1/billing/invoices/{invoice_id}/payment: paid from the customer's wallet.
core::Result<HttpResponse> pay_invoice(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body.empty() ? "{}" : r.body));
    SY_TRY(b.only({}));
    const auto id = param(r, "invoice_id");
    auto o = SY_TRY(api.invoices.pay_from_wallet(id, context_of(api, r)));
    return document_answer(api, 200, id, o.positions);
}

/// POST /v1/billing/invoices/{invoice_id}/credit-notes {"credit_note_id", "reason"}
core::Result<HttpResponse> credit_invoice(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"credit_note_id", "reason"}));
    const auto note = SY_TRY(b.string("credit_note_id"));
    const auto reason = SY_TRY(b.opt_string("reason")).value_or("");
    auto o = SY_TRY(api.invoices.credit(param(r, "invoice_id"), note, reason, context_of(api, r)));
    return document_answer(api, o.changed ? 201 : 200, note, o.positions);
}

/// POST /v1/billing/invoices/{invoice_id}/emails {"to"?}: emails the document (HTML body, PDF
/// attached) to `to` or the buyer's email, and records the outcome.
core::Result<HttpResponse> email_invoice(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body.empty() ? "{}" : r.body));
    SY_TRY(b.only({"to"}));
    const auto id = param(r, "invoice_id");
    const auto s = SY_TRY(issued_document(api, id));
    if (!api.outputs.email)
        return core::fail(Errc::Unavailable, "smtp", "no SMTP server is configured");
    auto to = SY_TRY(b.opt_string("to")).value_or(s.issued->buyer.email);
    if (to.empty() || to == events::kErasedText)
        return core::fail(Errc::Invalid, "to", "the buyer has no email: name one");
    auto sent = api.outputs.email(s, to);
    InvoiceSent record{to, sent ? *sent : "", sent.has_value(), sent ? "" : sent.error().message};
    auto o = SY_TRY(api.invoices.record_sent(id, record, context_of(api, r)));
    if (!sent) return tl::unexpected(sent.error());
    return document_answer(api, 200, id, o.positions);
}

/// POST /v1/billing/customers/{customer_id}/erasure: destroys the customer's key.
core::Result<HttpResponse> erase_customer(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body.empty() ? "{}" : r.body));
    SY_TRY(b.only({"reason"}));
    const auto reason = SY_TRY(b.opt_string("reason")).value_or("");
    const auto customer = param(r, "customer_id");
    auto o = SY_TRY(api.invoices.erase_customer(customer, reason, context_of(api, r)));
    return answer(
        200,
        json::object{
            {"customer_id", customer}, {"erased", true}, {"key_destroyed", o.key_destroyed}},
        o.positions);
}

}  // namespace

void add_invoice_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"POST", "/v1/billing/invoices", roles::admin, issue_invoice,
             "Issues an invoice: numbered without gaps in its series, taxed for the buyer "
             "(reverse charge for EU businesses), a promo code off before tax, posted to the "
             "books; paid from the wallet when asked."},
            {"GET", "/v1/billing/invoices/{invoice_id}", kBillingRead, get_invoice,
             "One invoice or credit note with its lines, totals, payment and emails."},
            {"GET", "/v1/billing/invoices/{invoice_id}/document.html", kBillingRead, document_html,
             "The invoice as the buyer reads it, as HTML."},
            {"GET", "/v1/billing/invoices/{invoice_id}/document.pdf", kBillingRead, document_pdf,
             "The invoice as the buyer reads it, as PDF (A4)."},
            {"POST", "/v1/billing/invoices/{invoice_id}/payment", roles::admin, pay_invoice,
             "Pays an open invoice from the customer's wallet."},
            {"POST", "/v1/billing/invoices/{invoice_id}/credit-notes", roles::admin, credit_invoice,
             "Credits the whole invoice with a credit note (numbered in CN-<year>): back to the "
             "wallet when it was paid, off the receivable when not."},
            {"POST", "/v1/billing/invoices/{invoice_id}/emails", roles::admin, email_invoice,
             "Emails the invoice (HTML body, PDF attached) to the buyer or another address and "
             "records the SMTP server's answer."},
            {"POST", "/v1/billing/customers/{customer_id}/erasure", roles::admin, erase_customer,
             "Erases a customer's personal data (GDPR art. 17) by destroying their key: names, "
             "emails, addresses and VAT ids in the log and its copies become unreadable; the "
             "books stay as they were."},
        });
}

}  // namespace switchyard::api
