#include "core/billing/promo.hpp"

#include <algorithm>
#include <cctype>

#include "core/billing/plan.hpp"
#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::billing {

namespace {

tl::unexpected<Error> refused(const std::string& code, const std::string& why) {
    return fail(Errc::Rejected, "promo_code", "promo code " + code + " " + why);
}

}  // namespace

const char* to_string(DiscountDuration d) noexcept {
    switch (d) {
        case DiscountDuration::Once:
            return "once";
        case DiscountDuration::Repeating:
            return "repeating";
        case DiscountDuration::Forever:
            return "forever";
    }
    return "once";
}

bool parse_discount_duration(std::string_view text, DiscountDuration& out) noexcept {
    if (text == "once")
        out = DiscountDuration::Once;
    else if (text == "repeating")
        out = DiscountDuration::Repeating;
    else if (text == "forever")
        out = DiscountDuration::Forever;
    else
        return false;
    return true;
}

bool valid_code(std::string_view code) noexcept {
    return code.size() >= 3 && code.size() <= 32 &&
           std::all_of(code.begin(), code.end(), [](char c) {
               return std::isupper(static_cast<unsigned char>(c)) ||
                      std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
}

std::string normalize_promo_code(std::string_view code) { return ascii_upper(code); }

Result<void> check_promo(const PromoCode& p) {
    if (!valid_code(p.code))
        return fail(Errc::Invalid, "code",
                    "must be 3 to 32 upper-case letters, digits, '-' or '_' (WELCOME10)");
    const bool percent = p.percent_ppm != 0;
    const bool fixed = p.amount_micros != 0;
    if (percent == fixed)
        return fail(Errc::Invalid, "percent_ppm",
                    "give exactly one of percent_ppm (percent off) and amount_micros (fixed off)");
    if (percent && (p.percent_ppm < 0 || p.percent_ppm > 1'000'000))
        return fail(Errc::Invalid, "percent_ppm",
                    "must be 1 to 1000000 parts per million (25 % is 250000)");
    if (fixed && p.amount_micros < 0)
        return fail(Errc::Invalid, "amount_micros", "must be above 0");
    if (fixed && !valid_currency(p.currency))
        return fail(Errc::Invalid, "currency", "a fixed discount needs its ISO 4217 currency");
    if (percent && !p.currency.empty())
        return fail(Errc::Invalid, "currency", "a percent discount has no currency");
    if (p.duration == DiscountDuration::Repeating && (p.periods < 1 || p.periods > 1200))
        return fail(Errc::Invalid, "periods", "a repeating discount lasts 1 to 1200 periods");
    if (p.duration != DiscountDuration::Repeating && p.periods != 0)
        return fail(Errc::Invalid, "periods", "only a repeating discount has periods");
    if (p.max_redemptions < 0)
        return fail(Errc::Invalid, "max_redemptions", "must be 0 (no limit) or more");
    if (p.plan_ids.size() > 100)
        return fail(Errc::Invalid, "plan_ids", "may name at most 100 plans");
    for (std::size_t i = 0; i < p.plan_ids.size(); ++i)
        if (!valid_id(p.plan_ids[i]))
            return fail(Errc::Invalid, "plan_ids[" + std::to_string(i) + "]", "must be a plan id");
    return {};
}

void evolve(PromoState& s, const PromoEvent& e) {
    std::visit(Overloaded{
                   [&](const PromoDefined& d) { s.promo = d.promo; },
                   [&](const PromoRetired&) { s.retired = true; },
                   [&](const PromoRedeemed& r) {
                       s.redemptions = r.redemption;
                       s.customers.insert(r.customer_id);
                   },
               },
               e);
}

Result<std::vector<PromoEvent>> decide(const PromoState& s, const PromoCode& p) {
    SY_TRY(check_promo(p));
    if (s.promo && *s.promo == p) return std::vector<PromoEvent>{};
    if (s.promo && s.redemptions > 0)
        return fail(Errc::Conflict, "code",
                    "promo code " + p.code + " was redeemed; its terms no longer change");
    return std::vector<PromoEvent>{PromoDefined{p}};
}

Result<std::vector<PromoEvent>> decide_retire(const PromoState& s, const std::string& code) {
    if (!s.promo) return fail(Errc::NotFound, "code", "no promo code " + code);
    if (s.retired) return std::vector<PromoEvent>{};
    return std::vector<PromoEvent>{PromoRetired{code}};
}

Result<std::vector<PromoEvent>> decide_redeem(const PromoState& s, const RedeemPromo& c,
                                              Timestamp now) {
    if (!s.promo) return fail(Errc::NotFound, "promo_code", "no promo code " + c.code);
    const auto& p = *s.promo;
    if (s.retired) return refused(p.code, "is retired");
    if (p.redeem_by && now > *p.redeem_by)
        return refused(p.code, "could be redeemed until " + format_rfc3339(*p.redeem_by));
    if (p.max_redemptions > 0 && s.redemptions >= p.max_redemptions)
        return refused(
            p.code, "has been redeemed " + std::to_string(p.max_redemptions) + " times, its limit");
    if (!p.plan_ids.empty() &&
        std::find(p.plan_ids.begin(), p.plan_ids.end(), c.plan_id) == p.plan_ids.end())
        return refused(p.code, "is not for plan " + c.plan_id);
    if (!p.reusable && s.customers.contains(c.customer_id))
        return refused(p.code, "was already redeemed by " + c.customer_id);
    if (!p.currency.empty() && p.currency != c.currency)
        return refused(p.code, "is in " + p.currency + ", the subscription in " + c.currency);
    return std::vector<PromoEvent>{
        PromoRedeemed{p.code, c.customer_id, c.subscription_id, c.plan_id, s.redemptions + 1}};
}

Micros discount_for(const PromoCode& p, Micros amount, std::int64_t period,
                    std::string_view currency) {
    if (amount <= 0 || period < 1) return 0;
    if (p.duration == DiscountDuration::Once && period > 1) return 0;
    if (p.duration == DiscountDuration::Repeating && period > p.periods) return 0;
    const Micros off =
        p.percent_ppm > 0 ? prorate(amount, p.percent_ppm, 1'000'000, currency) : p.amount_micros;
    return std::min(off, amount);
}

}  // namespace switchyard::core::billing
