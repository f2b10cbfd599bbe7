#include "events/iptv/iptv_service.hpp"

#include <set>
#include <shared_mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "core/identity/user.hpp"
#include "events/command_handler.hpp"
#include "events/id_allocator.hpp"
#include "events/iptv/iptv_codec.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// The events of one catalogue entry's stream, folded into a command's state on load.
struct EntityHistory {
    std::vector<CatalogueEvent> events;
};
void evolve(EntityHistory& h, const CatalogueEvent& e) { h.events.push_back(e); }

/// Ids given to entries a first, planning decision creates; the real ids are taken after it,
/// as many as it created, and the decision is made again with them.
constexpr std::int64_t kPlanBase = std::int64_t{1} << 60;

/// What one attempt read: the revision of every stream it loaded, and the catalogue entries
/// folded from them (the only entries its decision sees).
struct Reads {
    std::unordered_map<std::string, std::int64_t> revisions;
    CatalogueState state;
    LineRegistryState registry;
};

/// How many entries of each kind a decision creates.
struct Created {
    std::int64_t categories = 0, streams = 0, bouquets = 0;
};

Created created_by(const std::vector<CatalogueEvent>& events) {
    Created n;
    for (const auto& e : events) {
        if (std::holds_alternative<CategoryCreated>(e)) ++n.categories;
        if (std::holds_alternative<StreamAdded>(e)) ++n.streams;
        if (std::holds_alternative<BouquetCreated>(e)) ++n.bouquets;
    }
    return n;
}

}  // namespace

