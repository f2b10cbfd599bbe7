#include "projections/billing/referrals.hpp"

#include "core/overloaded.hpp"
#include "events/billing/payment_codec.hpp"
#include "events/billing/referral_codec.hpp"
#include "events/billing/referral_tables.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

constexpr auto kCodeRows = json_rows<ReferralCodeRow>(fields(
    flat(&ReferralCodeRow::terms, events::billing::kReferralCodeTable),
    field("retired", &ReferralCodeRow::retired), field("referrals", &ReferralCodeRow::referrals)));

constexpr auto kReferralRows =
    json_rows<ReferralRow>(fields(field("customer_id", &ReferralRow::customer_id),
                                  flat(&ReferralRow::terms, events::billing::kReferralCodeTable),
                                  field("registered_at", &ReferralRow::registered_at),
                                  optional_field("payment_id", &ReferralRow::payment_id),
                                  optional_field("entry_id", &ReferralRow::entry_id),
                                  field("rewarded_at", &ReferralRow::rewarded_at)));

constexpr auto kQualifyingRows =
    json_rows<QualifyingPayment>(fields(field("customer_id", &QualifyingPayment::customer_id),
                                        field("payment_id", &QualifyingPayment::payment_id),
                                        field("amount_micros", &QualifyingPayment::amount_micros),
                                        field("currency", &QualifyingPayment::currency)));

bool is_model_type(std::string_view type) {
    return type.starts_with("billing.referral_code.") || type.starts_with("billing.referral.") ||
           type == PaymentReceived::kType;
}

void apply_code(const ReferralCodeEvent& event, ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const ReferralCodeDefined& d) {
                       auto row =
                           kCodeRows.find(w, key_of("k", d.terms.code)).value_or(ReferralCodeRow{});
                       row.terms = d.terms;
                       kCodeRows.put(w, key_of("k", d.terms.code), row);
                   },
                   [&](const ReferralCodeRetired& r) {
                       kCodeRows.update(w, key_of("k", r.code),
                                        [](ReferralCodeRow& row) { row.retired = true; });
                   },
                   [&](const ReferralCodeUsed& u) {
                       kCodeRows.update(w, key_of("k", u.code),
                                        [&](ReferralCodeRow& row) { row.referrals = u.referral; });
                       w.put(key_of("c", u.code, u.customer_id), "");
                   },
               },
               event);
}

void apply_referral(const ReferralEvent& event, const events::RecordedEvent& recorded,
                    ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const ReferralRegistered& r) {
                       kReferralRows.put(w, key_of("r", r.customer_id),
                                         {r.customer_id, r.terms, recorded.time, "", "", {}});
                   },
                   [&](const ReferralRewarded& r) {
                       kReferralRows.update(w, key_of("r", r.customer_id), [&](ReferralRow& row) {
                           row.payment_id = r.payment_id;
                           row.entry_id = r.entry_id;
                           row.rewarded_at = recorded.time;
                       });
                       w.erase(key_of("q", r.customer_id));
                   },
               },
               event);
}

/// A payment received: the first one that qualifies a referral waiting for its reward.
void apply_payment(const PaymentReceived& p, ProjectionWrites& w) {
    const auto row = kReferralRows.find(w, key_of("r", p.customer_id));
    if (!row || row->rewarded_at || w.get(key_of("q", p.customer_id))) return;
    ReferralState state;
    state.registered = ReferralRegistered{row->customer_id, row->terms};
    if (decide_reward(state, p.payment_id, p.amount_micros, p.currency).empty()) return;
    kQualifyingRows.put(w, key_of("q", p.customer_id),
                        {p.customer_id, p.payment_id, p.amount_micros, p.currency});
}

}  // namespace

std::unique_ptr<Projector> make_billing_referrals_projector() {
    return make_projector(
        kBillingReferrals,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type.starts_with("billing.referral_code.")) {
                apply_code(SY_TRY(events::billing::decode_referral_code_event(e)), w);
                return {};
            }
            if (e.type.starts_with("billing.referral.")) {
                apply_referral(SY_TRY(events::billing::decode_referral_event(e)), e, w);
                return {};
            }
            if (e.type != PaymentReceived::kType) return {};
            const auto payment = SY_TRY(events::billing::decode_payment_event(e));
            if (const auto* p = std::get_if<PaymentReceived>(&payment)) apply_payment(*p, w);
            return {};
        },
        &is_model_type);
}

std::optional<ReferralCodeRow> find_referral_code(const ReadModelView& view,
                                                  const std::string& code) {
    return kCodeRows.find(view, key_of("k", code));
}

std::optional<ReferralRow> find_referral(const ReadModelView& view,
                                         const std::string& customer_id) {
    return kReferralRows.find(view, key_of("r", customer_id));
}

std::vector<ReferralRow> list_referrals(const ReadModelView& view, const std::string& code,
                                        std::size_t limit) {
    std::vector<ReferralRow> out;
    const auto prefix = key_of("c", code) + "/";
    view.scan(prefix, prefix, [&](std::string_view key, std::string_view) {
        if (auto row = find_referral(view, std::string(key.substr(prefix.size()))))
            out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

std::vector<QualifyingPayment> qualifying_payments(const ReadModelView& view, std::size_t limit) {
    std::vector<QualifyingPayment> out;
    view.scan("q/", "q/", [&](std::string_view, std::string_view value) {
        if (auto row = kQualifyingRows.decode(value)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::billing
