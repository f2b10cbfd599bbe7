#include "events/hotspot/hotspot_service.hpp"

#include <sodium.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "events/hotspot/hotspot_codec.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

std::string draw_voucher_code(std::string_view prefix, std::int64_t length) {
    if (sodium_init() < 0) std::abort();  // libsodium cannot work without its RNG
    std::string code(prefix);
    for (std::int64_t i = 0; i < length; ++i)
        code += kVoucherAlphabet[randombytes_uniform(
            static_cast<std::uint32_t>(kVoucherAlphabet.size()))];
    return code;
}

std::string nas_secret_context(const std::string& tenant, const std::string& nas_id) {
    return "hotspot_nas_secret:" + tenant + ":" + nas_id;
}
std::string account_password_context(const std::string& tenant, const std::string& username) {
    return "hotspot_account_password:" + tenant + ":" + username;
}

namespace {

/// A random batch id: `b` and 8 characters of [a-z0-9].
std::string draw_batch_id() {
    static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string id = "b";
    for (int i = 0; i < 8; ++i)
        id += kChars[randombytes_uniform(static_cast<std::uint32_t>(kChars.size()))];
    return id;
}

core::Result<void> check_username(const std::string& username) {
    if (!valid_username(username))
        return core::fail(core::Errc::Invalid, "username", "must be 1 to 64 of [A-Za-z0-9._@+-]");
    return {};
}

}  // namespace

struct HotspotService::Impl {
    Impl(EventStore& s, std::string t, const MasterKeyring& k)
        : store(s),
          tenant(std::move(t)),
          keyring(k),
          catalog(s, decode_catalog_event),
          accounts(s, decode_account_event),
          batches(s, decode_batch_event),
          codes(s, decode_code_index_event) {}

    EventStore& store;
    std::string tenant;
    const MasterKeyring& keyring;
    AggregateLoader<CatalogState, CatalogEvent> catalog;
    AggregateLoader<AccountState, AccountEvent> accounts;
    AggregateLoader<BatchState, BatchEvent> batches;
    AggregateLoader<CodeIndexState, CodeIndexEvent> codes;
    UsageSource usage_source;

    template <class Event>
    std::vector<NewEvent> encoded(const std::vector<Event>& events,
                                  const core::DecisionContext& ctx) {
        return to_new_events(events, encode, ctx, tenant);
    }
};

HotspotService::HotspotService(EventStore& store, std::string tenant, const MasterKeyring& keyring)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), keyring)) {
    if (sodium_init() < 0) std::abort();
}
HotspotService::~HotspotService() = default;

const std::string& HotspotService::tenant() const { return impl_->tenant; }

core::Result<CommandOutcome<>> HotspotService::on_catalog(const core::DecisionContext& ctx,
                                                          const CatalogDecide& decide) {
    const auto stream = catalog_stream(impl_->tenant);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->catalog.load(stream));
            auto events = SY_TRY(decide(state));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(rev), impl_->encoded(events, ctx)}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<>> HotspotService::on_account(const std::string& username,
                                                          const core::DecisionContext& ctx,
                                                          const AccountDecide& decide,
                                                          bool hold_catalog) {
    SY_TRY(check_username(username));
    const auto stream = account_stream(impl_->tenant, username);
    const auto cat_stream = catalog_stream(impl_->tenant);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->accounts.load(stream));
            auto [catalog, cat_rev] = SY_TRY(impl_->catalog.load(cat_stream));
            auto events = SY_TRY(decide(state, catalog));
            if (events.empty()) return std::vector<StreamWrite>{};
            std::vector<StreamWrite> writes{
                {stream, ExpectedRevision::at(rev), impl_->encoded(events, ctx)}};
            // What was decided against this revision of the plans holds only while it stands.
            if (hold_catalog) writes.push_back({cat_stream, ExpectedRevision::at(cat_rev), {}});
            return writes;
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<>> HotspotService::execute(DefineNas c,
                                                       const core::DecisionContext& ctx) {
    if (!c.secret.empty())
        c.nas.secret_sealed =
            impl_->keyring.seal(c.secret, nas_secret_context(impl_->tenant, c.nas.nas_id));
    return on_catalog(ctx, [&](const CatalogState& s) { return decide(s, c, ctx); });
}

