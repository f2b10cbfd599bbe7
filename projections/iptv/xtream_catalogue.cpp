#include "projections/iptv/xtream_catalogue.hpp"

#include <unordered_set>

#include <fmt/format.h>

#include "events/iptv/iptv_codec.hpp"
#include "events/json_text.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

namespace json = events::json;
using namespace core::iptv;
using events::append_json_string;

namespace {

constexpr std::string_view kVersionKey = "v";

std::string stream_key(std::int64_t id) { return "s/" + be64(static_cast<std::uint64_t>(id)); }
std::string category_key(std::int64_t id) { return "c/" + be64(static_cast<std::uint64_t>(id)); }
std::string bouquet_key(std::int64_t id) { return "b/" + be64(static_cast<std::uint64_t>(id)); }

std::string render_tail(const StreamRow& s) {
    std::string out;
    out.reserve(256 + s.name.size() + s.logo.size());
    out += "\"name\":";
    append_json_string(out, s.name);
    out += fmt::format(",\"stream_type\":\"live\",\"stream_id\":{},\"stream_icon\":", s.id);
    append_json_string(out, s.logo);
    out += ",\"epg_channel_id\":";
    if (s.epg_channel_id.empty())
        out += "null";
    else
        append_json_string(out, s.epg_channel_id);
    out += fmt::format(",\"added\":\"{}\",", s.added);
    if (s.category_id) {
        out += fmt::format("\"category_id\":\"{}\",\"category_ids\":[{}],", *s.category_id,
                           *s.category_id);
    } else {
        out += "\"category_id\":null,\"category_ids\":[],";
    }
    // As the captures in ../shared/data/iptv/xtream send them: `tv_archive` an integer 0 or 1,
    // `tv_archive_duration` (days) the integer 0 without an archive and a digit string with one.
    if (s.tv_archive)
        out += fmt::format(
            "\"custom_sid\":\"\",\"tv_archive\":1,\"direct_source\":\"\","
            "\"tv_archive_duration\":\"{}\",\"thumbnail\":\"\"}}",
            s.tv_archive_duration);
    else
        out +=
            "\"custom_sid\":\"\",\"tv_archive\":0,\"direct_source\":\"\",\"tv_archive_duration\":0,"
            "\"thumbnail\":\"\"}";
    return out;
}

/// What a stream row holds besides its Xtream JSON.
/// A stream's transcoding profile in its row, under `profile_*` keys (absent in rows written
/// before profiles existed: copy).
constexpr auto kRowProfile = fields(
    optional_field("profile_name", &core::iptv::StreamProfile::name),
    optional_field("profile_video_codec", &core::iptv::StreamProfile::video_codec),
    optional_field("profile_audio_codec", &core::iptv::StreamProfile::audio_codec),
    optional_field("profile_video_bitrate_kbps", &core::iptv::StreamProfile::video_bitrate_kbps),
    optional_field("profile_audio_bitrate_kbps", &core::iptv::StreamProfile::audio_bitrate_kbps),
    optional_field("profile_width", &core::iptv::StreamProfile::width),
    optional_field("profile_height", &core::iptv::StreamProfile::height),
    optional_field("profile_preset", &core::iptv::StreamProfile::preset));

constexpr auto kStreamMeta = fields(
    field("id", &StreamRow::id), field("category_id", &StreamRow::category_id),
    field("name", &StreamRow::name), field("source_url", &StreamRow::source_url),
    field("tvg_id", &StreamRow::tvg_id), field("logo", &StreamRow::logo),
    field("epg_channel_id", &StreamRow::epg_channel_id),
    field("http_referrer", &StreamRow::http_referrer), field("user_agent", &StreamRow::user_agent),
    field("source", &StreamRow::source), field("added", &StreamRow::added),
    optional_field("direct_source", &StreamRow::direct_source),
    flat(&StreamRow::profile, kRowProfile), optional_field("always_on", &StreamRow::always_on),
    optional_field("tv_archive", &StreamRow::tv_archive),
    optional_field("tv_archive_duration", &StreamRow::tv_archive_duration));
/// What a category row holds besides its Xtream JSON.
constexpr auto kCategoryMeta =
    fields(field("id", &CategoryRow::id), field("name", &CategoryRow::name),
           field("kind", &CategoryRow::kind), field("parent_id", &CategoryRow::parent_id));
constexpr auto kBouquets =
    json_rows<BouquetRow>(fields(field("id", &BouquetRow::id), field("name", &BouquetRow::name),
                                 field("category_ids", &BouquetRow::category_ids),
                                 field("stream_ids", &BouquetRow::stream_ids)));

/// A row of two lines, one JSON object each; `meta_first` says which holds the metadata.
template <class Row, class Table>
core::Result<Row> decode_two_lines(std::string_view value, const Table& meta, bool meta_first,
                                   std::string Row::*rendered) {
    auto nl = value.find('\n');
    if (nl == std::string_view::npos)
        return core::fail(core::Errc::Internal, "row", "row has no metadata");
    const auto first = value.substr(0, nl), second = value.substr(nl + 1);
    auto row = events::with_json_object(
        meta_first ? first : second,
        [&](const events::JsonObject& o) { return events::from_json<Row>(o, meta); });
    if (row) (*row).*rendered = std::string(meta_first ? second : first);
    return row;
}

std::string encode_stream(const StreamRow& s) {
    return render_tail(s) + '\n' + json::serialize(events::to_json(s, kStreamMeta));
}
core::Result<StreamRow> decode_stream(std::string_view value) {
    return decode_two_lines<StreamRow>(value, kStreamMeta, false, &StreamRow::xtream_tail);
}

std::string encode_category(const CategoryRow& c) {
    std::string x = fmt::format("{{\"category_id\":\"{}\",\"category_name\":", c.id);
    append_json_string(x, c.name);
    x += fmt::format(",\"parent_id\":{}}}", c.parent_id);
    return json::serialize(events::to_json(c, kCategoryMeta)) + '\n' + x;
}
core::Result<CategoryRow> decode_category(std::string_view value) {
    return decode_two_lines<CategoryRow>(value, kCategoryMeta, true, &CategoryRow::xtream_json);
}

StreamRow to_row(std::int64_t id, const StreamFields& f, std::int64_t added,
                 const std::string& source) {
    return {id,
            f.category_id,
            f.name,
            f.source_url,
            f.tvg_id,
            f.logo,
            f.epg_channel_id,
            f.http_referrer,
            f.user_agent,
            source,
            added,
            {},
            f.direct_source,
            f.profile,
            f.always_on,
            f.tv_archive,
            f.tv_archive_duration};
}

/// Applies the catalogue events to the rows.
struct CatalogueRows {
    static core::Result<void> apply(const CategoryCreated& e, ProjectionWrites& w) {
        w.put(category_key(e.category_id),
              encode_category({e.category_id, e.name, to_string(e.kind), e.parent_id, {}}));
        return {};
    }
    static core::Result<void> apply(const CategoryRenamed& e, ProjectionWrites& w) {
        auto old = w.get(category_key(e.category_id));
        if (!old) return {};
        auto c = SY_TRY(decode_category(*old));
        c.name = e.name;
        w.put(category_key(e.category_id), encode_category(c));
        return {};
    }
    static core::Result<void> apply(const CategoryDeleted& e, ProjectionWrites& w) {
        for (auto id : e.moved_stream_ids) {
            auto old = w.get(stream_key(id));
            if (!old) continue;
            auto s = SY_TRY(decode_stream(*old));
            s.category_id = e.streams_moved_to;
            w.put(stream_key(id), encode_stream(s));
        }
        w.erase(category_key(e.category_id));
        return {};
    }
    static core::Result<void> apply(const StreamAdded& e, ProjectionWrites& w) {
        w.put(stream_key(e.stream_id),
              encode_stream(to_row(e.stream_id, e.fields, core::unix_seconds(e.added), e.source)));
        return {};
    }
    static core::Result<void> apply(const StreamUpdated& e, ProjectionWrites& w) {
        auto old = w.get(stream_key(e.stream_id));
        if (!old) return {};
        auto prev = SY_TRY(decode_stream(*old));
        w.put(stream_key(e.stream_id),
              encode_stream(to_row(e.stream_id, e.fields, prev.added, prev.source)));
        return {};
    }
    static core::Result<void> apply(const StreamRemoved& e, ProjectionWrites& w) {
        w.erase(stream_key(e.stream_id));
        return {};
    }
    /// A bouquet's events carry all its fields.
    template <events::OneOf<BouquetCreated, BouquetUpdated> E>
    static core::Result<void> apply(const E& e, ProjectionWrites& w) {
        w.put(bouquet_key(e.bouquet_id),
              kBouquets.encode({e.bouquet_id, e.name, e.category_ids, e.stream_ids}));
        return {};
    }
    static core::Result<void> apply(const BouquetDeleted& e, ProjectionWrites& w) {
        w.erase(bouquet_key(e.bouquet_id));
        return {};
    }
    static core::Result<void> apply(const PlaylistImported&, ProjectionWrites&) { return {}; }
};

void append_stream(std::string& out, std::size_t num, const StreamRow& s) {
    out += fmt::format("{{\"num\":{},", num);
    out += s.xtream_tail;
}

}  // namespace

