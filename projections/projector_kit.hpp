#pragma once
/// What the read models of the modules share: a projector made of a name and a function over a
/// module's decoded events (instead of a Projector class of its own each), and the JSON rows
/// they keep (built with the helpers of events/codec_kit.hpp). Include only in projection .cpp
/// files (it pulls in Boost.JSON and simdjson).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.hpp"
#include "events/codec_kit.hpp"
#include "events/envelope.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections {

// The field tables of events/codec_kit.hpp describe rows too.
using events::field;
using events::fields;
using events::flat;
using events::optional_field;

/// Applies one recorded event to a read model's writes (Projector::project).
using ProjectFn =
    std::function<core::Result<void>(const events::RecordedEvent&, ProjectionWrites&)>;

/// Event types a projector applies (Projector::accepts); null accepts every type.
using AcceptsFn = bool (*)(std::string_view type);

/// A projector named `name` (`<name>.v<N>`) that applies with `project` every event whose type
/// `accepts` (null: every event).
std::unique_ptr<Projector> make_projector(std::string name, ProjectFn project,
                                          AcceptsFn accepts = nullptr);

/// A projector of one module's events: each event whose type `accepts` is decoded with `decode`
/// (a codec's `decode_*_event`) and applied by `apply(decoded, envelope, writes)`; the others
/// are ignored. @param accepts default: the types of every alternative of `Variant`.
/// @errors project() answers the decoder's Invalid and `apply`'s errors.
template <class Variant>
std::unique_ptr<Projector> make_projector(
    std::string name, core::Result<Variant> (*decode)(const events::RecordedEvent&),
    std::type_identity_t<std::function<
        core::Result<void>(const Variant&, const events::RecordedEvent&, ProjectionWrites&)>>
        apply,
    AcceptsFn accepts = &events::is_type_of<Variant>) {
    return make_projector(
        std::move(name),
        [decode, accepts, apply = std::move(apply)](const events::RecordedEvent& e,
                                                    ProjectionWrites& w) -> core::Result<void> {
            if (!accepts(e.type)) return {};
            return apply(SY_TRY(decode(e)), e, w);
        },
        accepts);
}

/// A key of `/`-separated parts after a one-letter kind: `key_of("s", server, customer)` is
/// `s/<server>/<customer>`.
template <class... Parts>
std::string key_of(std::string_view kind, const Parts&... parts) {
    std::string key(kind);
    ((key += '/', key += parts), ...);
    return key;
}

/// A row decoded from JSON text by `fn(JsonObject) -> Row`, or nullopt when the text is not a
/// JSON object or `fn` finds a field missing or mistyped (events/json_reader.hpp).
template <class Fn>
auto decode_json_row(std::string_view text, Fn&& fn)
    -> std::optional<decltype(fn(std::declval<events::JsonObject&>()))> {
    auto r = events::with_json_object(text, std::forward<Fn>(fn));
    if (!r) return std::nullopt;
    return std::move(*r);
}

/// How a read model keeps one kind of row: as a JSON object written and read by a field table
/// (events/codec_kit.hpp).
template <class Row, class Table>
struct JsonRows {
    Table table;

    std::string encode(const Row& row) const {
        return events::json::serialize(events::to_json(row, table));
    }
    /// The row in `text`, or nullopt when it is not such a row.
    std::optional<Row> decode(std::string_view text) const {
        return decode_json_row(
            text, [&](const events::JsonObject& o) { return events::from_json<Row>(o, table); });
    }
    /// The row at `key` of a model, or nullopt when absent or malformed.
    std::optional<Row> find(const ReadModelView& view, std::string_view key) const {
        auto text = view.get(key);
        return text ? decode(*text) : std::nullopt;
    }
    /// The row at `key` as a batch sees it (its own earlier writes included).
    std::optional<Row> find(ProjectionWrites& w, std::string_view key) const {
        auto text = w.get(key);
        return text ? decode(*text) : std::nullopt;
    }
    void put(ProjectionWrites& w, std::string_view key, const Row& row) const {
        w.put(key, encode(row));
    }
    /// Edits the row at `key` in place with `change(Row&)`; false (and no write) when there is
    /// no such row.
    template <class Change>
    bool update(ProjectionWrites& w, std::string_view key, Change&& change) const {
        auto row = find(w, key);
        if (!row) return false;
        change(*row);
        put(w, key, *row);
        return true;
    }
};

/// The rows of `Row` written by `table`.
template <class Row, class Table>
constexpr JsonRows<Row, Table> json_rows(Table table) {
    return {table};
}

/// Edits the JSON object row at `key` in place with `change(boost::json::object&)`; false (and
/// no write) when there is no such row.
template <class Change>
bool update_json_object(ProjectionWrites& w, std::string_view key, Change&& change) {
    auto row = w.get(key);
    if (!row) return false;
    auto o = events::json::parse(*row).as_object();
    change(o);
    w.put(key, events::json::serialize(o));
    return true;
}

}  // namespace switchyard::projections
