// Rate decks over HTTP: create a deck (a carrier's buy deck, a sell card, or a sell card derived
// from a buy deck by a markup rule), list and read decks with their versions, import a version
// from CDRTool tables, a CGRateS tariff plan folder or a carrier CSV (events/voice/
// deck_import.hpp), the differences a version recorded against the one before, and the rates of
// a version. Money is written as decimal strings (`"0.0125"`), read with core/voice/money.hpp.
// Decks are the operator's business: admins manage them, admins and support read them.
#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "core/voice/deck_decider.hpp"
#include "core/voice/money.hpp"
#include "events/voice/deck_codec.hpp"
#include "events/voice/deck_import.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// A price as a decimal string: six decimals with the trailing zeros dropped down to four
/// (`0.0999`, `0.012345`).
json::value opt_time(const std::optional<core::Timestamp>& t) {
    if (!t) return nullptr;
    return json::value(core::format_rfc3339(*t));
}

/// A row's own effective date, else the version's.
json::value effective(const std::optional<core::Timestamp>& row,
                      const std::optional<core::Timestamp>& version) {
    return opt_time(row ? row : version);
}

json::object markup_json(const MarkupRule& m) {
    return {{"percent", format_micros(m.percent_bp * 10'000, 2)},
            {"fixed_per_minute", price_text(m.fixed_micros_per_minute)},
            {"minimum_margin_per_minute", price_text(m.minimum_margin_micros_per_minute)},
            {"rounding_decimals", m.rounding_decimals}};
}

json::object counts_json(const TariffCounts& c) {
    return {{"destinations", c.destinations},
            {"prefixes", c.prefixes},
            {"rate_groups", c.rate_groups},
            {"destination_rates", c.destination_rates},
            {"timings", c.timings},
            {"rating_plans", c.rating_plans},
            {"rating_profiles", c.rating_profiles}};
}

json::object version_json(const DeckVersionImported& v) {
    json::array files;
    for (const auto& f : v.files) files.emplace_back(f);
    return {{"version", v.version},
            {"effective_from", core::format_rfc3339(v.effective_from)},
            {"imported_at", core::format_rfc3339(v.imported_at)},
            {"files", std::move(files)},
            {"counts", counts_json(v.counts)},
            {"content_sha256", v.content_sha256},
            {"rating_plan_id", v.rating_plan_id},
            {"currency", v.currency}};
}

json::object deck_json(VoiceApi& api, const DeckInfo& d, core::Timestamp now) {
    json::object o{{"deck_id", d.deck_id},
                   {"name", d.name},
                   {"kind", to_string(d.kind)},
                   {"currency", d.currency},
                   {"format", to_string(d.format)}};
    o["carrier_id"] = d.carrier_id.empty() ? json::value(nullptr) : json::value(d.carrier_id);
    o["source_deck_id"] =
        d.source_deck_id.empty() ? json::value(nullptr) : json::value(d.source_deck_id);
    o["markup"] = d.markup ? json::value(markup_json(*d.markup)) : json::value(nullptr);
    const auto latest = api.tariffs.latest(d.deck_id);
    const auto current = api.tariffs.current(d.deck_id, now);
    o["latest_version"] = latest ? json::value(latest->header.version) : json::value(nullptr);
    o["current_version"] = current ? json::value(current->header.version) : json::value(nullptr);
    return o;
}

json::object refused_json(const RowError& e) {
    return {{"file", e.file}, {"line", e.line}, {"field", e.field}, {"reason", e.reason}};
}

json::object prefix_rate_json(const PrefixRate& p,
                              const std::optional<core::Timestamp>& version_from = {}) {
    return {{"prefix", p.prefix},
            {"destination_name", p.destination_name},
            {"rate_per_minute", price_text(p.rate_per_minute_micros)},
            {"connect_fee", price_text(p.connect_fee_micros)},
            {"effective_from", effective(p.effective_from, version_from)}};
}

json::object change_json(const PriceChange& c, const std::optional<core::Timestamp>& version_from) {
    return {{"prefix", c.prefix},
            {"destination_name", c.destination_name},
            {"old_rate_per_minute", price_text(c.old_rate_per_minute_micros)},
            {"new_rate_per_minute", price_text(c.new_rate_per_minute_micros)},
            {"old_connect_fee", price_text(c.old_connect_fee_micros)},
            {"new_connect_fee", price_text(c.new_connect_fee_micros)},
            {"effective_from", effective(c.effective_from, version_from)},
            {"short_notice", c.short_notice}};
}

std::int64_t short_notice_count(const DeckVersionDiffed& d) {
    return std::count_if(d.increases.begin(), d.increases.end(),
                         [](const PriceChange& c) { return c.short_notice; });
}

json::object diff_counts_json(const DeckVersionDiffed& d) {
    return {{"added", static_cast<std::int64_t>(d.added.size())},
            {"removed", static_cast<std::int64_t>(d.removed.size())},
            {"increases", static_cast<std::int64_t>(d.increases.size())},
            {"decreases", static_cast<std::int64_t>(d.decreases.size())},
            {"short_notice", short_notice_count(d)},
            {"unchanged", d.unchanged}};
}

/// The `voice.deck.version_diffed` of `version`, read from the deck's stream (only events of
/// that type are decoded; the rate chunks are skipped). None when it has none.
core::Result<std::optional<DeckVersionDiffed>> recorded_diff(VoiceApi& api,
                                                             const std::string& deck_id,
                                                             std::int64_t version) {
    const auto stream = deck_stream(deck_id);
    std::int64_t from = 0;
    for (;;) {
        auto batch = SY_TRY(api.ctx.store.read_stream(stream, from, 256));
        if (batch.empty()) return std::nullopt;
        for (const auto& e : batch) {
            from = e.revision + 1;
            if (e.type != DeckVersionDiffed::kType) continue;
            auto decoded = SY_TRY(events::voice::decode_deck_event(e));
            auto& d = std::get<DeckVersionDiffed>(decoded);
            if (d.version == version) return std::optional<DeckVersionDiffed>(std::move(d));
        }
    }
}

/// Positions of several commands: the last per partition.
void merge_positions(std::vector<events::Position>& into,
                     const std::vector<events::Position>& add) {
    for (const auto& p : add) {
        auto it = std::find_if(into.begin(), into.end(), [&](const events::Position& q) {
            return q.topic == p.topic && q.partition == p.partition;
        });
        if (it == into.end())
            into.push_back(p);
        else if (it->offset < p.offset)
            it->offset = p.offset;
    }
}

/// A deck id made of a name: ASCII letters, digits, `_`, `.`, `-` kept (lower-cased), every
/// other run of bytes one `-`, at most 64 characters.
std::string id_of_name(const std::string& name) {
    std::string id;
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-')
            id += static_cast<char>(std::tolower(c));
        else if (!id.empty() && id.back() != '-')
            id += '-';
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    if (id.size() > 64) id.resize(64);
    return id;
}

/// A decimal string member as micros. @errors Invalid naming `<prefix><key>`.
core::Result<std::optional<Micros>> opt_money(const JsonBody& b, const char* key) {
    auto text = SY_TRY(b.opt_string(key));
    if (!text) return std::optional<Micros>();
    auto m = SY_TRY(parse_micros(*text, b.prefix() + key));
    return std::optional<Micros>(m);
}

/// `markup: {percent, fixed_per_minute, minimum_margin_per_minute, rounding_decimals}`.
core::Result<MarkupRule> markup_of(const JsonBody& m) {
    SY_TRY(
        m.only({"percent", "fixed_per_minute", "minimum_margin_per_minute", "rounding_decimals"}));
    MarkupRule rule;
    if (auto pct = SY_TRY(opt_money(m, "percent"))) {
        // 20 % = 20'000'000 micros of a percent = 2000 basis points.
        if (*pct % 10'000 != 0)
            return core::fail(Errc::Invalid, m.prefix() + "percent",
                              "has more than 2 decimals (basis points are the unit)");
        rule.percent_bp = *pct / 10'000;
    }
    if (auto f = SY_TRY(opt_money(m, "fixed_per_minute"))) rule.fixed_micros_per_minute = *f;
    if (auto f = SY_TRY(opt_money(m, "minimum_margin_per_minute")))
        rule.minimum_margin_micros_per_minute = *f;
    if (auto d = SY_TRY(m.opt_int("rounding_decimals"))) {
        if (*d < 0 || *d > 6)
            return core::fail(Errc::Invalid, m.prefix() + "rounding_decimals",
                              "must be from 0 to 6");
        rule.rounding_decimals = static_cast<int>(*d);
    }
    return rule;
}

/// The terms of a deck to create, from the members of `b`: `deck_id?` (default: made of the
/// name), `name`, `kind?` (default buy with a carrier, else sell), `carrier_id` (buy; a carrier
/// of the reference data), `currency?` (default the carrier's or the source deck's),
/// `source_deck_id` + `markup` (a derived sell card). `format` is the deck's source format.
/// The terms are checked by the deck decider before anything is appended.
/// @errors Invalid naming the member; Rejected `carrier_id` (no such carrier) or
///         `source_deck_id` (no such buy deck).
core::Result<DeckInfo> deck_terms(VoiceApi& api, const JsonBody& b, DeckFormat format,
                                  const core::DecisionContext& ctx) {
    DeckInfo d;
    d.name = SY_TRY(b.string("name"));
    d.format = format;
    auto carrier = SY_TRY(b.opt_string("carrier_id"));
    auto source = SY_TRY(b.opt_string("source_deck_id"));
    if (auto kind = SY_TRY(b.opt_string("kind"))) {
        if (!parse_deck_kind(*kind, d.kind))
            return core::fail(Errc::Invalid, "kind", "must be buy or sell");
    } else {
        d.kind = carrier ? DeckKind::Buy : DeckKind::Sell;
    }
    std::string default_currency;
    if (d.kind == DeckKind::Buy) {
        if (!carrier) return core::fail(Errc::Invalid, "carrier_id", "is required for a buy deck");
        const auto reference = SY_TRY(api.voice.reference());
        const auto& carriers = reference.items<Carrier>();
        auto it = carriers.find(*carrier);
        if (it == carriers.end() || it->second.retired)
            return core::fail(Errc::Rejected, "carrier_id",
                              "'" + *carrier + "' is not a carrier of the reference data");
        d.carrier_id = *carrier;
        default_currency = it->second.item.currency;
    } else if (carrier) {
        return core::fail(Errc::Invalid, "carrier_id", "is for buy decks only");
    }
    if (source) {
        auto src = api.tariffs.deck(*source);
        if (!src || src->kind != DeckKind::Buy)
            return core::fail(Errc::Rejected, "source_deck_id",
                              "'" + *source + "' is not a buy deck");
        auto m = SY_TRY(b.opt_object("markup"));
        if (!m) return core::fail(Errc::Invalid, "markup", "is required with source_deck_id");
        d.markup = SY_TRY(markup_of(*m));
        d.source_deck_id = *source;
        d.format = DeckFormat::Derived;
        default_currency = src->currency;
    } else if (b.has("markup")) {
        return core::fail(Errc::Invalid, "markup", "needs source_deck_id (the buy deck)");
    }
    auto currency = SY_TRY(b.opt_string("currency"));
    d.currency = currency ? *currency : default_currency;
    if (d.currency.empty()) return core::fail(Errc::Invalid, "currency", "is required");
    auto id = SY_TRY(b.opt_string("deck_id"));
    d.deck_id = id ? *id : id_of_name(d.name);
    if (d.deck_id.empty())
        return core::fail(Errc::Invalid, "deck_id", "is required when the name has no letters");
    // The decider's checks (id, name, currency, markup) before anything is appended.
    SY_TRY(decide(DeckState{}, CreateDeck{d}, ctx));
    return d;
}

/// Re-derives every sell card whose source is `deck_id`, effective from `from`.
core::Result<json::array> derive_cards(VoiceApi& api, const std::string& deck_id,
                                       core::Timestamp from, const core::DecisionContext& ctx,
                                       std::vector<events::Position>& positions) {
    json::array out;
    for (const auto& card : api.tariffs.decks()) {
        if (card.source_deck_id != deck_id || !card.markup) continue;
        auto o = SY_TRY(api.decks.derive(card.deck_id, from, ctx));
        merge_positions(positions, o.positions);
        out.push_back(json::object{
            {"deck_id", card.deck_id}, {"version", o.version}, {"unchanged", o.unchanged}});
    }
    return out;
}

// ---- handlers ----

/// POST /v1/voice/decks
core::Result<HttpResponse> create_deck(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"deck_id", "name", "kind", "carrier_id", "currency", "format", "source_deck_id",
                   "markup"}));
    DeckFormat format = DeckFormat::Csv;
    if (auto f = SY_TRY(b.opt_string("format"))) {
        if (!parse_deck_format(*f, format))
            return core::fail(Errc::Invalid, "format", "must be cdrtool, cgrates, csv or derived");
    } else if (!b.has("source_deck_id")) {
        return core::fail(Errc::Invalid, "format", "is required (cdrtool, cgrates or csv)");
    }
    const auto ctx = context_of(api, r);
    auto d = SY_TRY(deck_terms(api, b, format, ctx));
    auto o = SY_TRY(api.decks.create(CreateDeck{d}, ctx));
    auto positions = o.positions;
    auto body = deck_json(api, d, ctx.now);
    // A derived card gets its first version at once when its source has one.
    if (d.format == DeckFormat::Derived && api.tariffs.latest(d.source_deck_id)) {
        auto derived = SY_TRY(api.decks.derive(d.deck_id, ctx.now, ctx));
        merge_positions(positions, derived.positions);
        body = deck_json(api, d, ctx.now);
    }
    return answer(o.changed ? 201 : 200, std::move(body), positions);
}

