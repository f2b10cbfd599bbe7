#include "events/voice/did_service.hpp"

#include <fmt/format.h>

#include "events/voice/did_codec.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct DidService::Impl {
    Impl(EventStore& s, std::string t, VoiceService* v)
        : store(s), tenant(std::move(t)), voice(v), loader(s, decode_did_event) {}
    EventStore& store;
    std::string tenant;
    VoiceService* voice;
    AggregateLoader<DidState, DidEvent> loader;
    TrunkResolver resolver;
};

DidService::DidService(EventStore& store, std::string tenant, VoiceService* voice,
                       std::shared_ptr<const KycStore> kyc)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), voice)), kyc_(std::move(kyc)) {}

DidService::~DidService() = default;

core::Result<CommandOutcome<>> DidService::on_dids(const core::DecisionContext& ctx,
                                                   const Decide& decide) {
    const auto stream = did_stream(impl_->tenant);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->loader.snapshot(stream));
            auto events = SY_TRY(decide(*state));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<void> DidService::check_customer(std::int64_t customer_id) const {
    if (!impl_->voice || customer_id <= 0) return {};  // the decider refuses ids below 1
    SY_TRY(impl_->voice->effective_config(customer_id));
    return {};
}

core::Result<CommandOutcome<>> DidService::execute(const ReserveDid& c,
                                                   const core::DecisionContext& ctx) {
    SY_TRY(check_customer(c.customer_id));
    return on_dids(ctx, [&](const DidState& s) { return decide(s, c, ctx); });
}

core::Result<CommandOutcome<>> DidService::execute(const OrderDid& c,
                                                   const core::DecisionContext& ctx) {
    SY_TRY(check_customer(c.customer_id));
    return on_dids(ctx, [&](const DidState& s) { return decide(s, c, ctx); });
}

core::Result<CommandOutcome<DidImportDetail>> DidService::import(const ImportDids& c,
                                                                 const core::DecisionContext& ctx) {
    const auto stream = did_stream(impl_->tenant);
    DidImportDetail detail;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->loader.snapshot(stream));
            auto d = decide_import(*state, c, ctx);
            detail = DidImportDetail{d.imported, d.updated, d.unchanged, d.replayed,
                                     std::move(d.errors)};
            if (d.events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                             to_new_events(d.events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended, std::move(detail));
}

core::Result<CommandOutcome<KycSubmitDetail>> DidService::submit_kyc(
    const std::string& number, const std::string& doc_type, std::string_view bytes,
    const core::DecisionContext& ctx) {
    if (!kyc_)
        return core::fail(core::Errc::Unavailable, "document",
                          "no KYC document store is configured (no data directory)");
    // Check the command against the state before writing a file for it.
    {
        const auto state = SY_TRY(this->state());
        const SubmitKyc probe{number, doc_type, std::string(64, '0'), "application/pdf", 1};
        auto checked = decide(*state, probe, ctx);
        // Conflict may be a retry of the same file: decided again below with its hash.
        if (!checked && checked.error().code != core::Errc::Conflict)
            return tl::unexpected(checked.error());
    }
    KycSubmitDetail detail;
    detail.file = SY_TRY(kyc_->put(impl_->tenant, bytes));
    const SubmitKyc c{number, doc_type, detail.file.sha256, detail.file.content_type,
                      detail.file.size_bytes};
    const auto stream = did_stream(impl_->tenant);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->loader.snapshot(stream));
            auto events = SY_TRY(decide(*state, c, ctx));
            detail.document_id = 0;
            if (events.empty()) {
                // A retry: the document already submitted with this file.
                const auto& did = state->dids.at(*did_number(number));
                for (const auto& doc : did.kyc)
                    if (doc.doc_type == c.doc_type && doc.sha256 == c.sha256)
                        detail.document_id = doc.document_id;
                return std::vector<StreamWrite>{};
            }
            detail.document_id = std::get<KycSubmitted>(events.front()).document_id;
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended, std::move(detail));
}

core::Result<CommandOutcome<>> DidService::charge_monthly(const std::string& period,
                                                          const core::DecisionContext& ctx) {
    return execute(ChargeMonthly{period}, ctx);
}

core::Result<std::shared_ptr<const DidState>> DidService::state() const {
    auto [state, rev] = SY_TRY(impl_->loader.snapshot(did_stream(impl_->tenant)));
    return state;
}

void DidService::set_trunk_resolver(TrunkResolver resolve) { impl_->resolver = std::move(resolve); }

std::optional<RoutePlan> DidService::inbound_plan(const std::string& e164) const {
    const auto number = did_number(e164);
    if (!number) return std::nullopt;
    auto s = state();
    if (!s) return std::nullopt;
    auto it = (*s)->dids.find(*number);
    if (it == (*s)->dids.end()) return std::nullopt;
    return core::voice::inbound_plan(it->second, impl_->resolver);
}

}  // namespace switchyard::events::voice
