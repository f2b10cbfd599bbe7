#pragma once
/// Decide and evolve for voucher batches and the tenant's code index (pure; see
/// core/hotspot/voucher.hpp). A redemption decides the batch's and the account's events
/// together (core/hotspot/account_decider.hpp), which the events layer appends atomically.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/account.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/hotspot/voucher.hpp"
#include "core/result.hpp"

namespace switchyard::core::hotspot {

/// Generates a batch with codes the events layer drew (draw_voucher_code in
/// events/hotspot/hotspot_service.hpp). `batch.created_at` is decided.
struct GenerateVoucherBatch {
    VoucherBatch batch;  ///< batch_id, plan_id, count, prefix, length, note, owner_path.
    std::vector<std::string> codes;
    std::string command_id;  ///< Required: the index remembers it.
};
/// Redeems a voucher by its code: a new account named after the code, or (with `username`)
/// stacked onto that existing account.
struct RedeemVoucher {
    std::string code;      ///< As typed; letters are upper-cased.
    std::string username;  ///< Stack onto this account; empty = a new account.
    /// The code sealed as the new account's password (by the events layer); unused when
    /// stacking.
    std::string password_sealed;
    std::string command_id;
};
/// Revokes a batch's unused vouchers.
struct RevokeVoucherBatch {
    std::string batch_id;
    std::string reason;  ///< At most 256 characters.
    std::string command_id;
};
/// Marks a redeemed voucher expired (its account expired).
struct ExpireVoucher {
    std::string code;
    std::string command_id;
};

/// What a generation decided: the batch's events and the index's.
struct GenerateDecision {
    std::vector<BatchEvent> batch_events;
    std::vector<CodeIndexEvent> index_events;
    std::string batch_id;  ///< The batch generated (or, for a retry, generated before).
};
/// What a redemption decided: the batch's events and the account's.
struct RedeemDecision {
    std::vector<BatchEvent> batch_events;
    std::vector<AccountEvent> account_events;
    std::string username;  ///< The account the voucher went to.
    bool stacked = false;
};

void evolve(BatchState& state, const BatchEvent& event);
void evolve(CodeIndexState& state, const CodeIndexEvent& event);

/// @param batch the state of `c.batch.batch_id`'s stream (empty for a new batch).
/// @errors Invalid naming `command_id` (missing), `batch_id`, `count` (1 to 10,000), `length`
///         (6 to 16), `prefix` (0 to 8 of A-Z and 0-9), `note`, `owner_path`, `codes` (not
///         `count` codes of prefix + length characters of kVoucherAlphabet, or one twice);
///         NotFound/Rejected naming `plan_id` as usable_plan; Conflict naming `batch_id` when
///         the batch exists; Conflict naming `codes` when a code is taken in the tenant.
Result<GenerateDecision> decide(const CodeIndexState& index, const BatchState& batch,
                                const CatalogState& catalog, const GenerateVoucherBatch& c,
                                const DecisionContext& ctx);
/// @param batch the state of the code's batch (index.batch_of); empty when the code is unknown.
/// @param account the state of the account it goes to: `c.username`, or the code for a new one.
/// @errors Invalid naming `code` when malformed; NotFound naming `code` when the tenant has no
///         such code (another tenant's code included); Rejected naming `code` when it is
///         revoked, already redeemed, expired, or its plan is retired or out of its validity
///         window, or when stacking is refused (plan without allow_stacking, another plan, or
///         an account that is disabled); NotFound naming `username` when the stacking target
///         does not exist; Conflict naming `code` when an account named after the code exists.
Result<RedeemDecision> decide(const BatchState& batch, const AccountState& account,
                              const CatalogState& catalog, const RedeemVoucher& c,
                              const DecisionContext& ctx);
/// A revoked batch decides nothing. @errors NotFound naming `batch_id`; Invalid naming `reason`.
Result<std::vector<BatchEvent>> decide(const BatchState& batch, const RevokeVoucherBatch& c,
                                       const DecisionContext& ctx);
/// An expired voucher decides nothing. @errors NotFound naming `code`; Rejected naming `code`
/// when the voucher is not active.
Result<std::vector<BatchEvent>> decide(const BatchState& batch, const ExpireVoucher& c,
                                       const DecisionContext& ctx);

/// The code as a user may type it, canonical: letters upper-cased, blanks and dashes removed.
std::string canonical_voucher_code(std::string_view typed);
/// True when `code` is `prefix` followed by `length` characters of kVoucherAlphabet.
bool valid_voucher_code(std::string_view code, std::string_view prefix,
                        std::int64_t length) noexcept;

}  // namespace switchyard::core::hotspot