/// GET /v1/voice/decks?kind=&carrier_id=&cursor=&limit=
core::Result<HttpResponse> list_decks(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    const auto page = SY_TRY(page_query(r));
    const auto kind = SY_TRY(enum_query(r, "kind", {"buy", "sell", ""}, ""));
    const auto carrier = r.query_param("carrier_id");
    const auto now = api.ctx.clock.now();
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& d : api.tariffs.decks()) {
        if (!kind.empty() && kind != to_string(d.kind)) continue;
        if (!carrier.empty() && carrier != d.carrier_id) continue;
        items.emplace_back(d.deck_id, deck_json(api, d, now));
    }
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/decks/{id}
core::Result<HttpResponse> get_deck(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    const auto id = SY_TRY(text_param(r));
    auto d = api.tariffs.deck(id);
    if (!d) return not_found("deck", id);
    auto body = deck_json(api, *d, api.ctx.clock.now());
    json::array versions;
    for (const auto& v : api.tariffs.versions(id)) versions.push_back(version_json(v));
    body["versions"] = std::move(versions);
    return json_ok(body);
}

/// The deck and version of `/v1/voice/decks/{id}/versions/{v}/...`.
/// @errors NotFound `id` or `version`; Invalid `version` when not a number.
struct DeckVersionRef {
    DeckInfo deck;
    std::int64_t version = 0;
    core::Timestamp effective_from;
};

