#pragma once
/// A voice customer's balance: one aggregate per customer, stream `voice_account-<customer id>`,
/// in the customer's currency, in micro-units (core/voice/money.hpp).
///
/// Prepaid accounts are topped up and spend down to zero; postpaid accounts spend down to
/// minus their credit limit and are invoiced later. Each rated CDR debits the account once (the
/// debit is idempotent on its debit id, the CDR id for the first rating). A debit is a fact of a
/// call already made, so it is applied in full even when it overdraws the account; the account
/// then records `voice.account.exhausted` and the switch stops further calls. Crossing the
/// low-balance threshold downward records `voice.account.low_balance`.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// Wire names `prepaid`, `postpaid`.
enum class AccountKind { Prepaid, Postpaid };
const char* to_string(AccountKind k) noexcept;
bool parse_account_kind(std::string_view text, AccountKind& out) noexcept;

/// The terms of an account.
struct AccountTerms {
    std::string customer_id;
    std::string currency;  ///< ISO 4217.
    AccountKind kind = AccountKind::Prepaid;
    Micros credit_limit_micros = 0;           ///< Postpaid only: how far below 0 it may go.
    Micros low_balance_threshold_micros = 0;  ///< `low_balance` when the balance falls below.
    friend bool operator==(const AccountTerms&, const AccountTerms&) = default;
};

// ---- events ----

struct AccountOpened {
    static constexpr std::string_view kType = "voice.account.opened";
    AccountTerms terms;
    friend bool operator==(const AccountOpened&, const AccountOpened&) = default;
};
/// The account's credit limit or low-balance threshold changed (an admin's action); its kind
/// and currency never change.
struct AccountTermsChanged {
    static constexpr std::string_view kType = "voice.account.terms_changed";
    Micros credit_limit_micros = 0;
    Micros low_balance_threshold_micros = 0;
    friend bool operator==(const AccountTermsChanged&, const AccountTermsChanged&) = default;
};
/// Money paid in by the customer (staff action).
struct AccountToppedUp {
    static constexpr std::string_view kType = "voice.account.topped_up";
    std::string reference;     ///< Idempotency key (payment id, receipt number).
    Micros amount_micros = 0;  ///< > 0.
    std::string reason;
    std::string by;             ///< Staff member's id.
    Micros balance_micros = 0;  ///< After it.
    friend bool operator==(const AccountToppedUp&, const AccountToppedUp&) = default;
};
/// A correction either way (staff action): positive credits, negative charges.
struct AccountAdjusted {
    static constexpr std::string_view kType = "voice.account.adjusted";
    std::string reference;
    Micros amount_micros = 0;  ///< != 0.
    std::string reason;
    std::string by;
    Micros balance_micros = 0;
    friend bool operator==(const AccountAdjusted&, const AccountAdjusted&) = default;
};
/// A rated CDR charged (or a re-rating's delta: negative gives money back).
struct AccountDebited {
    static constexpr std::string_view kType = "voice.account.debited";
    std::string debit_id;  ///< The CDR id, or `<cdr id>/rerate/<n>` for a re-rating's delta.
    std::string cdr_id;
    Micros amount_micros = 0;
    Micros balance_micros = 0;  ///< After it.
    friend bool operator==(const AccountDebited&, const AccountDebited&) = default;
};
/// The balance fell below the low-balance threshold.
struct AccountLowBalance {
    static constexpr std::string_view kType = "voice.account.low_balance";
    Micros balance_micros = 0;
    Micros threshold_micros = 0;
    friend bool operator==(const AccountLowBalance&, const AccountLowBalance&) = default;
};
/// No money left: prepaid at or below 0, postpaid at or below minus the credit limit.
struct AccountExhausted {
    static constexpr std::string_view kType = "voice.account.exhausted";
    Micros balance_micros = 0;
    Micros floor_micros = 0;  ///< 0 prepaid, -credit limit postpaid.
    friend bool operator==(const AccountExhausted&, const AccountExhausted&) = default;
};

using AccountEvent =
    std::variant<AccountOpened, AccountTermsChanged, AccountToppedUp, AccountAdjusted,
                 AccountDebited, AccountLowBalance, AccountExhausted>;

struct AccountState {
    std::optional<AccountTerms> terms;  ///< None until opened.
    Micros balance_micros = 0;
    std::set<std::string> references;  ///< Applied top-ups and adjustments (idempotency).
    Micros debited_micros = 0;         ///< Sum of every debit.
};

/// The lowest balance the account may reach before it is exhausted.
inline Micros floor_of(const AccountTerms& t) {
    return t.kind == AccountKind::Postpaid ? -t.credit_limit_micros : 0;
}

inline std::string account_stream(const std::string& customer_id) {
    return "voice_account-" + customer_id;
}

}  // namespace switchyard::core::voice