std::unique_ptr<Projector> make_xtream_catalogue_projector() {
    return make_projector<CatalogueEvent>(
        kXtreamCatalogue, events::iptv::decode_catalogue_event,
        [](const CatalogueEvent& event, const events::RecordedEvent& e,
           ProjectionWrites& w) -> core::Result<void> {
            SY_TRY(std::visit([&](const auto& ev) { return CatalogueRows::apply(ev, w); }, event));
            // The version row changes with every catalogue event, so caches know when to reload.
            w.put(kVersionKey, fmt::format("{}:{}", e.position.partition, e.position.offset));
            return {};
        },
        events::is_one_of<CategoryCreated, CategoryRenamed, CategoryDeleted, StreamAdded,
                          StreamUpdated, StreamRemoved, BouquetCreated, BouquetUpdated,
                          BouquetDeleted>);
}

std::shared_ptr<const CatalogueSnapshot> CatalogueSnapshot::load(const ReadModelView& view) {
    auto snap = std::make_shared<CatalogueSnapshot>();
    view.scan("c/", "", [&](std::string_view, std::string_view v) {
        if (auto c = decode_category(v)) {
            snap->category_index_[c->id] = snap->categories_.size();
            snap->categories_.push_back(std::move(*c));
        }
        return true;
    });
    view.scan("s/", "", [&](std::string_view, std::string_view v) {
        if (auto s = decode_stream(v)) {
            snap->stream_index_[s->id] = snap->streams_.size();
            snap->streams_.push_back(std::move(*s));
        }
        return true;
    });
    view.scan("b/", "", [&](std::string_view, std::string_view v) {
        if (auto b = kBouquets.decode(v)) {
            snap->bouquet_index_[b->id] = snap->bouquets_.size();
            snap->bouquets_.push_back(std::move(*b));
        }
        return true;
    });
    snap->all_streams_json_ = snap->live_streams_json({}, std::nullopt);
    snap->all_categories_json_ = snap->live_categories_json({});
    return snap;
}

