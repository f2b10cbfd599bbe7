#include "events/billing/invoice_service.hpp"

#include "events/billing/invoice_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;
using core::Errc;

namespace {

/// The subject whose key seals a billing customer's personal data.
std::string subject_of(const std::string& customer_id) { return "customer." + customer_id; }

/// True when `c` asks for what `issued` holds (a retry): the same customer, currency and lines.
bool same_request(const InvoiceIssued& issued, const IssueInvoice& c) {
    if (issued.kind != DocumentKind::Invoice || issued.customer_id != c.customer_id ||
        issued.currency != c.currency || issued.lines.size() != c.lines.size())
        return false;
    for (std::size_t i = 0; i < c.lines.size(); ++i)
        if (!(issued.lines[i].input == c.lines[i])) return false;
    return true;
}

}  // namespace

struct InvoiceService::Impl {
    Impl(EventStore& s, LedgerService& l, PricingService& p, InvoiceNumbers& n,
         std::shared_ptr<SubjectKeys> k, std::string t)
        : store(s),
          ledger(l),
          pricing(p),
          numbers(n),
          keys(std::move(k)),
          tenant(std::move(t)),
          invoices(s, decode_invoice_event),
          customers(s, decode_customer_event) {}

    /// Seals the buyer's personal fields of `e` (and the VAT id) under the customer's key.
    core::Result<void> seal(InvoiceIssued& e) {
        const auto subject = subject_of(e.customer_id);
        auto seal_field = [&](std::string& text, const char* context) -> core::Result<void> {
            if (!text.empty()) text = SY_TRY(keys->seal(subject, text, context));
            return {};
        };
        SY_TRY(seal_field(e.buyer.name, "billing.buyer.name"));
        SY_TRY(seal_field(e.buyer.email, "billing.buyer.email"));
        SY_TRY(seal_field(e.buyer.address, "billing.buyer.address"));
        SY_TRY(seal_field(e.tax.vat_id, "billing.buyer.vat_id"));
        return {};
    }

    /// Opens what `seal` sealed, and the recipients of the emails.
    void open(InvoiceState& s) const {
        if (s.issued) {
            auto& e = *s.issued;
            e.buyer.name = keys->open_or_erased(e.buyer.name, "billing.buyer.name");
            e.buyer.email = keys->open_or_erased(e.buyer.email, "billing.buyer.email");
            e.buyer.address = keys->open_or_erased(e.buyer.address, "billing.buyer.address");
            e.tax.vat_id = keys->open_or_erased(e.tax.vat_id, "billing.buyer.vat_id");
        }
        for (auto& m : s.sent) m.to = keys->open_or_erased(m.to, "billing.invoice.to");
    }

    /// The document's stream as stored (the buyer's fields sealed).
    core::Result<std::pair<InvoiceState, std::int64_t>> load(const std::string& invoice_id) {
        if (invoice_id.empty() || invoice_id.size() > 128)
            return std::pair{InvoiceState{}, std::int64_t{-1}};
        return invoices.load(invoice_stream(invoice_id));
    }

    /// The detail of an existing document.
    InvoiceDetail detail_of(const std::string& id, const InvoiceState& s) const {
        return {id, s.number ? s.number->invoice_number : "", s.status()};
    }

    /// Appends `events` to the invoice's stream at `revision` with `entry` posted alongside.
    core::Result<std::vector<StreamWrite>> writes_of(const std::string& invoice_id,
                                                     std::int64_t revision,
                                                     const std::vector<InvoiceEvent>& events,
                                                     const std::optional<JournalEntry>& entry,
                                                     const core::DecisionContext& ctx) {
        std::vector<StreamWrite> writes;
        if (entry) writes = SY_TRY(ledger.prepare_post(*entry, ctx));
        writes.insert(writes.begin(),
                      StreamWrite{invoice_stream(invoice_id), ExpectedRevision::at(revision),
                                  to_new_events(events, encode, ctx, tenant)});
        return writes;
    }

    EventStore& store;
    LedgerService& ledger;
    PricingService& pricing;
    InvoiceNumbers& numbers;
    std::shared_ptr<SubjectKeys> keys;
    std::string tenant;
    AggregateLoader<InvoiceState, InvoiceEvent> invoices;
    AggregateLoader<CustomerState, CustomerEvent> customers;
};