core::Result<DeckVersionRef> deck_version_param(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto v_text = SY_TRY(text_param(r, "v"));
    std::int64_t v = 0;
    for (char c : v_text) {
        if (c < '0' || c > '9' || v > 1'000'000'000)
            return core::fail(Errc::Invalid, "version", "must be a version number");
        v = v * 10 + (c - '0');
    }
    auto d = api.tariffs.deck(id);
    if (!d) return not_found("deck", id);
    const auto state = SY_TRY(api.decks.state(id));
    auto it = state.versions.find(v);
    if (it == state.versions.end())
        return core::fail(Errc::NotFound, "version",
                          fmt::format("deck '{}' has no version {}", id, v));
    return DeckVersionRef{*d, v, it->second.header.effective_from};
}

/// GET /v1/voice/decks/{id}/versions/{v}/diff
core::Result<HttpResponse> get_diff(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    const auto [deck, v, from] = SY_TRY(deck_version_param(api, r));
    auto recorded = SY_TRY(recorded_diff(api, deck.deck_id, v));
    DeckVersionDiffed d;
    d.version = v;
    json::object body{
        {"deck_id", deck.deck_id}, {"version", v}, {"effective_from", core::format_rfc3339(from)}};
    if (recorded) d = std::move(*recorded);
    body["against_version"] = recorded ? json::value(d.against_version) : json::value(nullptr);
    json::array added, removed, increases, decreases;
    for (const auto& p : d.added) added.push_back(prefix_rate_json(p, from));
    for (const auto& p : d.removed) removed.push_back(prefix_rate_json(p));
    for (const auto& c : d.increases) increases.push_back(change_json(c, from));
    for (const auto& c : d.decreases) decreases.push_back(change_json(c, from));
    body["counts"] = diff_counts_json(d);
    body["added"] = std::move(added);
    body["removed"] = std::move(removed);
    body["increases"] = std::move(increases);
    body["decreases"] = std::move(decreases);
    return json_ok(body);
}

/// GET /v1/voice/decks/{id}/versions/{v}/rates?prefix=&cursor=&limit=
core::Result<HttpResponse> get_rates(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    const auto page = SY_TRY(page_query(r));
    const auto [deck, v, from] = SY_TRY(deck_version_param(api, r));
    const auto prefix = r.query_param("prefix");
    if (!std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return core::fail(Errc::Invalid, "prefix", "must be digits");
    auto view = api.tariffs.version(deck.deck_id, v);
    if (!view)
        return core::fail(Errc::NotFound, "version",
                          fmt::format("version {} of deck '{}' is not usable: {}", v, deck.deck_id,
                                      api.tariffs.build_error(deck.deck_id, v)));
    PageWriter out(page);
    const auto rates = prefix_rates(view->index->tariff());
    for (auto it = page.cursor.empty() ? rates.lower_bound(prefix) : rates.upper_bound(page.cursor);
         it != rates.end() && it->first.starts_with(prefix); ++it) {
        if (!out.add(json::serialize(prefix_rate_json(it->second, from)), it->first)) break;
    }
    return json_response(200, out.body());
}

/// GET /v1/voice/customers/{id}/rate-card?prefix=&cursor=&limit=: the prices the customer pays
/// today, from the version of its assigned rate card in force now. The customer's own user, its
/// reseller and staff read it; anyone else gets 404.
core::Result<HttpResponse> get_rate_card(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    const auto page = SY_TRY(page_query(r));
    const auto id = SY_TRY(id_param(r, "id"));
    const auto prefix = r.query_param("prefix");
    if (!std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return core::fail(Errc::Invalid, "prefix", "must be digits");
    auto config = api.voice.effective_config(id);
    if (!config && config.error().code != Errc::NotFound) return tl::unexpected(config.error());
    if (!config || !may_see(r, config->customer))
        return not_found("customer", std::to_string(id), "id");
    const auto card = config->effective.value(ItemKind::RateCard);
    if (!card)
        return core::fail(Errc::NotFound, "rate_card",
                          fmt::format("customer {} has no rate card assigned", id));
    const auto view = api.tariffs.current(*card, context_of(api, r).now);
    if (!view)
        return core::fail(Errc::NotFound, "rate_card",
                          fmt::format("rate card '{}' has no usable version", *card));
    PageWriter out(page);
    const auto rates = prefix_rates(view->index->tariff());
    for (auto it = page.cursor.empty() ? rates.lower_bound(prefix) : rates.upper_bound(page.cursor);
         it != rates.end() && it->first.starts_with(prefix); ++it) {
        if (!out.add(json::serialize(prefix_rate_json(it->second, view->header.effective_from)),
                     it->first))
            break;
    }
    return json_response(200, out.body());
}

/// Standard base64 (RFC 4648 section 4), padding optional, blanks and line breaks ignored.
std::optional<std::string> base64_decode(const std::string& text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    bool padding = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        const int v = value(c);
        if (v < 0 || padding) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if (bits >= 6) return std::nullopt;  // a dangling sixth of a byte
    return out;
}

/// POST /v1/voice/decks/imports
core::Result<HttpResponse> import_deck(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"deck_id", "name", "kind", "carrier_id", "currency", "format", "files",
                   "mapping", "effective_from", "partial", "tenant"}));
    DeckFormat format{};
    const auto format_text = SY_TRY(b.string("format"));
    if (!parse_deck_format(format_text, format) || format == DeckFormat::Derived)
        return core::fail(Errc::Invalid, "format", "must be cdrtool, cgrates or csv");
    auto file_list = SY_TRY(b.opt_object_list("files"));
    if (!file_list || file_list->empty())
        return core::fail(Errc::Invalid, "files", "must list at least one file");
    std::vector<events::voice::DeckFile> files;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < file_list->size(); ++i) {
        const auto& f = (*file_list)[i];
        SY_TRY(f.only({"name", "content", "content_base64"}));
        events::voice::DeckFile file;
        file.name = SY_TRY(f.string("name"));
        if (file.name.empty()) return core::fail(Errc::Invalid, f.prefix() + "name", "is empty");
        auto content = SY_TRY(f.opt_string("content"));
        auto encoded = SY_TRY(f.opt_string("content_base64"));
        if (content.has_value() == encoded.has_value())
            return core::fail(Errc::Invalid, f.prefix() + "content",
                              "give either content or content_base64");
        if (encoded) {
            auto bytes = base64_decode(*encoded);
            if (!bytes)
                return core::fail(Errc::Invalid, f.prefix() + "content_base64",
                                  "is not base64 (RFC 4648)");
            file.bytes = std::move(*bytes);
        } else {
            file.bytes = std::move(*content);
        }
        names.push_back(file.name);
        files.push_back(std::move(file));
    }
    const auto ctx = context_of(api, r);
    core::Timestamp effective_from = ctx.now;
    if (auto t = SY_TRY(b.opt_string("effective_from"))) {
        auto parsed = core::parse_rfc3339(*t);
        if (!parsed)
            return core::fail(Errc::Invalid, "effective_from",
                              "must be an RFC 3339 time, e.g. 2026-01-01T00:00:00Z");
        effective_from = *parsed;
    }
    const bool partial = SY_TRY(b.opt_bool("partial")).value_or(false);
    events::voice::DeckReadOptions options;
    options.tenant = api.ctx.tenant;
    options.tenant_filter = SY_TRY(b.opt_string("tenant")).value_or("");
    if (b.has("mapping")) {
        SY_TRY(b.opt_object("mapping"));  // an object, else Invalid naming `mapping`
        const auto whole = json::parse(r.body).as_object();
        options.mapping =
            SY_TRY(events::voice::column_mapping_from_json(json::serialize(whole.at("mapping"))));
    }

    // The deck: an existing one by id or name, else one to create with the body's terms.
    auto id = SY_TRY(b.opt_string("deck_id"));
    auto name = SY_TRY(b.opt_string("name"));
    std::optional<DeckInfo> deck;
    if (id) deck = api.tariffs.deck(*id);
    if (!deck && !id && name) deck = api.tariffs.find(*name);
    std::optional<DeckInfo> to_create;
    if (!deck) {
        if (!name) {
            if (id) return not_found("deck", *id, "deck_id");
            return core::fail(Errc::Invalid, "deck_id",
                              "name a deck (deck_id) or the deck to create (name)");
        }
        to_create = SY_TRY(deck_terms(api, b, format, ctx));
        if (to_create->format == DeckFormat::Derived)
            return core::fail(Errc::Invalid, "source_deck_id",
                              "a derived card is computed from its buy deck, not imported");
        deck = to_create;
    } else if (deck->format == DeckFormat::Derived) {
        return core::fail(Errc::Rejected, "deck_id",
                          "'" + deck->deck_id + "' is derived from its buy deck, not imported");
    }
    if (auto c = SY_TRY(b.opt_string("currency")); c && *c != deck->currency)
        return core::fail(Errc::Rejected, "currency",
                          "the deck is in " + deck->currency + ", not " + *c);
    options.currency = deck->currency;

    options.names = &api.numbering;
    auto parsed = SY_TRY(events::voice::read_deck(format, files, options));
    json::array refused;
    for (const auto& e : parsed.errors) refused.push_back(refused_json(e));
    if (!parsed.errors.empty() && !partial) {
        const auto& first = parsed.errors.front();
        return problem(
            core::Error{Errc::Rejected, "files",
                        fmt::format("{} row(s) refused, first {}:{}: {}: {}; nothing was imported "
                                    "(send partial=true to import the other rows)",
                                    parsed.errors.size(), first.file, first.line, first.field,
                                    first.reason)},
            json::object{{"lines_read", parsed.lines_read}, {"refused", std::move(refused)}});
    }
    const auto counts = count_rows(parsed.tariff);
    if (counts.prefixes == 0)
        return core::fail(Errc::Rejected, "files", "no prefix was read: nothing to import");

    std::vector<events::Position> positions;
    if (to_create) {
        auto created = SY_TRY(api.decks.create(CreateDeck{*to_create}, ctx));
        merge_positions(positions, created.positions);
    }
    ImportDeckVersion cmd;
    cmd.deck_id = deck->deck_id;
    cmd.tariff = std::move(parsed.tariff);
    cmd.effective_from = effective_from;
    cmd.files = names;
    auto imported = SY_TRY(api.decks.import_version(std::move(cmd), ctx));
    merge_positions(positions, imported.positions);

    json::object body{{"deck_id", deck->deck_id},        {"version", imported.version},
                      {"unchanged", imported.unchanged}, {"counts", counts_json(counts)},
                      {"lines_read", parsed.lines_read}, {"refused", std::move(refused)}};
    body["diff"] = nullptr;
    if (!imported.unchanged && imported.version > 1) {
        if (auto d = SY_TRY(recorded_diff(api, deck->deck_id, imported.version)))
            body["diff"] = diff_counts_json(*d);
    }
    json::array derived;
    if (!imported.unchanged && deck->kind == DeckKind::Buy)
        derived = SY_TRY(derive_cards(api, deck->deck_id, effective_from, ctx, positions));
    body["derived"] = std::move(derived);
    const bool added = imported.changed && !imported.unchanged;
    return answer(added ? 201 : 200, std::move(body), positions);
}

}  // namespace

