#include "core/voice/call_record.hpp"

#include <array>
#include <utility>

#include "core/text.hpp"

namespace switchyard::core::voice {

namespace {
constexpr std::array<std::pair<CdrSource, const char*>, 5> kSources{{
    {CdrSource::Asterisk, "asterisk"},
    {CdrSource::FreeswitchCsv, "freeswitch-csv"},
    {CdrSource::FreeswitchJson, "freeswitch-json"},
    {CdrSource::Json, "json"},
    {CdrSource::Kamailio, "kamailio"},
}};
constexpr std::array<std::pair<Disposition, const char*>, 5> kDispositions{{
    {Disposition::Answered, "answered"},
    {Disposition::NoAnswer, "no_answer"},
    {Disposition::Busy, "busy"},
    {Disposition::Failed, "failed"},
    {Disposition::Congestion, "congestion"},
}};

template <class E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& table, E value) noexcept {
    for (const auto& [v, name] : table) {
        if (v == value) return name;
    }
    return "";
}

template <class E, std::size_t N>
bool parse_name(const std::array<std::pair<E, const char*>, N>& table, std::string_view text,
                E& out) noexcept {
    for (const auto& [v, name] : table) {
        if (text == name) {
            out = v;
            return true;
        }
    }
    return false;
}
}  // namespace

namespace {
void to_valid_utf8(std::string& text) {
    if (is_valid_utf8(text)) return;
    std::string out;
    out.reserve(text.size() * 2);
    for (const unsigned char c : text) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    text = std::move(out);
}
}  // namespace

void to_valid_utf8(CallRecord& r) {
    for (auto* s : {&r.switch_key, &r.switch_name, &r.accountcode, &r.caller, &r.caller_name,
                    &r.destination, &r.context, &r.channel, &r.dst_channel, &r.source_ip, &r.trunk,
                    &r.hangup_cause, &r.uniqueid, &r.linkedid, &r.codec})
        to_valid_utf8(*s);
}

const char* to_string(CdrSource s) noexcept { return name_of(kSources, s); }
const char* to_string(Disposition d) noexcept { return name_of(kDispositions, d); }
bool parse_cdr_source(std::string_view text, CdrSource& out) noexcept {
    return parse_name(kSources, text, out);
}
bool parse_disposition(std::string_view text, Disposition& out) noexcept {
    return parse_name(kDispositions, text, out);
}

}  // namespace switchyard::core::voice