InvoiceService::InvoiceService(EventStore& store, LedgerService& ledger, PricingService& pricing,
                               InvoiceNumbers& numbers, std::shared_ptr<SubjectKeys> keys,
                               std::string tenant)
    : impl_(std::make_unique<Impl>(store, ledger, pricing, numbers, std::move(keys),
                                   std::move(tenant))) {}
InvoiceService::~InvoiceService() = default;

core::Result<CommandOutcome<InvoiceDetail>> InvoiceService::issue(
    const IssueInvoice& c, const core::DecisionContext& ctx) {
    SY_TRY(check_issue(c));
    {
        const auto [existing, revision] = SY_TRY(impl_->load(c.invoice_id));
        if (existing.number) {
            if (existing.issued && !same_request(*existing.issued, c))
                return core::fail(Errc::Conflict, "invoice_id",
                                  "invoice " + c.invoice_id + " was issued with other terms");
            return CommandOutcome<InvoiceDetail>{impl_->detail_of(c.invoice_id, existing)};
        }
    }
    if (impl_->keys->erased(subject_of(c.customer_id)))
        return core::fail(Errc::Rejected, "subject",
                          "customer " + c.customer_id + "'s personal data was erased");
    QuoteRequest q{c.currency,    c.behavior,   TaxBuyer{c.buyer.country, c.buyer.region, c.vat_id},
                   c.customer_id, c.promo_code, c.lines};
    const auto series =
        c.series.empty() ? default_series(DocumentKind::Invoice, ctx.now) : c.series;
    std::string status = "open";
    auto numbered = SY_TRY(impl_->numbers.number_with(
        NumberInvoice{series, c.invoice_id}, ctx,
        [&](const InvoiceNumbered& number) -> core::Result<NumberedWrites> {
            auto [quote, redeemed] =
                SY_TRY(impl_->pricing.quote_redeeming(q, c.subscription_id, ctx.now, ctx));
            auto issued = make_issued(c, quote.tax, quote.invoice, quote.promo_code, ctx.now);
            auto entry = SY_TRY(issued_entry(c.invoice_id, issued));
            SY_TRY(impl_->seal(issued));
            NumberedWrites out;
            out.writes = std::move(redeemed);
            std::vector<InvoiceEvent> events{issued};
            status = "open";
            if (entry) {
                entry->reference = number.invoice_number;
                auto posted = SY_TRY(impl_->ledger.prepare_post(*entry, ctx));
                for (auto& w : posted) out.writes.push_back(std::move(w));
            }
            if (c.pay_from_wallet) {
                InvoiceState s;
                s.number = number;
                s.issued = issued;
                auto pay = SY_TRY(decide_pay(s, c.invoice_id));
                events.push_back(*pay.event);
                status = "paid";
                if (pay.entry) {
                    auto paid = SY_TRY(impl_->ledger.prepare_post(*pay.entry, ctx));
                    for (auto& w : paid) out.writes.push_back(std::move(w));
                }
            }
            out.document_events = to_new_events(events, encode, ctx, impl_->tenant);
            return out;
        }));
    CommandOutcome<InvoiceDetail> out{{c.invoice_id, numbered.invoice_number, status}};
    out.changed = numbered.changed;
    out.positions = std::move(numbered.positions);
    if (!out.changed) {
        const auto [existing, revision] = SY_TRY(impl_->load(c.invoice_id));
        out.status = existing.status();
    }
    return out;
}

core::Result<std::vector<StreamWrite>> InvoiceService::prepare_period_invoice(
    const std::string& customer_id, const std::string& subscription_id, const std::string& payer,
    const JournalEntry& charge, const ChargeInvoice& what, const core::DecisionContext& ctx) {
    auto d = SY_TRY(period_invoice(customer_id, subscription_id, payer, charge, what, ctx.now));
    if (impl_->keys->erased(subject_of(customer_id))) return std::vector<StreamWrite>{};
    const auto& country = impl_->pricing.seller_country();
    d.issued.buyer.country = country.empty() ? "ZZ" : country;
    SY_TRY(impl_->seal(d.issued));
    std::vector<InvoiceEvent> events{d.issued};
    if (d.paid) events.push_back(*d.paid);
    auto writes = SY_TRY(impl_->numbers.prepare(
        NumberInvoice{default_series(DocumentKind::Invoice, ctx.now), charge.entry_id}, ctx,
        to_new_events(events, encode, ctx, impl_->tenant)));
    return writes ? std::move(*writes) : std::vector<StreamWrite>{};
}

