#include "core/billing/commission.hpp"

#include "core/billing/plan.hpp"
#include "core/overloaded.hpp"

namespace switchyard::core::billing {

namespace {

/// What the reseller's credits paid in `e`: the debit of its `reseller_credit:` posting.
Micros sale_amount(const JournalEntry& e, const std::string& reseller_id) {
    Micros paid = 0;
    for (const auto& p : e.postings)
        if (p.account == "reseller_credit:" + reseller_id) paid += p.debit_micros - p.credit_micros;
    return paid;
}

}  // namespace

Result<void> check_commission_rate(const CommissionRate& r) {
    SY_TRY(check_id(r.reseller_id, "reseller_id"));
    const bool percent = r.percent_ppm != 0;
    const bool fixed = r.amount_micros != 0;
    if (percent && fixed)
        return fail(Errc::Invalid, "percent_ppm",
                    "give one of percent_ppm (percent of the sale) and amount_micros (per sale)");
    if (r.percent_ppm < 0 || r.percent_ppm > 1'000'000)
        return fail(Errc::Invalid, "percent_ppm",
                    "must be 0 to 1000000 parts per million (10 % is 100000)");
    if (r.amount_micros < 0) return fail(Errc::Invalid, "amount_micros", "must be 0 or above");
    if (fixed && !valid_currency(r.currency))
        return fail(Errc::Invalid, "currency", "a fixed commission needs its ISO 4217 currency");
    if (!fixed && !r.currency.empty())
        return fail(Errc::Invalid, "currency", "only a fixed commission has a currency");
    return {};
}

const char* to_string(CommissionKind k) noexcept {
    return k == CommissionKind::Renewal ? "renewal" : "creation";
}

bool parse_commission_kind(std::string_view text, CommissionKind& out) noexcept {
    if (text == "creation")
        out = CommissionKind::Creation;
    else if (text == "renewal")
        out = CommissionKind::Renewal;
    else
        return false;
    return true;
}

const char* to_string(CommissionStatus s) noexcept {
    switch (s) {
        case CommissionStatus::Pending:
            return "pending";
        case CommissionStatus::Approved:
            return "approved";
        case CommissionStatus::Rejected:
            return "rejected";
        case CommissionStatus::Paid:
            return "paid";
    }
    return "pending";
}

bool parse_commission_status(std::string_view text, CommissionStatus& out) noexcept {
    for (auto s : {CommissionStatus::Pending, CommissionStatus::Approved,
                   CommissionStatus::Rejected, CommissionStatus::Paid})
        if (text == to_string(s)) {
            out = s;
            return true;
        }
    return false;
}

const char* to_string(PayoutMethod m) noexcept {
    switch (m) {
        case PayoutMethod::Credits:
            return "credits";
        case PayoutMethod::BankTransfer:
            return "bank_transfer";
        case PayoutMethod::Cash:
            return "cash";
        case PayoutMethod::Other:
            return "other";
    }
    return "credits";
}

bool parse_payout_method(std::string_view text, PayoutMethod& out) noexcept {
    for (auto m : {PayoutMethod::Credits, PayoutMethod::BankTransfer, PayoutMethod::Cash,
                   PayoutMethod::Other})
        if (text == to_string(m)) {
            out = m;
            return true;
        }
    return false;
}

void evolve(CommissionRateState& s, const CommissionRateEvent& e) {
    s.rate = std::get<CommissionRateSet>(e).rate;
}

void evolve(CommissionState& s, const CommissionEvent& e) {
    std::visit(Overloaded{
                   [&](const CommissionEarned& c) {
                       s.earned = c;
                       s.status =
                           c.approved ? CommissionStatus::Approved : CommissionStatus::Pending;
                   },
                   [&](const CommissionApproved&) { s.status = CommissionStatus::Approved; },
                   [&](const CommissionRejected& r) {
                       s.status = CommissionStatus::Rejected;
                       s.reason = r.reason;
                   },
                   [&](const CommissionPaid& p) {
                       s.status = CommissionStatus::Paid;
                       s.payout_id = p.payout_id;
                   },
               },
               e);
}

void evolve(CommissionPayoutState& s, const CommissionPayoutEvent& e) {
    s.made = std::get<CommissionPayoutMade>(e);
}

Result<std::vector<CommissionRateEvent>> decide(const CommissionRateState& s,
                                                const CommissionRate& r) {
    SY_TRY(check_commission_rate(r));
    if (s.rate && *s.rate == r) return std::vector<CommissionRateEvent>{};
    return std::vector<CommissionRateEvent>{CommissionRateSet{r}};
}

std::optional<CommissionEarned> commission_for(const CommissionRate& rate, const Sale& sale) {
    if (!sale.entry) return std::nullopt;
    if (sale.kind == CommissionKind::Creation ? !rate.on_creation : !rate.on_renewal)
        return std::nullopt;
    const auto& currency = sale.entry->currency;
    const Micros paid = sale_amount(*sale.entry, sale.reseller_id);
    if (paid <= 0) return std::nullopt;
    Micros amount = 0;
    if (rate.percent_ppm > 0)
        amount = prorate(paid, rate.percent_ppm, 1'000'000, currency);
    else if (rate.currency == currency)
        amount = rate.amount_micros;
    if (amount <= 0) return std::nullopt;
    CommissionEarned c;
    c.commission_id = sale.entry->entry_id;
    c.reseller_id = sale.reseller_id;
    c.subscription_id = sale.subscription_id;
    c.plan_id = sale.plan_id;
    c.line = sale.line;
    c.kind = sale.kind;
    c.currency = currency;
    c.sale_micros = paid;
    c.percent_ppm = rate.percent_ppm;
    c.amount_micros = amount;
    c.entry_id = "com:" + c.commission_id;
    c.approved = rate.auto_approve;
    return c;
}

JournalEntry commission_entry(const CommissionEarned& c) {
    return JournalEntry{
        c.entry_id,
        c.currency,
        "commission of " + c.reseller_id + " on " + to_string(c.kind) + " of " + c.subscription_id,
        c.subscription_id,
        "",
        {{"commission_expense:" + c.line, c.amount_micros, 0},
         {"commissions_payable:" + c.reseller_id, 0, c.amount_micros}}};
}

Result<std::vector<CommissionEvent>> decide_approve(const CommissionState& s,
                                                    const std::string& commission_id) {
    if (!s.earned) return fail(Errc::NotFound, "commission_id", "no commission " + commission_id);
    if (s.status == CommissionStatus::Approved) return std::vector<CommissionEvent>{};
    if (s.status != CommissionStatus::Pending)
        return fail(Errc::Rejected, "status",
                    std::string("commission ") + commission_id + " is " + to_string(s.status));
    return std::vector<CommissionEvent>{CommissionApproved{commission_id}};
}

Result<std::vector<CommissionEvent>> decide_reject(const CommissionState& s,
                                                   const std::string& commission_id,
                                                   const std::string& reason) {
    if (!s.earned) return fail(Errc::NotFound, "commission_id", "no commission " + commission_id);
    if (s.status == CommissionStatus::Rejected) return std::vector<CommissionEvent>{};
    if (reason.empty()) return fail(Errc::Invalid, "reason", "is required");
    SY_TRY(check_text(reason, 200, "reason"));
    if (s.status == CommissionStatus::Paid)
        return fail(Errc::Rejected, "status",
                    "commission " + commission_id + " was paid in payout " + s.payout_id);
    return std::vector<CommissionEvent>{
        CommissionRejected{commission_id, reason, s.earned->entry_id + ".reversal"}};
}

Result<CommissionPayoutMade> decide_payout(const PayOutCommissions& c,
                                           const std::vector<CommissionEarned>& approved) {
    SY_TRY(check_id(c.payout_id, "payout_id"));
    SY_TRY(check_id(c.reseller_id, "reseller_id"));
    if (!valid_currency(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    SY_TRY(check_text(c.reference, 200, "reference"));
    CommissionPayoutMade p{
        c.payout_id, c.reseller_id,          c.currency, c.method, c.reference, {},
        0,           "compay:" + c.payout_id};
    for (const auto& a : approved) {
        if (a.reseller_id != c.reseller_id || a.currency != c.currency) continue;
        if (p.commission_ids.size() == kMaxPayoutCommissions) break;
        p.commission_ids.push_back(a.commission_id);
        p.amount_micros += a.amount_micros;
    }
    if (p.commission_ids.empty() || p.amount_micros <= 0)
        return fail(
            Errc::Rejected, "reseller_id",
            "reseller " + c.reseller_id + " has no approved, unpaid commission in " + c.currency);
    return p;
}

JournalEntry payout_entry(const CommissionPayoutMade& p) {
    std::string to;
    switch (p.method) {
        case PayoutMethod::Credits:
            to = "reseller_credit:" + p.reseller_id;
            break;
        case PayoutMethod::BankTransfer:
            to = "gateway_clearing:bank";
            break;
        case PayoutMethod::Cash:
            to = "gateway_clearing:cash";
            break;
        case PayoutMethod::Other:
            to = "gateway_clearing:other";
            break;
    }
    return JournalEntry{
        p.entry_id,
        p.currency,
        "commissions paid out to " + p.reseller_id,
        p.reference,
        "",
        {{"commissions_payable:" + p.reseller_id, p.amount_micros, 0}, {to, 0, p.amount_micros}}};
}

}  // namespace switchyard::core::billing
