#include "events/voice/tariff_registry.hpp"

#include <map>
#include <mutex>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "core/overloaded.hpp"
#include "events/voice/deck_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

struct VersionEntry {
    DeckVersionImported header;
    std::shared_ptr<const RatingIndex> index;  ///< Null until published and compiled.
    std::string build_error;
};

struct DeckEntry {
    std::optional<DeckInfo> info;
    std::int64_t created_order = 0;
    std::map<std::int64_t, VersionEntry> versions;
};

/// Chunks of versions not yet published, by (deck id, version).
using Pending = std::map<std::pair<std::string, std::int64_t>, std::vector<Tariff>>;

}  // namespace

struct TariffRegistry::Impl {
    mutable std::shared_mutex mu;  ///< Guards decks.
    std::map<std::string, DeckEntry> decks;
    std::int64_t created = 0;

    std::mutex apply_mu;  ///< Serialises apply/catch_up; guards checkpoint and pending.
    Checkpoint checkpoint;
    Pending pending;

    void apply_locked(const RecordedEvent& e) {
        if (checkpoint.covers(e.position)) return;
        checkpoint.advance(e.position);
        const auto deck_id = deck_of_stream(e.stream);
        if (deck_id.empty()) return;
        auto decoded = decode_deck_event(e);
        if (!decoded) {
            spdlog::warn("tariff registry: {} at {} unreadable: {}", e.type, e.stream,
                         decoded.error().message);
            return;
        }
        std::visit(core::Overloaded{
                       [&](const DeckCreated& c) {
                           std::unique_lock lock(mu);
                           auto& d = decks[deck_id];
                           d.info = c.deck;
                           d.created_order = ++created;
                       },
                       [&](const DeckVersionImported& h) {
                           pending[{deck_id, h.version}].clear();
                           std::unique_lock lock(mu);
                           decks[deck_id].versions[h.version].header = h;
                       },
                       [&](const DeckRatesLoaded& r) {
                           pending[{deck_id, r.version}].push_back(r.rates);
                       },
                       [&](const DeckVersionPublished& p) { publish(deck_id, p.version); },
                       [&](const DeckVersionDiffed&) {},
                   },
                   *decoded);
    }

    /// Joins a version's chunks and compiles them, outside the read lock.
    void publish(const std::string& deck_id, std::int64_t version) {
        auto it = pending.find({deck_id, version});
        std::vector<Tariff> chunks;
        if (it != pending.end()) {
            chunks = std::move(it->second);
            pending.erase(it);
        }
        std::int64_t expected = -1;
        {
            std::shared_lock lock(mu);
            auto d = decks.find(deck_id);
            if (d != decks.end()) {
                auto v = d->second.versions.find(version);
                if (v != d->second.versions.end()) expected = v->second.header.chunks;
            }
        }
        std::shared_ptr<const RatingIndex> index;
        std::string error;
        if (expected < 0) {
            error = "version published without its header";
        } else if (static_cast<std::int64_t>(chunks.size()) != expected) {
            error = "version has " + std::to_string(chunks.size()) + " of " +
                    std::to_string(expected) + " chunks";
        } else {
            auto built = RatingIndex::build(join_chunks(chunks));
            if (built) {
                index = std::move(*built);
            } else {
                error = built.error().field + ": " + built.error().message;
            }
        }
        if (!error.empty())
            spdlog::warn("tariff registry: deck {} version {} unusable: {}", deck_id, version,
                         error);
        std::unique_lock lock(mu);
        auto& v = decks[deck_id].versions[version];
        v.index = std::move(index);
        v.build_error = std::move(error);
    }

    std::optional<DeckVersionView> view(const DeckEntry& d, const VersionEntry& v) const {
        if (!v.index || !d.info) return std::nullopt;
        return DeckVersionView{*d.info, v.header, v.index};
    }
};

TariffRegistry::TariffRegistry() : impl_(std::make_unique<Impl>()) {}
TariffRegistry::~TariffRegistry() = default;

void TariffRegistry::apply(const RecordedEvent& event) {
    std::lock_guard lock(impl_->apply_mu);
    impl_->apply_locked(event);
}

