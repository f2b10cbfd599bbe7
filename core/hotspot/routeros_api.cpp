#include "core/hotspot/routeros_api.hpp"

#include <fmt/format.h>

namespace switchyard::core::hotspot::routeros {

std::optional<std::string> find(const Attributes& attributes, std::string_view name) {
    for (const auto& [n, v] : attributes)
        if (n == name) return v;
    return std::nullopt;
}

std::string encode_length(std::uint64_t length) {
    std::string out;
    const auto byte = [&](std::uint64_t v) { out.push_back(static_cast<char>(v & 0xFF)); };
    if (length < 0x80) {
        byte(length);
    } else if (length < 0x4000) {
        const auto v = length | 0x8000;
        byte(v >> 8);
        byte(v);
    } else if (length < 0x200000) {
        const auto v = length | 0xC00000;
        byte(v >> 16);
        byte(v >> 8);
        byte(v);
    } else if (length < 0x10000000) {
        const auto v = length | 0xE0000000;
        byte(v >> 24);
        byte(v >> 16);
        byte(v >> 8);
        byte(v);
    } else {
        byte(0xF0);
        byte(length >> 24);
        byte(length >> 16);
        byte(length >> 8);
        byte(length);
    }
    return out;
}

std::string encode_word(std::string_view word) {
    std::string out = encode_length(word.size());
    out.append(word);
    return out;
}

std::string encode_sentence(const Sentence& words) {
    std::string out;
    for (const auto& w : words) out += encode_word(w);
    out.push_back('\0');
    return out;
}

namespace {

/// The length at the start of `b` and the bytes it takes; `used` = 0 when more bytes are
/// needed. An error for a reserved control byte.
Result<std::pair<std::uint64_t, std::size_t>> read_length(std::string_view b) {
    const auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(b[i]); };
    const std::uint8_t c = at(0);
    std::size_t need = 0;
    std::uint64_t v = 0;
    if ((c & 0x80) == 0x00) {
        need = 1;
        v = c;
    } else if ((c & 0xC0) == 0x80) {
        need = 2;
        v = c & 0x3F;
    } else if ((c & 0xE0) == 0xC0) {
        need = 3;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 4;
        v = c & 0x0F;
    } else if (c == 0xF0) {
        need = 5;
        v = 0;
    } else if (c >= 0xF8) {
        return fail(Errc::Invalid, "length",
                    fmt::format("byte 0x{:02X} is a reserved control byte, not a word length", c));
    } else {
        return fail(
            Errc::Invalid, "length",
            fmt::format("byte 0x{:02X} starts no word length (the 5-byte form is 0xF0)", c));
    }
    if (b.size() < need) return std::pair<std::uint64_t, std::size_t>{0, 0};
    for (std::size_t i = 1; i < need; ++i) v = (v << 8) | at(i);
    return std::pair<std::uint64_t, std::size_t>{v, need};
}

}  // namespace

Result<void> SentenceDecoder::feed(std::string_view bytes) {
    if (failed_) return fail(*failed_);
    buffer_.append(bytes);
    std::size_t pos = 0;
    while (pos < buffer_.size()) {
        auto length = read_length(std::string_view(buffer_).substr(pos));
        if (!length) {
            failed_ = length.error();
            buffer_.clear();
            current_.clear();
            return fail(*failed_);
        }
        const auto [len, used] = *length;
        if (used == 0) break;
        if (len > max_word_) {
            failed_ = Error{
                Errc::Invalid, "length",
                fmt::format("a word of {} bytes is longer than the {} accepted", len, max_word_)};
            buffer_.clear();
            current_.clear();
            return fail(*failed_);
        }
        if (buffer_.size() - pos - used < len) break;
        if (len == 0) {
            if (!current_.empty()) ready_.push_back(std::move(current_));
            current_.clear();
        } else {
            current_.emplace_back(buffer_, pos + used, static_cast<std::size_t>(len));
        }
        pos += used + static_cast<std::size_t>(len);
    }
    buffer_.erase(0, pos);
    return {};
}

std::optional<Sentence> SentenceDecoder::next() {
    if (ready_pos_ >= ready_.size()) {
        ready_.clear();
        ready_pos_ = 0;
        return std::nullopt;
    }
    return std::move(ready_[ready_pos_++]);
}

const char* to_string(ReplyType type) noexcept {
    switch (type) {
        case ReplyType::Re:
            return "!re";
        case ReplyType::Done:
            return "!done";
        case ReplyType::Trap:
            return "!trap";
        case ReplyType::Fatal:
            return "!fatal";
        case ReplyType::Empty:
            return "!empty";
    }
    return "?";
}

