#include "projections/iptv/xtream_vod.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "events/iptv/vod_codec.hpp"
#include "events/json_text.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

namespace json = events::json;
using namespace core::iptv;
using events::append_json_string;

namespace {

constexpr std::string_view kVersionKey = "v";

std::string id_key(char prefix, std::int64_t id) {
    return std::string(1, prefix) + "/" + be64(static_cast<std::uint64_t>(id));
}
std::string episode_key(std::int64_t series_id, std::int64_t episode_id) {
    return id_key('e', series_id) + be64(static_cast<std::uint64_t>(episode_id));
}

std::string subtitle_key(char kind, std::int64_t id, std::string_view language) {
    return fmt::format("t/{}{}/{}", kind, be64(static_cast<std::uint64_t>(id)), language);
}

/// A JSON object written member by member, in order.
class ObjectWriter {
  public:
    explicit ObjectWriter(std::string& out) : out_(out) {}
    ObjectWriter& str(std::string_view key, std::string_view value) {
        next(key);
        append_json_string(out_, value);
        return *this;
    }
    ObjectWriter& raw(std::string_view key, std::string_view json_value) {
        next(key);
        out_ += json_value;
        return *this;
    }
    ObjectWriter& num(std::string_view key, std::int64_t value) {
        return raw(key, std::to_string(value));
    }
    ObjectWriter& strings(std::string_view key, const std::vector<std::string>& values) {
        next(key);
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out_ += ',';
            append_json_string(out_, values[i]);
        }
        out_ += ']';
        return *this;
    }
    /// Members after the first are written with a leading comma; `first` false continues an
    /// object already holding members.
    ObjectWriter& continuing() {
        first_ = false;
        return *this;
    }

  private:
    void next(std::string_view key) {
        if (!first_) out_ += ',';
        first_ = false;
        append_json_string(out_, key);
        out_ += ':';
    }
    std::string& out_;
    bool first_ = true;
};

/// `"<id>"` or `null`: the Xtream `category_id`.
std::string category_json(std::optional<std::int64_t> id) {
    return id ? fmt::format("\"{}\"", *id) : std::string("null");
}