struct IptvService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          entities(s, decode_catalogue_event),
          claims(s, decode_claim_event),
          usernames(s, decode_line_registry_event),
          lines(s, decode_line_event),
          category_ids(s, "iptv", tenant, "category"),
          stream_ids(s, "iptv", tenant, "stream"),
          bouquet_ids(s, "iptv", tenant, "bouquet"),
          line_ids(s, "iptv", tenant, "line") {}

    /// The claim stream of a unique name: `iptv_claim-<tenant>-<first 40 hex of its SHA-256>`.
    std::string claim_stream(ClaimKind kind, const std::string& name) const {
        return fmt::format("iptv_claim-{}-{}", tenant,
                           sha256_hex(std::string(to_string(kind)) + ":" + name).substr(0, 40));
    }
    /// The claim stream of a line username, unique without regard to case.
    std::string username_stream(const std::string& username) const {
        return "line_username-" + tenant + "-" + core::identity::username_key(username);
    }
    /// Where the import summaries of one playlist source go.
    std::string import_stream(const std::string& source) const {
        return fmt::format("iptv_import-{}-{}", tenant, sha256_hex(source).substr(0, 40));
    }
    static std::string holder_stream(ClaimKind kind, std::int64_t id) {
        switch (kind) {
            case ClaimKind::SourceUrl:
                return live_stream_stream(id);
            case ClaimKind::Category:
                return category_stream(id);
            case ClaimKind::Bouquet:
                return bouquet_stream(id);
        }
        return {};
    }

    /// Loads an entry's stream into the attempt (once).
    core::Result<void> load_entity(Reads& r, const std::string& stream) {
        if (r.revisions.count(stream)) return {};
        auto [history, revision] = SY_TRY(entities.load(stream));
        r.revisions[stream] = revision;
        for (const auto& e : history.events) evolve(r.state, e);
        return {};
    }
    /// Loads the claim of a name and the entry that holds it.
    core::Result<void> load_claim(Reads& r, ClaimKind kind, const std::string& name) {
        const auto stream = claim_stream(kind, name);
        if (r.revisions.count(stream)) return {};
        auto [claim, revision] = SY_TRY(claims.load(stream));
        r.revisions[stream] = revision;
        if (claim.id) SY_TRY(load_entity(r, holder_stream(kind, *claim.id)));
        return {};
    }
    core::Result<std::int64_t> revision_of(Reads& r, const std::string& stream, bool claim) {
        if (auto it = r.revisions.find(stream); it != r.revisions.end()) return it->second;
        const auto revision =
            claim ? SY_TRY(claims.load(stream)).second : SY_TRY(entities.load(stream)).second;
        r.revisions[stream] = revision;
        return revision;
    }

    /// Loads the categories, streams and bouquets a command refers to.
    core::Result<void> load_refs(Reads& r, const std::vector<std::int64_t>& categories,
                                 const std::vector<std::int64_t>& streams,
                                 const std::vector<std::int64_t>& bouquets = {}) {
        for (auto id : bouquets) SY_TRY(load_entity(r, bouquet_stream(id)));
        for (auto id : categories) SY_TRY(load_entity(r, category_stream(id)));
        for (auto id : streams) SY_TRY(load_entity(r, live_stream_stream(id)));
        return {};
    }

    /// The category a stream is in now: its own, followed through deletions that moved it.
    core::Result<std::optional<std::int64_t>> current_category(Reads& r,
                                                               std::optional<std::int64_t> id) {
        for (int hops = 0; id && hops < 64; ++hops) {
            SY_TRY(load_entity(r, category_stream(*id)));
            auto it = r.state.categories.find(*id);
            if (it == r.state.categories.end() || !it->second.deleted) return id;
            id = it->second.moved_to;
        }
        return id;
    }

    /// The writes of a catalogue decision: each event into its entry's stream, the claims it
    /// takes and gives back, and a hold (expected revision, no events) on each category that a
    /// stream enters without being created by the same decision, so that a concurrent deletion
    /// of that category is decided again.
    core::Result<std::vector<StreamWrite>> writes_for(Reads& r, const CatalogueState& before,
                                                      const std::vector<CatalogueEvent>& events,
                                                      const core::DecisionContext& ctx) {
        std::vector<StreamWrite> out;
        std::unordered_map<std::string, std::size_t> index;
        enum class Kind { Entry, Claim, Import };
        auto slot = [&](const std::string& stream, Kind kind) -> core::Result<StreamWrite*> {
            auto [it, inserted] = index.try_emplace(stream, out.size());
            if (inserted) {
                // An entry's stream this attempt did not read is a new entry's: it must not
                // exist. Claims and import summaries not read yet are read now.
                std::int64_t revision = -1;
                if (auto known = r.revisions.find(stream); known != r.revisions.end())
                    revision = known->second;
                else if (kind != Kind::Entry)
                    revision = SY_TRY(revision_of(r, stream, kind == Kind::Claim));
                out.push_back({stream, ExpectedRevision::at(revision), {}});
            }
            return &out[it->second];
        };
        std::set<std::int64_t> created_categories;
        std::set<std::int64_t> entered;
        for (const auto& e : events) {
            auto stream = entity_stream(e);
            auto kind = Kind::Entry;
            if (const auto* s = std::get_if<PlaylistImported>(&e)) {
                stream = import_stream(s->source);
                kind = Kind::Import;
            }
            SY_TRY(slot(stream, kind))->events.push_back(make_new_event(encode(e), ctx, tenant));
            if (const auto* c = std::get_if<CategoryCreated>(&e))
                created_categories.insert(c->category_id);
            if (const auto* s = std::get_if<StreamAdded>(&e); s && s->fields.category_id)
                entered.insert(*s->fields.category_id);
            if (const auto* s = std::get_if<StreamUpdated>(&e); s && s->fields.category_id)
                entered.insert(*s->fields.category_id);
        }
        for (const auto& change : claim_changes(before, events)) {
            auto* w = SY_TRY(slot(claim_stream(change.kind, change.name), Kind::Claim));
            const auto claim = change.claimed
                                   ? ClaimEvent{NameClaimed{change.kind, change.name, change.id}}
                                   : ClaimEvent{NameReleased{change.kind, change.name, change.id}};
            w->events.push_back(make_new_event(encode(claim), ctx, tenant));
        }
        for (auto id : entered) {
            if (!created_categories.count(id)) SY_TRY(slot(category_stream(id), Kind::Entry));
        }
        return out;
    }

    /// Runs a catalogue command: `read` loads what it needs into the attempt, `decide_on`
    /// decides on the state loaded; new entries get their ids after a planning decision.
    template <class Read, class DecideOn>
    core::Result<std::pair<AppendResult, CatalogueDecision>> run(const core::DecisionContext& ctx,
                                                                 Read read, DecideOn decide_on) {
        CatalogueDecision decision;
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                Reads r;
                SY_TRY(read(r));
                r.state.next_category_id = r.state.next_stream_id = r.state.next_bouquet_id =
                    kPlanBase;
                decision = SY_TRY(decide_on(r.state));
                const auto n = created_by(decision.events);
                if (n.categories + n.streams + n.bouquets > 0) {
                    if (n.categories)
                        r.state.next_category_id = SY_TRY(category_ids.take(n.categories, ctx));
                    if (n.streams) r.state.next_stream_id = SY_TRY(stream_ids.take(n.streams, ctx));
                    if (n.bouquets)
                        r.state.next_bouquet_id = SY_TRY(bouquet_ids.take(n.bouquets, ctx));
                    decision = SY_TRY(decide_on(r.state));
                }
                if (decision.events.empty()) return std::vector<StreamWrite>{};
                return writes_for(r, r.state, decision.events, ctx);
            }));
        return std::pair{std::move(appended), std::move(decision)};
    }

    /// Runs catalogue command `c` on what `read` loads.
    template <class Command, class Read>
    core::Result<CommandOutcome<CatalogueDetail>> run_catalogue(const Command& c,
                                                                const core::DecisionContext& ctx,
                                                                Read read) {
        auto [appended, decision] = SY_TRY(
            run(ctx, std::move(read), [&](const CatalogueState& s) { return decide(s, c, ctx); }));
        return outcome_of(appended, CatalogueDetail{decision.id, decision.summary});
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<EntityHistory, CatalogueEvent> entities;
    AggregateLoader<ClaimState, ClaimEvent> claims;
    AggregateLoader<LineRegistryState, LineRegistryEvent> usernames;
    AggregateLoader<LineState, LineEvent> lines;
    IdAllocator category_ids, stream_ids, bouquet_ids, line_ids;
    /// Stream changes hold it shared, category deletions exclusively (see the class comment).
    std::shared_mutex membership;
};

