#pragma once
/// The `hotspot_accounts` read model: hotspot and PPPoE accounts for the API's lists, fed by the
/// account events (core/hotspot/account.hpp) and folded with the decider's own `evolve`, so the
/// row is the account as the command side sees it (without its password).
///
/// Keys: `a/<username>` -> the account as events/hotspot/hotspot_codec.hpp account_json.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotAccounts = "hotspot_accounts.v1";

std::unique_ptr<Projector> make_hotspot_accounts_projector();

/// What an account list keeps; empty members match everything.
struct AccountFilter {
    std::optional<core::hotspot::AccountStatus> status;
    std::string plan_id;
    std::string scope = "/";  ///< Owner-path prefix: `/` for all, a reseller's subtree.
};

/// The account (password_sealed empty), or nullopt.
std::optional<core::hotspot::Account> find_account(const ReadModelView& view,
                                                   const std::string& username);
/// Up to `limit` accounts with usernames after `after` (the cursor), in username order, that
/// `filter` keeps.
std::vector<core::hotspot::Account> list_accounts(const ReadModelView& view,
                                                  const std::string& after, std::size_t limit,
                                                  const AccountFilter& filter = {});

}  // namespace switchyard::projections::hotspot
