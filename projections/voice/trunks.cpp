#include "projections/voice/trunks.hpp"

#include "core/overloaded.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;
using events::voice::TrunkRow;

namespace {

std::string trunk_key(const std::string& id) { return "t/" + id; }

std::optional<TrunkRow> decode(std::string_view text) {
    auto r = events::voice::parse_trunk_row(text);
    if (!r) return std::nullopt;
    return std::move(*r);
}

void put(ProjectionWrites& w, const TrunkRow& row) {
    w.put(trunk_key(row.trunk.trunk_id),
          events::json::serialize(events::voice::trunk_row_json(row)));
}

core::Result<void> apply(const TrunkEvent& event, const events::RecordedEvent&,
                         ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const TrunkDefined& e) {
                       TrunkRow row{e.trunk, false, ""};
                       // The HA1 is made with the username: a new username drops it.
                       if (auto old = w.get(trunk_key(e.trunk.trunk_id)))
                           if (auto before = decode(*old);
                               before && before->trunk.username == e.trunk.username) {
                               row.password_set = before->password_set;
                               row.realm = before->realm;
                           }
                       put(w, row);
                   },
                   [&](const TrunkPasswordSet& e) {
                       auto old = w.get(trunk_key(e.trunk_id));
                       if (!old) return;
                       auto row = decode(*old);
                       if (!row) return;
                       row->password_set = true;
                       row->realm = e.credential.realm;
                       put(w, *row);
                   },
                   [&](const TrunkRemoved& e) { w.erase(trunk_key(e.trunk_id)); },
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_trunks_projector() {
    return make_projector<TrunkEvent>(
        kVoiceTrunks, events::voice::decode_trunk_event, apply,
        events::is_one_of<TrunkDefined, TrunkPasswordSet, TrunkRemoved>);
}

std::optional<TrunkRow> find_trunk(const ReadModelView& view, const std::string& trunk_id) {
    auto text = view.get(trunk_key(trunk_id));
    return text ? decode(*text) : std::nullopt;
}

std::vector<TrunkRow> list_trunks(const ReadModelView& view, const std::string& after,
                                  std::size_t limit, std::optional<std::int64_t> customer_id) {
    std::vector<TrunkRow> out;
    if (limit == 0) return out;
    // Keys after `t/<after>`: the next key in byte order is `t/<after>\0`.
    const std::string from = after.empty() ? "t/" : trunk_key(after) + std::string(1, '\0');
    view.scan("t/", from, [&](std::string_view, std::string_view value) {
        auto row = decode(value);
        if (!row) return true;
        if (customer_id && row->trunk.customer_id != *customer_id) return true;
        out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::voice