const StreamRow* CatalogueSnapshot::stream(std::int64_t id) const {
    auto it = stream_index_.find(id);
    return it == stream_index_.end() ? nullptr : &streams_[it->second];
}
const CategoryRow* CatalogueSnapshot::category(std::int64_t id) const {
    auto it = category_index_.find(id);
    return it == category_index_.end() ? nullptr : &categories_[it->second];
}
const BouquetRow* CatalogueSnapshot::bouquet(std::int64_t id) const {
    auto it = bouquet_index_.find(id);
    return it == bouquet_index_.end() ? nullptr : &bouquets_[it->second];
}

std::vector<const StreamRow*> CatalogueSnapshot::visible_streams(
    const std::vector<std::int64_t>& bouquets) const {
    std::vector<const StreamRow*> out;
    if (bouquets.empty()) {
        out.reserve(streams_.size());
        for (const auto& s : streams_) out.push_back(&s);
        return out;
    }
    std::unordered_set<std::int64_t> seen;
    for (auto bid : bouquets) {
        const auto* b = bouquet(bid);
        if (!b) continue;
        for (auto sid : b->stream_ids) {
            if (const auto* s = stream(sid); s && seen.insert(sid).second) out.push_back(s);
        }
        for (auto cid : b->category_ids) {
            for (const auto& s : streams_) {
                if (s.category_id == cid && seen.insert(s.id).second) out.push_back(&s);
            }
        }
    }
    return out;
}

std::string CatalogueSnapshot::live_streams_json(const std::vector<std::int64_t>& bouquets,
                                                 std::optional<std::int64_t> category_id) const {
    if (bouquets.empty() && !category_id && !all_streams_json_.empty()) return all_streams_json_;
    std::string out = "[";
    std::size_t num = 0;
    for (const auto* s : visible_streams(bouquets)) {
        if (category_id && s->category_id != category_id) continue;
        if (num > 0) out += ',';
        append_stream(out, ++num, *s);
    }
    out += ']';
    return out;
}

std::string CatalogueSnapshot::live_categories_json(
    const std::vector<std::int64_t>& bouquets) const {
    if (bouquets.empty() && !all_categories_json_.empty()) return all_categories_json_;
    std::unordered_set<std::int64_t> used;
    for (const auto* s : visible_streams(bouquets)) {
        if (s->category_id) used.insert(*s->category_id);
    }
    std::string out = "[";
    bool first = true;
    for (const auto& c : categories_) {
        if (c.kind != "live" || !used.count(c.id)) continue;
        if (!first) out += ',';
        first = false;
        out += c.xtream_json;
    }
    out += ']';
    return out;
}

std::shared_ptr<const CatalogueSnapshot> CatalogueCache::get() {
    const auto* view = runner_.view(kXtreamCatalogue);
    if (!view) return std::make_shared<CatalogueSnapshot>();
    auto version = view->get(kVersionKey).value_or("");
    std::lock_guard lock(mu_);
    if (!snapshot_ || version != version_) {
        snapshot_ = CatalogueSnapshot::load(*view);
        version_ = version;
    }
    return snapshot_;
}

}  // namespace switchyard::projections::iptv
