#include "events/envelope.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

namespace switchyard::events {

using core::Errc;

Checkpoint::Checkpoint(std::size_t partitions) {
    for (std::size_t p = 0; p < partitions; ++p)
        next_[{std::string(), static_cast<std::int32_t>(p)}] = 0;
}

void Checkpoint::advance(const Position& p) {
    if (p.partition < 0) return;
    set_next({p.topic, p.partition}, p.offset + 1);
}

void Checkpoint::set_next(const Key& key, std::int64_t next) {
    auto [it, inserted] = next_.emplace(key, next);
    if (!inserted) it->second = std::max(it->second, next);
}

bool Checkpoint::covers(const Position& p) const {
    return next_offset(p.topic, p.partition) > p.offset;
}

bool Checkpoint::covers(const std::vector<Position>& positions) const {
    return std::all_of(positions.begin(), positions.end(),
                       [&](const Position& p) { return covers(p); });
}

bool Checkpoint::covers(const Checkpoint& other) const {
    return std::all_of(other.next_.begin(), other.next_.end(), [&](const auto& kv) {
        return next_offset(kv.first.first, kv.first.second) >= kv.second;
    });
}

std::int64_t Checkpoint::next_offset(const std::string& topic, std::int32_t partition) const {
    auto it = next_.find({topic, partition});
    return it == next_.end() ? 0 : it->second;
}

std::int64_t Checkpoint::total() const {
    std::int64_t sum = 0;
    for (const auto& [k, n] : next_) sum += n;
    return sum;
}

Checkpoint Checkpoint::min(const Checkpoint& a, const Checkpoint& b) {
    Checkpoint out;
    for (const auto* c : {&a, &b}) {
        for (const auto& [k, n] : c->next_) {
            out.next_[k] =
                std::min(a.next_offset(k.first, k.second), b.next_offset(k.first, k.second));
        }
    }
    return out;
}

namespace {

std::string format_key(const std::string& topic, std::int32_t partition, std::int64_t value) {
    return topic.empty() ? fmt::format("{}:{}", partition, value)
                         : fmt::format("{}/{}:{}", topic, partition, value);
}

bool parse_int(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

/// Splits `[topic/]p:o,...` (or a bare `o`) into positions whose offsets are at least
/// `min_offset`.
core::Result<std::vector<Position>> parse_items(std::string_view text, const char* field,
                                                std::int64_t min_offset) {
    std::vector<Position> out;
    if (text.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        auto item = text.substr(start, end - start);
        Position p;
        if (auto slash = item.rfind('/'); slash != std::string_view::npos) {
            p.topic = std::string(item.substr(0, slash));
            item = item.substr(slash + 1);
        }
        std::int64_t part = 0, off = 0;
        auto colon = item.find(':');
        bool ok = colon == std::string_view::npos ? parse_int(item, off) && p.topic.empty()
                                                  : parse_int(item.substr(0, colon), part) &&
                                                        parse_int(item.substr(colon + 1), off);
        if (!ok || part < 0 || part > 100000 || off < min_offset) {
            return core::fail(Errc::Invalid, field,
                              fmt::format("expected partition:offset pairs with offsets of at "
                                          "least {}, separated by commas, e.g. 0:42",
                                          min_offset));
        }
        p.partition = static_cast<std::int32_t>(part);
        p.offset = off;
        out.push_back(std::move(p));
        if (end == text.size()) break;
        start = end + 1;
    }
    return out;
}

}  // namespace

std::string Checkpoint::to_string() const {
    std::string out;
    for (const auto& [k, n] : next_) {
        if (!out.empty()) out += ',';
        out += format_key(k.first, k.second, n);
    }
    return out;
}

core::Result<Checkpoint> Checkpoint::parse(std::string_view text) {
    // A checkpoint holds the next offset to read: never negative.
    auto items = SY_TRY(parse_items(text, "checkpoint", 0));
    Checkpoint c;
    for (const auto& p : items) c.set_next({p.topic, p.partition}, p.offset);
    return c;
}

std::string format_positions(const std::vector<Position>& positions) {
    std::string out;
    for (const auto& p : positions) {
        if (!out.empty()) out += ',';
        out += format_key(p.topic, p.partition, p.offset);
    }
    return out;
}

core::Result<std::vector<Position>> parse_positions(std::string_view text) {
    // An event's position is never negative: `-1` or `0:-5` names no event.
    return parse_items(text, "after", 0);
}

std::string_view module_of(std::string_view type) { return type.substr(0, type.find('.')); }

std::vector<Position> AppendResult::last_positions() const {
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> last;
    for (const auto& w : writes) {
        for (const auto& p : w.positions) {
            auto [it, inserted] = last.emplace(std::make_pair(p.topic, p.partition), p.offset);
            if (!inserted) it->second = std::max(it->second, p.offset);
        }
    }
    std::vector<Position> out;
    for (const auto& [k, o] : last) out.push_back(Position{k.second, o, k.first});
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
