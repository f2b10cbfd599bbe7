#include "events/voice/admission_service.hpp"

#include <array>
#include <mutex>
#include <unordered_map>

#include "core/voice/call_limits.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/trunk_service.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

AdmissionSources admission_sources(VoiceService& voice, const TariffRegistry& tariffs,
                                   AccountService& accounts, TrunkService& trunks) {
    AdmissionSources s;
    s.customer_limits = [&voice](std::int64_t customer_id) -> core::Result<CallLimits> {
        const auto config = SY_TRY(voice.effective_config(customer_id));
        const auto plan_id = config.effective.value(ItemKind::ChannelPlan);
        if (!plan_id) return CallLimits{};
        const auto ref = SY_TRY(voice.reference_snapshot());
        const auto* plan = ref.state->live<ChannelPlan>(*plan_id);
        if (!plan) return CallLimits{};
        return CallLimits{plan->channels, plan->cps};
    };
    s.trunk_limits = [&trunks](const std::string& trunk_id) -> core::Result<CallLimits> {
        auto l = trunks.limits(trunk_id);
        if (!l) {
            if (l.error().code == core::Errc::NotFound) return CallLimits{};
            return tl::unexpected(l.error());
        }
        return CallLimits{l->channels, l->cps};
    };
    s.funds = [&accounts](std::int64_t customer_id) -> core::Result<Funds> {
        auto [state, rev] = SY_TRY(accounts.load(std::to_string(customer_id)));
        Funds f;
        f.balance_micros = state.balance_micros;
        if (state.terms) {
            f.floor_micros = floor_of(*state.terms);
            f.held = !(state.terms->kind == AccountKind::Postpaid &&
                       state.terms->credit_limit_micros == 0);
        }
        return f;
    };
    s.sell_price = [&tariffs](const TrunkMatch& trunk,
                              core::Timestamp at) -> core::Result<std::optional<SellPrice>> {
        if (trunk.sell_deck_id.empty()) return std::optional<SellPrice>{};
        auto v = tariffs.current(trunk.sell_deck_id, at);
        if (!v) return std::optional<SellPrice>{};
        return std::optional<SellPrice>{SellPrice{v->index, v->header.rating_plan_id}};
    };
    return s;
}

namespace {

constexpr std::size_t kShards = 64;

struct TrunkSlot {
    TokenBucket bucket;
    std::int64_t channels = 0;
};

struct CustomerSlot {
    TokenBucket bucket;
    std::int64_t channels = 0;
    Micros reserved = 0;
    std::map<std::string, TrunkSlot> trunks;
};

struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::int64_t, CustomerSlot> customers;
    std::unordered_map<std::string, OpenCall> calls;
};

CallRefusal refuse(int code, std::string reason, std::string machine) {
    return CallRefusal{code, std::move(reason), std::move(machine)};
}

}  // namespace

struct AdmissionService::Impl {
    AdmissionSources sources;
    AdmissionOptions options;
    std::array<Shard, kShards> shards;
    mutable std::mutex index_mu;
    std::unordered_map<std::string, std::int64_t> call_customer;  ///< call id -> customer id.
    mutable std::mutex carriers_mu;
    std::map<std::string, std::int64_t> carriers;

    Shard& shard_of(std::int64_t customer_id) {
        return shards[static_cast<std::size_t>(customer_id) % kShards];
    }

    void add_carrier(const std::string& carrier_id, std::int64_t delta) {
        if (carrier_id.empty()) return;
        std::lock_guard lock(carriers_mu);
        auto& n = carriers[carrier_id];
        n += delta;
        if (n <= 0) carriers.erase(carrier_id);
    }

    /// Counts `call` in its shard (locked by the caller) and the carrier.
    void hold(Shard& shard, const OpenCall& call) {
        auto& slot = shard.customers[call.customer_id];
        slot.channels += 1;
        slot.reserved += call.admission.reserved_micros;
        slot.trunks[call.trunk_id].channels += 1;
        shard.calls.emplace(call.call_id, call);
        add_carrier(call.carrier_id, 1);
    }

    /// The customer of an open call; none when it is not open.
    std::optional<std::int64_t> customer_of(const std::string& call_id) const {
        std::lock_guard lock(index_mu);
        auto it = call_customer.find(call_id);
        if (it == call_customer.end()) return std::nullopt;
        return it->second;
    }
};