core::Result<void> TariffRegistry::catch_up(EventStore& store) {
    std::lock_guard lock(impl_->apply_mu);
    for (;;) {
        auto batch = SY_TRY(store.read_all(impl_->checkpoint, 4096));
        if (batch.empty()) return {};
        for (const auto& e : batch) impl_->apply_locked(e);
    }
}

std::unique_ptr<Subscription> TariffRegistry::follow(EventStore& store) {
    Checkpoint from;
    {
        std::lock_guard lock(impl_->apply_mu);
        from = impl_->checkpoint;
    }
    return store.subscribe(from, [this](std::span<const RecordedEvent> batch) {
        std::lock_guard lock(impl_->apply_mu);
        for (const auto& e : batch) impl_->apply_locked(e);
    });
}

std::optional<DeckVersionView> TariffRegistry::current(const std::string& deck_id,
                                                       core::Timestamp at) const {
    std::shared_lock lock(impl_->mu);
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return std::nullopt;
    const VersionEntry* best = nullptr;
    const VersionEntry* first = nullptr;
    for (const auto& [n, v] : d->second.versions) {
        if (!v.index) continue;
        if (!first || v.header.effective_from < first->header.effective_from) first = &v;
        if (v.header.effective_from > at) continue;
        if (!best || v.header.effective_from >= best->header.effective_from) best = &v;
    }
    // The first version also covers what came before it: a deck imported today prices the
    // CDRs of last month.
    if (!best) best = first;
    if (!best) return std::nullopt;
    return impl_->view(d->second, *best);
}

std::optional<DeckVersionView> TariffRegistry::version(const std::string& deck_id,
                                                       std::int64_t version) const {
    std::shared_lock lock(impl_->mu);
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return std::nullopt;
    auto v = d->second.versions.find(version);
    if (v == d->second.versions.end()) return std::nullopt;
    return impl_->view(d->second, v->second);
}

std::optional<DeckVersionView> TariffRegistry::latest(const std::string& deck_id) const {
    std::shared_lock lock(impl_->mu);
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return std::nullopt;
    for (auto v = d->second.versions.rbegin(); v != d->second.versions.rend(); ++v) {
        if (v->second.index) return impl_->view(d->second, v->second);
    }
    return std::nullopt;
}

std::optional<DeckInfo> TariffRegistry::deck(const std::string& deck_id) const {
    std::shared_lock lock(impl_->mu);
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return std::nullopt;
    return d->second.info;
}

std::optional<DeckInfo> TariffRegistry::find(const std::string& name) const {
    std::shared_lock lock(impl_->mu);
    const DeckEntry* best = nullptr;
    for (const auto& [id, d] : impl_->decks) {
        if (d.info && d.info->name == name && (!best || d.created_order > best->created_order))
            best = &d;
    }
    if (!best) return std::nullopt;
    return best->info;
}

std::vector<DeckInfo> TariffRegistry::decks() const {
    std::shared_lock lock(impl_->mu);
    std::vector<DeckInfo> out;
    for (const auto& [id, d] : impl_->decks) {
        if (d.info) out.push_back(*d.info);
    }
    return out;
}

std::int64_t TariffRegistry::decks_created() const {
    std::shared_lock lock(impl_->mu);
    return impl_->created;
}

std::vector<DeckVersionImported> TariffRegistry::versions(const std::string& deck_id) const {
    std::shared_lock lock(impl_->mu);
    std::vector<DeckVersionImported> out;
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return out;
    for (const auto& [n, v] : d->second.versions) {
        if (v.index) out.push_back(v.header);
    }
    return out;
}

std::string TariffRegistry::build_error(const std::string& deck_id, std::int64_t version) const {
    std::shared_lock lock(impl_->mu);
    auto d = impl_->decks.find(deck_id);
    if (d == impl_->decks.end()) return {};
    auto v = d->second.versions.find(version);
    return v == d->second.versions.end() ? std::string() : v->second.build_error;
}

}  // namespace switchyard::events::voice
