#include "projections/billing/reports.hpp"

#include <set>
#include <utility>

#include "core/billing/issued_invoice.hpp"
#include "core/billing/report.hpp"
#include "events/billing/invoice_codec.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/billing/plan_tables.hpp"
#include "events/billing/subscription_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

/// Which plan and reseller an entry bills (empty: none).
struct Attribution {
    std::string plan_id;
    std::string reseller_id;
};

constexpr auto kAttributionRows =
    json_rows<Attribution>(fields(optional_field("plan_id", &Attribution::plan_id),
                                  optional_field("reseller_id", &Attribution::reseller_id)));

struct Amounts {
    Micros debit_micros = 0;
    Micros credit_micros = 0;
};

constexpr auto kAmountRows =
    json_rows<Amounts>(fields(field("debit_micros", &Amounts::debit_micros),
                              field("credit_micros", &Amounts::credit_micros)));

constexpr auto kMrrRows = json_rows<MrrDay>(fields(
    field("new_micros", &MrrDay::new_micros), field("expansion_micros", &MrrDay::expansion_micros),
    field("contraction_micros", &MrrDay::contraction_micros),
    field("churn_micros", &MrrDay::churn_micros),
    field("reactivation_micros", &MrrDay::reactivation_micros),
    field("new_subscriptions", &MrrDay::new_subscriptions),
    field("churned_subscriptions", &MrrDay::churned_subscriptions),
    field("reactivated_subscriptions", &MrrDay::reactivated_subscriptions)));

constexpr auto kPlanRows = json_rows<Plan>(events::billing::kPlanTable);

/// A subscription as MRR needs it.
struct SubscriptionMrr {
    std::string plan_id;
    std::string currency;
    std::string reseller_id;
    SubscriptionStatus status = SubscriptionStatus::Active;
    Micros mrr_micros = 0;
    bool counted = false;  ///< Its MRR was above 0 at some time.
};

constexpr auto kSubscriptionRows = json_rows<SubscriptionMrr>(fields(
    field("plan_id", &SubscriptionMrr::plan_id), field("currency", &SubscriptionMrr::currency),
    optional_field("reseller_id", &SubscriptionMrr::reseller_id),
    field("status", &SubscriptionMrr::status, parse_subscription_status),
    field("mrr_micros", &SubscriptionMrr::mrr_micros),
    field("counted", &SubscriptionMrr::counted)));

constexpr std::string_view kNone = "-";

std::string part(const std::string& id) { return id.empty() ? std::string(kNone) : id; }
std::string unpart(std::string_view p) { return p == kNone ? "" : std::string(p); }

/// The reseller `payer` names (`reseller_credit:<id>`), or empty.
std::string reseller_of(std::string_view account) {
    constexpr std::string_view prefix = "reseller_credit:";
    return account.starts_with(prefix) ? std::string(account.substr(prefix.size())) : "";
}

bool reported(AccountKind k) {
    return k == AccountKind::Revenue || k == AccountKind::Discounts ||
           k == AccountKind::CommissionExpense || k == AccountKind::TaxPayable;
}

void attribute(ProjectionWrites& w, const std::string& entry_id, const Attribution& a) {
    if (!entry_id.empty()) kAttributionRows.put(w, key_of("x", entry_id), a);
}

core::Result<void> apply_entry(const EntryEvent& event, const events::RecordedEvent& recorded,
                               ProjectionWrites& w) {
    const auto& e = std::get<EntryPosted>(event).entry;
    auto a = kAttributionRows.find(w, key_of("x", e.reverses.empty() ? e.entry_id : e.reverses))
                 .value_or(Attribution{});
    if (a.reseller_id.empty())
        for (const auto& p : e.postings)
            if (auto r = reseller_of(p.account); !r.empty()) {
                a.reseller_id = r;
                break;
            }
    attribute(w, e.entry_id, a);
    const auto day = day_of(recorded.time);
    for (const auto& p : e.postings) {
        auto code = parse_account(p.account, "account");
        if (!code) return core::fail(core::Errc::Invalid, "postings", code.error().message);
        if (!reported(code->kind)) continue;
        const auto key =
            key_of("r", day, e.currency, p.account, part(a.plan_id), part(a.reseller_id));
        auto row = kAmountRows.find(w, key).value_or(Amounts{});
        row.debit_micros += p.debit_micros;
        row.credit_micros += p.credit_micros;
        kAmountRows.put(w, key, row);
    }
    return {};
}

