#include "core/iptv/epg.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace switchyard::core::iptv {

namespace {

/// Where a programme starting at `start` is, or would go, in a start-ordered list.
std::vector<EpgProgramme>::iterator at_start(std::vector<EpgProgramme>& list, std::int64_t start) {
    return std::lower_bound(list.begin(), list.end(), start,
                            [](const EpgProgramme& p, std::int64_t t) { return p.start < t; });
}

}  // namespace

void evolve(EpgSourceState& state, const EpgEvent& event) {
    if (const auto* r = std::get_if<ChannelGuideReplaced>(&event)) {
        state.channels[r->channel_id] = *r;
    } else if (const auto* saved = std::get_if<ProgrammeSaved>(&event)) {
        auto& list = state.channels[saved->channel_id].programmes;
        auto it = at_start(list, saved->programme.start);
        if (it != list.end() && it->start == saved->programme.start)
            *it = saved->programme;
        else
            list.insert(it, saved->programme);
    } else if (const auto* deleted = std::get_if<ProgrammeDeleted>(&event)) {
        auto found = state.channels.find(deleted->channel_id);
        if (found == state.channels.end()) return;
        auto& list = found->second.programmes;
        auto it = at_start(list, deleted->start);
        if (it != list.end() && it->start == deleted->start) list.erase(it);
    }
}

Result<std::vector<EpgEvent>> decide(const EpgSourceState& state, const SaveProgramme& c,
                                     const DecisionContext&) {
    SY_TRY(validate_epg_source(c.source));
    const auto& p = c.programme;
    if (p.stop <= p.start) return fail(Errc::Invalid, "stop", "must be after start");
    if (p.title.empty() || p.title.size() > 1000)
        return fail(Errc::Invalid, "title", "must be 1 to 1000 characters");
    if (p.desc.size() > 20000)
        return fail(Errc::Invalid, "desc", "must be at most 20000 characters");
    for (const auto* text : {&p.title, &p.sub_title, &p.desc, &p.episode_num, &p.icon, &p.lang}) {
        if (!is_valid_utf8(*text))
            return fail(Errc::Invalid, text == &p.desc ? "desc" : "title", "must be UTF-8 text");
    }
    auto channel = state.channels.find(c.channel_id);
    if (channel == state.channels.end())
        return fail(Errc::NotFound, "channel_id",
                    "source " + c.source + " has no guide channel " + c.channel_id);
    auto list = channel->second.programmes;
    auto it = at_start(list, p.start);
    if (it != list.end() && *it == p) return std::vector<EpgEvent>{};
    return std::vector<EpgEvent>{ProgrammeSaved{c.source, c.channel_id, p}};
}

Result<std::vector<EpgEvent>> decide(const EpgSourceState& state, const DeleteProgramme& c,
                                     const DecisionContext&) {
    SY_TRY(validate_epg_source(c.source));
    auto channel = state.channels.find(c.channel_id);
    if (channel == state.channels.end())
        return fail(Errc::NotFound, "channel_id",
                    "source " + c.source + " has no guide channel " + c.channel_id);
    auto list = channel->second.programmes;
    auto it = at_start(list, c.start);
    if (it == list.end() || it->start != c.start) return std::vector<EpgEvent>{};
    return std::vector<EpgEvent>{ProgrammeDeleted{c.source, c.channel_id, c.start}};
}
void evolve(EpgMappingState& state, const EpgEvent& event) {
    if (const auto* m = std::get_if<EpgMappingSet>(&event)) state.channel_id = m->channel_id;
}

Result<std::vector<EpgEvent>> decide(const EpgMappingState& state, const SetEpgMapping& c,
                                     const DecisionContext&) {
    if (c.stream_id <= 0) return fail(Errc::Invalid, "stream_id", "must be a positive integer");
    if (c.channel_id.size() > 200)
        return fail(Errc::Invalid, "channel_id", "must be at most 200 characters");
    if (has_control_chars(c.channel_id) || !is_valid_utf8(c.channel_id))
        return fail(Errc::Invalid, "channel_id", "must be UTF-8 text without control characters");
    if (state.channel_id == c.channel_id) return std::vector<EpgEvent>{};
    return std::vector<EpgEvent>{EpgMappingSet{c.stream_id, c.channel_id}};
}

Result<void> validate_epg_source(std::string_view source) {
    if (source.empty() || source.size() > 100)
        return fail(Errc::Invalid, "source", "must be 1 to 100 characters");
    for (char c : source) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return fail(Errc::Invalid, "source", "may hold only letters, digits, '.', '_', '-'");
    }
    return {};
}

Result<EpgDecision> decide(const EpgSourceState& state, const ImportGuide& c,
                           const DecisionContext&) {
    SY_TRY(validate_epg_source(c.source));
    if (c.priority < 0 || c.priority > 1000)
        return fail(Errc::Invalid, "priority", "must be an integer from 0 to 1000");
    if (c.channels.empty() && c.programmes.empty())
        return fail(Errc::Rejected, "body", "the guide has no <channel> and no <programme>");
    // Channels in guide order, then those only programmes name, in order of first mention.
    std::vector<std::string> order;
    std::map<std::string, ChannelGuideReplaced> guides;
    auto guide_of = [&](const std::string& id) -> ChannelGuideReplaced& {
        auto [it, inserted] = guides.try_emplace(id);
        if (inserted) {
            order.push_back(id);
            it->second.source = c.source;
            it->second.priority = c.priority;
            it->second.channel_id = id;
        }
        return it->second;
    };
    for (const auto& ch : c.channels) {
        auto& g = guide_of(ch.id);
        for (const auto& name : ch.display_names) {
            if (std::find(g.display_names.begin(), g.display_names.end(), name) ==
                g.display_names.end())
                g.display_names.push_back(name);
        }
        if (g.icon.empty()) g.icon = ch.icon;
    }
    for (const auto& p : c.programmes) {
        guide_of(p.channel).programmes.push_back({p.start, p.stop, p.title, p.sub_title, p.desc,
                                                  p.categories, p.episode_num, p.icon, p.lang});
    }
    EpgDecision out;
    out.summary = {c.source,
                   c.priority,
                   static_cast<std::int64_t>(order.size()),
                   static_cast<std::int64_t>(c.programmes.size()),
                   0,
                   0,
                   c.invalid};
    for (const auto& id : order) {
        auto& g = guides[id];
        std::stable_sort(
            g.programmes.begin(), g.programmes.end(),
            [](const EpgProgramme& a, const EpgProgramme& b) { return a.start < b.start; });
        // The same start twice: the later one in the guide wins.
        std::vector<EpgProgramme> unique;
        for (auto& p : g.programmes) {
            if (!unique.empty() && unique.back().start == p.start)
                unique.back() = std::move(p);
            else
                unique.push_back(std::move(p));
        }
        g.programmes = std::move(unique);
        if (!g.programmes.empty()) {
            g.window_start = g.programmes.front().start;
            for (const auto& p : g.programmes) g.window_end = std::max(g.window_end, p.stop);
        }
        auto before = state.channels.find(id);
        if (before != state.channels.end() && before->second == g) {
            ++out.summary.unchanged;
            continue;
        }
        ++out.summary.changed;
        out.events.emplace_back(std::move(g));
    }
    if (!out.events.empty()) out.events.emplace_back(out.summary);
    return out;
}

}  // namespace switchyard::core::iptv