Result<Reply> parse_reply(const Sentence& sentence) {
    if (sentence.empty()) return fail(Errc::Invalid, "reply", "an empty sentence is no reply");
    Reply reply;
    const auto& first = sentence.front();
    if (first == "!re") {
        reply.type = ReplyType::Re;
    } else if (first == "!done") {
        reply.type = ReplyType::Done;
    } else if (first == "!trap") {
        reply.type = ReplyType::Trap;
    } else if (first == "!fatal") {
        reply.type = ReplyType::Fatal;
    } else if (first == "!empty") {
        reply.type = ReplyType::Empty;
    } else {
        return fail(Errc::Invalid, "reply",
                    fmt::format("'{}' is not a reply word (!re, !done, !trap, !fatal, !empty)",
                                first.substr(0, 64)));
    }
    for (std::size_t i = 1; i < sentence.size(); ++i) {
        const std::string& w = sentence[i];
        if (w.starts_with('=')) {
            const auto eq = w.find('=', 1);
            if (eq == std::string::npos || eq == 1)
                return fail(
                    Errc::Invalid, "attribute",
                    fmt::format("'{}' is not an attribute word =name=value", w.substr(0, 64)));
            reply.attributes.emplace_back(w.substr(1, eq - 1), w.substr(eq + 1));
        } else if (w.starts_with(".tag=")) {
            reply.tag = w.substr(5);
        } else {
            reply.other_words.push_back(w);
        }
    }
    return reply;
}

Result<Sentence> command_words(const Command& command) {
    const auto& p = command.path;
    if (p.size() < 2 || p[0] != '/' || p.find_first_of(" =\t\r\n") != std::string::npos)
        return fail(
            Errc::Invalid, "path",
            fmt::format("'{}' is not a command word like /ip/hotspot/user/print", p.substr(0, 64)));
    Sentence words{p};
    for (const auto& [name, value] : command.attributes) {
        if (name.empty() || name.find('=') != std::string::npos)
            return fail(
                Errc::Invalid, "attribute",
                fmt::format("attribute name '{}' is empty or holds '='", name.substr(0, 64)));
        words.push_back(fmt::format("={}={}", name, value));
    }
    for (const auto& q : command.queries) {
        if (q.empty()) return fail(Errc::Invalid, "query", "a query word cannot be empty");
        words.push_back("?" + q);
    }
    if (!command.tag.empty()) words.push_back(".tag=" + command.tag);
    return words;
}

Result<std::string> encode_command(const Command& command) {
    return encode_sentence(SY_TRY(command_words(command)));
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
    if (text.empty() || text.size() > 64) return std::nullopt;
    std::int64_t total = 0;
    std::size_t i = 0;
    const auto number = [&](std::int64_t& out) {
        const std::size_t start = i;
        out = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (out > 1'000'000'000'000) return false;
            out = out * 10 + (text[i] - '0');
            ++i;
        }
        return i > start;
    };
    // Unit letters allowed from this index on (w d h m s), in order, each once.
    static constexpr std::string_view kUnits = "wdhms";
    static constexpr std::int64_t kSeconds[] = {604800, 86400, 3600, 60, 1};
    std::size_t next_unit = 0;
    while (i < text.size()) {
        std::int64_t n = 0;
        if (!number(n)) return std::nullopt;
        if (i < text.size() && text[i] == ':') {
            // hh:mm:ss closes the text; no h, m or s unit may have come before.
            if (next_unit > 2) return std::nullopt;
            std::int64_t m = 0, s = 0;
            ++i;
            if (!number(m) || i >= text.size() || text[i] != ':') return std::nullopt;
            ++i;
            if (!number(s) || m > 59 || s > 59) return std::nullopt;
            if (i < text.size() && text[i] == '.') {  // fractional seconds: truncated
                ++i;
                std::int64_t frac = 0;
                if (!number(frac)) return std::nullopt;
            }
            if (i != text.size()) return std::nullopt;
            return total + n * 3600 + m * 60 + s;
        }
        if (i >= text.size()) return std::nullopt;
        if (text.substr(i, 2) == "ms") {
            i += 2;
            if (i != text.size()) return std::nullopt;
            return total;  // milliseconds truncated
        }
        const auto u = kUnits.find(text[i]);
        if (u == std::string_view::npos || u < next_unit) return std::nullopt;
        total += n * kSeconds[u];
        next_unit = u + 1;
        ++i;
    }
    return total;
}

std::string format_duration(std::int64_t seconds) {
    if (seconds <= 0) return "0s";
    std::string out;
    static constexpr std::pair<std::int64_t, char> kUnits[] = {
        {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    for (const auto& [size, letter] : kUnits) {
        if (seconds >= size) {
            out += fmt::format("{}{}", seconds / size, letter);
            seconds %= size;
        }
    }
    return out;
}

Result<std::string> challenge_hash_input(std::string_view password,
                                         std::string_view challenge_hex) {
    if (challenge_hex.empty() || challenge_hex.size() % 2 != 0)
        return fail(Errc::Invalid, "ret",
                    "the login challenge is not an even number of hex digits");
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out(1, '\0');
    out.append(password);
    for (std::size_t i = 0; i < challenge_hex.size(); i += 2) {
        const int hi = nibble(challenge_hex[i]);
        const int lo = nibble(challenge_hex[i + 1]);
        if (hi < 0 || lo < 0)
            return fail(Errc::Invalid, "ret",
                        "the login challenge holds a character that is not hex");
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

}  // namespace switchyard::core::hotspot::routeros
