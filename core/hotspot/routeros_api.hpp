#pragma once
/// The MikroTik RouterOS API protocol (TCP 8728, TLS 8729): the word and sentence codec, reply
/// reading and command building. Pure: no sockets; adapters/hotspot/mikrotik_api.hpp speaks it.
///
/// A word is a length followed by that many bytes. The length is encoded in 1 to 5 bytes:
/// below 0x80 in one byte; below 0x4000 in two bytes with 0x8000 set; below 0x200000 in three
/// bytes with 0xC00000 set; below 0x10000000 in four bytes with 0xE0000000 set; otherwise 0xF0
/// followed by four bytes. A first byte of 0xF8 to 0xFF is a reserved control byte. A sentence
/// is words ended by a zero-length word. A command sentence starts with the command word
/// (`/ip/hotspot/user/add`), then attribute words `=name=value`, API attribute words
/// (`.tag=value`) and query words (`?name=value`). A reply sentence starts with `!re`, `!done`,
/// `!trap`, `!fatal` or `!empty` (RouterOS 7.18+), then attribute words.
/// @source help.mikrotik.com/docs/spaces/ROS/pages/47579160/API ("API sentences", "Command
///         word", "Attribute word", "API attribute word", "Query word", "Reply word").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace switchyard::core::hotspot::routeros {

/// One sentence: its words in order, without the ending zero-length word.
using Sentence = std::vector<std::string>;

/// Name/value pairs in the order they were written or received (RouterOS prints attributes in
/// a fixed order; keeping it makes transcripts comparable). Names are unique by convention
/// only; `find` answers the first.
using Attributes = std::vector<std::pair<std::string, std::string>>;

/// The value of the first attribute called `name`, or none.
std::optional<std::string> find(const Attributes& attributes, std::string_view name);

/// The largest word length the encoding can carry (the 5-byte form: 32 bits).
inline constexpr std::uint64_t kMaxEncodableLength = 0xFFFFFFFFull;

/// The length prefix of a word of `length` bytes (1 to 5 bytes, see the top of this file).
/// @pre length <= kMaxEncodableLength.
std::string encode_length(std::uint64_t length);

/// One word: its length prefix and its bytes.
std::string encode_word(std::string_view word);

/// A sentence: each word encoded, then the zero-length word (one 0x00 byte).
std::string encode_sentence(const Sentence& words);

/// Reads sentences out of a byte stream that arrives in any chunking (one byte at a time, many
/// sentences at once). After a malformed length the decoder stays failed: the stream cannot be
/// resynchronised, and the connection must be closed.
/// @thread not thread-safe; one per connection.
class SentenceDecoder {
  public:
    /// @param max_word_bytes longest word accepted. Default: 16 MiB (the 5-byte form could
    ///        announce 4 GiB; a peer is not allowed to make us allocate that).
    explicit SentenceDecoder(std::size_t max_word_bytes = 16u << 20) : max_word_(max_word_bytes) {}

    /// Appends received bytes and decodes every sentence they complete.
    /// @errors Invalid (field `length`) for a reserved control byte 0xF8-0xFF as a length's
    ///         first byte, or a word longer than max_word_bytes; every later call fails too.
    Result<void> feed(std::string_view bytes);

    /// The next complete sentence, oldest first; none when no sentence is complete.
    std::optional<Sentence> next();

    /// True when bytes of an unfinished word or sentence are buffered.
    bool partial() const { return !buffer_.empty() || !current_.empty(); }

  private:
    std::size_t max_word_;
    std::string buffer_;  // undecoded bytes
    Sentence current_;    // words of the sentence being read
    std::vector<Sentence> ready_;
    std::size_t ready_pos_ = 0;
    std::optional<Error> failed_;
};

/// The reply word that starts a reply sentence.
enum class ReplyType { Re, Done, Trap, Fatal, Empty };

/// The reply word as written on the wire (`!re`, `!done`, `!trap`, `!fatal`, `!empty`).
const char* to_string(ReplyType type) noexcept;

/// One reply sentence, read.
struct Reply {
    ReplyType type = ReplyType::Done;
    std::string tag;        ///< The `.tag=` API attribute; empty when the command had none.
    Attributes attributes;  ///< `=name=value` words, in order (`=.id=*1` has name `.id`).
    /// A `!fatal` reply carries its reason as a plain word (`session terminated on request`);
    /// other plain words are kept here too.
    std::vector<std::string> other_words;

    /// The first attribute called `name`.
    std::optional<std::string> get(std::string_view name) const { return find(attributes, name); }
};

/// Reads a reply sentence.
/// @errors Invalid (field `reply`) for an empty sentence or a first word that is not a reply
///         word; Invalid (field `attribute`) for an attribute word without its second `=`.
Result<Reply> parse_reply(const Sentence& sentence);

/// A command to send: `/ip/hotspot/user/add` with attributes, queries and a tag.
struct Command {
    std::string path;       ///< Command word, `/` separated, e.g. `/ip/hotspot/user/print`.
    Attributes attributes;  ///< Sent as `=name=value` in order.
    /// Query words without the `?`, e.g. `name=alice`, `#|` or `-disabled` (see the API's
    /// "Queries" section); sent as `?` + text in order.
    std::vector<std::string> queries;
    std::string tag;  ///< Sent as `.tag=<tag>` when not empty.
};

/// The words of `command`.
/// @errors Invalid (field `path`) when the command word does not start with `/` or holds a
///         space or `=`; Invalid (field `attribute`) for an empty name or a name holding `=`;
///         Invalid (field `query`) for an empty query.
Result<Sentence> command_words(const Command& command);

/// The encoded sentence of `command` (command_words, then encode_sentence).
/// @errors as command_words.
Result<std::string> encode_command(const Command& command);

/// A duration in RouterOS time syntax as `limit-uptime` and `uptime` are printed and accepted:
/// `1w2d3h4m5s` (units w, d, h, m, s, each optional, in that order) or `hh:mm:ss` with an
/// optional `Nd`/`Nw` prefix (`1d02:00:00`). Milliseconds (`ms`) are truncated.
/// @returns whole seconds, or none for anything else.
std::optional<std::int64_t> parse_duration(std::string_view text);

/// Seconds as RouterOS writes them, largest units first, zero units left out: 3600 -> `1h`,
/// 90061 -> `1d1h1m1s`, 0 -> `0s`.
std::string format_duration(std::int64_t seconds);

/// The MikroTik pre-6.43 challenge login's response: `00` followed by the hex MD5 of a zero
/// byte, the password and the challenge bytes (from the hex `=ret=`). Only the input to the
/// hash is built here (core has no MD5): `challenge_hex` decoded, prefixed by 0x00 + password.
/// @errors Invalid (field `ret`) when the challenge is not an even number of hex digits.
Result<std::string> challenge_hash_input(std::string_view password, std::string_view challenge_hex);

}  // namespace switchyard::core::hotspot::routeros
