#pragma once
/// Decide and evolve for voice balances (pure; see core/voice/account.hpp).

#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/account.hpp"

namespace switchyard::core::voice {

/// Opens an account; opening it again with the same terms decides nothing, with another credit
/// limit or low-balance threshold changes them (`voice.account.terms_changed`, followed by
/// `exhausted` or `low_balance` when the new terms put the present balance past that line).
struct OpenAccount {
    AccountTerms terms;
};
/// Money paid in. Idempotent on `reference`.
struct TopUp {
    std::string customer_id;
    std::string reference;
    Micros amount_micros = 0;
    std::string reason;
    std::string by;  ///< Staff member's id (the service fills it from the actor).
};
/// A correction either way. Idempotent on `reference`.
struct Adjust {
    std::string customer_id;
    std::string reference;
    Micros amount_micros = 0;
    std::string reason;
    std::string by;
};
/// Charges a rated CDR (or a re-rating's delta). Not idempotent on its own: the account state
/// keeps no list of the debits it applied (it would grow with every CDR). A debit is appended
/// in the same append as its CDR stream's event, at that stream's expected revision (no stream
/// for a new CDR, its revision for a re-rating), so the CDR stream is what makes each debit
/// happen once (events/voice/cdr_service.hpp).
struct Debit {
    std::string customer_id;
    std::string debit_id;
    std::string cdr_id;
    Micros amount_micros = 0;  ///< May be negative for a re-rating that lowered the cost.
    std::string currency;      ///< Must be the account's.
};

void evolve(AccountState& state, const AccountEvent& event);

/// @errors Invalid naming the field: `customer_id` empty, `currency` not three upper-case
///         letters, `credit_limit_micros` negative or set on a prepaid account,
///         `low_balance_threshold_micros` negative. Conflict naming `currency` or `kind` when the
///         open account has another (they never change).
Result<std::vector<AccountEvent>> decide(const AccountState& s, const OpenAccount& c,
                                         const DecisionContext& ctx);
/// @errors NotFound `customer_id` when no account is open; Invalid `amount_micros` when not
///         > 0, `reason`/`reference`/`by` when empty.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const TopUp& c,
                                         const DecisionContext& ctx);
/// May record low_balance / exhausted when the adjustment takes money away.
/// @errors NotFound `customer_id`; Invalid `amount_micros` when 0, `reason`/`reference`/`by`
///         when empty.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const Adjust& c,
                                         const DecisionContext& ctx);
/// Applies the debit in full (it records a call already made), then `low_balance` when the
/// balance crossed the threshold downward and `exhausted` when it reached the floor (0 prepaid,
/// -credit limit postpaid) from above. Decides nothing for a known debit id or an amount of 0.
/// @errors NotFound `customer_id`; Invalid `debit_id` when empty; Rejected `currency` when it is
///         not the account's.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const Debit& c,
                                         const DecisionContext& ctx);

}  // namespace switchyard::core::voice