AdmissionService::AdmissionService(AdmissionSources sources, AdmissionOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->sources = std::move(sources);
    impl_->options = std::move(options);
    if (!impl_->options.now) impl_->options.now = [] { return core::SystemClock().now(); };
}

AdmissionService::~AdmissionService() = default;

core::Result<std::variant<Admission, CallRefusal>> AdmissionService::admit(const CallSetup& setup,
                                                                           const TrunkMatch& trunk,
                                                                           const RoutePlan& plan) {
    using Answer = std::variant<Admission, CallRefusal>;
    auto& impl = *impl_;
    auto& shard = impl.shard_of(trunk.customer_id);
    std::unique_lock lock(shard.mu);
    if (auto it = shard.calls.find(setup.call_id); it != shard.calls.end())
        return Answer{it->second.admission};

    const auto customer_limits = SY_TRY(impl.sources.customer_limits(trunk.customer_id));
    const auto trunk_limits = SY_TRY(impl.sources.trunk_limits(trunk.trunk_id));
    auto& slot = shard.customers[trunk.customer_id];
    auto& tslot = slot.trunks[trunk.trunk_id];
    slot.bucket.set_rate(customer_limits.cps);
    tslot.bucket.set_rate(trunk_limits.cps);
    const auto now = impl.options.now();
    if (!slot.bucket.try_take(now) || !tslot.bucket.try_take(now))
        return Answer{refuse(503, "CPS limit", "cps_limit")};
    if ((customer_limits.channels > 0 && slot.channels >= customer_limits.channels) ||
        (trunk_limits.channels > 0 && tslot.channels >= trunk_limits.channels))
        return Answer{refuse(503, "Channel limit", "channel_limit")};

    const auto funds = SY_TRY(impl.sources.funds(trunk.customer_id));
    const auto price = SY_TRY(impl.sources.sell_price(trunk, setup.setup_at));
    Admission grant;
    const auto cap = std::max<std::int64_t>(impl.options.max_duration_s, 1);
    auto cost_of = [&](std::int64_t usage_s) -> core::Result<Cost> {
        CostQuery q;
        q.destination = trunk.destination;
        q.caller = trunk.caller;
        q.setup_time = setup.setup_at;
        q.usage_s = usage_s;
        return price->index->rate_plan(price->rating_plan_id, q);
    };
    if (price) {
        auto minute = cost_of(60);
        if (minute) {
            grant.sell_per_minute = minute->cost_micros - minute->connect_fee_micros;
        } else if (minute.error().field == "destination" && funds.held) {
            return Answer{refuse(404, "No rate for the destination", "no_route")};
        }
    }
    if (!funds.held) {
        grant.max_duration_s = cap;
    } else {
        if (!price) return Answer{refuse(503, "No rate card", "unavailable")};
        const auto available =
            available_funds(funds.balance_micros, funds.floor_micros, slot.reserved);
        auto g = grant_duration(available, cap, [&](std::int64_t usage_s) -> core::Result<Micros> {
            return SY_TRY(cost_of(usage_s)).cost_micros;
        });
        if (!g) {
            if (g.error().field == "destination")
                return Answer{refuse(404, "No rate for the destination", "no_route")};
            return tl::unexpected(g.error());
        }
        if (!g->affordable) return Answer{refuse(402, "Balance exhausted", "balance_exhausted")};
        grant.max_duration_s = g->max_duration_s;
        grant.reserved_micros = g->reserved_micros;
    }

    OpenCall call;
    call.call_id = setup.call_id;
    call.customer_id = trunk.customer_id;
    call.trunk_id = trunk.trunk_id;
    call.carrier_id = plan.routes.empty() ? std::string() : plan.routes.front().carrier_id;
    call.admission = grant;
    call.admitted_at = now;
    impl.hold(shard, call);
    lock.unlock();
    {
        std::lock_guard index(impl.index_mu);
        impl.call_customer[setup.call_id] = trunk.customer_id;
    }
    return Answer{grant};
}