IptvService::IptvService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
IptvService::~IptvService() = default;

// ---- categories ----

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const CreateCategory& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_claim(r, ClaimKind::Category, category_claim_name(c.kind, c.name)));
        if (c.parent_id > 0) SY_TRY(impl_->load_entity(r, category_stream(c.parent_id)));
        return {};
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const RenameCategory& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_entity(r, category_stream(c.category_id)));
        if (const auto* cat = r.state.category(c.category_id))
            SY_TRY(
                impl_->load_claim(r, ClaimKind::Category, category_claim_name(cat->kind, c.name)));
        return {};
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(const DeleteCategory& c,
                                                                   const core::DecisionContext& ctx,
                                                                   const CategoryMembers& members) {
    std::unique_lock lock(impl_->membership);
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_entity(r, category_stream(c.category_id)));
        if (c.move_streams_to) SY_TRY(impl_->load_entity(r, category_stream(*c.move_streams_to)));
        auto it = r.state.categories.find(c.category_id);
        if (!members || it == r.state.categories.end() || it->second.deleted) return {};
        for (auto id : SY_TRY(members(c.category_id))) {
            SY_TRY(impl_->load_entity(r, live_stream_stream(id)));
            auto st = r.state.streams.find(id);
            if (st == r.state.streams.end() || st->second.removed ||
                st->second.fields.category_id == c.category_id)
                continue;
            // Moved here by an earlier deletion of its own category: it is in this one now.
            st->second.fields.category_id = c.category_id;
            ++it->second.stream_count;
        }
        return {};
    });
}

