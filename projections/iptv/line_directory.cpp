#include "projections/iptv/line_directory.hpp"

#include <boost/json.hpp>

#include "events/iptv/iptv_codec.hpp"
#include "events/json_reader.hpp"

namespace switchyard::projections::iptv {

namespace json = boost::json;
using namespace core::iptv;

namespace {

std::string user_key(std::string_view username) { return "u/" + std::string(username); }
std::string id_key(std::int64_t id) { return "i/" + be64(static_cast<std::uint64_t>(id)); }

std::string encode(const LineRow& r) {
    const auto& s = r.settings;
    json::array formats;
    for (const auto& f : s.allowed_output_formats) formats.emplace_back(f);
    json::object o{{"line_id", r.line_id},
                   {"username", r.username},
                   {"password_hash", r.password_hash},
                   {"status", to_string(s.status)},
                   {"exp_date", s.exp_date ? json::value(*s.exp_date) : json::value(nullptr)},
                   {"max_connections", s.max_connections},
                   {"is_trial", s.is_trial},
                   {"allowed_output_formats", formats},
                   {"bouquets", json::array(s.bouquets.begin(), s.bouquets.end())},
                   {"created_at", r.created_at},
                   {"owner_path", r.owner_path}};
    return json::serialize(o);
}

std::optional<LineRow> decode(std::string_view value) {
    auto r = events::with_json_object(value, [](const events::JsonObject& o) {
        LineRow r;
        r.line_id = o.i64("line_id");
        r.username = o.str("username");
        r.password_hash = o.str("password_hash");
        if (!parse_line_status(o.str("status"), r.settings.status))
            throw events::FieldError{"status"};
        r.settings.exp_date = o.opt_i64("exp_date");
        r.settings.max_connections = o.i64("max_connections");
        r.settings.is_trial = o.boolean("is_trial");
        r.settings.allowed_output_formats = o.str_list("allowed_output_formats");
        r.settings.bouquets = o.i64_list("bouquets");
        r.created_at = o.i64("created_at");
        r.owner_path = o.str("owner_path");
        return r;
    });
    if (!r) return std::nullopt;
    return *r;
}

class LineDirectoryProjector final : public Projector {
  public:
    std::string name() const override { return kLineDirectory; }

    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        if (!e.type.starts_with("iptv.line.")) return {};
        auto event = SY_TRY(events::iptv::decode_line_event(e));
        if (auto* c = std::get_if<LineCreated>(&event)) {
            LineRow r{c->line_id,
                      c->username,
                      c->password_hash,
                      c->settings,
                      core::unix_seconds(c->created_at),
                      c->owner_path};
            w.put(user_key(c->username), encode(r));
            w.put(id_key(c->line_id), c->username);
            return {};
        }
        const auto line_id = std::visit([](const auto& ev) { return ev.line_id; }, event);
        auto username = w.get(id_key(line_id));
        if (!username) return {};
        auto row_text = w.get(user_key(*username));
        if (!row_text) return {};
        auto row = decode(*row_text);
        if (!row) return core::fail(core::Errc::Internal, "row", "line row is malformed");
        if (auto* u = std::get_if<LineUpdated>(&event)) {
            row->settings = u->settings;
        } else if (auto* p = std::get_if<LinePasswordChanged>(&event)) {
            row->password_hash = p->password_hash;
        } else {
            w.erase(user_key(*username));
            w.erase(id_key(line_id));
            return {};
        }
        w.put(user_key(*username), encode(*row));
        return {};
    }
};

}  // namespace

std::unique_ptr<Projector> make_line_directory_projector() {
    return std::make_unique<LineDirectoryProjector>();
}

std::optional<LineRow> find_line_by_username(const ReadModelView& view, std::string_view username) {
    auto v = view.get(user_key(username));
    if (!v) return std::nullopt;
    return decode(*v);
}

std::optional<LineRow> find_line_by_id(const ReadModelView& view, std::int64_t line_id) {
    auto username = view.get(id_key(line_id));
    if (!username) return std::nullopt;
    return find_line_by_username(view, *username);
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