void AdmissionService::moved(const std::string& call_id, const std::string& carrier_id) {
    auto customer = impl_->customer_of(call_id);
    if (!customer) return;
    auto& shard = impl_->shard_of(*customer);
    std::lock_guard lock(shard.mu);
    auto it = shard.calls.find(call_id);
    if (it == shard.calls.end() || it->second.carrier_id == carrier_id) return;
    impl_->add_carrier(it->second.carrier_id, -1);
    impl_->add_carrier(carrier_id, 1);
    it->second.carrier_id = carrier_id;
}

void AdmissionService::release(const std::string& call_id) {
    std::optional<std::int64_t> customer;
    {
        std::lock_guard index(impl_->index_mu);
        auto it = impl_->call_customer.find(call_id);
        if (it == impl_->call_customer.end()) return;
        customer = it->second;
        impl_->call_customer.erase(it);
    }
    auto& shard = impl_->shard_of(*customer);
    std::lock_guard lock(shard.mu);
    auto it = shard.calls.find(call_id);
    if (it == shard.calls.end()) return;
    const auto& call = it->second;
    auto& slot = shard.customers[call.customer_id];
    slot.channels -= 1;
    slot.reserved -= call.admission.reserved_micros;
    if (auto t = slot.trunks.find(call.trunk_id); t != slot.trunks.end()) t->second.channels -= 1;
    impl_->add_carrier(call.carrier_id, -1);
    shard.calls.erase(it);
}

void AdmissionService::restore(const core::voice::CallRouted& routed,
                               const std::string& carrier_id) {
    restore(routed.setup.call_id, routed.trunk.customer_id, routed.trunk.trunk_id, carrier_id,
            routed.admission.reserved_micros, routed.admission.max_duration_s);
}

void AdmissionService::restore(const std::string& call_id, std::int64_t customer_id,
                               const std::string& trunk_id, const std::string& carrier_id,
                               Micros reserved_micros, std::int64_t max_duration_s) {
    auto& shard = impl_->shard_of(customer_id);
    {
        std::lock_guard lock(shard.mu);
        if (shard.calls.count(call_id)) return;
        OpenCall call;
        call.call_id = call_id;
        call.customer_id = customer_id;
        call.trunk_id = trunk_id;
        call.carrier_id = carrier_id;
        call.admission.max_duration_s = max_duration_s;
        call.admission.reserved_micros = reserved_micros;
        call.admitted_at = impl_->options.now();
        impl_->hold(shard, call);
    }
    std::lock_guard index(impl_->index_mu);
    impl_->call_customer[call_id] = customer_id;
}

std::optional<OpenCall> AdmissionService::call(const std::string& call_id) const {
    auto customer = impl_->customer_of(call_id);
    if (!customer) return std::nullopt;
    const auto& shard = impl_->shard_of(*customer);
    std::lock_guard lock(shard.mu);
    auto it = shard.calls.find(call_id);
    if (it == shard.calls.end()) return std::nullopt;
    return it->second;
}

std::int64_t AdmissionService::carrier_channels(const std::string& carrier_id) const {
    std::lock_guard lock(impl_->carriers_mu);
    auto it = impl_->carriers.find(carrier_id);
    return it == impl_->carriers.end() ? 0 : it->second;
}

AdmissionSnapshot AdmissionService::snapshot() const {
    AdmissionSnapshot out;
    std::map<std::int64_t, CustomerLoad> loads;
    for (const auto& shard : impl_->shards) {
        std::lock_guard lock(shard.mu);
        for (const auto& [id, slot] : shard.customers) {
            if (slot.channels == 0 && slot.reserved == 0) continue;
            auto& l = loads[id];
            l.customer_id = id;
            l.channels = slot.channels;
            l.reserved_micros = slot.reserved;
            for (const auto& [trunk, t] : slot.trunks)
                if (t.channels > 0) l.trunk_channels[trunk] = t.channels;
        }
        for (const auto& [id, call] : shard.calls) loads[call.customer_id].calls.push_back(call);
    }
    for (auto& [id, l] : loads) {
        std::sort(l.calls.begin(), l.calls.end(),
                  [](const OpenCall& a, const OpenCall& b) { return a.call_id < b.call_id; });
        out.customers.push_back(std::move(l));
    }
    {
        std::lock_guard lock(impl_->carriers_mu);
        out.carrier_channels = impl_->carriers;
    }
    return out;
}

}  // namespace switchyard::events::voice
