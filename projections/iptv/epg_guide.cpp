#include "projections/iptv/epg_guide.hpp"

#include <algorithm>
#include <limits>

#include "events/iptv/epg_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

namespace {

constexpr std::string_view kGuideVersionKey = "v";

constexpr auto kProgrammeRow = fields(
    field("start", &EpgProgramme::start), field("stop", &EpgProgramme::stop),
    field("title", &EpgProgramme::title), optional_field("sub_title", &EpgProgramme::sub_title),
    optional_field("desc", &EpgProgramme::desc),
    optional_field("categories", &EpgProgramme::categories),
    optional_field("episode_num", &EpgProgramme::episode_num),
    optional_field("icon", &EpgProgramme::icon), optional_field("lang", &EpgProgramme::lang));
constexpr auto kProgrammes = json_rows<EpgProgramme>(kProgrammeRow);

constexpr auto kChannelSources = json_rows<ChannelSourceRow>(fields(
    field("channel_id", &ChannelSourceRow::channel_id), field("source", &ChannelSourceRow::source),
    field("priority", &ChannelSourceRow::priority),
    field("display_names", &ChannelSourceRow::display_names),
    field("icon", &ChannelSourceRow::icon), field("starts", &ChannelSourceRow::starts)));

std::string channel_key(const std::string& channel, const std::string& source) {
    return "c/" + channel + "\n" + source;
}
std::string programmes_prefix(const std::string& channel, const std::string& source) {
    return "p/" + channel + "\n" + source + "\n";
}
std::string programme_key(const std::string& channel, const std::string& source,
                          std::int64_t start) {
    return programmes_prefix(channel, source) + be64(static_cast<std::uint64_t>(start));
}

core::Result<void> apply_epg_event(const EpgEvent& event, const events::RecordedEvent& recorded,
                                   ProjectionWrites& w) {
    // The version row changes with every guide event, so caches of rendered guides know when
    // to render again.
    w.put(kGuideVersionKey, std::to_string(recorded.position.partition) + ":" +
                                std::to_string(recorded.position.offset));
    if (const auto* m = std::get_if<EpgMappingSet>(&event)) {
        const auto key = "m/" + be64(static_cast<std::uint64_t>(m->stream_id));
        if (m->channel_id.empty())
            w.erase(key);
        else
            w.put(key, m->channel_id);
        return {};
    }
    if (const auto* saved = std::get_if<ProgrammeSaved>(&event)) {
        const auto key = channel_key(saved->channel_id, saved->source);
        auto row = kChannelSources.find(w, key).value_or(ChannelSourceRow{});
        row.channel_id = saved->channel_id;
        row.source = saved->source;
        const auto start = saved->programme.start;
        kProgrammes.put(w, programme_key(saved->channel_id, saved->source, start),
                        saved->programme);
        auto at = std::lower_bound(row.starts.begin(), row.starts.end(), start);
        if (at == row.starts.end() || *at != start) row.starts.insert(at, start);
        kChannelSources.put(w, key, row);
        return {};
    }
    if (const auto* deleted = std::get_if<ProgrammeDeleted>(&event)) {
        const auto key = channel_key(deleted->channel_id, deleted->source);
        auto row = kChannelSources.find(w, key);
        if (!row) return {};
        w.erase(programme_key(deleted->channel_id, deleted->source, deleted->start));
        std::erase(row->starts, deleted->start);
        kChannelSources.put(w, key, *row);
        return {};
    }
    const auto* r = std::get_if<ChannelGuideReplaced>(&event);
    if (!r) return {};
    const auto key = channel_key(r->channel_id, r->source);
    auto row = kChannelSources.find(w, key).value_or(ChannelSourceRow{});
    row.channel_id = r->channel_id;
    row.source = r->source;
    row.priority = r->priority;
    row.display_names = r->display_names;
    row.icon = r->icon;
    const auto keep_from = core::unix_seconds(recorded.time) - kKeepDays * 86400;
    std::vector<std::int64_t> kept;
    for (auto start : row.starts) {
        const bool replaced =
            !r->programmes.empty() && start >= r->window_start && start < r->window_end;
        if (replaced || start < keep_from) {
            w.erase(programme_key(r->channel_id, r->source, start));
        } else {
            kept.push_back(start);
        }
    }
    for (const auto& p : r->programmes) {
        kProgrammes.put(w, programme_key(r->channel_id, r->source, p.start), p);
        kept.push_back(p.start);
    }
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    row.starts = std::move(kept);
    kChannelSources.put(w, key, row);
    return {};
}

/// Whether `a` serves before `b`: higher priority, then the source name that sorts first.
bool better(const ChannelSourceRow& a, const ChannelSourceRow& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.source < b.source;
}

}  // namespace

std::string guide_version(const ReadModelView& view) {
    return view.get(std::string(kGuideVersionKey)).value_or("");
}

std::unique_ptr<Projector> make_epg_guide_projector() {
    return make_projector<EpgEvent>(kEpgGuide, events::iptv::decode_epg_event, apply_epg_event);
}

std::vector<ChannelSourceRow> guide_channels(const ReadModelView& view) {
    std::vector<ChannelSourceRow> out;
    view.scan("c/", "", [&](std::string_view, std::string_view value) {
        auto row = kChannelSources.decode(value);
        if (!row) return true;
        if (!out.empty() && out.back().channel_id == row->channel_id) {
            if (better(*row, out.back())) out.back() = std::move(*row);
        } else {
            out.push_back(std::move(*row));
        }
        return true;
    });
    return out;
}

std::optional<ChannelSourceRow> guide_channel(const ReadModelView& view,
                                              const std::string& channel_id) {
    std::optional<ChannelSourceRow> best;
    view.scan("c/" + channel_id + "\n", "", [&](std::string_view, std::string_view value) {
        auto row = kChannelSources.decode(value);
        if (row && (!best || better(*row, *best))) best = std::move(row);
        return true;
    });
    return best;
}

std::map<std::int64_t, std::string> epg_overrides(const ReadModelView& view) {
    std::map<std::int64_t, std::string> out;
    view.scan("m/", "", [&](std::string_view key, std::string_view value) {
        if (key.size() == 10)
            out[static_cast<std::int64_t>(from_be64(key.substr(2)))] = std::string(value);
        return true;
    });
    return out;
}

std::vector<EpgProgramme> guide_programmes(const ReadModelView& view, const ChannelSourceRow& row,
                                           std::int64_t from, std::int64_t until,
                                           std::size_t limit) {
    std::vector<EpgProgramme> out;
    // A programme that ends after `from` started at most a day or so before it; start a little
    // earlier than the first programme that might still run.
    const auto first = std::upper_bound(row.starts.begin(), row.starts.end(), from);
    const auto scan_from =
        std::max<std::int64_t>(0, first == row.starts.begin() ? from : *std::prev(first));
    const auto prefix = programmes_prefix(row.channel_id, row.source);
    view.scan(prefix, prefix + be64(static_cast<std::uint64_t>(scan_from)),
              [&](std::string_view, std::string_view value) {
                  auto p = kProgrammes.decode(value);
                  if (!p) return true;
                  if (p->start >= until) return false;
                  if (p->stop > from) out.push_back(std::move(*p));
                  return limit == 0 || out.size() < limit;
              });
    return out;
}

}  // namespace switchyard::projections::iptv