InvoiceNumbers& InvoiceService::numbers() noexcept { return impl_->numbers; }

core::Result<CommandOutcome<InvoiceDetail>> InvoiceService::pay_from_wallet(
    const std::string& invoice_id, const core::DecisionContext& ctx) {
    InvoiceDetail detail{invoice_id, "", ""};
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            const auto [s, revision] = SY_TRY(impl_->load(invoice_id));
            const auto pay = SY_TRY(decide_pay(s, invoice_id));
            detail = impl_->detail_of(invoice_id, s);
            if (!pay.event) return std::vector<StreamWrite>{};
            detail.status = "paid";
            return impl_->writes_of(invoice_id, revision, {*pay.event}, pay.entry, ctx);
        }));
    return outcome_of(appended, std::move(detail));
}

core::Result<CommandOutcome<InvoiceDetail>> InvoiceService::credit(
    const std::string& invoice_id, const std::string& credit_note_id, const std::string& reason,
    const core::DecisionContext& ctx) {
    {
        const auto [s, revision] = SY_TRY(impl_->load(invoice_id));
        const auto d = SY_TRY(decide_credit(s, invoice_id, credit_note_id, reason, ctx.now));
        if (!d.credit_note) {
            const auto [note, note_revision] = SY_TRY(impl_->load(credit_note_id));
            return CommandOutcome<InvoiceDetail>{impl_->detail_of(credit_note_id, note)};
        }
    }
    const auto series = default_series(DocumentKind::CreditNote, ctx.now);
    auto numbered = SY_TRY(impl_->numbers.number_with(
        NumberInvoice{series, credit_note_id}, ctx,
        [&](const InvoiceNumbered& number) -> core::Result<NumberedWrites> {
            const auto [s, revision] = SY_TRY(impl_->load(invoice_id));
            auto d = SY_TRY(decide_credit(s, invoice_id, credit_note_id, reason, ctx.now));
            if (!d.credit_note)
                return core::fail(Errc::Conflict, "invoice_id",
                                  "invoice " + invoice_id + " was credited meanwhile");
            auto entry = SY_TRY(issued_entry(credit_note_id, *d.credit_note, s.paid.has_value()));
            d.credited->credit_note_number = number.invoice_number;
            NumberedWrites out;
            out.document_events = to_new_events(std::vector<InvoiceEvent>{*d.credit_note}, encode,
                                                ctx, impl_->tenant);
            if (entry) entry->reference = number.invoice_number;
            out.writes = SY_TRY(impl_->writes_of(invoice_id, revision, {*d.credited}, entry, ctx));
            return out;
        }));
    CommandOutcome<InvoiceDetail> out{{credit_note_id, numbered.invoice_number, "issued"}};
    out.changed = numbered.changed;
    out.positions = std::move(numbered.positions);
    return out;
}

core::Result<CommandOutcome<>> InvoiceService::record_sent(const std::string& invoice_id,
                                                           InvoiceSent sent,
                                                           const core::DecisionContext& ctx) {
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            const auto [s, revision] = SY_TRY(impl_->load(invoice_id));
            if (!s.issued)
                return core::fail(Errc::NotFound, "invoice_id", "no invoice " + invoice_id);
            auto event = sent;
            event.to = SY_TRY(impl_->keys->seal(subject_of(s.issued->customer_id), sent.to,
                                                "billing.invoice.to"));
            return impl_->writes_of(invoice_id, revision, {event}, std::nullopt, ctx);
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<ErasureDetail>> InvoiceService::erase_customer(
    const std::string& customer_id, const std::string& reason, const core::DecisionContext& ctx) {
    SY_TRY(check_id(customer_id, "customer_id"));
    SY_TRY(check_text(reason, 500, "reason"));
    const std::vector<CustomerEvent> erased{CustomerErased{customer_id, reason}};
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            const auto stream = customer_stream(customer_id);
            const auto revision = SY_TRY(impl_->customers.load(stream)).second;
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(erased, encode, ctx, impl_->tenant)}};
        }));
    auto out = outcome_of(appended, ErasureDetail{});
    out.key_destroyed = SY_TRY(impl_->keys->erase(subject_of(customer_id)));
    return out;
}

core::Result<std::pair<InvoiceState, std::int64_t>> InvoiceService::invoice(
    const std::string& invoice_id) {
    auto loaded = SY_TRY(impl_->load(invoice_id));
    impl_->open(loaded.first);
    return loaded;
}

}  // namespace switchyard::events::billing