core::Result<CommandOutcome<>> HotspotService::execute(CreateAccount c,
                                                       const core::DecisionContext& ctx) {
    SY_TRY(check_username(c.account.username));
    if (!c.password.empty())
        c.account.password_sealed = impl_->keyring.seal(
            c.password, account_password_context(impl_->tenant, c.account.username));
    return on_account(
        c.account.username, ctx,
        [&](const AccountState& s, const CatalogState& cat) { return decide(s, cat, c, ctx); },
        true);
}

void HotspotService::set_usage_source(UsageSource source) {
    impl_->usage_source = std::move(source);
}

core::Result<CommandOutcome<>> HotspotService::execute(const ChangePlan& command,
                                                       const core::DecisionContext& ctx) {
    ChangePlan c = command;
    if (c.usage == core::hotspot::Usage{} && impl_->usage_source && valid_username(c.username))
        c.usage = impl_->usage_source(c.username);
    return on_account(
        c.username, ctx,
        [&](const AccountState& s, const CatalogState& cat) { return decide(s, cat, c, ctx); },
        true);
}

core::Result<CommandOutcome<>> HotspotService::execute(const RecordFirstLogin& c,
                                                       const core::DecisionContext& ctx) {
    return on_account(
        c.username, ctx,
        [&](const AccountState& s, const CatalogState& cat) { return decide(s, cat, c, ctx); },
        false);
}

core::Result<CommandOutcome<>> HotspotService::execute(ChangePassword c,
                                                       const core::DecisionContext& ctx) {
    SY_TRY(check_username(c.username));
    if (!c.password.empty())
        c.password_sealed =
            impl_->keyring.seal(c.password, account_password_context(impl_->tenant, c.username));
    return on_account(
        c.username, ctx,
        [&](const AccountState& s, const CatalogState&) { return decide(s, c, ctx); }, false);
}

