#include "projections/iptv/line_directory.hpp"

#include "events/iptv/iptv_codec.hpp"
#include "events/iptv/iptv_json.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

namespace json = events::json;
using namespace core::iptv;

namespace {

std::string user_key(std::string_view username) { return "u/" + std::string(username); }
std::string id_key(std::int64_t id) { return "i/" + be64(static_cast<std::uint64_t>(id)); }

constexpr auto kLineRow =
    fields(field("line_id", &LineRow::line_id), field("username", &LineRow::username),
           field("password_hash", &LineRow::password_hash),
           flat(&LineRow::settings, events::iptv::kLineSettings),
           field("created_at", &LineRow::created_at), field("owner_path", &LineRow::owner_path));
constexpr auto kLines = json_rows<LineRow>(kLineRow);

core::Result<void> apply_line_event(const LineEvent& event, const events::RecordedEvent&,
                                    ProjectionWrites& w) {
    if (auto* c = std::get_if<LineCreated>(&event)) {
        kLines.put(w, user_key(c->username),
                   {c->line_id, c->username, c->password_hash, c->settings,
                    core::unix_seconds(c->created_at), c->owner_path});
        w.put(id_key(c->line_id), c->username);
        return {};
    }
    const auto line_id = std::visit([](const auto& ev) { return ev.line_id; }, event);
    auto username = w.get(id_key(line_id));
    if (!username || !w.get(user_key(*username))) return {};
    if (std::holds_alternative<LineDeleted>(event)) {
        w.erase(user_key(*username));
        w.erase(id_key(line_id));
        return {};
    }
    const bool updated = kLines.update(w, user_key(*username), [&](LineRow& row) {
        if (auto* u = std::get_if<LineUpdated>(&event)) row.settings = u->settings;
        if (auto* p = std::get_if<LinePasswordChanged>(&event))
            row.password_hash = p->password_hash;
    });
    if (!updated) return core::fail(core::Errc::Internal, "row", "line row is malformed");
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_line_directory_projector() {
    return make_projector<LineEvent>(kLineDirectory, events::iptv::decode_line_event,
                                     apply_line_event);
}

std::optional<LineRow> find_line_by_username(const ReadModelView& view, std::string_view username) {
    return kLines.find(view, user_key(username));
}

std::shared_ptr<const LineRow> LineLookup::find(const ReadModelView& view,
                                                std::string_view username) {
    // Rows kept at most; beyond, the map starts over (a row costs well under a kilobyte).
    constexpr std::size_t kMaxRows = 100'000;
    const auto key = user_key(username);
    auto stored = view.get(key);
    if (!stored) return nullptr;
    {
        std::lock_guard lock(mu_);
        if (auto it = rows_.find(key); it != rows_.end() && it->second.stored == *stored)
            return it->second.row;
    }
    auto row = kLines.decode(*stored);
    if (!row) return nullptr;
    auto shared = std::make_shared<const LineRow>(std::move(*row));
    std::lock_guard lock(mu_);
    if (rows_.size() >= kMaxRows) rows_.clear();
    rows_[key] = {std::move(*stored), shared};
    return shared;
}

std::optional<LineRow> find_line_by_id(const ReadModelView& view, std::int64_t line_id) {
    auto username = view.get(id_key(line_id));
    return username ? find_line_by_username(view, *username) : std::nullopt;
}

std::vector<LineRow> list_lines(const ReadModelView& view, std::int64_t after_id, std::size_t limit,
                                const std::string& scope) {
    std::vector<LineRow> out;
    view.scan("i/", id_key(after_id + 1), [&](std::string_view, std::string_view username) {
        auto row = find_line_by_username(view, username);
        if (row && row->owner_path.starts_with(scope)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::iptv