/// `rating_5based` from a 0-10 rating as panels write it (`"6.3"` -> 3.2, `"7"` -> 3.5,
/// `""` -> 0): half the rating, rounded half up to one decimal; an integer when whole.
std::string rating_5based(std::string_view rating) {
    std::int64_t hundredths = 0;
    int decimals = -1;
    for (char c : rating) {
        if (c == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (c < '0' || c > '9') return "0";
        if (decimals >= 2) continue;
        hundredths = hundredths * 10 + (c - '0');
        if (decimals >= 0) ++decimals;
        if (hundredths > 100'000) return "0";
    }
    for (int d = std::max(decimals, 0); d < 2; ++d) hundredths *= 10;
    const auto tenths = (hundredths / 2 + 5) / 10;
    if (tenths % 10 == 0) return std::to_string(tenths / 10);
    return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

/// `HH:MM:SS` of a duration in seconds.
std::string hh_mm_ss(std::int64_t secs) {
    return fmt::format("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
}

std::string render_movie_tail(const MovieAdded& e) {
    std::string out;
    ObjectWriter w(out);
    w.str("name", e.fields.name)
        .raw("stream_type", "\"movie\"")
        .num("stream_id", e.movie_id)
        .str("stream_icon", e.fields.cover)
        .str("rating", e.fields.rating)
        .raw("rating_5based", rating_5based(e.fields.rating))
        .str("added", std::to_string(core::unix_seconds(e.added)))
        .raw("category_id", category_json(e.fields.category_id))
        .str("container_extension", e.fields.container_extension)
        .str("custom_sid", "")
        .str("direct_source", "");
    out += '}';
    return out;
}

std::string render_movie_info(const MovieAdded& e) {
    const auto& f = e.fields;
    std::string out = "{\"info\":{";
    ObjectWriter(out)
        .str("tmdb_id", f.tmdb_id)
        .str("name", f.name)
        .str("o_name", f.name)
        .str("cover_big", f.cover)
        .str("movie_image", f.cover)
        .str("releasedate", f.release_date)
        .str("youtube_trailer", f.youtube_trailer)
        .str("director", f.director)
        .str("actors", f.cast)
        .str("cast", f.cast)
        .str("description", f.plot)
        .str("plot", f.plot)
        .str("genre", f.genre)
        .strings("backdrop_path", f.backdrop_path)
        .num("duration_secs", f.duration_secs)
        .str("duration", hh_mm_ss(f.duration_secs))
        .num("bitrate", 0)
        .str("rating", f.rating);
    out += "},\"movie_data\":{";
    ObjectWriter(out)
        .num("stream_id", e.movie_id)
        .str("name", f.name)
        .str("added", std::to_string(core::unix_seconds(e.added)))
        .raw("category_id", category_json(f.category_id))
        .str("container_extension", f.container_extension)
        .str("custom_sid", "")
        .str("direct_source", "");
    out += "}}";
    return out;
}

/// The members `get_series` entries and the `info` of `get_series_info` share, from `cover`
/// on (after `name`, `stream_type`, `series_id` of a list entry).
void render_series_common(ObjectWriter& w, const SeriesAdded& e) {
    const auto& f = e.fields;
    w.str("cover", f.cover)
        .str("plot", f.plot)
        .str("cast", f.cast)
        .str("director", f.director)
        .str("genre", f.genre)
        .str("releaseDate", f.release_date)
        .str("last_modified", std::to_string(core::unix_seconds(e.added)))
        .str("rating", f.rating)
        .raw("rating_5based", rating_5based(f.rating))
        .strings("backdrop_path", f.backdrop_path)
        .str("youtube_trailer", f.youtube_trailer)
        .str("episode_run_time", std::to_string(f.episode_run_time_min))
        .raw("category_id", category_json(f.category_id));
}

std::string render_series_tail(const SeriesAdded& e) {
    std::string out;
    ObjectWriter w(out);
    w.str("name", e.fields.name).raw("stream_type", "null").num("series_id", e.series_id);
    render_series_common(w, e);
    out += '}';
    return out;
}

std::string render_series_info(const SeriesAdded& e) {
    std::string out = "{";
    ObjectWriter w(out);
    w.str("name", e.fields.name);
    render_series_common(w, e);
    out += '}';
    return out;
}

std::string render_episode(const EpisodeAdded& e) {
    const auto& f = e.fields;
    std::string out = "{";
    ObjectWriter(out)
        .str("id", std::to_string(e.episode_id))
        .num("episode_num", e.episode_num)
        .str("title", f.title)
        .str("container_extension", f.container_extension)
        .raw("info",
             [&] {
                 std::string info = "{";
                 ObjectWriter(info)
                     .str("movie_image", f.movie_image)
                     .str("plot", f.plot)
                     .str("releasedate", f.release_date)
                     .str("rating", f.rating)
                     .str("name", f.title)
                     .num("duration_secs", f.duration_secs)
                     .str("duration", hh_mm_ss(f.duration_secs))
                     .num("bitrate", 0);
                 return info + "}";
             }())
        .str("custom_sid", "")
        .str("added", std::to_string(core::unix_seconds(e.added)))
        .num("season", e.season)
        .str("direct_source", "");
    out += '}';
    return out;
}

constexpr auto kMovieMeta =
    fields(field("id", &MovieRow::id), field("category_id", &MovieRow::category_id),
           field("name", &MovieRow::name), field("cover", &MovieRow::cover),
           field("source_url", &MovieRow::source_url),
           field("container_extension", &MovieRow::container_extension),
           field("source", &MovieRow::source), field("added", &MovieRow::added));
constexpr auto kSeason =
    fields(field("season_number", &Season::season_number), field("name", &Season::name),
           field("air_date", &Season::air_date), field("overview", &Season::overview),
           field("cover", &Season::cover));
constexpr auto kSeriesMeta =
    fields(field("id", &SeriesRow::id), field("category_id", &SeriesRow::category_id),
           field("name", &SeriesRow::name), field("cover", &SeriesRow::cover),
           field("source", &SeriesRow::source), field("added", &SeriesRow::added),
           objects("seasons", &SeriesRow::seasons, kSeason));
constexpr auto kEpisodeMeta =
    fields(field("id", &EpisodeRow::id), field("series_id", &EpisodeRow::series_id),
           field("season", &EpisodeRow::season), field("episode_num", &EpisodeRow::episode_num),
           field("title", &EpisodeRow::title), field("source_url", &EpisodeRow::source_url),
           field("container_extension", &EpisodeRow::container_extension));

/// A row: its metadata JSON, then each rendered part on a line of its own.
template <class Row, class Table>
std::string encode_row(const Row& row, const Table& meta,
                       std::initializer_list<std::string> parts) {
    std::string out = json::serialize(events::to_json(row, meta));
    for (const auto& p : parts) {
        out += '\n';
        out += p;
    }
    return out;
}
/// Reads a row's metadata and its rendered parts into `members`, in order.
template <class Row, class Table>
std::optional<Row> decode_row(std::string_view value, const Table& meta,
                              std::initializer_list<std::string Row::*> members) {
    auto nl = value.find('\n');
    auto row = events::with_json_object(value.substr(0, nl), [&](const events::JsonObject& o) {
        return events::from_json<Row>(o, meta);
    });
    if (!row) return std::nullopt;
    for (auto member : members) {
        if (nl == std::string_view::npos) return std::nullopt;
        value.remove_prefix(nl + 1);
        nl = value.find('\n');
        (*row).*member = std::string(value.substr(0, nl));
    }
    return std::move(*row);
}

struct VodRows {
    static void apply(const MovieAdded& e, ProjectionWrites& w) {
        MovieRow row{e.movie_id,
                     e.fields.category_id,
                     e.fields.name,
                     e.fields.cover,
                     e.fields.source_url,
                     e.fields.container_extension,
                     e.source,
                     core::unix_seconds(e.added),
                     {},
                     {}};
        w.put(id_key('m', e.movie_id),
              encode_row(row, kMovieMeta, {render_movie_tail(e), render_movie_info(e)}));
    }
    static void apply(const MovieRemoved& e, ProjectionWrites& w) {
        w.erase(id_key('m', e.movie_id));
    }
    static void apply(const SeriesAdded& e, ProjectionWrites& w) {
        SeriesRow row{e.series_id, e.fields.category_id,        e.fields.name, e.fields.cover,
                      e.source,    core::unix_seconds(e.added), e.seasons,     {},
                      {}};
        w.put(id_key('r', e.series_id),
              encode_row(row, kSeriesMeta, {render_series_tail(e), render_series_info(e)}));
    }
    static void apply(const SeriesRemoved& e, ProjectionWrites& w) {
        // Its episode rows stay; snapshots skip episodes of series they do not hold.
        w.erase(id_key('r', e.series_id));
    }
    static void apply(const EpisodeAdded& e, ProjectionWrites& w) {
        EpisodeRow row{e.episode_id,
                       e.series_id,
                       e.season,
                       e.episode_num,
                       e.fields.title,
                       e.fields.source_url,
                       e.fields.container_extension,
                       {}};
        w.put(episode_key(e.series_id, e.episode_id),
              encode_row(row, kEpisodeMeta, {render_episode(e)}));
    }
    static void apply(const XtreamImported&, ProjectionWrites&) {}
    static void apply(const SubtitleAttached& e, ProjectionWrites& w) {
        w.put(subtitle_key(e.target == "movie" ? 'm' : 'e', e.id, e.language),
              write_subtitles(e.cues, SubtitleFormat::Vtt));
    }
};

template <class Row>
void append_listed(std::string& out, std::size_t num, const Row& row) {
    out += fmt::format("{{\"num\":{},", num);
    out += row.xtream_tail;
}

}  // namespace

std::unique_ptr<Projector> make_xtream_vod_projector() {
    return make_projector<VodEvent>(
        kXtreamVod, events::iptv::decode_vod_event,
        [](const VodEvent& event, const events::RecordedEvent& e,
           ProjectionWrites& w) -> core::Result<void> {
            std::visit([&](const auto& ev) { VodRows::apply(ev, w); }, event);
            w.put(kVersionKey, fmt::format("{}:{}", e.position.partition, e.position.offset));
            return {};
        },
        events::is_one_of<MovieAdded, MovieRemoved, SeriesAdded, SeriesRemoved, EpisodeAdded,
                          SubtitleAttached>);
}

std::shared_ptr<const VodSnapshot> VodSnapshot::load(const ReadModelView& view) {
    auto snap = std::make_shared<VodSnapshot>();
    view.scan("m/", "", [&](std::string_view, std::string_view v) {
        if (auto m = decode_row<MovieRow>(v, kMovieMeta,
                                          {&MovieRow::xtream_tail, &MovieRow::info_json})) {
            snap->movie_index_[m->id] = snap->movies_.size();
            snap->movies_.push_back(std::move(*m));
        }
        return true;
    });
    view.scan("r/", "", [&](std::string_view, std::string_view v) {
        if (auto s = decode_row<SeriesRow>(v, kSeriesMeta,
                                           {&SeriesRow::xtream_tail, &SeriesRow::info_json})) {
            snap->series_index_[s->id] = snap->series_.size();
            snap->series_.push_back(std::move(*s));
        }
        return true;
    });
    view.scan("e/", "", [&](std::string_view, std::string_view v) {
        auto ep = decode_row<EpisodeRow>(v, kEpisodeMeta, {&EpisodeRow::xtream_json});
        if (ep && snap->series_index_.count(ep->series_id)) {
            snap->episode_index_[ep->id] = snap->episodes_.size();
            snap->episodes_by_series_[ep->series_id].push_back(snap->episodes_.size());
            snap->episodes_.push_back(std::move(*ep));
        }
        return true;
    });
    return snap;
}

const MovieRow* VodSnapshot::movie(std::int64_t id) const {
    auto it = movie_index_.find(id);
    return it == movie_index_.end() ? nullptr : &movies_[it->second];
}
const SeriesRow* VodSnapshot::series_by_id(std::int64_t id) const {
    auto it = series_index_.find(id);
    return it == series_index_.end() ? nullptr : &series_[it->second];
}
const EpisodeRow* VodSnapshot::episode(std::int64_t id) const {
    auto it = episode_index_.find(id);
    return it == episode_index_.end() ? nullptr : &episodes_[it->second];
}

std::vector<const EpisodeRow*> VodSnapshot::episodes_of(std::int64_t series_id) const {
    std::vector<const EpisodeRow*> out;
    if (auto it = episodes_by_series_.find(series_id); it != episodes_by_series_.end())
        for (auto i : it->second) out.push_back(&episodes_[i]);
    std::stable_sort(out.begin(), out.end(), [](const EpisodeRow* a, const EpisodeRow* b) {
        return std::pair(a->season, a->episode_num) < std::pair(b->season, b->episode_num);
    });
    return out;
}

std::string VodSnapshot::vod_streams_json(const VodVisibility& v,
                                          std::optional<std::int64_t> category_id) const {
    std::string out = "[";
    std::size_t num = 0;
    for (const auto& m : movies_) {
        if (!v.sees(m.category_id) || (category_id && m.category_id != category_id)) continue;
        if (num > 0) out += ',';
        append_listed(out, ++num, m);
    }
    out += ']';
    return out;
}

std::string VodSnapshot::series_json(const VodVisibility& v,
                                     std::optional<std::int64_t> category_id) const {
    std::string out = "[";
    std::size_t num = 0;
    for (const auto& s : series_) {
        if (!v.sees(s.category_id) || (category_id && s.category_id != category_id)) continue;
        if (num > 0) out += ',';
        append_listed(out, ++num, s);
    }
    out += ']';
    return out;
}

std::optional<std::string> VodSnapshot::vod_info_json(const VodVisibility& v,
                                                      std::int64_t id) const {
    const auto* m = movie(id);
    if (!m || !v.sees(m->category_id)) return std::nullopt;
    return m->info_json;
}

std::optional<std::string> VodSnapshot::series_info_json(const VodVisibility& v,
                                                         std::int64_t id) const {
    const auto* s = series_by_id(id);
    if (!s || !v.sees(s->category_id)) return std::nullopt;
    const auto episodes = episodes_of(id);
    std::map<std::int64_t, std::vector<const EpisodeRow*>> by_season;
    for (const auto* e : episodes) by_season[e->season].push_back(e);
    std::map<std::int64_t, Season> seasons;
    for (const auto& season : s->seasons) seasons[season.season_number] = season;
    for (const auto& [number, list] : by_season) {
        if (!seasons.count(number))
            seasons[number] = Season{number, fmt::format("Season {}", number), "", "", ""};
    }
    std::string out = "{\"seasons\":[";
    bool first = true;
    for (const auto& [number, season] : seasons) {
        if (!first) out += ',';
        first = false;
        out += '{';
        const auto count = by_season.count(number) ? by_season.at(number).size() : 0;
        ObjectWriter(out)
            .str("air_date", season.air_date)
            .num("episode_count", static_cast<std::int64_t>(count))
            .num("id", number)
            .str("name", season.name)
            .str("overview", season.overview)
            .num("season_number", number)
            .str("cover", season.cover)
            .str("cover_big", season.cover);
        out += '}';
    }
    out += "],\"info\":";
    out += s->info_json;
    out += ",\"episodes\":{";
    first = true;
    for (const auto& [number, list] : by_season) {
        if (!first) out += ',';
        first = false;
        out += fmt::format("\"{}\":[", number);
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) out += ',';
            out += list[i]->xtream_json;
        }
        out += ']';
    }
    out += "}}";
    return out;
}

std::optional<std::string> find_subtitles(const ReadModelView& view, SubtitleOf of, std::int64_t id,
                                          std::string_view language) {
    return view.get(subtitle_key(of == SubtitleOf::Movie ? 'm' : 'e', id, language));
}

std::shared_ptr<const VodSnapshot> VodCache::get() {
    const auto* view = runner_.view(kXtreamVod);
    if (!view) return std::make_shared<VodSnapshot>();
    auto version = view->get(kVersionKey).value_or("");
    std::lock_guard lock(mu_);
    if (!snapshot_ || version != version_) {
        snapshot_ = VodSnapshot::load(*view);
        version_ = version;
    }
    return snapshot_;
}

}  // namespace switchyard::projections::iptv
