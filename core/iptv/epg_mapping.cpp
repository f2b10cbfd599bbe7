#include "core/iptv/epg_mapping.hpp"

#include "core/voice/csv.hpp"

namespace switchyard::core::iptv {

std::string channel_name_key(std::string_view name) {
    std::string out;
    int depth = 0;
    for (char c : name) {
        if (c == '(' || c == '[') {
            ++depth;
        } else if ((c == ')' || c == ']') && depth > 0) {
            --depth;
        } else if (depth == 0) {
            if (c >= 'A' && c <= 'Z')
                out += static_cast<char>(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     static_cast<unsigned char>(c) >= 0x80)
                out += c;
        }
    }
    return out;
}

ChannelDirectory read_channel_directory(std::string_view csv) {
    ChannelDirectory out;
    core::voice::CsvOptions options;
    options.separator = ',';
    options.comments = false;
    const auto table = core::voice::read_csv(csv, options);
    if (table.rows.empty()) return out;
    const auto& header = table.rows.front().fields;
    const auto id_col = core::voice::find_column(header, "id");
    const auto name_col = core::voice::find_column(header, "name");
    const auto alt_col = core::voice::find_column(header, "alt_names");
    if (!id_col || !name_col) return out;
    auto add = [&](std::string_view name, const std::string& id) {
        auto key = channel_name_key(name);
        if (key.empty()) return;
        auto& ids = out.ids_by_name[key];
        if (ids.empty() || ids.back() != id) ids.push_back(id);
    };
    for (std::size_t i = 1; i < table.rows.size(); ++i) {
        const auto& row = table.rows[i];
        const std::string id(core::voice::field_at(row, *id_col));
        if (id.empty()) continue;
        ++out.channels;
        add(core::voice::field_at(row, *name_col), id);
        if (!alt_col) continue;
        auto alts = core::voice::field_at(row, *alt_col);
        while (!alts.empty()) {
            const auto semi = alts.find(';');
            add(alts.substr(0, semi), id);
            if (semi == std::string_view::npos) break;
            alts.remove_prefix(semi + 1);
        }
    }
    return out;
}

LogoDirectory read_logo_directory(std::string_view csv) {
    LogoDirectory out;
    core::voice::CsvOptions options;
    options.separator = ',';
    options.comments = false;
    const auto table = core::voice::read_csv(csv, options);
    if (table.rows.empty()) return out;
    const auto& header = table.rows.front().fields;
    const auto channel_col = core::voice::find_column(header, "channel");
    const auto feed_col = core::voice::find_column(header, "feed");
    const auto in_use_col = core::voice::find_column(header, "in_use");
    const auto url_col = core::voice::find_column(header, "url");
    if (!channel_col || !url_col) return out;
    for (std::size_t i = 1; i < table.rows.size(); ++i) {
        const auto& row = table.rows[i];
        const auto channel = core::voice::field_at(row, *channel_col);
        const auto url = core::voice::field_at(row, *url_col);
        if (channel.empty() || url.empty()) continue;
        if (in_use_col && core::voice::field_at(row, *in_use_col) != "TRUE") continue;
        std::string key(channel);
        if (feed_col) {
            const auto feed = core::voice::field_at(row, *feed_col);
            if (!feed.empty()) key += "@" + std::string(feed);
        }
        if (out.by_key.try_emplace(std::move(key), url).second) ++out.logos;
    }
    return out;
}

std::string logo_for(const LogoDirectory& logos, std::string_view tvg_id) {
    if (tvg_id.empty()) return {};
    if (auto it = logos.by_key.find(std::string(tvg_id)); it != logos.by_key.end())
        return it->second;
    const auto at = tvg_id.find('@');
    if (at == std::string_view::npos) return {};
    auto it = logos.by_key.find(std::string(tvg_id.substr(0, at)));
    return it == logos.by_key.end() ? std::string() : it->second;
}

EpgMapper::EpgMapper(const std::vector<GuideChannelNames>& channels,
                     const ChannelDirectory* directory,
                     std::map<std::int64_t, std::string> overrides)
    : directory_(directory), overrides_(std::move(overrides)) {
    for (const auto& c : channels) {
        ids_.insert(c.id);
        for (const auto& name : c.display_names) {
            auto key = channel_name_key(name);
            if (!key.empty()) by_display_name_.try_emplace(std::move(key), c.id);
        }
    }
}

std::optional<std::string> EpgMapper::map(std::int64_t stream_id, std::string_view epg_channel_id,
                                          std::string_view name) const {
    if (auto it = overrides_.find(stream_id); it != overrides_.end()) return it->second;
    if (!epg_channel_id.empty()) {
        if (auto it = ids_.find(std::string(epg_channel_id)); it != ids_.end()) return *it;
    }
    const auto key = channel_name_key(name);
    if (key.empty()) return std::nullopt;
    if (auto it = by_display_name_.find(key); it != by_display_name_.end()) return it->second;
    if (directory_) {
        if (auto it = directory_->ids_by_name.find(key); it != directory_->ids_by_name.end()) {
            for (const auto& id : it->second) {
                if (ids_.count(id)) return id;
            }
        }
    }
    return std::nullopt;
}

}  // namespace switchyard::core::iptv
