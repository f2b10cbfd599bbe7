#include "projections/hotspot/hotspot_vouchers.hpp"

#include "core/hotspot/voucher.hpp"
#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;

namespace {

constexpr auto kBatchFields = fields(
    field("batch_id", &VoucherBatch::batch_id), field("plan_id", &VoucherBatch::plan_id),
    field("count", &VoucherBatch::count), field("prefix", &VoucherBatch::prefix),
    field("length", &VoucherBatch::length), field("note", &VoucherBatch::note),
    field("created_at", &VoucherBatch::created_at), field("owner_path", &VoucherBatch::owner_path));

constexpr auto kBatchRows = json_rows<BatchRow>(
    fields(flat(&BatchRow::batch, kBatchFields), field("revoked", &BatchRow::revoked),
           field("unused", &BatchRow::unused), field("active", &BatchRow::active),
           field("expired", &BatchRow::expired), field("revoked_count", &BatchRow::revoked_count)));

constexpr auto kVoucherRows = json_rows<VoucherRow>(
    fields(field("code", &VoucherRow::code), field("batch_id", &VoucherRow::batch_id),
           field("plan_id", &VoucherRow::plan_id),
           events::field("state", &VoucherRow::state, parse_voucher_state),
           field("username", &VoucherRow::username), field("redeemed_at", &VoucherRow::redeemed_at),
           field("owner_path", &VoucherRow::owner_path)));

std::string batch_key(const std::string& id) { return key_of("b", id); }
std::string voucher_key(const std::string& code) { return key_of("v", code); }
std::string member_key(const std::string& batch_id, const std::string& code) {
    return key_of("c", batch_id, code);
}

std::int64_t& count_of(BatchRow& b, VoucherState s) {
    switch (s) {
        case VoucherState::Unused:
            return b.unused;
        case VoucherState::Active:
            return b.active;
        case VoucherState::Expired:
            return b.expired;
        case VoucherState::Revoked:
            break;
    }
    return b.revoked_count;
}

/// Moves a voucher to `state` and the batch's counts with it.
template <class Change>
void move_voucher(ProjectionWrites& w, const std::string& code, VoucherState state,
                  Change&& change) {
    auto v = kVoucherRows.find(w, voucher_key(code));
    if (!v || v->state == state) return;
    const auto before = v->state;
    v->state = state;
    change(*v);
    kVoucherRows.put(w, voucher_key(code), *v);
    kBatchRows.update(w, batch_key(v->batch_id), [&](BatchRow& b) {
        --count_of(b, before);
        ++count_of(b, state);
    });
}

core::Result<void> apply(const BatchEvent& event, const events::RecordedEvent& recorded,
                         ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const VoucherBatchGenerated& e) {
                       BatchRow row{e.batch};
                       row.unused = static_cast<std::int64_t>(e.codes.size());
                       kBatchRows.put(w, batch_key(e.batch.batch_id), row);
                       for (const auto& code : e.codes) {
                           VoucherRow v{code, e.batch.batch_id, e.batch.plan_id};
                           v.owner_path = e.batch.owner_path;
                           kVoucherRows.put(w, voucher_key(code), v);
                           w.put(member_key(e.batch.batch_id, code), "");
                       }
                   },
                   [&](const VoucherRedeemed& e) {
                       move_voucher(w, e.code, VoucherState::Active, [&](VoucherRow& v) {
                           v.username = e.username;
                           v.redeemed_at = recorded.time;
                       });
                   },
                   [&](const VoucherExpired& e) {
                       move_voucher(w, e.code, VoucherState::Expired, [](VoucherRow&) {});
                   },
                   [&](const VoucherBatchRevoked& e) {
                       kBatchRows.update(w, batch_key(e.batch_id),
                                         [](BatchRow& b) { b.revoked = true; });
                       for (const auto& code : e.revoked_codes)
                           move_voucher(w, code, VoucherState::Revoked, [](VoucherRow&) {});
                   },
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_vouchers_projector() {
    return make_projector<BatchEvent>(kHotspotVouchers, events::hotspot::decode_batch_event, apply);
}

std::optional<BatchRow> find_batch(const ReadModelView& view, const std::string& batch_id) {
    return kBatchRows.find(view, batch_key(batch_id));
}

std::vector<BatchRow> list_batches(const ReadModelView& view, const std::string& after,
                                   std::size_t limit, const std::string& scope) {
    std::vector<BatchRow> out;
    if (limit == 0) return out;
    const auto start = after.empty() ? std::string() : batch_key(after) + std::string(1, '\0');
    view.scan("b/", start, [&](std::string_view, std::string_view value) {
        auto b = kBatchRows.decode(value);
        if (b && core::identity::in_scope(scope, b->batch.owner_path)) out.push_back(*b);
        return out.size() < limit;
    });
    return out;
}

std::optional<VoucherRow> find_voucher(const ReadModelView& view, const std::string& code) {
    return kVoucherRows.find(view, voucher_key(code));
}

std::vector<VoucherRow> list_vouchers(const ReadModelView& view, const std::string& batch_id,
                                      const std::string& after, std::size_t limit,
                                      std::optional<VoucherState> state) {
    std::vector<VoucherRow> out;
    if (limit == 0) return out;
    const auto prefix = key_of("c", batch_id) + "/";
    const auto start = after.empty() ? std::string() : prefix + after + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view key, std::string_view) {
        auto v = find_voucher(view, std::string(key.substr(prefix.size())));
        if (v && (!state || v->state == *state)) out.push_back(std::move(*v));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::hotspot
