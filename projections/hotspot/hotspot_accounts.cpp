#include "projections/hotspot/hotspot_accounts.hpp"

#include "core/hotspot/account_decider.hpp"
#include "core/identity/user.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;

namespace {

std::string account_key(const std::string& username) { return key_of("a", username); }

std::optional<Account> decode(std::string_view text) {
    auto a = events::hotspot::parse_account(text);
    return a ? std::optional<Account>(std::move(*a)) : std::nullopt;
}

std::string username_of(const AccountEvent& event) {
    return std::visit(
        [](const auto& e) -> std::string {
            if constexpr (requires { e.username; }) {
                return e.username;
            } else {
                return e.account.username;
            }
        },
        event);
}

core::Result<void> apply(const AccountEvent& event, const events::RecordedEvent&,
                         ProjectionWrites& w) {
    const auto key = account_key(username_of(event));
    AccountState state;
    if (!std::holds_alternative<AccountCreated>(event)) {
        auto text = w.get(key);
        if (!text) return {};  // an event of an account the model never saw created
        auto a = decode(*text);
        if (!a) return {};
        state.exists = true;
        state.account = std::move(*a);
        state.exhausted = state.account.status == AccountStatus::Exhausted;
    }
    evolve(state, event);
    state.account.password_sealed.clear();
    w.put(key, events::json::serialize(events::hotspot::account_json(state.account)));
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_accounts_projector() {
    return make_projector<AccountEvent>(kHotspotAccounts, events::hotspot::decode_account_event,
                                        apply);
}

std::optional<Account> find_account(const ReadModelView& view, const std::string& username) {
    auto text = view.get(account_key(username));
    return text ? decode(*text) : std::nullopt;
}

std::vector<Account> list_accounts(const ReadModelView& view, const std::string& after,
                                   std::size_t limit, const AccountFilter& filter) {
    std::vector<Account> out;
    if (limit == 0) return out;
    const auto start = after.empty() ? std::string() : account_key(after) + std::string(1, '\0');
    view.scan("a/", start, [&](std::string_view, std::string_view value) {
        auto a = decode(value);
        if (!a) return true;
        if (filter.status && a->status != *filter.status) return true;
        if (!filter.plan_id.empty() && a->plan_id != filter.plan_id) return true;
        if (!core::identity::in_scope(filter.scope, a->owner_path)) return true;
        out.push_back(std::move(*a));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::hotspot
