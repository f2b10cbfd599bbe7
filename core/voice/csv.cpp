#include "core/voice/csv.hpp"

#include <array>

namespace switchyard::core::voice {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

/// Skips one line end at `i` (CRLF counts as one); returns the new position.
std::size_t skip_line_end(std::string_view text, std::size_t i) {
    if (i < text.size() && text[i] == '\r') {
        ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        return i;
    }
    if (i < text.size() && text[i] == '\n') ++i;
    return i;
}

/// The first physical line of `text` (without its end).
std::string_view first_line(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && !is_line_end(text[i])) ++i;
    return text.substr(0, i);
}

/// True when `field` looks like a number written with a decimal comma: `-0,0125`, `12,5`.
bool looks_like_decimal_comma(std::string_view field) {
    field = trim_blanks(field);
    if (!field.empty() && (field.front() == '-' || field.front() == '+')) field.remove_prefix(1);
    const auto comma = field.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == field.size()) return false;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (i == comma) continue;
        if (field[i] < '0' || field[i] > '9') return false;
    }
    return true;
}

}  // namespace

std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

char sniff_separator(std::string_view line) {
    constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
    std::array<std::size_t, 4> counts{};
    bool quoted = false;
    for (const char c : line) {
        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted) continue;
        for (std::size_t k = 0; k < kCandidates.size(); ++k) {
            if (c == kCandidates[k]) ++counts[k];
        }
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < kCandidates.size(); ++k) {
        if (counts[k] > counts[best]) best = k;
    }
    return counts[best] == 0 ? ',' : kCandidates[best];
}

CsvTable read_csv(std::string_view text, const CsvOptions& options) {
    CsvTable table;
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

    std::size_t pos = 0;
    std::int64_t line = 1;
    for (int k = 0; k < options.skip_lines && pos < text.size(); ++k) {
        while (pos < text.size() && !is_line_end(text[pos])) ++pos;
        pos = skip_line_end(text, pos);
        ++line;
    }

    // The separator comes from the first line that is neither blank nor a comment.
    if (options.separator) {
        table.separator = *options.separator;
    } else {
        std::size_t probe = pos;
        while (probe < text.size()) {
            const auto l = first_line(text.substr(probe));
            if (!trim_blanks(l).empty() && !(options.comments && l.front() == '#')) {
                table.separator = sniff_separator(l);
                break;
            }
            probe = skip_line_end(text, probe + l.size());
        }
    }
    const char sep = table.separator;

    while (pos < text.size()) {
        const std::int64_t row_line = line;
        // Blank and comment lines.
        const auto physical = first_line(text.substr(pos));
        if (trim_blanks(physical).empty() || (options.comments && physical.front() == '#')) {
            pos = skip_line_end(text, pos + physical.size());
            ++line;
            continue;
        }
        CsvRow row;
        row.line = row_line;
        std::string field;
        bool quoted = false;      // inside a quoted section
        bool was_quoted = false;  // the field started with a quote
        bool at_field_start = true;
        bool row_done = false;
        while (pos < text.size() && !row_done) {
            const char c = text[pos];
            if (quoted) {
                if (c == '"') {
                    if (pos + 1 < text.size() && text[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                    } else {
                        quoted = false;
                        ++pos;
                    }
                    continue;
                }
                if (c == '\r' || c == '\n') {
                    const auto next = skip_line_end(text, pos);
                    field.append(text.substr(pos, next - pos));
                    pos = next;
                    ++line;
                    continue;
                }
                field += c;
                ++pos;
                continue;
            }
            if (c == '"' && at_field_start) {
                quoted = true;
                was_quoted = true;
                at_field_start = false;
                ++pos;
                continue;
            }
            if (c == sep) {
                row.fields.push_back(std::move(field));
                field.clear();
                at_field_start = true;
                was_quoted = false;
                ++pos;
                continue;
            }
            if (is_line_end(c)) {
                pos = skip_line_end(text, pos);
                ++line;
                row_done = true;
                continue;
            }
            // Blanks before an opening quote are ignored: `a, "b"`.
            if (at_field_start && (c == ' ' || c == '\t') && !was_quoted) {
                std::size_t look = pos;
                while (look < text.size() && (text[look] == ' ' || text[look] == '\t')) ++look;
                if (look < text.size() && text[look] == '"') {
                    pos = look;
                    continue;
                }
            }
            at_field_start = false;
            field += c;
            ++pos;
        }
        row.fields.push_back(std::move(field));
        table.rows.push_back(std::move(row));
    }

    if (options.decimal_comma) {
        table.decimal_comma = *options.decimal_comma;
    } else if (sep == ';') {
        // Look at the data rows (the first row is the header).
        const std::size_t limit = std::min<std::size_t>(table.rows.size(), 200);
        for (std::size_t r = 1; r < limit && !table.decimal_comma; ++r) {
            for (const auto& f : table.rows[r].fields) {
                if (looks_like_decimal_comma(f)) {
                    table.decimal_comma = true;
                    break;
                }
            }
        }
    }
    return table;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::string_view name) {
    const auto want = trim_blanks(name);
    for (std::size_t i = 0; i < header.size(); ++i) {
        auto have = trim_blanks(header[i]);
        if (i == 0 && !have.empty() && have.front() == '#') have = trim_blanks(have.substr(1));
        if (have.size() != want.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < have.size() && same; ++k) {
            auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
            same = lower(have[k]) == lower(want[k]);
        }
        if (same) return i;
    }
    return std::nullopt;
}

std::string_view field_at(const CsvRow& row, std::size_t index) {
    return index < row.fields.size() ? std::string_view(row.fields[index]) : std::string_view();
}

}  // namespace switchyard::core::voice