core::Result<void> apply_plan(const PlanEvent& event, ProjectionWrites& w) {
    if (const auto* d = std::get_if<PlanDefined>(&event))
        kPlanRows.put(w, key_of("p", d->plan.plan_id), d->plan);
    return {};
}

/// The subscription's MRR now: its plan's price normalized to a month while it counts.
Micros mrr_of(ProjectionWrites& w, const SubscriptionMrr& s) {
    if (!counts_for_mrr(s.status)) return 0;
    const auto plan = kPlanRows.find(w, key_of("p", s.plan_id));
    if (!plan) return 0;
    const auto* price = price_in(*plan, s.currency);
    return price ? monthly_recurring(*plan, *price) : 0;
}

void record_movement(ProjectionWrites& w, const std::string& day, SubscriptionMrr& s) {
    const auto after = mrr_of(w, s);
    const auto movement = classify_mrr(s.mrr_micros, after, s.counted);
    if (movement == MrrMovement::None) return;
    const auto key = key_of("m", day, s.currency);
    auto m = kMrrRows.find(w, key).value_or(MrrDay{});
    const auto delta = after - s.mrr_micros;
    switch (movement) {
        case MrrMovement::New:
            m.new_micros += delta;
            ++m.new_subscriptions;
            break;
        case MrrMovement::Expansion:
            m.expansion_micros += delta;
            break;
        case MrrMovement::Contraction:
            m.contraction_micros -= delta;
            break;
        case MrrMovement::Churn:
            m.churn_micros -= delta;
            ++m.churned_subscriptions;
            break;
        case MrrMovement::Reactivation:
            m.reactivation_micros += delta;
            ++m.reactivated_subscriptions;
            break;
        case MrrMovement::None:
            break;
    }
    kMrrRows.put(w, key, m);
    s.mrr_micros = after;
    s.counted = s.counted || after > 0;
}

core::Result<void> apply_subscription(const SubscriptionEvent& event,
                                      const events::RecordedEvent& recorded, ProjectionWrites& w) {
    const auto id = recorded.stream.substr(recorded.stream.find('-') + 1);
    const auto key = key_of("s", id);
    std::optional<SubscriptionMrr> row;
    if (const auto* c = std::get_if<SubscriptionCreated>(&event))
        row = SubscriptionMrr{c->plan_id,
                              c->terms.currency,
                              reseller_of(c->terms.payer),
                              c->trial ? SubscriptionStatus::Trialing : SubscriptionStatus::Active,
                              0,
                              false};
    else
        row = kSubscriptionRows.find(w, key);
    if (!row) return {};  // events of a subscription created before the model's first event
    auto& s = *row;
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, SubscriptionCreated>) {
                attribute(w, e.entry_id, {e.plan_id, s.reseller_id});
            } else if constexpr (std::is_same_v<E, SubscriptionRenewed>) {
                s.plan_id = e.plan_id;
                s.status = SubscriptionStatus::Active;
                attribute(w, e.entry_id, {e.plan_id, s.reseller_id});
            } else if constexpr (std::is_same_v<E, SubscriptionPlanChanged>) {
                s.plan_id = e.to_plan;
                attribute(w, e.entry_id, {e.to_plan, s.reseller_id});
            } else if constexpr (std::is_same_v<E, SubscriptionPaused>) {
                s.status = SubscriptionStatus::Paused;
            } else if constexpr (std::is_same_v<E, SubscriptionResumed>) {
                s.status = SubscriptionStatus::Active;
            } else if constexpr (std::is_same_v<E, SubscriptionRenewalFailed>) {
                s.status = SubscriptionStatus::PastDue;
            } else if constexpr (std::is_same_v<E, SubscriptionSuspended>) {
                s.status = SubscriptionStatus::Suspended;
            } else if constexpr (std::is_same_v<E, SubscriptionExpired>) {
                s.status = SubscriptionStatus::Expired;
            } else if constexpr (std::is_same_v<E, SubscriptionCanceled>) {
                s.status = SubscriptionStatus::Canceled;
            }
        },
        event);
    record_movement(w, day_of(recorded.time), s);
    kSubscriptionRows.put(w, key, s);
    return {};
}

