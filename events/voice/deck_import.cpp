#include "events/voice/deck_import.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include <toml++/toml.h>
#include <boost/json.hpp>

#include "core/voice/cdrtool_deck.hpp"
#include "core/voice/cgrates_plan.hpp"
#include "events/voice/column_mapping.hpp"

namespace switchyard::events::voice {

using core::Errc;
using core::Result;
using core::voice::DeckFormat;
using core::voice::ParsedDeck;

namespace {

std::string base_name(const std::string& name) {
    const auto slash = name.find_last_of("/\\");
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Result<ParsedDeck> read_cdrtool(const std::vector<DeckFile>& files,
                                const DeckReadOptions& options) {
    static const char* const kNames[] = {"destinations.csv", "rates.csv", "profiles.csv",
                                         "customers.csv"};
    std::map<std::string, const DeckFile*> by_kind;
    for (const auto& f : files) {
        const auto key = lower(base_name(f.name));
        if (std::find(std::begin(kNames), std::end(kNames), key) == std::end(kNames))
            return core::fail(Errc::Invalid, "files",
                              "'" + f.name +
                                  "' is not a CDRTool deck file (destinations.csv, rates.csv, "
                                  "profiles.csv, customers.csv)");
        if (!by_kind.emplace(key, &f).second)
            return core::fail(Errc::Invalid, "files", "names " + key + " twice");
    }
    for (const char* required : {"destinations.csv", "rates.csv"})
        if (!by_kind.count(required))
            return core::fail(Errc::Invalid, "files",
                              std::string("lacks ") + required + " (a CDRTool deck needs it)");
    core::voice::CdrtoolDeckFiles in;
    auto set = [&](const char* key, std::string_view& text, std::string& name) {
        if (auto it = by_kind.find(key); it != by_kind.end()) {
            text = it->second->bytes;
            name = it->second->name;
        }
    };
    set("destinations.csv", in.destinations, in.destinations_name);
    set("rates.csv", in.rates, in.rates_name);
    set("profiles.csv", in.profiles, in.profiles_name);
    set("customers.csv", in.customers, in.customers_name);
    core::voice::CdrtoolDeckOptions o;
    o.tenant = options.tenant;
    o.currency = options.currency;
    return core::voice::parse_cdrtool_deck(in, o);
}

Result<ParsedDeck> read_cgrates(const std::vector<DeckFile>& files,
                                const DeckReadOptions& options) {
    std::map<std::string, std::string> texts;
    for (const auto& f : files) {
        const auto key = base_name(f.name);
        if (texts.count(key)) return core::fail(Errc::Invalid, "files", "names " + key + " twice");
        texts[key] = f.bytes;
    }
    auto plan =
        SY_TRY(core::voice::parse_cgrates_plan(texts, options.tenant_filter, options.currency));
    ParsedDeck out;
    out.tariff = std::move(plan.tariff);
    out.errors = std::move(plan.errors);
    out.lines_read = plan.lines_read;
    return out;
}

/// A TOML basic string of `text`.
std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

bool bare_key(const std::string& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
}

}  // namespace

Result<ParsedDeck> read_deck(DeckFormat format, const std::vector<DeckFile>& files,
                             const DeckReadOptions& options) {
    if (files.empty()) return core::fail(Errc::Invalid, "files", "names no file");
    switch (format) {
        case DeckFormat::Cdrtool:
            return read_cdrtool(files, options);
        case DeckFormat::Cgrates:
            return read_cgrates(files, options);
        case DeckFormat::Csv: {
            if (files.size() != 1)
                return core::fail(
                    Errc::Invalid, "files",
                    "a csv deck is one file; " + std::to_string(files.size()) + " were given");
            if (!options.mapping)
                return core::fail(Errc::Invalid, "mapping",
                                  "is required for a csv deck (which column holds what)");
            auto mapping = *options.mapping;
            if (!options.currency.empty()) mapping.currency = options.currency;
            auto deck =
                SY_TRY(core::voice::parse_carrier_csv(files[0].bytes, files[0].name, mapping));
            if (options.names) {
                for (auto& d : deck.tariff.destinations) {
                    if (!d.name.empty() || d.prefixes.empty()) continue;
                    if (auto n = options.names->destination(d.prefixes.front())) d.name = n->name;
                }
            }
            return deck;
        }
        case DeckFormat::Derived:
            break;
    }
    return core::fail(Errc::Invalid, "format",
                      "must be cdrtool, cgrates or csv (derived cards are computed, not read)");
}

Result<core::voice::ColumnMapping> column_mapping_from_json(std::string_view json_object) {
    boost::system::error_code ec;
    auto value = boost::json::parse(json_object, ec);
    if (ec || !value.is_object())
        return core::fail(Errc::Invalid, "mapping", "must be a JSON object");
    std::string toml;
    for (const auto& member : value.as_object()) {
        const std::string key(member.key());
        const auto field = "mapping." + key;
        if (!bare_key(key)) return core::fail(Errc::Invalid, field, "is not a mapping key");
        const auto& v = member.value();
        toml += key + " = ";
        if (v.is_string()) {
            toml += toml_string(std::string(v.as_string()));
        } else if (v.is_int64()) {
            toml += std::to_string(v.as_int64());
        } else if (v.is_uint64()) {
            toml += std::to_string(v.as_uint64());
        } else if (v.is_bool()) {
            toml += v.as_bool() ? "true" : "false";
        } else {
            return core::fail(Errc::Invalid, field,
                              "must be a string, a whole number or true/false");
        }
        toml += '\n';
    }
    auto mapping = read_column_mapping(toml, "mapping");
    if (!mapping) {
        auto e = mapping.error();
        if (e.field != "mapping") e.field = "mapping." + e.field;
        return tl::unexpected(std::move(e));
    }
    return mapping;
}

Result<std::string> column_mapping_json_from_toml(std::string_view toml_text,
                                                  const std::string& file_name) {
    SY_TRY(read_column_mapping(toml_text, file_name));
    toml::table table;
    try {
        table = toml::parse(toml_text, file_name);
    } catch (const toml::parse_error& e) {
        return core::fail(Errc::Invalid, file_name, std::string(e.description()));
    }
    boost::json::object out;
    for (const auto& [key, node] : table) {
        const std::string k(key.str());
        if (const auto* s = node.as_string())
            out[k] = s->get();
        else if (const auto* i = node.as_integer())
            out[k] = i->get();
        else if (const auto* b = node.as_boolean())
            out[k] = b->get();
        else
            return core::fail(Errc::Invalid, k, "must be a string, a whole number or true/false");
    }
    return boost::json::serialize(out);
}

}  // namespace switchyard::events::voice
