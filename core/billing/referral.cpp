#include "core/billing/referral.hpp"

#include "core/billing/promo.hpp"
#include "core/overloaded.hpp"

namespace switchyard::core::billing {

Result<void> check_referral_code(const ReferralCode& c) {
    if (!valid_code(c.code))
        return fail(Errc::Invalid, "code",
                    "must be 3 to 32 upper-case letters, digits, '-' or '_' (ALICE-7)");
    SY_TRY(check_id(c.referrer_id, "referrer_id"));
    if (!valid_currency(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (c.referrer_bonus_micros < 0)
        return fail(Errc::Invalid, "referrer_bonus_micros", "must be 0 or above");
    if (c.referee_bonus_micros < 0)
        return fail(Errc::Invalid, "referee_bonus_micros", "must be 0 or above");
    if (c.referrer_bonus_micros == 0 && c.referee_bonus_micros == 0)
        return fail(Errc::Invalid, "referrer_bonus_micros",
                    "a referral code gives a bonus to the referrer, the referee or both");
    if (c.qualifying_micros < 0)
        return fail(Errc::Invalid, "qualifying_micros", "must be 0 (any payment) or above");
    if (c.max_referrals < 0)
        return fail(Errc::Invalid, "max_referrals", "must be 0 (no limit) or more");
    return {};
}

void evolve(ReferralCodeState& s, const ReferralCodeEvent& e) {
    std::visit(Overloaded{
                   [&](const ReferralCodeDefined& d) { s.terms = d.terms; },
                   [&](const ReferralCodeRetired&) { s.retired = true; },
                   [&](const ReferralCodeUsed& u) { s.referrals = u.referral; },
               },
               e);
}

void evolve(ReferralState& s, const ReferralEvent& e) {
    std::visit(Overloaded{
                   [&](const ReferralRegistered& r) { s.registered = r; },
                   [&](const ReferralRewarded& r) { s.rewarded = r; },
               },
               e);
}

Result<std::vector<ReferralCodeEvent>> decide(const ReferralCodeState& s, const ReferralCode& c) {
    SY_TRY(check_referral_code(c));
    if (s.terms && *s.terms == c) return std::vector<ReferralCodeEvent>{};
    if (s.terms && s.referrals > 0)
        return fail(Errc::Conflict, "code",
                    "referral code " + c.code + " was used; its terms no longer change");
    return std::vector<ReferralCodeEvent>{ReferralCodeDefined{c}};
}

Result<std::vector<ReferralCodeEvent>> decide_retire(const ReferralCodeState& s,
                                                     const std::string& code) {
    if (!s.terms) return fail(Errc::NotFound, "code", "no referral code " + code);
    if (s.retired) return std::vector<ReferralCodeEvent>{};
    return std::vector<ReferralCodeEvent>{ReferralCodeRetired{code}};
}

Result<ReferralDecision> decide_register(const ReferralCodeState& code, const ReferralState& s,
                                         const std::string& code_text,
                                         const std::string& customer_id) {
    SY_TRY(check_id(customer_id, "customer_id"));
    if (!code.terms) return fail(Errc::NotFound, "code", "no referral code " + code_text);
    const auto& t = *code.terms;
    if (customer_id == t.referrer_id)
        return fail(Errc::Rejected, "customer_id", "a customer cannot refer itself");
    if (s.registered) {
        if (s.registered->terms.code == t.code) return ReferralDecision{};
        return fail(Errc::Conflict, "customer_id",
                    customer_id + " was referred with code " + s.registered->terms.code);
    }
    if (code.retired)
        return fail(Errc::Rejected, "code", "referral code " + t.code + " is retired");
    if (t.max_referrals > 0 && code.referrals >= t.max_referrals)
        return fail(Errc::Rejected, "code",
                    "referral code " + t.code + " has referred " + std::to_string(t.max_referrals) +
                        " customers, its limit");
    return ReferralDecision{{ReferralCodeUsed{t.code, customer_id, code.referrals + 1}},
                            {ReferralRegistered{customer_id, t}}};
}

std::vector<ReferralEvent> decide_reward(const ReferralState& s, const std::string& payment_id,
                                         Micros amount_micros, const std::string& currency) {
    if (!s.registered || s.rewarded) return {};
    const auto& t = s.registered->terms;
    if (currency != t.currency || amount_micros <= 0 || amount_micros < t.qualifying_micros)
        return {};
    return {ReferralRewarded{s.registered->customer_id, payment_id,
                             "ref:" + s.registered->customer_id, t.referrer_bonus_micros,
                             t.referee_bonus_micros}};
}

JournalEntry reward_entry(const ReferralRegistered& r, const ReferralRewarded& w) {
    JournalEntry e{w.entry_id,
                   r.terms.currency,
                   "referral bonuses: " + r.terms.referrer_id + " referred " + r.customer_id,
                   r.terms.code,
                   "",
                   {{"discounts:other", w.referrer_bonus_micros + w.referee_bonus_micros, 0}}};
    if (w.referrer_bonus_micros > 0)
        e.postings.push_back({"wallet:" + r.terms.referrer_id, 0, w.referrer_bonus_micros});
    if (w.referee_bonus_micros > 0)
        e.postings.push_back({"wallet:" + r.customer_id, 0, w.referee_bonus_micros});
    return e;
}

}  // namespace switchyard::core::billing