// ---- streams ----

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const AddStream& c, const core::DecisionContext& ctx) {
    std::shared_lock lock(impl_->membership);
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_claim(r, ClaimKind::SourceUrl, c.fields.source_url));
        if (c.fields.category_id)
            SY_TRY(impl_->load_entity(r, category_stream(*c.fields.category_id)));
        return {};
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const UpdateStream& c, const core::DecisionContext& ctx) {
    std::shared_lock lock(impl_->membership);
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_entity(r, live_stream_stream(c.stream_id)));
        const auto* st = r.state.stream(c.stream_id);
        if (!st) return {};
        SY_TRY(impl_->current_category(r, st->fields.category_id));
        if (st->fields.source_url != c.fields.source_url)
            SY_TRY(impl_->load_claim(r, ClaimKind::SourceUrl, c.fields.source_url));
        if (c.fields.category_id)
            SY_TRY(impl_->load_entity(r, category_stream(*c.fields.category_id)));
        return {};
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const RemoveStream& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(
        c, ctx, [&](Reads& r) { return impl_->load_entity(r, live_stream_stream(c.stream_id)); });
}

// ---- bouquets ----

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const CreateBouquet& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_claim(r, ClaimKind::Bouquet, c.name));
        return impl_->load_refs(r, c.category_ids, c.stream_ids);
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const UpdateBouquet& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        SY_TRY(impl_->load_entity(r, bouquet_stream(c.bouquet_id)));
        if (const auto* b = r.state.bouquet(c.bouquet_id)) {
            if (b->name != c.name) SY_TRY(impl_->load_claim(r, ClaimKind::Bouquet, c.name));
            // Its current references, so that deletions since are taken out of it.
            const Bouquet current = *b;
            SY_TRY(impl_->load_refs(r, current.category_ids, current.stream_ids));
        }
        return impl_->load_refs(r, c.category_ids, c.stream_ids);
    });
}

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const DeleteBouquet& c, const core::DecisionContext& ctx) {
    return impl_->run_catalogue(
        c, ctx, [&](Reads& r) { return impl_->load_entity(r, bouquet_stream(c.bouquet_id)); });
}

// ---- imports ----

core::Result<CommandOutcome<CatalogueDetail>> IptvService::execute(
    const ImportPlaylist& c, const core::DecisionContext& ctx) {
    std::shared_lock lock(impl_->membership);
    return impl_->run_catalogue(c, ctx, [&](Reads& r) -> core::Result<void> {
        for (const auto& entry : c.entries) {
            SY_TRY(impl_->load_claim(r, ClaimKind::SourceUrl, entry.fields.source_url));
            if (!entry.category_name.empty())
                SY_TRY(impl_->load_claim(
                    r, ClaimKind::Category,
                    category_claim_name(CategoryKind::Live, entry.category_name)));
        }
        return {};
    });
}

// ---- lines ----

namespace {

/// Holds on the bouquets a line refers to, so that a concurrent deletion is decided again.
core::Result<void> hold_bouquets(Reads& r, const std::vector<std::int64_t>& ids,
                                 std::vector<StreamWrite>& writes) {
    for (auto id : ids) {
        const auto stream = bouquet_stream(id);
        writes.push_back({stream, ExpectedRevision::at(r.revisions.at(stream)), {}});
    }
    return {};
}

}  // namespace

core::Result<CommandOutcome<LineDetail>> IptvService::execute(const CreateLine& c,
                                                              const core::DecisionContext& ctx) {
    const auto claim_stream = impl_->username_stream(c.username);
    LineDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            Reads r;
            auto [registry, registry_rev] = SY_TRY(impl_->usernames.load(claim_stream));
            SY_TRY(impl_->load_refs(r, {}, {}, c.settings.bouquets));
            registry.next_line_id = kPlanBase;
            decision = SY_TRY(decide(registry, r.state, c, ctx));
            if (decision.line_events.empty()) return std::vector<StreamWrite>{};
            registry.next_line_id = SY_TRY(impl_->line_ids.take(1, ctx));
            decision = SY_TRY(decide(registry, r.state, c, ctx));
            const auto& tenant = impl_->tenant;
            std::vector<StreamWrite> writes{
                {claim_stream, ExpectedRevision::at(registry_rev),
                 to_new_events(decision.registry_events, encode, ctx, tenant)},
                {line_stream(decision.line_id), ExpectedRevision::no_stream(),
                 to_new_events(decision.line_events, encode, ctx, tenant)}};
            SY_TRY(hold_bouquets(r, c.settings.bouquets, writes));
            return writes;
        }));
    return outcome_of(appended, LineDetail{decision.line_id, decision.password});
}

