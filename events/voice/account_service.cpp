#include "events/voice/account_service.hpp"

#include "events/voice/account_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct AccountService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), accounts(s, decode_account_event) {}

    template <class Command>
    core::Result<CommandOutcome<>> run(const std::string& customer_id, const Command& c,
                                       const core::DecisionContext& ctx) {
        if (customer_id.empty())
            return core::fail(core::Errc::Invalid, "customer_id", "is required");
        const auto stream = account_stream(customer_id);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(accounts.load(stream));
                auto events = SY_TRY(decide(state, c, ctx));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<AccountState, AccountEvent> accounts;
};

namespace {

core::Result<void> check_staff(const core::Actor& staff) {
    if ((staff.kind != core::ActorKind::User && staff.kind != core::ActorKind::ApiKey) ||
        staff.id.empty())
        return core::fail(core::Errc::Forbidden, "actor",
                          "top-ups and adjustments are staff actions");
    return {};
}

}  // namespace

AccountService::AccountService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
AccountService::~AccountService() = default;

core::Result<CommandOutcome<>> AccountService::open(const OpenAccount& c,
                                                    const core::DecisionContext& ctx) {
    return impl_->run(c.terms.customer_id, c, ctx);
}

core::Result<CommandOutcome<>> AccountService::top_up(TopUp c, const core::Actor& staff,
                                                      core::DecisionContext ctx) {
    SY_TRY(check_staff(staff));
    c.by = staff.id;
    ctx.actor = staff;
    return impl_->run(c.customer_id, c, ctx);
}

core::Result<CommandOutcome<>> AccountService::adjust(Adjust c, const core::Actor& staff,
                                                      core::DecisionContext ctx) {
    SY_TRY(check_staff(staff));
    c.by = staff.id;
    ctx.actor = staff;
    return impl_->run(c.customer_id, c, ctx);
}

core::Result<CommandOutcome<>> AccountService::debit(const Debit& c,
                                                     const core::DecisionContext& ctx) {
    return impl_->run(c.customer_id, c, ctx);
}

core::Result<std::pair<AccountState, std::int64_t>> AccountService::load(
    const std::string& customer_id) {
    return impl_->accounts.load(account_stream(customer_id));
}

}  // namespace switchyard::events::voice
