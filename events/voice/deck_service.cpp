#include "events/voice/deck_service.hpp"

#include <atomic>

#include <mutex>

#include "events/voice/deck_codec.hpp"
#include "events/voice/tariff_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct DeckService::Impl {
    Impl(EventStore& s, std::string t, TariffRegistry* r)
        : store(s), tenant(std::move(t)), registry(r), decks(s, decode_deck_event) {}

    template <class Decide>
    core::Result<std::pair<AppendResult, DeckState>> run(const std::string& deck_id,
                                                         const core::DecisionContext& ctx,
                                                         Decide&& decide_on) {
        const auto stream = deck_stream(deck_id);
        DeckState before;
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(decks.load(stream));
                before = state;
                auto events = SY_TRY(decide_on(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return std::make_pair(std::move(appended), std::move(before));
    }

    EventStore& store;
    std::string tenant;
    TariffRegistry* registry;
    AggregateLoader<DeckState, DeckEvent> decks;
    std::atomic<std::int64_t> notice_days{7};
};

DeckService::DeckService(EventStore& store, std::string tenant, TariffRegistry* registry)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), registry)) {}
DeckService::~DeckService() = default;

core::Result<CommandOutcome<>> DeckService::create(const CreateDeck& c,
                                                   const core::DecisionContext& ctx) {
    if (impl_->registry) {
        // Names are how operators and the cost query (`deck`) name a deck: one deck per name.
        SY_TRY(impl_->registry->catch_up(impl_->store));
        if (auto other = impl_->registry->find(c.deck.name);
            other && other->deck_id != c.deck.deck_id)
            return core::fail(
                core::Errc::Conflict, "name",
                "deck '" + other->deck_id + "' is already named '" + c.deck.name + "'");
    }
    auto [appended, before] = SY_TRY(
        impl_->run(c.deck.deck_id, ctx, [&](const DeckState& s) { return decide(s, c, ctx); }));
    if (impl_->registry) SY_TRY(impl_->registry->catch_up(impl_->store));
    return outcome_of(appended);
}

core::Result<CommandOutcome<ImportOutcome>> DeckService::import_version(
    ImportDeckVersion c, const core::DecisionContext& ctx) {
    if (c.content_sha256.empty()) c.content_sha256 = sha256_hex(encode_tariff(c.tariff));
    auto [appended, before] =
        SY_TRY(impl_->run(c.deck_id, ctx, [&](const DeckState& s) { return decide(s, c, ctx); }));
    ImportOutcome out;
    out.content_sha256 = c.content_sha256;
    if (auto it = before.version_by_sha256.find(c.content_sha256);
        it != before.version_by_sha256.end()) {
        out.version = it->second;
        out.unchanged = true;
    } else {
        out.version = before.last_version + 1;
        out.chunks = appended.writes.empty()
                         ? 0
                         : static_cast<std::int64_t>(appended.writes.front().positions.size()) - 2;
    }
    auto result = outcome_of(appended, std::move(out));
    if (!impl_->registry) return result;
    SY_TRY(impl_->registry->catch_up(impl_->store));
    if (result.unchanged || result.version < 2) return result;
    auto now = impl_->registry->version(c.deck_id, result.version);
    auto prev = impl_->registry->version(c.deck_id, result.version - 1);
    if (!now || !prev) return result;
    auto diff = diff_decks(prev->index->tariff(), now->index->tariff(),
                           DeckDiffOptions{ctx.now, impl_->notice_days.load()});
    DeckVersionDiffed diffed{
        result.version,          result.version - 1,        std::move(diff.added),
        std::move(diff.removed), std::move(diff.increases), std::move(diff.decreases),
        diff.unchanged};
    auto recorded = SY_TRY(record_diff(RecordDeckDiff{c.deck_id, std::move(diffed)}, ctx));
    if (recorded.changed) result.positions = recorded.positions;
    return result;
}

core::Result<CommandOutcome<>> DeckService::record_diff(const RecordDeckDiff& c,
                                                        const core::DecisionContext& ctx) {
    auto [appended, before] =
        SY_TRY(impl_->run(c.deck_id, ctx, [&](const DeckState& s) { return decide(s, c, ctx); }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<ImportOutcome>> DeckService::derive(const std::string& deck_id,
                                                                core::Timestamp effective_from,
                                                                const core::DecisionContext& ctx) {
    if (!impl_->registry)
        return core::fail(core::Errc::Invalid, "deck_id", "deriving needs the tariff registry");
    SY_TRY(impl_->registry->catch_up(impl_->store));
    auto card = impl_->registry->deck(deck_id);
    if (!card) return core::fail(core::Errc::NotFound, "deck_id", "no deck " + deck_id);
    if (card->format != DeckFormat::Derived || !card->markup)
        return core::fail(core::Errc::Rejected, "deck_id", deck_id + " is not a derived card");
    auto source = impl_->registry->latest(card->source_deck_id);
    if (!source)
        return core::fail(core::Errc::NotFound, "deck_id",
                          "the source deck " + card->source_deck_id + " has no usable version");
    ImportDeckVersion c;
    c.deck_id = deck_id;
    c.tariff = SY_TRY(apply_markup(source->index->tariff(), *card->markup));
    c.effective_from = effective_from;
    c.files = {card->source_deck_id + " v" + std::to_string(source->header.version)};
    c.rating_plan_id = source->header.rating_plan_id;
    return import_version(std::move(c), ctx);
}

void DeckService::set_notice_days(std::int64_t days) { impl_->notice_days = days; }

core::Result<DeckState> DeckService::state(const std::string& deck_id) {
    auto [s, rev] = SY_TRY(impl_->decks.load(deck_stream(deck_id)));
    return std::move(s);
}

}  // namespace switchyard::events::voice
