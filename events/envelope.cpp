#include "events/envelope.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

namespace switchyard::events {

using core::Errc;

void Checkpoint::advance(const Position& p) {
    if (p.partition < 0) return;
    const auto idx = static_cast<std::size_t>(p.partition);
    if (next_.size() <= idx) next_.resize(idx + 1, 0);
    next_[idx] = std::max(next_[idx], p.offset + 1);
}

bool Checkpoint::covers(const Position& p) const { return next_offset(p.partition) > p.offset; }

bool Checkpoint::covers(const std::vector<Position>& positions) const {
    return std::all_of(positions.begin(), positions.end(),
                       [&](const Position& p) { return covers(p); });
}

std::int64_t Checkpoint::next_offset(std::int32_t partition) const {
    if (partition < 0 || static_cast<std::size_t>(partition) >= next_.size()) return 0;
    return next_[static_cast<std::size_t>(partition)];
}

std::int64_t Checkpoint::total() const {
    std::int64_t sum = 0;
    for (auto n : next_) sum += n;
    return sum;
}

std::string Checkpoint::to_string() const {
    std::string out;
    for (std::size_t i = 0; i < next_.size(); ++i) {
        if (!out.empty()) out += ',';
        out += fmt::format("{}:{}", i, next_[i]);
    }
    return out;
}

namespace {

bool parse_int(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

/// Splits `p:o,p:o` (or a bare `o`) into pairs.
core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> parse_pairs(std::string_view text,
                                                                             const char* field) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    if (text.empty()) return out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        auto item = text.substr(start, end - start);
        std::int64_t part = 0, off = 0;
        auto colon = item.find(':');
        bool ok = colon == std::string_view::npos ? parse_int(item, off)
                                                  : parse_int(item.substr(0, colon), part) &&
                                                        parse_int(item.substr(colon + 1), off);
        if (!ok || part < 0 || part > 100000 || off < -1) {
            return core::fail(Errc::Invalid, field,
                              "expected partition:offset pairs separated by commas, e.g. 0:42");
        }
        out.emplace_back(part, off);
        start = end + 1;
        if (end == text.size()) break;
    }
    return out;
}

}  // namespace

core::Result<Checkpoint> Checkpoint::parse(std::string_view text) {
    auto pairs = SY_TRY(parse_pairs(text, "checkpoint"));
    Checkpoint c;
    for (auto [p, next] : pairs) {
        if (next > 0)
            c.advance(Position{static_cast<std::int32_t>(p), next - 1});
        else
            c.advance(Position{static_cast<std::int32_t>(p), -1});
    }
    return c;
}

std::string format_positions(const std::vector<Position>& positions) {
    std::string out;
    for (const auto& p : positions) {
        if (!out.empty()) out += ',';
        out += fmt::format("{}:{}", p.partition, p.offset);
    }
    return out;
}

core::Result<std::vector<Position>> parse_positions(std::string_view text) {
    auto pairs = SY_TRY(parse_pairs(text, "after"));
    std::vector<Position> out;
    for (auto [p, o] : pairs) out.push_back(Position{static_cast<std::int32_t>(p), o});
    return out;
}

std::string_view module_of(std::string_view type) { return type.substr(0, type.find('.')); }

std::vector<Position> AppendResult::last_positions() const {
    std::map<std::int32_t, std::int64_t> last;
    for (const auto& w : writes) {
        for (const auto& p : w.positions) {
            auto [it, inserted] = last.emplace(p.partition, p.offset);
            if (!inserted) it->second = std::max(it->second, p.offset);
        }
    }
    std::vector<Position> out;
    for (auto [p, o] : last) out.push_back(Position{p, o});
    return out;
}

core::Result<void> validate_stream_name(std::string_view stream) {
    if (stream.empty() || stream.size() > 200) {
        return core::fail(Errc::Invalid, "stream", "a stream name has 1 to 200 bytes");
    }
    for (unsigned char c : stream) {
        if (c <= 0x20 || c >= 0x7f) {
            return core::fail(Errc::Invalid, "stream",
                              "a stream name is printable ASCII without spaces");
        }
    }
    return {};
}

}  // namespace switchyard::events