core::Result<CommandOutcome<>> HotspotService::execute(const ExpireAccount& c,
                                                       const core::DecisionContext& ctx) {
    SY_TRY(check_username(c.username));
    const auto stream = account_stream(impl_->tenant, c.username);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->accounts.load(stream));
            auto events = SY_TRY(decide(state, c, ctx));
            if (events.empty()) return std::vector<StreamWrite>{};
            std::vector<StreamWrite> writes{
                {stream, ExpectedRevision::at(rev), impl_->encoded(events, ctx)}};
            // The vouchers it came from and those stacked onto it expire with it (a voucher
            // that is not active, revoked meanwhile, keeps its state).
            std::map<std::string, std::pair<BatchState, std::int64_t>> batches;
            std::map<std::string, std::vector<BatchEvent>> voucher_events;
            if (!state.voucher_codes.empty()) {
                auto [index, index_rev] =
                    SY_TRY(impl_->codes.load(code_index_stream(impl_->tenant)));
                for (const auto& code : state.voucher_codes) {
                    auto it = index.batch_of.find(code);
                    if (it == index.batch_of.end()) continue;
                    const auto bstream = batch_stream(impl_->tenant, it->second);
                    if (!batches.count(bstream))
                        batches[bstream] = SY_TRY(impl_->batches.load(bstream));
                    auto& batch = batches[bstream].first;
                    auto decided =
                        decide(batch, ExpireVoucher{code, c.command_id + ":" + code}, ctx);
                    if (!decided) continue;
                    for (const auto& e : *decided) {
                        evolve(batch, e);
                        voucher_events[bstream].push_back(e);
                    }
                }
            }
            for (const auto& [bstream, events] : voucher_events)
                writes.push_back({bstream, ExpectedRevision::at(batches[bstream].second),
                                  impl_->encoded(events, ctx)});
            return writes;
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<BatchDetail>> HotspotService::execute(
    GenerateVoucherBatch c, const core::DecisionContext& ctx) {
    const auto index_stream = code_index_stream(impl_->tenant);
    const auto cat_stream = catalog_stream(impl_->tenant);
    if (c.batch.batch_id.empty()) c.batch.batch_id = draw_batch_id();
    BatchDetail detail;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [index, index_rev] = SY_TRY(impl_->codes.load(index_stream));
            auto [catalog, cat_rev] = SY_TRY(impl_->catalog.load(cat_stream));
            if (auto it = index.commands.find(c.command_id);
                !c.command_id.empty() && it != index.commands.end()) {
                // A retry: answer the batch generated before.
                auto [before, before_rev] =
                    SY_TRY(impl_->batches.load(batch_stream(impl_->tenant, it->second)));
                detail.batch_id = it->second;
                detail.codes.clear();
                for (const auto& [code, v] : before.vouchers) detail.codes.push_back(code);
                return std::vector<StreamWrite>{};
            }
            const bool well_formed = c.batch.count >= 1 && c.batch.count <= 10'000 &&
                                     c.batch.length >= 6 && c.batch.length <= 16 &&
                                     valid_hotspot_id(c.batch.batch_id);
            c.codes.clear();
            if (well_formed) {
                // Draw until `count` codes are free in the tenant and distinct in the batch.
                std::set<std::string> drawn;
                std::int64_t tries = 0;
                while (static_cast<std::int64_t>(drawn.size()) < c.batch.count &&
                       tries++ < c.batch.count * 100) {
                    auto code = draw_voucher_code(c.batch.prefix, c.batch.length);
                    if (index.batch_of.count(code) || !drawn.insert(code).second) continue;
                    c.codes.push_back(std::move(code));
                }
            }
            const auto bstream = batch_stream(impl_->tenant, c.batch.batch_id);
            core::hotspot::BatchState batch;
            std::int64_t batch_rev = -1;
            if (valid_hotspot_id(c.batch.batch_id))
                std::tie(batch, batch_rev) = SY_TRY(impl_->batches.load(bstream));
            auto decision = SY_TRY(decide(index, batch, catalog, c, ctx));
            detail.batch_id = decision.batch_id;
            detail.codes = c.codes;
            return std::vector<StreamWrite>{
                {bstream, ExpectedRevision::at(batch_rev),
                 impl_->encoded(decision.batch_events, ctx)},
                {index_stream, ExpectedRevision::at(index_rev),
                 impl_->encoded(decision.index_events, ctx)},
                {cat_stream, ExpectedRevision::at(cat_rev), {}},
            };
        }));
    return outcome_of(appended, detail);
}

core::Result<CommandOutcome<RedeemDetail>> HotspotService::execute(
    RedeemVoucher c, const core::DecisionContext& ctx) {
    const auto code = canonical_voucher_code(c.code);
    if (!c.username.empty()) SY_TRY(check_username(c.username));
    RedeemDetail detail;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            // The account is read before the batch: a redemption that lands in between then
            // shows as a redeemed voucher (refused naming the code), never as an account
            // without its voucher.
            const auto username = c.username.empty() ? code : c.username;
            core::hotspot::AccountState account;
            std::int64_t account_rev = -1;
            std::string astream;
            if (valid_username(username)) {
                astream = account_stream(impl_->tenant, username);
                std::tie(account, account_rev) = SY_TRY(impl_->accounts.load(astream));
            }
            auto [index, index_rev] = SY_TRY(impl_->codes.load(code_index_stream(impl_->tenant)));
            auto [catalog, cat_rev] = SY_TRY(impl_->catalog.load(catalog_stream(impl_->tenant)));
            core::hotspot::BatchState batch;
            std::int64_t batch_rev = -1;
            std::string bstream;
            if (auto it = index.batch_of.find(code); it != index.batch_of.end()) {
                bstream = batch_stream(impl_->tenant, it->second);
                std::tie(batch, batch_rev) = SY_TRY(impl_->batches.load(bstream));
            }
            RedeemVoucher command = c;
            if (c.username.empty() && batch.exists && valid_username(code))
                command.password_sealed =
                    impl_->keyring.seal(code, account_password_context(impl_->tenant, code));
            auto decision = SY_TRY(decide(batch, account, catalog, command, ctx));
            detail.username = decision.username;
            detail.stacked = decision.stacked;
            if (decision.batch_events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {bstream, ExpectedRevision::at(batch_rev),
                 impl_->encoded(decision.batch_events, ctx)},
                {astream, ExpectedRevision::at(account_rev),
                 impl_->encoded(decision.account_events, ctx)},
            };
        }));
    return outcome_of(appended, detail);
}

