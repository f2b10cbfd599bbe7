#pragma once
/// Longest-prefix match over E.164 digit strings: the lookup every rating engine and routing
/// table does for a dialled number against a rate deck's prefixes (`4930` beats `49` for
/// `4930123456`). Built once from (prefix, value) pairs, then read-only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::core::voice {

/// A compact digit trie: each node holds a 10-bit child mask, the index of its first child
/// (children are stored contiguously, in digit order) and a value. About 12 bytes per node;
/// lookups touch one node per digit. The empty prefix is allowed: it matches every number and
/// is the shortest match (CGRateS's `*any` destination).
/// @thread const member functions may be called from any number of threads.
class PrefixIndex {
  public:
    /// No value (a node that is only a path to longer prefixes).
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

    /// One match: the value stored for the prefix and the prefix's length in digits.
    struct Match {
        std::uint32_t value = kNone;
        std::uint32_t length = 0;
    };

    PrefixIndex() = default;

    /// Builds the index. @param entries (prefix, value) pairs; prefixes are strings of the
    /// digits `0`-`9` (anything else is skipped and counted in `skipped()`); the value must not
    /// be `kNone`. When one prefix appears several times, the first pair wins.
    static PrefixIndex build(std::vector<std::pair<std::string, std::uint32_t>> entries);

    /// The value of the longest prefix of `number` in the index, or `{kNone, 0}` when none
    /// matches. Non-digit characters end the walk (they match nothing).
    Match longest(std::string_view number) const noexcept;

    /// Every prefix of `number` in the index, longest first, written to `out` (at most
    /// `capacity`). @returns the number of matches written.
    std::size_t all(std::string_view number, Match* out, std::size_t capacity) const noexcept;

    /// Number of distinct prefixes stored.
    std::size_t size() const noexcept { return size_; }
    /// Number of entries skipped by build() (not digits, or a duplicate prefix).
    std::size_t skipped() const noexcept { return skipped_; }
    /// Bytes used by the nodes.
    std::size_t memory_bytes() const noexcept { return nodes_.size() * sizeof(Node); }

  private:
    struct Node {
        std::uint32_t first_child = 0;
        std::uint32_t value = kNone;
        std::uint16_t mask = 0;
    };
    std::vector<Node> nodes_;
    std::size_t size_ = 0;
    std::size_t skipped_ = 0;
};

}  // namespace switchyard::core::voice
