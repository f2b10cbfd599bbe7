#include "core/billing/payment.hpp"

#include <algorithm>
#include <array>

#include "core/overloaded.hpp"

namespace switchyard::core::billing {

namespace {

struct MethodName {
    PaymentMethod method;
    const char* name;
    const char* clearing;
};

constexpr std::array<MethodName, 6> kMethods{{
    {PaymentMethod::Stripe, "stripe", "stripe"},
    {PaymentMethod::PayPal, "paypal", "paypal"},
    {PaymentMethod::BankTransfer, "bank_transfer", "bank"},
    {PaymentMethod::Cash, "cash", "cash"},
    {PaymentMethod::Cheque, "cheque", "bank"},
    {PaymentMethod::Other, "other", "other"},
}};

Result<void> exists(const PaymentState& s) {
    if (!s.received) return fail(Errc::NotFound, "payment_id", "no such payment");
    return {};
}

std::string clearing_account(const PaymentReceived& p) {
    return std::string("gateway_clearing:") + clearing_of(p.method);
}

/// The entry that takes `wallet` from the wallet and `receivable` onto the receivable, and
/// gives it all back to the clearing account.
JournalEntry take_back(const PaymentReceived& p, std::string entry_id, Micros wallet,
                       Micros receivable, std::string memo, std::string reference) {
    JournalEntry e;
    e.entry_id = std::move(entry_id);
    e.currency = p.currency;
    e.memo = std::move(memo);
    e.reference = std::move(reference);
    if (wallet > 0) e.postings.push_back({"wallet:" + p.customer_id, wallet, 0});
    if (receivable > 0) e.postings.push_back({"receivable:" + p.customer_id, receivable, 0});
    e.postings.push_back({clearing_account(p), 0, wallet + receivable});
    return e;
}

/// How much of `amount` the wallet pays (what it holds, up to the amount) and the rest.
std::pair<Micros, Micros> split(Micros amount, Micros wallet_balance, bool from_gateway) {
    if (!from_gateway) return {amount, 0};
    const Micros wallet = std::clamp<Micros>(wallet_balance, 0, amount);
    return {wallet, amount - wallet};
}

}  // namespace

const char* to_string(PaymentMethod m) noexcept {
    for (const auto& row : kMethods)
        if (row.method == m) return row.name;
    return "other";
}

bool parse_payment_method(std::string_view text, PaymentMethod& out) noexcept {
    for (const auto& row : kMethods)
        if (text == row.name) {
            out = row.method;
            return true;
        }
    return false;
}

bool is_gateway(PaymentMethod m) noexcept {
    return m == PaymentMethod::Stripe || m == PaymentMethod::PayPal;
}

const char* clearing_of(PaymentMethod m) noexcept {
    for (const auto& row : kMethods)
        if (row.method == m) return row.clearing;
    return "other";
}

Micros PaymentState::refundable_micros() const {
    if (!received) return 0;
    Micros out = received->amount_micros - refunded_micros;
    for (const auto& [id, d] : disputes)
        if (!d.won) out -= d.amount_micros;
    return std::max<Micros>(out, 0);
}

void evolve(PaymentState& s, const PaymentEvent& e) {
    std::visit(Overloaded{
                   [&](const PaymentReceived& r) { s.received = r; },
                   [&](const PaymentRefunded& r) {
                       s.refunds[r.refund_id] = r.amount_micros;
                       s.refunded_micros += r.amount_micros;
                   },
                   [&](const PaymentDisputed& d) {
                       s.disputes[d.dispute_id] = {d.amount_micros, d.wallet_micros,
                                                   d.receivable_micros, true, false};
                   },
                   [&](const PaymentDisputeClosed& c) {
                       auto& d = s.disputes[c.dispute_id];
                       d.open = false;
                       d.won = c.won;
                   },
               },
               e);
}

void evolve(WebhookState& s, const WebhookEvent& e) { s.received = std::get<WebhookReceived>(e); }

/// The decision of a refund or a chargeback (`kind` `refund` or `dispute`) `id` of payment
/// `p`: its event (PaymentRefunded or PaymentDisputed) and the entry
/// `<p's entry>:<kind>:<id>` that takes `wallet` from the wallet and `receivable` onto the
/// receivable. A dispute's entry id keeps room for the `:won` of its reinstatement.
template <class Taken>
Result<PaymentDecision> taking_back(const PaymentReceived& p, const std::string& kind,
                                    const std::string& id, Micros amount, Micros wallet,
                                    Micros receivable, const std::string& reason,
                                    const std::string& gateway_event_id) {
    const auto entry_id = p.entry_id + ":" + kind + ":" + id;
    if (entry_id.size() + (kind == "dispute" ? 4 : 0) > 128)
        return fail(Errc::Invalid, kind + "_id", "is too long for this payment's entry ids");
    Taken e{id, amount, wallet, receivable, reason, gateway_event_id, entry_id};
    PaymentDecision d;
    d.entry = take_back(
        p, entry_id, wallet, receivable,
        (kind == "refund" ? "refund " : "chargeback ") + id + " of payment " + p.payment_id,
        gateway_event_id.empty() ? id : gateway_event_id);
    d.events.push_back(std::move(e));
    return d;
}

Result<void> check_payment(const ReceivePayment& c) {
    SY_TRY(check_id(c.payment_id, "payment_id"));
    SY_TRY(check_id(c.customer_id, "customer_id"));
    if (!valid_currency(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (c.amount_micros <= 0) return fail(Errc::Invalid, "amount_micros", "must be above 0");
    SY_TRY(check_text(c.reference, 255, "reference"));
    SY_TRY(check_text(c.note, 500, "note"));
    if (!c.subscription_id.empty()) SY_TRY(check_id(c.subscription_id, "subscription_id"));
    return {};
}

Result<PaymentDecision> decide(const PaymentState& s, const ReceivePayment& c) {
    SY_TRY(check_payment(c));
    PaymentReceived r{
        c.payment_id, c.method,           c.customer_id,     c.currency, c.amount_micros,
        c.reference,  c.gateway_event_id, c.subscription_id, c.note,     "pay:" + c.payment_id};
    if (s.received) {
        auto same = *s.received;
        same.gateway_event_id = r.gateway_event_id;
        if (same == r) return PaymentDecision{};
        return fail(Errc::Conflict, "payment_id",
                    "payment " + c.payment_id + " was recorded with other terms");
    }
    JournalEntry e;
    e.entry_id = r.entry_id;
    e.currency = r.currency;
    e.memo = std::string("payment by ") + to_string(r.method) +
             (r.reference.empty() ? "" : " " + r.reference);
    e.reference = r.gateway_event_id.empty() ? r.reference : r.gateway_event_id;
    e.postings = {{clearing_account(r), r.amount_micros, 0},
                  {"wallet:" + r.customer_id, 0, r.amount_micros}};
    PaymentDecision d;
    d.events.push_back(std::move(r));
    d.entry = std::move(e);
    return d;
}

Result<PaymentDecision> decide_refund(const PaymentState& s, const RefundPayment& c,
                                      Micros wallet_balance) {
    SY_TRY(exists(s));
    SY_TRY(check_id(c.refund_id, "refund_id"));
    SY_TRY(check_text(c.reason, 500, "reason"));
    if (c.amount_micros <= 0) return fail(Errc::Invalid, "amount_micros", "must be above 0");
    Micros amount = c.amount_micros;
    if (c.cumulative) {
        if (c.amount_micros <= s.refunded_micros) return PaymentDecision{};
        amount = c.amount_micros - s.refunded_micros;
    }
    if (auto it = s.refunds.find(c.refund_id); it != s.refunds.end()) {
        if (c.cumulative || it->second == amount) return PaymentDecision{};
        return fail(Errc::Conflict, "refund_id",
                    "refund " + c.refund_id + " was recorded with another amount");
    }
    if (amount > s.refundable_micros())
        return fail(Errc::Rejected, "amount_micros",
                    "exceeds what may still be refunded (" + std::to_string(s.refundable_micros()) +
                        " micro-units)");
    const auto [wallet, receivable] = split(amount, wallet_balance, c.from_gateway);
    return taking_back<PaymentRefunded>(*s.received, "refund", c.refund_id, amount, wallet,
                                        receivable, c.reason, c.gateway_event_id);
}

Result<PaymentDecision> decide_dispute(const PaymentState& s, const DisputePayment& c,
                                       Micros wallet_balance) {
    SY_TRY(exists(s));
    SY_TRY(check_id(c.dispute_id, "dispute_id"));
    SY_TRY(check_text(c.reason, 500, "reason"));
    if (c.amount_micros <= 0) return fail(Errc::Invalid, "amount_micros", "must be above 0");
    if (s.disputes.contains(c.dispute_id)) return PaymentDecision{};
    if (c.amount_micros > s.refundable_micros())
        return fail(Errc::Rejected, "amount_micros",
                    "exceeds what may still be disputed (" + std::to_string(s.refundable_micros()) +
                        " micro-units)");
    const auto [wallet, receivable] = split(c.amount_micros, wallet_balance, true);
    return taking_back<PaymentDisputed>(*s.received, "dispute", c.dispute_id, c.amount_micros,
                                        wallet, receivable, c.reason, c.gateway_event_id);
}

Result<PaymentDecision> decide_close_dispute(const PaymentState& s, const CloseDispute& c) {
    SY_TRY(exists(s));
    auto it = s.disputes.find(c.dispute_id);
    if (it == s.disputes.end())
        return fail(Errc::NotFound, "dispute_id",
                    "no dispute " + c.dispute_id + " on this payment");
    if (!it->second.open) return PaymentDecision{};
    const auto& p = *s.received;
    PaymentDisputeClosed closed{c.dispute_id, c.won, c.gateway_event_id, ""};
    PaymentDecision d;
    if (c.won) {
        const auto& dispute = it->second;
        closed.entry_id = p.entry_id + ":dispute:" + c.dispute_id + ":won";
        JournalEntry e;
        e.entry_id = closed.entry_id;
        e.currency = p.currency;
        e.memo = "chargeback " + c.dispute_id + " won: funds reinstated";
        e.reference = c.gateway_event_id.empty() ? c.dispute_id : c.gateway_event_id;
        e.postings.push_back({clearing_account(p), dispute.amount_micros, 0});
        if (dispute.wallet_micros > 0)
            e.postings.push_back({"wallet:" + p.customer_id, 0, dispute.wallet_micros});
        if (dispute.receivable_micros > 0)
            e.postings.push_back({"receivable:" + p.customer_id, 0, dispute.receivable_micros});
        d.entry = std::move(e);
    }
    d.events.push_back(std::move(closed));
    return d;
}

}  // namespace switchyard::core::billing