core::Result<CommandOutcome<>> HotspotService::execute(const RevokeVoucherBatch& c,
                                                       const core::DecisionContext& ctx) {
    if (!valid_hotspot_id(c.batch_id))
        return core::fail(core::Errc::NotFound, "batch_id",
                          fmt::format("batch '{}' does not exist", c.batch_id));
    const auto stream = batch_stream(impl_->tenant, c.batch_id);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->batches.load(stream));
            auto events = SY_TRY(decide(state, c, ctx));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(rev), impl_->encoded(events, ctx)}};
        }));
    return outcome_of(appended);
}

core::Result<int> HotspotService::reseal_secrets(const core::DecisionContext& ctx) {
    const auto& ring = impl_->keyring;
    const auto key = ring.current_id();
    int resealed = 0;
    for (const auto& [id, n] : SY_TRY(catalog()).nas) {
        if (ring.sealed_with_current(n.secret_sealed)) continue;
        const auto context = nas_secret_context(impl_->tenant, id);
        const auto clear = SY_TRY(ring.open(n.secret_sealed, context));
        auto again = n;
        again.secret_sealed = ring.seal(clear, context);
        auto r = SY_TRY(on_catalog(ctx, [&](const CatalogState& s) {
            return decide(
                s, DefineNas{again, clear, DefineMode::Update, "reseal:" + key + ":" + id}, ctx);
        }));
        if (r.changed) ++resealed;
    }
    const auto prefix = "hotspot_account-" + impl_->tenant + "-";
    for (const auto& stream : SY_TRY(streams_with_event(impl_->store, AccountCreated::kType))) {
        if (stream.rfind(prefix, 0) != 0) continue;
        // Tenant `op` and tenant `op-x` share the prefix `hotspot_account-op-`: the envelope
        // says whose the stream is.
        const auto first = SY_TRY(impl_->store.read_stream(stream, 0, 1));
        if (first.empty() || first[0].tenant != impl_->tenant) continue;
        const auto username = stream.substr(prefix.size());
        auto [state, rev] = SY_TRY(account_state(username));
        if (!state.exists || ring.sealed_with_current(state.account.password_sealed)) continue;
        const auto context = account_password_context(impl_->tenant, username);
        const auto clear = SY_TRY(ring.open(state.account.password_sealed, context));
        ChangePassword c{username, clear, ring.seal(clear, context), "reseal:" + key};
        auto r = SY_TRY(on_account(
            username, ctx,
            [&](const AccountState& s, const CatalogState&) { return decide(s, c, ctx); }, false));
        if (r.changed) ++resealed;
    }
    return resealed;
}

// ---- reads ----

core::Result<CatalogState> HotspotService::catalog() {
    auto [state, rev] = SY_TRY(impl_->catalog.load(catalog_stream(impl_->tenant)));
    return std::move(state);
}

core::Result<Nas> HotspotService::nas(const std::string& nas_id) {
    const auto c = SY_TRY(catalog());
    auto it = c.nas.find(nas_id);
    if (it == c.nas.end())
        return core::fail(core::Errc::NotFound, "nas_id",
                          fmt::format("NAS '{}' does not exist", nas_id));
    return it->second;
}

