#include "core/voice/did_csv.hpp"

#include <charconv>

#include "core/voice/csv.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

namespace {

/// The index of `ref` in `header`. `optional_by_default`: a name-only column absent from the
/// header is none rather than an error (the fixed header's optional columns).
Result<std::optional<std::size_t>> resolve(const ColumnRef& ref, const std::string& key,
                                           const std::vector<std::string>* header, bool required) {
    if (!ref.is_set()) {
        if (required) return fail(Errc::Invalid, key, "is not mapped");
        return std::optional<std::size_t>();
    }
    if (ref.index) {
        if (header != nullptr && *ref.index >= header->size())
            return fail(Errc::Invalid, key,
                        "column " + std::to_string(*ref.index) + " is past the " +
                            std::to_string(header->size()) + " columns of the header");
        return std::optional<std::size_t>(*ref.index);
    }
    if (header == nullptr)
        return fail(
            Errc::Invalid, key,
            "a file without a header line needs column indexes, not the name '" + ref.name + "'");
    const auto found = find_column(*header, ref.name);
    if (!found && required)
        return fail(Errc::Invalid, key, "column '" + ref.name + "' is not in the header");
    return found;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

}  // namespace

Result<Parsed<DidImportRow>> parse_did_csv(std::string_view text, const std::string& file_name,
                                           const DidColumnMapping& m) {
    CsvOptions options;
    options.separator = m.separator;
    options.decimal_comma = m.decimal_comma;
    options.skip_lines = m.skip_lines;
    const auto table = read_csv(text, options);
    if (m.header && table.rows.empty())
        return fail(Errc::Invalid, "file", file_name + " has no header line");
    const auto* header = m.header ? &table.rows.front().fields : nullptr;
    const auto c_number = SY_TRY(resolve(m.number, "number", header, true));
    const auto c_country = SY_TRY(resolve(m.country, "country", header, true));
    const auto c_provider =
        SY_TRY(resolve(m.provider, "provider", header, m.default_provider.empty()));
    const auto c_type = SY_TRY(resolve(m.type, "type", header, false));
    const auto c_area = SY_TRY(resolve(m.area, "area", header, false));
    const auto c_currency = SY_TRY(resolve(m.currency, "currency", header, false));
    const auto c_setup_cost = SY_TRY(resolve(m.setup_cost, "setup_cost", header, false));
    const auto c_monthly_cost = SY_TRY(resolve(m.monthly_cost, "monthly_cost", header, false));
    const auto c_setup_price = SY_TRY(resolve(m.setup_price, "setup_price", header, false));
    const auto c_monthly_price = SY_TRY(resolve(m.monthly_price, "monthly_price", header, false));
    const auto c_channels = SY_TRY(resolve(m.channels, "channels", header, false));

    Parsed<DidImportRow> out;
    for (std::size_t r = m.header ? 1 : 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        ++out.lines_read;
        auto refuse = [&](std::string field, std::string reason) {
            out.errors.push_back(
                RowError{file_name, row.line, std::move(field), std::move(reason)});
        };
        auto cell = [&](const std::optional<std::size_t>& c) {
            return c ? trim_blanks(field_at(row, *c)) : std::string_view();
        };
        DidImportRow item;
        item.line = row.line;
        auto& d = item.did;

        std::string digits;
        for (char ch : cell(c_number))
            if (ch != ' ' && ch != '-' && ch != '.' && ch != '(' && ch != ')') digits += ch;
        std::string_view n = digits;
        if (n.starts_with("00")) n.remove_prefix(2);
        const auto number = did_number(n);
        if (!number) {
            refuse("number", "'" + std::string(cell(c_number)) +
                                 "' is not an E.164 number (6 to 15 digits, optional + or 00)");
            continue;
        }
        d.number = *number;
        for (char ch : cell(c_country)) d.country += ch >= 'a' && ch <= 'z' ? char(ch - 32) : ch;
        d.provider_id = std::string(cell(c_provider));
        if (d.provider_id.empty()) d.provider_id = m.default_provider;
        if (d.provider_id.empty()) {
            refuse("provider", "is empty and the import names no default provider");
            continue;
        }
        std::string type;
        for (char ch : cell(c_type)) type += ch == '-' || ch == '_' ? '\0' : lower(ch);
        std::erase(type, '\0');
        if (!type.empty() && !parse_did_type(type, d.type)) {
            refuse("type", "'" + std::string(cell(c_type)) +
                               "' is not local, national, mobile or tollfree");
            continue;
        }
        d.area = std::string(cell(c_area));
        d.currency = std::string(cell(c_currency));
        bool ok = true;
        for (auto [col, key, target] :
             {std::tuple{c_setup_cost, "setup_cost", &d.setup_cost},
              std::tuple{c_monthly_cost, "monthly_cost", &d.monthly_cost},
              std::tuple{c_setup_price, "setup_price", &d.setup_price},
              std::tuple{c_monthly_price, "monthly_price", &d.monthly_price}}) {
            const auto t = cell(col);
            if (t.empty()) continue;
            const auto v = parse_micros(t, key, table.decimal_comma);
            if (!v) {
                refuse(key, v.error().message);
                ok = false;
                break;
            }
            if (*v < 0) {
                refuse(key, "'" + std::string(t) + "' is negative");
                ok = false;
                break;
            }
            *target = *v;
        }
        if (!ok) continue;
        if (const auto t = cell(c_channels); !t.empty()) {
            std::int64_t v = 0;
            const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || p != t.data() + t.size() || v < 1 || v > 10000) {
                refuse("channels", "'" + std::string(t) + "' is not a whole number 1 to 10000");
                continue;
            }
            d.channels = v;
        }
        out.rows.push_back(std::move(item));
    }
    return out;
}

}  // namespace switchyard::core::voice
