#include "core/iptv/catalogue_decider.hpp"

#include <algorithm>
#include <set>
#include <type_traits>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::iptv {

const char* to_string(CategoryKind kind) noexcept {
    switch (kind) {
        case CategoryKind::Live:
            return "live";
        case CategoryKind::Movie:
            return "movie";
        case CategoryKind::Series:
            return "series";
    }
    return "live";
}

bool parse_category_kind(std::string_view text, CategoryKind& out) noexcept {
    for (auto k : {CategoryKind::Live, CategoryKind::Movie, CategoryKind::Series}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

const char* to_string(ClaimKind kind) noexcept {
    switch (kind) {
        case ClaimKind::SourceUrl:
            return "source_url";
        case ClaimKind::Category:
            return "category";
        case ClaimKind::Bouquet:
            return "bouquet";
    }
    return "source_url";
}

bool parse_claim_kind(std::string_view text, ClaimKind& out) noexcept {
    for (auto k : {ClaimKind::SourceUrl, ClaimKind::Category, ClaimKind::Bouquet}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

void evolve(ClaimState& state, const ClaimEvent& event) {
    std::visit(Overloaded{[&](const NameClaimed& e) { state.id = e.id; },
                          [&](const NameReleased& e) {
                              if (state.id == e.id) state.id.reset();
                          }},
               event);
}

std::string epg_channel_of(std::string_view tvg_id) {
    return std::string(tvg_id.substr(0, tvg_id.find('@')));
}

std::string category_claim_name(CategoryKind kind, std::string_view name) {
    return fmt::format("{}/{}", to_string(kind), name);
}

std::string entity_stream(const CatalogueEvent& event) {
    return std::visit(Overloaded{
                          [](const CategoryCreated& e) { return category_stream(e.category_id); },
                          [](const CategoryRenamed& e) { return category_stream(e.category_id); },
                          [](const CategoryDeleted& e) { return category_stream(e.category_id); },
                          [](const StreamAdded& e) { return live_stream_stream(e.stream_id); },
                          [](const StreamUpdated& e) { return live_stream_stream(e.stream_id); },
                          [](const StreamRemoved& e) { return live_stream_stream(e.stream_id); },
                          [](const BouquetCreated& e) { return bouquet_stream(e.bouquet_id); },
                          [](const BouquetUpdated& e) { return bouquet_stream(e.bouquet_id); },
                          [](const BouquetDeleted& e) { return bouquet_stream(e.bouquet_id); },
                          [](const PlaylistImported&) { return std::string(); },
                      },
                      event);
}

std::vector<ClaimChange> claim_changes(const CatalogueState& before,
                                       const std::vector<CatalogueEvent>& events) {
    std::vector<ClaimChange> out;
    CatalogueState s = before;
    auto change = [&](ClaimKind kind, std::string name, std::int64_t id, bool claimed) {
        out.push_back({kind, std::move(name), id, claimed});
    };
    for (const auto& event : events) {
        std::visit(
            Overloaded{
                [&](const CategoryCreated& e) {
                    change(ClaimKind::Category, category_claim_name(e.kind, e.name), e.category_id,
                           true);
                },
                [&](const CategoryRenamed& e) {
                    if (const auto* c = s.category(e.category_id)) {
                        change(ClaimKind::Category, category_claim_name(c->kind, c->name),
                               e.category_id, false);
                        change(ClaimKind::Category, category_claim_name(c->kind, e.name),
                               e.category_id, true);
                    }
                },
                [&](const CategoryDeleted& e) {
                    if (const auto* c = s.category(e.category_id))
                        change(ClaimKind::Category, category_claim_name(c->kind, c->name),
                               e.category_id, false);
                },
                [&](const StreamAdded& e) {
                    change(ClaimKind::SourceUrl, e.fields.source_url, e.stream_id, true);
                },
                [&](const StreamUpdated& e) {
                    const auto* st = s.stream(e.stream_id);
                    if (st && st->fields.source_url != e.fields.source_url) {
                        change(ClaimKind::SourceUrl, st->fields.source_url, e.stream_id, false);
                        change(ClaimKind::SourceUrl, e.fields.source_url, e.stream_id, true);
                    }
                },
                [&](const StreamRemoved& e) {
                    if (const auto* st = s.stream(e.stream_id))
                        change(ClaimKind::SourceUrl, st->fields.source_url, e.stream_id, false);
                },
                [&](const BouquetCreated& e) {
                    change(ClaimKind::Bouquet, e.name, e.bouquet_id, true);
                },
                [&](const BouquetUpdated& e) {
                    const auto* b = s.bouquet(e.bouquet_id);
                    if (b && b->name != e.name) {
                        change(ClaimKind::Bouquet, b->name, e.bouquet_id, false);
                        change(ClaimKind::Bouquet, e.name, e.bouquet_id, true);
                    }
                },
                [&](const BouquetDeleted& e) {
                    if (const auto* b = s.bouquet(e.bouquet_id))
                        change(ClaimKind::Bouquet, b->name, e.bouquet_id, false);
                },
                [](const PlaylistImported&) {},
            },
            event);
        evolve(s, event);
    }
    return out;
}

const Category* CatalogueState::category(std::int64_t id) const {
    auto it = categories.find(id);
    return it == categories.end() || it->second.deleted ? nullptr : &it->second;
}
const Stream* CatalogueState::stream(std::int64_t id) const {
    auto it = streams.find(id);
    return it == streams.end() || it->second.removed ? nullptr : &it->second;
}
const Bouquet* CatalogueState::bouquet(std::int64_t id) const {
    auto it = bouquets.find(id);
    return it == bouquets.end() || it->second.deleted ? nullptr : &it->second;
}

namespace {

std::string category_key(CategoryKind kind, std::string_view name) {
    return category_claim_name(kind, name);
}

void set_stream_category(CatalogueState& s, Stream& stream, std::optional<std::int64_t> to) {
    if (stream.fields.category_id) {
        if (auto it = s.categories.find(*stream.fields.category_id); it != s.categories.end()) {
            --it->second.stream_count;
        }
    }
    stream.fields.category_id = to;
    if (to) {
        if (auto it = s.categories.find(*to); it != s.categories.end()) ++it->second.stream_count;
    }
}

struct Evolver {
    CatalogueState& s;
    void operator()(const CategoryCreated& e) {
        Category c{e.category_id, e.name, e.kind, e.parent_id, 0, false};
        s.categories[e.category_id] = c;
        s.category_by_name[category_key(e.kind, e.name)] = e.category_id;
        s.next_category_id = std::max(s.next_category_id, e.category_id + 1);
    }
    void operator()(const CategoryRenamed& e) {
        auto it = s.categories.find(e.category_id);
        if (it == s.categories.end()) return;
        s.category_by_name.erase(category_key(it->second.kind, it->second.name));
        it->second.name = e.name;
        s.category_by_name[category_key(it->second.kind, e.name)] = e.category_id;
    }
    void operator()(const CategoryDeleted& e) {
        auto it = s.categories.find(e.category_id);
        if (it == s.categories.end()) return;
        for (auto id : e.moved_stream_ids) {
            if (auto st = s.streams.find(id); st != s.streams.end()) {
                set_stream_category(s, st->second, e.streams_moved_to);
            }
        }
        s.category_by_name.erase(category_key(it->second.kind, it->second.name));
        it->second.deleted = true;
        it->second.moved_to = e.streams_moved_to;
        for (auto& [id, b] : s.bouquets) std::erase(b.category_ids, e.category_id);
    }
    void operator()(const StreamAdded& e) {
        Stream st{e.stream_id, {}, e.added, e.source, false};
        st.fields = e.fields;
        st.fields.category_id.reset();
        auto& slot = s.streams[e.stream_id] = st;
        set_stream_category(s, slot, e.fields.category_id);
        s.stream_by_url[e.fields.source_url] = e.stream_id;
        s.next_stream_id = std::max(s.next_stream_id, e.stream_id + 1);
    }
    void operator()(const StreamUpdated& e) {
        auto it = s.streams.find(e.stream_id);
        if (it == s.streams.end()) return;
        s.stream_by_url.erase(it->second.fields.source_url);
        auto category = e.fields.category_id;
        auto fields = e.fields;
        fields.category_id = it->second.fields.category_id;
        it->second.fields = fields;
        set_stream_category(s, it->second, category);
        s.stream_by_url[e.fields.source_url] = e.stream_id;
    }
    void operator()(const StreamRemoved& e) {
        auto it = s.streams.find(e.stream_id);
        if (it == s.streams.end()) return;
        set_stream_category(s, it->second, std::nullopt);
        s.stream_by_url.erase(it->second.fields.source_url);
        it->second.removed = true;
        for (auto& [id, b] : s.bouquets) std::erase(b.stream_ids, e.stream_id);
    }
    void operator()(const BouquetCreated& e) {
        s.bouquets[e.bouquet_id] =
            Bouquet{e.bouquet_id, e.name, e.category_ids, e.stream_ids, false};
        s.bouquet_by_name[e.name] = e.bouquet_id;
        s.next_bouquet_id = std::max(s.next_bouquet_id, e.bouquet_id + 1);
    }
    void operator()(const BouquetUpdated& e) {
        auto it = s.bouquets.find(e.bouquet_id);
        if (it == s.bouquets.end()) return;
        s.bouquet_by_name.erase(it->second.name);
        it->second.name = e.name;
        it->second.category_ids = e.category_ids;
        it->second.stream_ids = e.stream_ids;
        s.bouquet_by_name[e.name] = e.bouquet_id;
    }
    void operator()(const BouquetDeleted& e) {
        auto it = s.bouquets.find(e.bouquet_id);
        if (it == s.bouquets.end()) return;
        s.bouquet_by_name.erase(it->second.name);
        it->second.deleted = true;
    }
    void operator()(const PlaylistImported&) {}
};

Result<void> validate_name(std::string_view name, const char* field) {
    if (name.empty() || name.size() > 200) {
        return fail(Errc::Invalid, field, "must have 1 to 200 bytes");
    }
    if (!is_valid_utf8(name) || has_control_chars(name)) {
        return fail(Errc::Invalid, field, "must be UTF-8 text without control characters");
    }
    return {};
}

Result<void> validate_category_ref(const CatalogueState& s, std::int64_t id, const char* field) {
    const auto* c = s.category(id);
    if (!c) return fail(Errc::NotFound, field, fmt::format("category {} does not exist", id));
    if (c->kind != CategoryKind::Live) {
        return fail(Errc::Rejected, field, fmt::format("category {} is not a live category", id));
    }
    return {};
}

Result<void> validate_bouquet(const CatalogueState& s, std::string_view name,
                              const std::vector<std::int64_t>& categories,
                              const std::vector<std::int64_t>& streams) {
    SY_TRY(validate_name(name, "name"));
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const auto field = fmt::format("category_ids[{}]", i);
        if (!s.category(categories[i])) {
            return fail(Errc::NotFound, field,
                        fmt::format("category {} does not exist", categories[i]));
        }
        if (!seen.insert(categories[i]).second)
            return fail(Errc::Invalid, field, "is listed twice");
    }
    seen.clear();
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const auto field = fmt::format("stream_ids[{}]", i);
        if (!s.stream(streams[i])) {
            return fail(Errc::NotFound, field, fmt::format("stream {} does not exist", streams[i]));
        }
        if (!seen.insert(streams[i]).second) return fail(Errc::Invalid, field, "is listed twice");
    }
    return {};
}

}  // namespace

void evolve(CatalogueState& state, const CatalogueEvent& event) {
    std::visit(Evolver{state}, event);
}

Result<void> validate_stream_fields(const StreamFields& f) {
    SY_TRY(validate_name(f.name, "name"));
    if (f.source_url.empty() || f.source_url.size() > 2048) {
        return fail(Errc::Invalid, "source_url", "must have 1 to 2048 bytes");
    }
    static constexpr std::string_view kSchemes[] = {"http://", "https://", "rtmp://", "rtmps://",
                                                    "rtsp://", "udp://",   "rtp://",  "srt://"};
    if (std::none_of(std::begin(kSchemes), std::end(kSchemes),
                     [&](std::string_view p) { return starts_with_ci(f.source_url, p); })) {
        return fail(Errc::Invalid, "source_url",
                    "must be an http, https, rtmp, rtmps, rtsp, udp, rtp or srt URL");
    }
    if (f.source_url.find_first_of(" \t\r\n") != std::string::npos ||
        !is_valid_utf8(f.source_url)) {
        return fail(Errc::Invalid, "source_url", "must not contain white space");
    }
    struct Text {
        const std::string& value;
        const char* field;
        std::size_t max;
    };
    for (const Text& t :
         {Text{f.tvg_id, "tvg_id", 200}, Text{f.logo, "logo", 2048},
          Text{f.epg_channel_id, "epg_channel_id", 200},
          Text{f.http_referrer, "http_referrer", 2048}, Text{f.user_agent, "user_agent", 1024}}) {
        if (t.value.size() > t.max) {
            return fail(Errc::Invalid, t.field, fmt::format("must have at most {} bytes", t.max));
        }
        if (!is_valid_utf8(t.value) || has_control_chars(t.value)) {
            return fail(Errc::Invalid, t.field, "must be UTF-8 text without control characters");
        }
    }
    if (f.tv_archive_duration < 0 || f.tv_archive_duration > kMaxArchiveDays) {
        return fail(Errc::Invalid, "tv_archive_duration",
                    fmt::format("must be 0 to {} days", kMaxArchiveDays));
    }
    if (f.tv_archive && f.tv_archive_duration == 0) {
        return fail(Errc::Invalid, "tv_archive_duration",
                    "must be 1 or more days when tv_archive is on");
    }
    return {};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const CreateCategory& c,
                                 const DecisionContext&) {
    SY_TRY(validate_name(c.name, "name"));
    if (c.parent_id != 0 && !s.category(c.parent_id)) {
        return fail(Errc::NotFound, "parent_id",
                    fmt::format("category {} does not exist", c.parent_id));
    }
    if (auto it = s.category_by_name.find(category_key(c.kind, c.name));
        it != s.category_by_name.end()) {
        return CatalogueDecision{{}, it->second};
    }
    const auto id = s.next_category_id;
    return CatalogueDecision{{CategoryCreated{id, c.name, c.kind, c.parent_id}}, id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const RenameCategory& c,
                                 const DecisionContext&) {
    const auto* cat = s.category(c.category_id);
    if (!cat)
        return fail(Errc::NotFound, "category_id",
                    fmt::format("category {} does not exist", c.category_id));
    SY_TRY(validate_name(c.name, "name"));
    if (cat->name == c.name) return CatalogueDecision{{}, c.category_id};
    if (s.category_by_name.count(category_key(cat->kind, c.name))) {
        return fail(Errc::Conflict, "name",
                    fmt::format("a {} category named '{}' exists", to_string(cat->kind), c.name));
    }
    return CatalogueDecision{{CategoryRenamed{c.category_id, c.name}}, c.category_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const DeleteCategory& c,
                                 const DecisionContext&) {
    auto it = s.categories.find(c.category_id);
    if (it == s.categories.end()) {
        return fail(Errc::NotFound, "category_id",
                    fmt::format("category {} does not exist", c.category_id));
    }
    if (it->second.deleted) return CatalogueDecision{{}, c.category_id};
    CategoryDeleted e{c.category_id, std::nullopt, {}};
    if (it->second.stream_count > 0) {
        if (!c.move_streams_to) {
            return fail(Errc::Rejected, "move_streams_to",
                        fmt::format("category {} holds {} streams; name a category to move them to",
                                    c.category_id, it->second.stream_count));
        }
        if (*c.move_streams_to == c.category_id) {
            return fail(Errc::Invalid, "move_streams_to", "must differ from the deleted category");
        }
        SY_TRY(validate_category_ref(s, *c.move_streams_to, "move_streams_to"));
        e.streams_moved_to = c.move_streams_to;
        for (const auto& [id, st] : s.streams) {
            if (!st.removed && st.fields.category_id == c.category_id)
                e.moved_stream_ids.push_back(id);
        }
    }
    return CatalogueDecision{{std::move(e)}, c.category_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const AddStream& c,
                                 const DecisionContext& ctx) {
    SY_TRY(validate_stream_fields(c.fields));
    if (c.fields.category_id)
        SY_TRY(validate_category_ref(s, *c.fields.category_id, "category_id"));
    if (auto it = s.stream_by_url.find(c.fields.source_url); it != s.stream_by_url.end()) {
        if (s.streams.at(it->second).fields == c.fields) return CatalogueDecision{{}, it->second};
        return fail(Errc::Conflict, "source_url",
                    fmt::format("stream {} already has this source_url", it->second));
    }
    const auto id = s.next_stream_id;
    return CatalogueDecision{{StreamAdded{id, c.fields, ctx.now, c.source}}, id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const UpdateStream& c,
                                 const DecisionContext&) {
    const auto* st = s.stream(c.stream_id);
    if (!st)
        return fail(Errc::NotFound, "stream_id",
                    fmt::format("stream {} does not exist", c.stream_id));
    SY_TRY(validate_stream_fields(c.fields));
    if (c.fields.category_id)
        SY_TRY(validate_category_ref(s, *c.fields.category_id, "category_id"));
    if (auto it = s.stream_by_url.find(c.fields.source_url);
        it != s.stream_by_url.end() && it->second != c.stream_id) {
        return fail(Errc::Conflict, "source_url",
                    fmt::format("stream {} already has this source_url", it->second));
    }
    if (st->fields == c.fields) return CatalogueDecision{{}, c.stream_id};
    return CatalogueDecision{{StreamUpdated{c.stream_id, c.fields}}, c.stream_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const RemoveStream& c,
                                 const DecisionContext&) {
    auto it = s.streams.find(c.stream_id);
    if (it == s.streams.end()) {
        return fail(Errc::NotFound, "stream_id",
                    fmt::format("stream {} does not exist", c.stream_id));
    }
    if (it->second.removed) return CatalogueDecision{{}, c.stream_id};
    return CatalogueDecision{{StreamRemoved{c.stream_id}}, c.stream_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const CreateBouquet& c,
                                 const DecisionContext&) {
    SY_TRY(validate_bouquet(s, c.name, c.category_ids, c.stream_ids));
    if (auto it = s.bouquet_by_name.find(c.name); it != s.bouquet_by_name.end()) {
        const auto& b = s.bouquets.at(it->second);
        if (b.category_ids == c.category_ids && b.stream_ids == c.stream_ids) {
            return CatalogueDecision{{}, b.id};
        }
        return fail(Errc::Conflict, "name", fmt::format("bouquet {} is named '{}'", b.id, c.name));
    }
    const auto id = s.next_bouquet_id;
    return CatalogueDecision{{BouquetCreated{id, c.name, c.category_ids, c.stream_ids}}, id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const UpdateBouquet& c,
                                 const DecisionContext&) {
    const auto* b = s.bouquet(c.bouquet_id);
    if (!b)
        return fail(Errc::NotFound, "bouquet_id",
                    fmt::format("bouquet {} does not exist", c.bouquet_id));
    SY_TRY(validate_bouquet(s, c.name, c.category_ids, c.stream_ids));
    if (auto it = s.bouquet_by_name.find(c.name);
        it != s.bouquet_by_name.end() && it->second != c.bouquet_id) {
        return fail(Errc::Conflict, "name",
                    fmt::format("bouquet {} is named '{}'", it->second, c.name));
    }
    if (b->name == c.name && b->category_ids == c.category_ids && b->stream_ids == c.stream_ids) {
        return CatalogueDecision{{}, c.bouquet_id};
    }
    return CatalogueDecision{{BouquetUpdated{c.bouquet_id, c.name, c.category_ids, c.stream_ids}},
                             c.bouquet_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const DeleteBouquet& c,
                                 const DecisionContext&) {
    auto it = s.bouquets.find(c.bouquet_id);
    if (it == s.bouquets.end()) {
        return fail(Errc::NotFound, "bouquet_id",
                    fmt::format("bouquet {} does not exist", c.bouquet_id));
    }
    if (it->second.deleted) return CatalogueDecision{{}, c.bouquet_id};
    return CatalogueDecision{{BouquetDeleted{c.bouquet_id}}, c.bouquet_id};
}

Result<CatalogueDecision> decide(const CatalogueState& s, const ImportPlaylist& c,
                                 const DecisionContext& ctx) {
    SY_TRY(validate_name(c.source, "source"));
    CatalogueDecision d;
    CatalogueState next = s;  // evolve a copy so that names and URLs repeated in the file dedupe
    PlaylistImported summary{c.source, static_cast<std::int64_t>(c.entries.size()) + c.invalid, 0,
                             0, c.invalid};
    auto emit = [&](CatalogueEvent e) {
        evolve(next, e);
        d.events.push_back(std::move(e));
    };
    for (const auto& entry : c.entries) {
        SY_TRY(validate_stream_fields(entry.fields));
        if (next.stream_by_url.count(entry.fields.source_url)) {
            ++summary.unchanged;
            continue;
        }
        StreamFields fields = entry.fields;
        fields.category_id.reset();
        if (!entry.category_name.empty()) {
            SY_TRY(validate_name(entry.category_name, "category"));
            auto key = category_key(CategoryKind::Live, entry.category_name);
            auto it = next.category_by_name.find(key);
            if (it == next.category_by_name.end()) {
                emit(CategoryCreated{next.next_category_id, entry.category_name, CategoryKind::Live,
                                     0});
                it = next.category_by_name.find(key);
            }
            fields.category_id = it->second;
        }
        emit(StreamAdded{next.next_stream_id, fields, ctx.now, c.source});
        ++summary.created;
    }
    d.summary = summary;
    if (summary.created > 0) emit(summary);
    return d;
}

}  // namespace switchyard::core::iptv
