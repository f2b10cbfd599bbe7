#include "events/voice/column_mapping.hpp"

#include <toml++/toml.h>

namespace switchyard::events::voice {

using core::Errc;
using core::Result;
using core::voice::ColumnMapping;
using core::voice::ColumnRef;

namespace {

Result<ColumnRef> column(const toml::node& node, const std::string& key) {
    ColumnRef ref;
    if (const auto* s = node.as_string()) {
        if (s->get().empty()) return core::fail(Errc::Invalid, key, "is an empty column name");
        ref.name = s->get();
        return ref;
    }
    if (const auto* i = node.as_integer()) {
        if (i->get() < 0) return core::fail(Errc::Invalid, key, "is a negative column index");
        ref.index = std::size_t(i->get());
        return ref;
    }
    return core::fail(Errc::Invalid, key, "must be a column name (string) or a 0-based index");
}

Result<bool> boolean(const toml::node& node, const std::string& key) {
    if (const auto* b = node.as_boolean()) return b->get();
    return core::fail(Errc::Invalid, key, "must be true or false");
}

Result<std::int64_t> whole(const toml::node& node, const std::string& key, std::int64_t min) {
    const auto* i = node.as_integer();
    if (i == nullptr || i->get() < min || i->get() > 1'000'000) {
        return core::fail(Errc::Invalid, key,
                          "must be a whole number from " + std::to_string(min) + " on");
    }
    return i->get();
}

Result<std::string> text(const toml::node& node, const std::string& key) {
    if (const auto* s = node.as_string()) return s->get();
    return core::fail(Errc::Invalid, key, "must be a string");
}

}  // namespace

Result<ColumnMapping> read_column_mapping(std::string_view toml_text,
                                          const std::string& file_name) {
    toml::table table;
    try {
        table = toml::parse(toml_text, file_name);
    } catch (const toml::parse_error& e) {
        return core::fail(
            Errc::Invalid, file_name,
            std::string(e.description()) + " (line " + std::to_string(e.source().begin.line) + ")");
    }
    ColumnMapping m;
    for (const auto& [key_node, node] : table) {
        const std::string key(key_node.str());
        if (key == "prefix") {
            m.prefix = SY_TRY(column(node, key));
        } else if (key == "destination" || key == "destination_name") {
            m.destination_name = SY_TRY(column(node, key));
        } else if (key == "rate") {
            m.rate = SY_TRY(column(node, key));
        } else if (key == "connect_fee") {
            m.connect_fee = SY_TRY(column(node, key));
        } else if (key == "first_increment") {
            m.first_increment = SY_TRY(column(node, key));
        } else if (key == "next_increment") {
            m.next_increment = SY_TRY(column(node, key));
        } else if (key == "effective_date") {
            m.effective_date = SY_TRY(column(node, key));
        } else if (key == "currency") {
            const auto c = SY_TRY(text(node, key));
            if (c.size() != 3 ||
                c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
                return core::fail(Errc::Invalid, key, "'" + c + "' is not an ISO 4217 code");
            }
            m.currency = c;
        } else if (key == "decimal_comma") {
            m.decimal_comma = SY_TRY(boolean(node, key));
        } else if (key == "separator") {
            const auto s = SY_TRY(text(node, key));
            if (s == "tab" || s == "\t") {
                m.separator = '\t';
            } else if (s.size() == 1) {
                m.separator = s[0];
            } else {
                return core::fail(Errc::Invalid, key,
                                  "'" + s + "' is not one character (or \"tab\")");
            }
        } else if (key == "skip_lines") {
            m.skip_lines = int(SY_TRY(whole(node, key, 0)));
        } else if (key == "header") {
            m.header = SY_TRY(boolean(node, key));
        } else if (key == "date_format") {
            const auto f = SY_TRY(text(node, key));
            if (f == "DD/MM/YYYY") {
                m.day_first_dates = true;
            } else if (f == "YYYY-MM-DD" || f == "RFC3339") {
                m.day_first_dates = false;
            } else {
                return core::fail(Errc::Invalid, key,
                                  "'" + f + "' is not YYYY-MM-DD, RFC3339 or DD/MM/YYYY");
            }
        } else if (key == "default_first_increment") {
            m.default_first_increment_s = SY_TRY(whole(node, key, 0));
        } else if (key == "default_next_increment") {
            m.default_next_increment_s = SY_TRY(whole(node, key, 0));
        } else if (key == "rating_plan") {
            m.rating_plan_id = SY_TRY(text(node, key));
            if (m.rating_plan_id.empty()) return core::fail(Errc::Invalid, key, "is empty");
        } else {
            return core::fail(Errc::Invalid, key, "is not a column mapping key");
        }
    }
    if (!m.prefix.is_set()) return core::fail(Errc::Invalid, "prefix", "is not mapped");
    if (!m.rate.is_set()) return core::fail(Errc::Invalid, "rate", "is not mapped");
    return m;
}

}  // namespace switchyard::events::voice