VoiceRoutes deck_routes() {
    return {
        {"GET", "/v1/voice/decks", voice_roles::operator_read, list_decks,
         "Rate decks and sell cards in id order (?kind=buy|sell, ?carrier_id=), "
         "cursor-paginated."},
        {"POST", "/v1/voice/decks", roles::admin, create_deck,
         "Creates a carrier's buy deck, a sell card, or a sell card derived from a buy deck by "
         "a markup rule."},
        {"GET", "/v1/voice/decks/{id}", voice_roles::operator_read, get_deck,
         "One deck: its terms and its usable versions with effective dates and counts."},
        {"POST", "/v1/voice/decks/imports", roles::admin, import_deck,
         "Imports a version of a deck (CDRTool, CGRateS or carrier CSV files), re-derives the "
         "sell cards computed from it, and reports counts, refused rows and differences."},
        {"GET", "/v1/voice/decks/{id}/versions/{v}/diff", voice_roles::operator_read, get_diff,
         "The differences a version recorded against the one before: added and removed "
         "prefixes, increases (flagged short notice) and decreases."},
        {"GET", "/v1/voice/customers/{id}/rate-card", voice_roles::customer_read, get_rate_card,
         "The customer's prices in force now: its assigned rate card's current version, prefix "
         "by prefix (?prefix=), cursor-paginated."},
        {"GET", "/v1/voice/decks/{id}/versions/{v}/rates", voice_roles::operator_read, get_rates,
         "The rate per prefix of a version (?prefix= to narrow), cursor-paginated."},
    };
}

}  // namespace switchyard::api::voice
