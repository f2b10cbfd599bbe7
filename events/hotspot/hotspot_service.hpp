#pragma once
/// The hotspot command side of one tenant: NAS and plans (`hotspot_catalog-<tenant>`), accounts
/// (`hotspot_account-<tenant>-<username>`), voucher batches (`hotspot_batch-<tenant>-<batch>`)
/// and the voucher code index (`hotspot_voucher_codes-<tenant>`). Loads the streams, runs the
/// pure deciders (core/hotspot/*_decider.hpp) and appends with expected revisions, retrying on
/// conflict (events/command_handler.hpp).
///
/// Secrets: a NAS's RADIUS shared secret and an account's password are sealed under the master
/// key (events/secret_box.hpp), each bound to its tenant and NAS or username; nas_secret() and
/// account_password() open them for the RADIUS side. Voucher codes are drawn here from
/// libsodium's CSPRNG (randombytes_uniform) over kVoucherAlphabet.
///
/// Reads fold the streams in memory (AggregateLoader) and are current with every command this
/// process appended; the RADIUS side calls them per request.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/hotspot/voucher_decider.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/secret_box.hpp"

namespace switchyard::events::hotspot {

/// What a generation gives back: the batch and its codes (the API shows them once).
struct BatchDetail {
    std::string batch_id;
    std::vector<std::string> codes;
};
/// What a redemption gives back: the account the voucher went to.
struct RedeemDetail {
    std::string username;
    bool stacked = false;
};
/// A voucher and its batch.
struct VoucherView {
    std::string batch_id;
    std::string plan_id;
    core::hotspot::Voucher voucher;
};

/// One code: `prefix` and `length` characters drawn uniformly from kVoucherAlphabet with
/// libsodium's randombytes_uniform (a CSPRNG without modulo bias).
std::string draw_voucher_code(std::string_view prefix, std::int64_t length);

/// Sealing contexts: a sealed secret opens only for the NAS or account it was sealed for.
std::string nas_secret_context(const std::string& tenant, const std::string& nas_id);
std::string account_password_context(const std::string& tenant, const std::string& username);

/// Hotspot commands and reads of one tenant.
/// @thread safe.
class HotspotService {
  public:
    /// @param keyring seals NAS secrets and passwords; must outlive the service.
    HotspotService(EventStore& store, std::string tenant, const MasterKeyring& keyring);
    ~HotspotService();

    const std::string& tenant() const;

    // ---- catalog ----

    /// Seals `c.secret` (when given) into the NAS. Errors as core/hotspot/catalog_decider.hpp.
    core::Result<CommandOutcome<>> execute(core::hotspot::DefineNas c,
                                           const core::DecisionContext& ctx);
    /// DisableNas, EnableNas, DefinePlan, RetirePlan. Errors as catalog_decider.hpp.
    template <OneOf<core::hotspot::DisableNas, core::hotspot::EnableNas, core::hotspot::DefinePlan,
                    core::hotspot::RetirePlan>
                  Command>
    core::Result<CommandOutcome<>> execute(const Command& c, const core::DecisionContext& ctx) {
        return on_catalog(ctx,
                          [&](const core::hotspot::CatalogState& s) { return decide(s, c, ctx); });
    }

    // ---- accounts ----

    /// Seals `c.password` into the account; decided against the catalog, whose revision the
    /// append holds (a plan retired meanwhile makes it decide again). Errors as
    /// core/hotspot/account_decider.hpp.
    core::Result<CommandOutcome<>> execute(core::hotspot::CreateAccount c,
                                           const core::DecisionContext& ctx);
    /// A ChangePlan whose `usage` is zero takes it from the usage source (set_usage_source),
    /// so that the new plan's allowance counts from the account's usage now.
    core::Result<CommandOutcome<>> execute(const core::hotspot::ChangePlan& c,
                                           const core::DecisionContext& ctx);
    /// An account's usage totals across all its sessions (SessionService::usage).
    using UsageSource = std::function<core::hotspot::Usage(const std::string& username)>;
    /// Sets where ChangePlan reads the account's usage now (the module wires
    /// SessionService::usage here). Unset: a plan change counts every session of the account.
    /// @thread call before the service handles commands.
    void set_usage_source(UsageSource source);
    core::Result<CommandOutcome<>> execute(const core::hotspot::RecordFirstLogin& c,
                                           const core::DecisionContext& ctx);
    /// Seals `c.password`.
    core::Result<CommandOutcome<>> execute(core::hotspot::ChangePassword c,
                                           const core::DecisionContext& ctx);
    /// Also marks the account's vouchers (the one it was created from and those stacked onto
    /// it) expired, in the same append.
    core::Result<CommandOutcome<>> execute(const core::hotspot::ExpireAccount& c,
                                           const core::DecisionContext& ctx);
    /// BindMac, DisableAccount, EnableAccount, MarkExhausted, ExtendAccount.
    template <
        OneOf<core::hotspot::BindMac, core::hotspot::DisableAccount, core::hotspot::EnableAccount,
              core::hotspot::MarkExhausted, core::hotspot::ExtendAccount>
            Command>
    core::Result<CommandOutcome<>> execute(const Command& c, const core::DecisionContext& ctx) {
        return on_account(
            c.username, ctx,
            [&](const core::hotspot::AccountState& s, const core::hotspot::CatalogState&) {
                return decide(s, c, ctx);
            },
            false);
    }

