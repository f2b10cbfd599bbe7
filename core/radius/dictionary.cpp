#include "core/radius/dictionary.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace switchyard::core::radius {

namespace {

constexpr std::size_t kMaxIncludeDepth = 64;
constexpr std::size_t kMaxPathParts = 8;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
                                   line[i] == '\v' || line[i] == '\f')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !(line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
                                    line[i] == '\v' || line[i] == '\f')) {
            ++i;
        }
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

/// Decimal or 0x hexadecimal, no sign, no overflow of 64 bits.
bool parse_number(std::string_view s, std::uint64_t& out) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    return ec == std::errc() && p == s.data() + s.size();
}

bool parse_path(std::string_view s, std::vector<std::uint32_t>& out) {
    out.clear();
    while (true) {
        const auto dot = s.find('.');
        std::uint64_t n = 0;
        if (!parse_number(s.substr(0, dot), n) || n > 0xFFFFFFFFu) return false;
        out.push_back(static_cast<std::uint32_t>(n));
        if (out.size() > kMaxPathParts) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

struct TypeName {
    std::string_view name;
    AttrType type;
};
constexpr std::array<TypeName, 26> kTypeNames{{
    {"string", AttrType::String},     {"octets", AttrType::Octets},
    {"ipaddr", AttrType::Ipaddr},     {"ipv4prefix", AttrType::Ipv4prefix},
    {"ipv6addr", AttrType::Ipv6addr}, {"ipv6prefix", AttrType::Ipv6prefix},
    {"integer", AttrType::Integer},   {"integer64", AttrType::Integer64},
    {"date", AttrType::Date},         {"byte", AttrType::Byte},
    {"short", AttrType::Short},       {"signed", AttrType::Signed},
    {"ether", AttrType::Ether},       {"ifid", AttrType::Ifid},
    {"abinary", AttrType::Abinary},   {"tlv", AttrType::Tlv},
    {"extended", AttrType::Extended}, {"long-extended", AttrType::LongExtended},
    {"evs", AttrType::Evs},           {"combo-ip", AttrType::ComboIp},
    {"vsa", AttrType::Vsa},           {"uint8", AttrType::Byte},
    {"uint16", AttrType::Short},      {"uint32", AttrType::Integer},
    {"uint64", AttrType::Integer64},  {"int32", AttrType::Signed},
}};

}  // namespace

const char* to_string(AttrType type) noexcept {
    for (const auto& t : kTypeNames) {
        if (t.type == type) return t.name.data();
    }
    return "octets";
}

bool parse_attr_type(std::string_view text, AttrType& out, std::uint32_t& fixed_length) noexcept {
    fixed_length = 0;
    const auto bracket = text.find('[');
    if (bracket != std::string_view::npos) {
        if (!iequals(text.substr(0, bracket), "octets") || text.back() != ']') return false;
        std::uint64_t n = 0;
        if (!parse_number(text.substr(bracket + 1, text.size() - bracket - 2), n) || n == 0 ||
            n > 253) {
            return false;
        }
        fixed_length = static_cast<std::uint32_t>(n);
        out = AttrType::Octets;
        return true;
    }
    for (const auto& t : kTypeNames) {
        if (iequals(t.name, text)) {
            out = t.type;
            return true;
        }
    }
    return false;
}

Result<void> Dictionary::add(const DictionarySource& source, const DictionaryLoader& loader) {
    std::vector<std::string> stack;
    std::vector<PendingValue> pending;
    SY_TRY(parse(source, loader, stack, pending));
    // VALUE lines may come before their ATTRIBUTE (FreeRADIUS fixes them up at the end).
    for (const auto& p : pending) {
        const Attribute* a = attribute(p.attribute);
        if (!a) {
            return fail(Errc::Invalid, "dictionary",
                        fmt::format("{}: VALUE {} for attribute {}, which no ATTRIBUTE defines",
                                    p.where, p.name, p.attribute));
        }
        add_value(*a, p.name, p.number);
    }
    return {};
}

Result<void> Dictionary::parse(const DictionarySource& source, const DictionaryLoader& loader,
                               std::vector<std::string>& stack,
                               std::vector<PendingValue>& pending) {
    if (std::find(stack.begin(), stack.end(), source.name) != stack.end()) {
        return fail(Errc::Invalid, "dictionary",
                    fmt::format("{}: $INCLUDE loop ({} includes itself through {})", source.name,
                                source.name, stack.empty() ? source.name : stack.back()));
    }
    if (stack.size() >= kMaxIncludeDepth) {
        return fail(
            Errc::Invalid, "dictionary",
            fmt::format("{}: more than {} nested $INCLUDEs", source.name, kMaxIncludeDepth));
    }
    stack.push_back(source.name);
    files_.push_back(source.name);

    // Indexes, not pointers: the vectors grow while the file is read.
    std::optional<std::size_t> block;    // vendors_ index inside BEGIN-VENDOR
    std::vector<std::size_t> tlv_stack;  // attributes_ indexes inside BEGIN-TLV
    auto block_vendor = [&]() -> const Vendor* { return block ? &vendors_[*block] : nullptr; };
    auto tlv_top = [&]() -> const Attribute& { return attributes_[tlv_stack.back()]; };
    std::string protocol;
    std::string_view text = source.text;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (const auto hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        const auto f = split_fields(line);
        if (f.empty()) continue;
        const std::string where = fmt::format("{} line {}", source.name, line_no);
        auto bad = [&](const std::string& reason) {
            return fail(Errc::Invalid, "dictionary", fmt::format("{}: {}", where, reason));
        };
        const std::string_view kw = f[0];

        if (kw == "$INCLUDE" || kw == "$INCLUDE-") {
            if (f.size() != 2) return bad(fmt::format("{} takes one file name", kw));
            if (!loader) return bad("$INCLUDE without a loader to read the file");
            auto included = loader(source.name, f[1]);
            if (!included) {
                if (kw == "$INCLUDE-" && included.error().code == Errc::NotFound) continue;
                auto e = included.error();
                if (e.code == Errc::NotFound) e.code = Errc::Invalid;  // the dictionary is broken
                e.message = fmt::format("{}: $INCLUDE {}: {}", where, f[1], e.message);
                return fail(std::move(e));
            }
            SY_TRY(parse(*included, loader, stack, pending));
            continue;
        }
        if (kw == "VENDOR") {
            if (f.size() < 3 || f.size() > 4) return bad("VENDOR takes a name, a number, a format");
            std::uint64_t id = 0;
            if (!parse_number(f[2], id) || id > 0xFFFFFFu) {
                return bad(fmt::format("vendor number '{}' is not a number below 2^24", f[2]));
            }
            Vendor v{.name = std::string(f[1]), .id = static_cast<std::uint32_t>(id)};
            if (f.size() == 4) {
                const std::string_view fmt_text = f[3];
                if (fmt_text.substr(0, 7) != "format=") {
                    return bad(fmt::format("unknown VENDOR option '{}'", fmt_text));
                }
                const std::string_view spec = fmt_text.substr(7);
                // t,l or t,l,c with t in {1,2,4}, l in {0,1,2}.
                if (spec.size() < 3 || spec[1] != ',' ||
                    (spec[0] != '1' && spec[0] != '2' && spec[0] != '4') ||
                    (spec[2] != '0' && spec[2] != '1' && spec[2] != '2') ||
                    (spec.size() != 3 && spec.substr(3) != ",c")) {
                    return bad(fmt::format(
                        "VENDOR format '{}' is not t,l[,c] with t in 1,2,4 and l in 0,1,2", spec));
                }
                v.type_size = static_cast<std::uint8_t>(spec[0] - '0');
                v.length_size = static_cast<std::uint8_t>(spec[2] - '0');
                v.continuation = spec.size() > 3;
                if (v.continuation && (v.type_size != 1 || v.length_size != 1)) {
                    return bad("VENDOR format ',c' needs type and length sizes 1,1");
                }
            }
            const auto key = lower(v.name);
            if (auto it = vendor_by_name_.find(key); it != vendor_by_name_.end()) {
                auto& old = vendors_[it->second];
                if (old.id != v.id) {
                    return bad(fmt::format("vendor {} was defined as {}, now as {}", v.name, old.id,
                                           v.id));
                }
                old.type_size = v.type_size;  // a later format line wins, as in FreeRADIUS
                old.length_size = v.length_size;
                old.continuation = v.continuation;
                continue;
            }
            if (auto it = vendor_by_id_.find(v.id); it != vendor_by_id_.end()) {
                vendor_by_name_.emplace(key, it->second);  // a second name for one number
                continue;
            }
            vendors_.push_back(v);
            vendor_by_name_.emplace(key, vendors_.size() - 1);
            vendor_by_id_.emplace(v.id, vendors_.size() - 1);
            continue;
        }
        if (kw == "BEGIN-VENDOR") {
            if (f.size() < 2 || f.size() > 3) return bad("BEGIN-VENDOR takes a vendor name");
            if (block) return bad(fmt::format("BEGIN-VENDOR {} inside BEGIN-VENDOR", f[1]));
            const auto it = vendor_by_name_.find(lower(f[1]));
            if (it == vendor_by_name_.end()) {
                return bad(fmt::format("BEGIN-VENDOR {}: no VENDOR line defines it", f[1]));
            }
            if (f.size() == 3) {
                constexpr std::string_view kEvs = "format=Extended-Vendor-Specific-";
                std::uint64_t n = 0;
                if (f[2].substr(0, kEvs.size()) != kEvs ||
                    !parse_number(f[2].substr(kEvs.size()), n) || n < 1 || n > 6) {
                    return bad(fmt::format("unknown BEGIN-VENDOR option '{}'", f[2]));
                }
                vendors_[it->second].evs_parent = static_cast<std::uint32_t>(240 + n);
            }
            block = it->second;
            continue;
        }
        if (kw == "END-VENDOR") {
            if (f.size() != 2) return bad("END-VENDOR takes a vendor name");
            if (!block || !iequals(block_vendor()->name, f[1])) {
                const auto* v = vendor(f[1]);
                if (!block || !v || v->id != block_vendor()->id) {
                    return bad(fmt::format("END-VENDOR {} without a matching BEGIN-VENDOR", f[1]));
                }
            }
            if (!tlv_stack.empty()) return bad("END-VENDOR inside BEGIN-TLV");
            block.reset();
            continue;
        }
        if (kw == "BEGIN-TLV") {
            if (f.size() != 2) return bad("BEGIN-TLV takes an attribute name");
            const Attribute* a = attribute(f[1]);
            if (!a) return bad(fmt::format("BEGIN-TLV {}: no ATTRIBUTE defines it", f[1]));
            if (a->type != AttrType::Tlv) {
                return bad(fmt::format("BEGIN-TLV {}: it is of type {}, not tlv", f[1],
                                       to_string(a->type)));
            }
            tlv_stack.push_back(static_cast<std::size_t>(a - attributes_.data()));
            continue;
        }
        if (kw == "END-TLV") {
            if (f.size() != 2) return bad("END-TLV takes an attribute name");
            if (tlv_stack.empty() || !iequals(tlv_top().name, f[1])) {
                return bad(fmt::format("END-TLV {} without a matching BEGIN-TLV", f[1]));
            }
            tlv_stack.pop_back();
            continue;
        }
        if (kw == "BEGIN-PROTOCOL") {
            if (f.size() < 2) return bad("BEGIN-PROTOCOL takes a protocol name");
            protocol = std::string(f[1]);
            continue;
        }
        if (kw == "END-PROTOCOL") {
            if (f.size() != 2 || !iequals(protocol, f[1])) {
                return bad("END-PROTOCOL without a matching BEGIN-PROTOCOL");
            }
            protocol.clear();
            continue;
        }
        if (kw == "ATTRIBUTE") {
            if (f.size() < 4 || f.size() > 5) {
                return bad("ATTRIBUTE takes a name, a number, a type and optional flags");
            }
            Attribute a;
            a.name = std::string(f[1]);
            if (!parse_path(f[2], a.path)) {
                return bad(
                    fmt::format("attribute number '{}' of {} is not a number", f[2], a.name));
            }
            if (!parse_attr_type(f[3], a.type, a.fixed_length)) {
                return bad(fmt::format("unknown type '{}' of attribute {}", f[3], a.name));
            }
            if (block) a.vendor = block_vendor()->id;
            if (f.size() == 5) {
                std::string_view flags = f[4];
                const Vendor* named = vendor(flags);
                if (named && flags.find('=') == std::string_view::npos) {
                    a.vendor = named->id;  // the old form: ATTRIBUTE name number type vendor
                } else {
                    while (!flags.empty()) {
                        const auto comma = flags.find(',');
                        const std::string_view flag = flags.substr(0, comma);
                        flags.remove_prefix(comma == std::string_view::npos ? flags.size()
                                                                            : comma + 1);
                        if (flag == "has_tag") {
                            a.flags.has_tag = true;
                        } else if (flag == "array") {
                            a.flags.array = true;
                        } else if (flag == "concat") {
                            a.flags.concat = true;
                        } else if (flag == "virtual") {
                            a.flags.is_virtual = true;
                        } else if (flag == "secret") {
                            a.flags.secret = true;
                        } else if (flag == "encrypt=1" || flag == "encrypt=2" ||
                                   flag == "encrypt=3") {
                            a.flags.encrypt = static_cast<std::uint8_t>(flag[8] - '0');
                        } else {
                            return bad(
                                fmt::format("unknown flag '{}' of attribute {}", flag, a.name));
                        }
                    }
                }
            }
            if (!tlv_stack.empty()) {
                auto path = tlv_top().path;
                path.insert(path.end(), a.path.begin(), a.path.end());
                if (path.size() > kMaxPathParts) return bad("TLVs nested too deep");
                a.path = std::move(path);
                a.vendor = tlv_top().vendor;
            }
            // Standard numbers above 255 are FreeRADIUS's server-internal attributes
            // (dictionary.freeradius.internal), never on the wire.
            const Vendor* owner = a.vendor == 0 ? nullptr : vendor(a.vendor);
            const std::uint8_t type_size = owner ? owner->type_size : 2;
            const std::uint64_t max_number = type_size == 1   ? 255u
                                             : type_size == 2 ? 65535u
                                                              : 0xFFFFFFFFu;
            if (a.path.size() == 1 && a.path[0] > max_number) {
                return bad(fmt::format("attribute number {} of {} does not fit its type field",
                                       a.path[0], a.name));
            }
            SY_TRY(add_attribute(std::move(a), where));
            continue;
        }
        if (kw == "VALUE") {
            if (f.size() != 4) return bad("VALUE takes an attribute, a name and a number");
            std::uint64_t n = 0;
            if (!parse_number(f[3], n)) {
                return bad(fmt::format("VALUE {} {}: '{}' is not a number", f[1], f[2], f[3]));
            }
            if (const Attribute* a = attribute(f[1])) {
                add_value(*a, std::string(f[2]), n);
            } else {
                pending.push_back({std::string(f[1]), std::string(f[2]), where, n});
            }
            continue;
        }
        return bad(fmt::format("unknown keyword '{}'", kw));
    }
    if (block) {
        return fail(Errc::Invalid, "dictionary",
                    fmt::format("{}: BEGIN-VENDOR {} without END-VENDOR", source.name,
                                block_vendor()->name));
    }
    if (!tlv_stack.empty()) {
        return fail(Errc::Invalid, "dictionary",
                    fmt::format("{}: BEGIN-TLV {} without END-TLV", source.name, tlv_top().name));
    }
    stack.pop_back();
    return {};
}

Result<void> Dictionary::add_attribute(Attribute a, const std::string& where) {
    const auto key = lower(a.name);
    auto number_key = std::make_pair(a.vendor, a.path);
    if (auto it = by_name_.find(key); it != by_name_.end()) {
        auto& old = attributes_[it->second];
        if (old.vendor != a.vendor || old.path != a.path) {
            return fail(Errc::Invalid, "dictionary",
                        fmt::format("{}: attribute {} is already defined with another number",
                                    where, a.name));
        }
        old = std::move(a);  // same name and number: the new type and flags override
        by_number_[number_key] = it->second;
        return {};
    }
    attributes_.push_back(std::move(a));
    by_name_.emplace(key, attributes_.size() - 1);
    by_number_[number_key] = attributes_.size() - 1;  // the newest name wins for printing
    return {};
}

void Dictionary::add_value(const Attribute& attribute, const std::string& name,
                           std::uint64_t number) {
    auto& v = values_[{attribute.vendor, attribute.path}];
    v.by_name[lower(name)] = number;
    v.by_number.emplace(number, name);  // the first name wins for printing
}

const Attribute* Dictionary::attribute(std::string_view name) const {
    const auto it = by_name_.find(lower(name));
    return it == by_name_.end() ? nullptr : &attributes_[it->second];
}

const Attribute* Dictionary::attribute(std::uint32_t vendor, std::uint32_t number) const {
    return attribute(vendor, std::vector<std::uint32_t>{number});
}

const Attribute* Dictionary::attribute(std::uint32_t vendor,
                                       const std::vector<std::uint32_t>& path) const {
    const auto it = by_number_.find(std::make_pair(vendor, path));
    return it == by_number_.end() ? nullptr : &attributes_[it->second];
}

const Vendor* Dictionary::vendor(std::string_view name) const {
    const auto it = vendor_by_name_.find(lower(name));
    return it == vendor_by_name_.end() ? nullptr : &vendors_[it->second];
}

const Vendor* Dictionary::vendor(std::uint32_t id) const {
    const auto it = vendor_by_id_.find(id);
    return it == vendor_by_id_.end() ? nullptr : &vendors_[it->second];
}

const Dictionary::Values* Dictionary::values_of(std::string_view attribute_name) const {
    const Attribute* a = attribute(attribute_name);
    if (!a) return nullptr;
    const auto it = values_.find({a->vendor, a->path});
    return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::uint64_t> Dictionary::value(std::string_view attribute_name,
                                               std::string_view name) const {
    const Values* v = values_of(attribute_name);
    if (!v) return std::nullopt;
    const auto it = v->by_name.find(lower(name));
    if (it == v->by_name.end()) return std::nullopt;
    return it->second;
}

const std::string* Dictionary::value_name(std::string_view attribute_name,
                                          std::uint64_t number) const {
    const Values* v = values_of(attribute_name);
    if (!v) return nullptr;
    const auto it = v->by_number.find(number);
    return it == v->by_number.end() ? nullptr : &it->second;
}

std::size_t Dictionary::value_count() const {
    std::size_t n = 0;
    for (const auto& [k, v] : values_) n += v.by_name.size();
    return n;
}

}  // namespace switchyard::core::radius