core::Result<void> apply_invoice(const InvoiceEvent& event, ProjectionWrites& w) {
    const auto* issued = std::get_if<InvoiceIssued>(&event);
    if (!issued || issued->entry_id.empty()) return {};
    std::set<std::string> plans;
    for (const auto& l : issued->lines)
        if (!l.input.plan_id.empty()) plans.insert(l.input.plan_id);
    Attribution a;
    if (plans.size() == 1) a.plan_id = *plans.begin();
    // A credit note is attributed as the invoice it credits.
    if (!issued->credits_invoice_id.empty())
        if (auto original =
                kAttributionRows.find(w, key_of("x", "inv:" + issued->credits_invoice_id)))
            a = *original;
    attribute(w, issued->entry_id, a);
    return {};
}

bool is_model_type(std::string_view type) {
    return type == EntryPosted::kType || type == InvoiceIssued::kType ||
           type.starts_with("billing.plan.") || type.starts_with("billing.subscription.");
}

}  // namespace

std::unique_ptr<Projector> make_billing_reports_projector() {
    return make_projector(
        kBillingReports,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type == EntryPosted::kType)
                return apply_entry(SY_TRY(events::billing::decode_entry_event(e)), e, w);
            if (e.type == InvoiceIssued::kType)
                return apply_invoice(SY_TRY(events::billing::decode_invoice_event(e)), w);
            if (e.type.starts_with("billing.plan."))
                return apply_plan(SY_TRY(events::billing::decode_plan_event(e)), w);
            if (e.type.starts_with("billing.subscription."))
                return apply_subscription(SY_TRY(events::billing::decode_subscription_event(e)), e,
                                          w);
            return {};
        },
        &is_model_type);
}

std::vector<IncomeRow> income_rows(const ReadModelView& view, const std::string& from_day,
                                   const std::string& to_day) {
    std::vector<IncomeRow> out;
    const std::string end = "r/" + to_day;
    view.scan("r/", "r/" + from_day, [&](std::string_view key, std::string_view value) {
        if (key >= end) return false;
        // r/<day>/<currency>/<account>/<plan>/<reseller>
        std::vector<std::string_view> parts;
        std::size_t at = 2;
        while (parts.size() < 4) {
            const auto slash = key.find('/', at);
            if (slash == std::string_view::npos) break;
            parts.push_back(key.substr(at, slash - at));
            at = slash + 1;
        }
        if (parts.size() != 4) return true;
        auto amounts = kAmountRows.decode(value);
        if (!amounts) return true;
        out.push_back({std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                       unpart(parts[3]), unpart(key.substr(at)), amounts->debit_micros,
                       amounts->credit_micros});
        return true;
    });
    return out;
}

std::vector<MrrDay> mrr_days(const ReadModelView& view, const std::string& to_day) {
    std::vector<MrrDay> out;
    const std::string end = "m/" + to_day;
    view.scan("m/", "m/", [&](std::string_view key, std::string_view value) {
        if (key >= end) return false;
        const auto slash = key.find('/', 2);
        if (slash == std::string_view::npos) return true;
        auto row = kMrrRows.decode(value);
        if (!row) return true;
        row->day = std::string(key.substr(2, slash - 2));
        row->currency = std::string(key.substr(slash + 1));
        out.push_back(std::move(*row));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::billing
