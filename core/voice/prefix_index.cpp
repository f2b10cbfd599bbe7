#include "core/voice/prefix_index.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace switchyard::core::voice {

namespace {

/// Bits set in a 10-bit child mask, by table: without -mpopcnt std::popcount is a library call.
constexpr std::array<std::uint8_t, 1024> kBits = [] {
    std::array<std::uint8_t, 1024> t{};
    for (unsigned i = 0; i < 1024; ++i) t[i] = static_cast<std::uint8_t>(std::popcount(i));
    return t;
}();

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

PrefixIndex PrefixIndex::build(std::vector<std::pair<std::string, std::uint32_t>> entries) {
    PrefixIndex index;
    // Keep the first pair of each prefix: stable sort, then drop later duplicates.
    std::vector<std::pair<std::string, std::uint32_t>> valid;
    valid.reserve(entries.size());
    for (auto& e : entries) {
        if (!all_digits(e.first) || e.second == kNone) {
            ++index.skipped_;
            continue;
        }
        valid.push_back(std::move(e));
    }
    entries.clear();
    entries.shrink_to_fit();
    std::stable_sort(valid.begin(), valid.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < valid.size(); ++i) {
        if (kept > 0 && valid[kept - 1].first == valid[i].first) {
            ++index.skipped_;
            continue;
        }
        if (kept != i) valid[kept] = std::move(valid[i]);
        ++kept;
    }
    valid.resize(kept);
    index.size_ = kept;

    // Depth-first construction over the sorted prefixes: a node's children are allocated
    // together so that they sit next to each other. An explicit stack keeps deep prefixes safe.
    struct Work {
        std::uint32_t node;
        std::size_t lo, hi;  // range of `valid` below this node
        std::size_t depth;
    };
    index.nodes_.push_back(Node{});
    std::vector<Work> stack;
    stack.push_back(Work{0, 0, valid.size(), 0});
    while (!stack.empty()) {
        const Work w = stack.back();
        stack.pop_back();
        std::size_t lo = w.lo;
        // After sorting, the prefix equal to this node's path (length == depth) comes first.
        if (lo < w.hi && valid[lo].first.size() == w.depth) {
            index.nodes_[w.node].value = valid[lo].second;
            ++lo;
        }
        if (lo == w.hi) continue;
        // Group the rest by the digit at `depth`.
        std::uint16_t mask = 0;
        for (std::size_t i = lo; i < w.hi; ++i)
            mask |= static_cast<std::uint16_t>(1u << (valid[i].first[w.depth] - '0'));
        const auto first = static_cast<std::uint32_t>(index.nodes_.size());
        index.nodes_[w.node].mask = mask;
        index.nodes_[w.node].first_child = first;
        const int children = std::popcount(static_cast<unsigned>(mask));
        index.nodes_.resize(index.nodes_.size() + static_cast<std::size_t>(children));
        std::size_t i = lo;
        std::uint32_t child = first;
        while (i < w.hi) {
            const char d = valid[i].first[w.depth];
            std::size_t j = i;
            while (j < w.hi && valid[j].first[w.depth] == d) ++j;
            stack.push_back(Work{child, i, j, w.depth + 1});
            ++child;
            i = j;
        }
    }
    index.nodes_.shrink_to_fit();
    return index;
}

PrefixIndex::Match PrefixIndex::longest(std::string_view number) const noexcept {
    Match best;
    if (nodes_.empty()) return best;
    const Node* node = &nodes_[0];
    if (node->value != kNone) best = Match{node->value, 0};
    std::uint32_t depth = 0;
    for (char c : number) {
        const unsigned d = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
        if (d > 9 || !(node->mask & (1u << d))) break;
        const unsigned below = node->mask & ((1u << d) - 1u);
        node = &nodes_[node->first_child + kBits[below]];
        ++depth;
        if (node->value != kNone) best = Match{node->value, depth};
    }
    return best;
}

std::size_t PrefixIndex::all(std::string_view number, Match* out,
                             std::size_t capacity) const noexcept {
    if (nodes_.empty() || capacity == 0) return 0;
    // Collect shortest first, then reverse: the walk goes from the root down.
    std::size_t n = 0;
    const Node* node = &nodes_[0];
    auto push = [&](std::uint32_t value, std::uint32_t length) {
        if (n < capacity) {
            out[n++] = Match{value, length};
        } else {
            // Keep the longest ones: drop the shortest.
            for (std::size_t k = 1; k < capacity; ++k) out[k - 1] = out[k];
            out[capacity - 1] = Match{value, length};
        }
    };
    if (node->value != kNone) push(node->value, 0);
    std::uint32_t depth = 0;
    for (char c : number) {
        const unsigned d = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
        if (d > 9 || !(node->mask & (1u << d))) break;
        const unsigned below = node->mask & ((1u << d) - 1u);
        node = &nodes_[node->first_child + kBits[below]];
        ++depth;
        if (node->value != kNone) push(node->value, depth);
    }
    std::reverse(out, out + n);
    return n;
}

}  // namespace switchyard::core::voice