    // ---- vouchers ----

    /// Draws `c.batch.count` codes unique in the tenant (c.codes is ignored) and generates the
    /// batch; an empty batch_id gets a random one (`b` and 8 characters). A retry with the same
    /// command id answers the batch generated before, with its codes.
    /// @errors as core/hotspot/voucher_decider.hpp (GenerateVoucherBatch); the store's.
    core::Result<CommandOutcome<BatchDetail>> execute(core::hotspot::GenerateVoucherBatch c,
                                                      const core::DecisionContext& ctx);
    /// Redeems a voucher: the batch and the account are appended together with expected
    /// revisions, so of two concurrent redemptions of one code one succeeds and the other is
    /// refused naming `code`. @errors as voucher_decider.hpp (RedeemVoucher); the store's.
    core::Result<CommandOutcome<RedeemDetail>> execute(core::hotspot::RedeemVoucher c,
                                                       const core::DecisionContext& ctx);
    /// @errors as voucher_decider.hpp (RevokeVoucherBatch); the store's.
    core::Result<CommandOutcome<>> execute(const core::hotspot::RevokeVoucherBatch& c,
                                           const core::DecisionContext& ctx);

    /// Seals every NAS secret and account password sealed under an older master key again
    /// (master key rotation, app/admin.cpp): a NAS gets `hotspot.nas.defined`, an account
    /// `hotspot.account.password_changed`, each with the command id `reseal:<key id>...`.
    /// @returns how many secrets were sealed again. @errors the store's; Invalid naming
    ///          `sealed` when a secret cannot be opened.
    core::Result<int> reseal_secrets(const core::DecisionContext& ctx);

    // ---- reads ----

    /// The tenant's NAS and plans. @errors the store's; Invalid for an undecodable event.
    core::Result<core::hotspot::CatalogState> catalog();
    /// @errors NotFound naming `nas_id`.
    core::Result<core::hotspot::Nas> nas(const std::string& nas_id);
    /// The enabled NAS a RADIUS request from `ip` comes from (find_nas_by_address).
    /// @errors NotFound naming `address` when no enabled NAS has or holds it.
    core::Result<core::hotspot::Nas> nas_by_address(std::string_view ip);
    /// @errors NotFound naming `plan_id`.
    core::Result<core::hotspot::Plan> plan(const std::string& plan_id);
    /// @errors NotFound naming `username`.
    core::Result<core::hotspot::Account> account(const std::string& username);
    /// The account's whole state (exhausted flag, command ids) and its stream's revision (-1
    /// when it does not exist), for the accounting side's own decisions.
    core::Result<std::pair<core::hotspot::AccountState, std::int64_t>> account_state(
        const std::string& username);
    /// @errors NotFound naming `batch_id`.
    core::Result<core::hotspot::BatchState> batch(const std::string& batch_id);
    /// A voucher by code (typed in any case). @errors NotFound naming `code`.
    core::Result<VoucherView> voucher(std::string_view code);
    /// The account an unused voucher would become if it were redeemed now as a new account
    /// (RedeemVoucher without a username), without appending anything: what the RADIUS side
    /// authorizes a voucher's first login with, before post-auth redeems it.
    /// @errors as RedeemVoucher's decider: NotFound naming `code` (no such code in the
    ///         tenant), Rejected naming `code` (revoked, redeemed, expired, plan retired or out
    ///         of its window); the store's.
    core::Result<core::hotspot::AccountState> voucher_account_preview(
        std::string_view code, const core::DecisionContext& ctx);

    /// The NAS's RADIUS shared secret in clear. @errors NotFound naming `nas_id`; Invalid
    /// naming `sealed` when it cannot be opened (retired master key, tampered).
    core::Result<std::string> nas_secret(const std::string& nas_id);
    /// The account's password in clear (authorize answers it as control:Cleartext-Password).
    /// @errors NotFound naming `username`; Invalid naming `sealed` as nas_secret.
    core::Result<std::string> account_password(const std::string& username);

  private:
    using CatalogDecide = std::function<core::Result<std::vector<core::hotspot::CatalogEvent>>(
        const core::hotspot::CatalogState&)>;
    using AccountDecide = std::function<core::Result<std::vector<core::hotspot::AccountEvent>>(
        const core::hotspot::AccountState&, const core::hotspot::CatalogState&)>;
    core::Result<CommandOutcome<>> on_catalog(const core::DecisionContext& ctx,
                                              const CatalogDecide& decide);
    /// Decides on the account (and the catalog, whose revision the append holds when
    /// `hold_catalog`).
    core::Result<CommandOutcome<>> on_account(const std::string& username,
                                              const core::DecisionContext& ctx,
                                              const AccountDecide& decide, bool hold_catalog);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::hotspot