core::Result<Nas> HotspotService::nas_by_address(std::string_view ip) {
    const auto c = SY_TRY(catalog());
    auto n = find_nas_by_address(c, ip);
    if (!n)
        return core::fail(core::Errc::NotFound, "address",
                          fmt::format("no enabled NAS has or holds address '{}'", ip));
    return std::move(*n);
}

core::Result<Plan> HotspotService::plan(const std::string& plan_id) {
    const auto c = SY_TRY(catalog());
    auto it = c.plans.find(plan_id);
    if (it == c.plans.end())
        return core::fail(core::Errc::NotFound, "plan_id",
                          fmt::format("plan '{}' does not exist", plan_id));
    return it->second;
}

core::Result<std::pair<AccountState, std::int64_t>> HotspotService::account_state(
    const std::string& username) {
    SY_TRY(check_username(username));
    return impl_->accounts.load(account_stream(impl_->tenant, username));
}

core::Result<Account> HotspotService::account(const std::string& username) {
    if (!valid_username(username))
        return core::fail(core::Errc::NotFound, "username",
                          fmt::format("account '{}' does not exist", username));
    auto [state, rev] = SY_TRY(account_state(username));
    if (!state.exists)
        return core::fail(core::Errc::NotFound, "username",
                          fmt::format("account '{}' does not exist", username));
    return std::move(state.account);
}

core::Result<BatchState> HotspotService::batch(const std::string& batch_id) {
    if (valid_hotspot_id(batch_id)) {
        auto [state, rev] = SY_TRY(impl_->batches.load(batch_stream(impl_->tenant, batch_id)));
        if (state.exists) return std::move(state);
    }
    return core::fail(core::Errc::NotFound, "batch_id",
                      fmt::format("batch '{}' does not exist", batch_id));
}

core::Result<VoucherView> HotspotService::voucher(std::string_view typed) {
    const auto code = canonical_voucher_code(typed);
    auto [index, rev] = SY_TRY(impl_->codes.load(code_index_stream(impl_->tenant)));
    auto it = index.batch_of.find(code);
    if (it == index.batch_of.end())
        return core::fail(core::Errc::NotFound, "code",
                          fmt::format("voucher '{}' does not exist", code));
    const auto b = SY_TRY(batch(it->second));
    auto v = b.vouchers.find(code);
    if (v == b.vouchers.end())
        return core::fail(core::Errc::NotFound, "code",
                          fmt::format("voucher '{}' does not exist", code));
    return VoucherView{b.batch.batch_id, b.batch.plan_id, v->second};
}

core::Result<core::hotspot::AccountState> HotspotService::voucher_account_preview(
    std::string_view typed, const core::DecisionContext& ctx) {
    const auto code = canonical_voucher_code(typed);
    const auto batch = SY_TRY(this->batch(SY_TRY(voucher(code)).batch_id));
    auto [catalog, cat_rev] = SY_TRY(impl_->catalog.load(catalog_stream(impl_->tenant)));
    // Nothing is appended, so the password is not sealed: the preview's account has none.
    RedeemVoucher command{code, "", "unsealed", "preview:" + code};
    const auto decision =
        SY_TRY(decide(batch, core::hotspot::AccountState{}, catalog, command, ctx));
    core::hotspot::AccountState account;
    for (const auto& e : decision.account_events) evolve(account, e);
    account.account.password_sealed.clear();
    return account;
}

core::Result<std::string> HotspotService::nas_secret(const std::string& nas_id) {
    const auto n = SY_TRY(nas(nas_id));
    return impl_->keyring.open(n.secret_sealed, nas_secret_context(impl_->tenant, nas_id));
}

core::Result<std::string> HotspotService::account_password(const std::string& username) {
    const auto a = SY_TRY(account(username));
    return impl_->keyring.open(a.password_sealed,
                               account_password_context(impl_->tenant, username));
}

}  // namespace switchyard::events::hotspot