template <OneOf<UpdateLine, DeleteLine> Command>
core::Result<CommandOutcome<LineDetail>> IptvService::execute(const Command& c,
                                                              const core::DecisionContext& ctx) {
    const auto stream = line_stream(c.line_id);
    const auto& tenant = impl_->tenant;
    LineDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [line, revision] = SY_TRY(impl_->lines.load(stream));
            Reads r;
            std::vector<StreamWrite> writes{{stream, ExpectedRevision::at(revision), {}}};
            if constexpr (std::is_same_v<Command, UpdateLine>) {
                auto bouquets = c.bouquets.value_or(line.settings.bouquets);
                SY_TRY(impl_->load_refs(r, {}, {}, bouquets));
                decision = SY_TRY(decide(line, r.state, c, ctx));
                if (c.bouquets) SY_TRY(hold_bouquets(r, bouquets, writes));
            } else {
                decision = SY_TRY(decide(line, c, ctx));
            }
            if (decision.line_events.empty()) return std::vector<StreamWrite>{};
            writes.front().events = to_new_events(decision.line_events, encode, ctx, tenant);
            if (!decision.registry_events.empty()) {
                const auto claim_stream = impl_->username_stream(line.username);
                auto [registry, registry_rev] = SY_TRY(impl_->usernames.load(claim_stream));
                writes.push_back({claim_stream, ExpectedRevision::at(registry_rev),
                                  to_new_events(decision.registry_events, encode, ctx, tenant)});
            }
            return writes;
        }));
    return outcome_of(appended, LineDetail{c.line_id, decision.password});
}
template core::Result<CommandOutcome<LineDetail>> IptvService::execute(
    const UpdateLine&, const core::DecisionContext&);
template core::Result<CommandOutcome<LineDetail>> IptvService::execute(
    const DeleteLine&, const core::DecisionContext&);

// ---- reads ----

core::Result<Stream> IptvService::stream(std::int64_t stream_id) {
    Reads r;
    SY_TRY(impl_->load_entity(r, live_stream_stream(stream_id)));
    const auto* st = r.state.stream(stream_id);
    if (!st)
        return core::fail(core::Errc::NotFound, "stream_id",
                          fmt::format("stream {} does not exist", stream_id));
    Stream out = *st;
    out.fields.category_id = SY_TRY(impl_->current_category(r, st->fields.category_id));
    return out;
}

core::Result<Bouquet> IptvService::bouquet(std::int64_t bouquet_id) {
    Reads r;
    SY_TRY(impl_->load_entity(r, bouquet_stream(bouquet_id)));
    const auto* b = r.state.bouquet(bouquet_id);
    if (!b)
        return core::fail(core::Errc::NotFound, "bouquet_id",
                          fmt::format("bouquet {} does not exist", bouquet_id));
    const Bouquet loaded = *b;
    SY_TRY(impl_->load_refs(r, loaded.category_ids, loaded.stream_ids));
    Bouquet out = *r.state.bouquet(bouquet_id);
    // Never-created references (the bouquet was decided on them, so none should exist).
    std::erase_if(out.category_ids, [&](auto id) { return !r.state.category(id); });
    std::erase_if(out.stream_ids, [&](auto id) { return !r.state.stream(id); });
    return out;
}

core::Result<LineState> IptvService::line(std::int64_t line_id) {
    auto [state, rev] = SY_TRY(impl_->lines.load(line_stream(line_id)));
    if (!state.exists)
        return core::fail(core::Errc::NotFound, "line_id",
                          fmt::format("line {} does not exist", line_id));
    return std::move(state);
}

}  // namespace switchyard::events::iptv
