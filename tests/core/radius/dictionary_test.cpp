// The FreeRADIUS dictionary parser, on the Debian freeradius-common files and on crafted input.
// Expected numbers and types are read from the files (/usr/share/freeradius/dictionary.*).
#include "core/radius/dictionary.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "adapters/radius/dictionary_loader.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard::core::radius;
using switchyard::core::Errc;
using switchyard::core::Result;
namespace fs = std::filesystem;

namespace {

const char* kDir = "/usr/share/freeradius";

/// In-memory files for crafted input.
DictionaryLoader memory(std::map<std::string, std::string> files) {
    return [files](std::string_view, std::string_view name) -> Result<DictionarySource> {
        const auto it = files.find(std::string(name));
        if (it == files.end()) {
            return switchyard::core::fail(Errc::NotFound, "dictionary", "no such file");
        }
        return DictionarySource{it->first, it->second};
    };
}

std::string error_of(const std::string& text, std::map<std::string, std::string> files = {}) {
    Dictionary d;
    auto r = d.add({"test.dict", text}, memory(std::move(files)));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::Invalid);
    return r.error().message;
}

}  // namespace

TEST_CASE("the Debian dictionary index loads with every file it includes") {
    if (!fs::exists(fs::path(kDir) / "dictionary")) {
        switchyard::testing::skip("freeradius-common is not installed (/usr/share/freeradius)");
        return;
    }
    auto d = switchyard::adapters::radius::load_dictionary();
    REQUIRE_MESSAGE(d, (d ? "" : d.error().message));
    // The index itself and its 224 $INCLUDE lines (grep -c '^\$INCLUDE' dictionary).
    CHECK(d->files().size() == 225);

    // dictionary.mikrotik: VENDOR Mikrotik 14988; ATTRIBUTE Mikrotik-Rate-Limit 8 string.
    const Vendor* mikrotik = d->vendor("Mikrotik");
    REQUIRE(mikrotik);
    CHECK(mikrotik->id == 14988);
    CHECK(mikrotik->type_size == 1);
    CHECK(mikrotik->length_size == 1);
    const Attribute* rate = d->attribute("Mikrotik-Rate-Limit");
    REQUIRE(rate);
    CHECK(rate->vendor == 14988);
    CHECK(rate->number() == 8);
    CHECK(rate->type == AttrType::String);
    CHECK(d->attribute(14988, 8) == rate);
    // Names compare case-insensitively, as in FreeRADIUS.
    CHECK(d->attribute("mikrotik-rate-limit") == rate);

    // dictionary.rfc2869: Acct-Input-Gigawords 52 integer; Event-Timestamp 55 date.
    const Attribute* giga = d->attribute("Acct-Input-Gigawords");
    REQUIRE(giga);
    CHECK(giga->vendor == 0);
    CHECK(giga->number() == 52);
    CHECK(giga->type == AttrType::Integer);
    CHECK(d->attribute("Event-Timestamp")->type == AttrType::Date);

    // dictionary.rfc3576: Error-Cause 101 integer, VALUE Session-Context-Not-Found 503;
    // dictionary.rfc5176 adds VALUE Multiple-Session-Selection-Unsupported 508.
    const Attribute* cause = d->attribute("Error-Cause");
    REQUIRE(cause);
    CHECK(cause->number() == 101);
    CHECK(d->value("Error-Cause", "Session-Context-Not-Found") == 503u);
    CHECK(*d->value_name("Error-Cause", 503) == "Session-Context-Not-Found");
    CHECK(d->value("Error-Cause", "Multiple-Session-Selection-Unsupported") == 508u);
    CHECK(d->value_name("Error-Cause", 999) == nullptr);

    // dictionary.wispr: VENDOR WISPr 14122, WISPr-Bandwidth-Max-Down 8 integer.
    const Attribute* wispr = d->attribute("WISPr-Bandwidth-Max-Down");
    REQUIRE(wispr);
    CHECK(wispr->vendor == 14122);
    CHECK(wispr->number() == 8);
    CHECK(wispr->type == AttrType::Integer);
    // dictionary.chillispot: VENDOR ChilliSpot 14559, ChilliSpot-Max-Total-Octets 3 integer.
    const Attribute* chilli = d->attribute("ChilliSpot-Max-Total-Octets");
    REQUIRE(chilli);
    CHECK(chilli->vendor == 14559);
    CHECK(chilli->number() == 3);

    // dictionary.rfc2865: User-Password 2 string encrypt=1; dictionary.rfc2868: Tunnel-Password
    // 69 string has_tag,encrypt=2.
    CHECK(d->attribute("User-Password")->flags.encrypt == 1);
    const Attribute* tunnel = d->attribute("Tunnel-Password");
    CHECK(tunnel->flags.has_tag);
    CHECK(tunnel->flags.encrypt == 2);
    // dictionary.lucent: VENDOR Lucent 4846 format=2,1.
    CHECK(d->vendor("Lucent")->type_size == 2);
    CHECK(d->vendor(4846)->length_size == 1);
    // dictionary.usr: VENDOR USR 429 format=4,0.
    CHECK(d->vendor("USR")->type_size == 4);
    CHECK(d->vendor("USR")->length_size == 0);
    // dictionary.wimax: VENDOR WiMAX 24757 format=1,1,c; WiMAX-Release 1.1 string in a TLV.
    CHECK(d->vendor("WiMAX")->continuation);
    const Attribute* release = d->attribute("WiMAX-Release");
    REQUIRE(release);
    CHECK(release->path == std::vector<std::uint32_t>{1, 1});
    // dictionary.rfc6929: Extended-Vendor-Specific-1 241.26 evs.
    CHECK(d->attribute("Extended-Vendor-Specific-1")->path == std::vector<std::uint32_t>{241, 26});
    CHECK(d->attribute("Extended-Vendor-Specific-1")->type == AttrType::Evs);
    // dictionary.rfc4818: Delegated-IPv6-Prefix 123 ipv6prefix.
    CHECK(d->attribute("Delegated-IPv6-Prefix")->type == AttrType::Ipv6prefix);
}

TEST_CASE("the Mikrotik aliases name one number twice and share its values") {
    if (!fs::exists(fs::path(kDir) / "dictionary.mikrotik")) {
        switchyard::testing::skip("freeradius-common is not installed (/usr/share/freeradius)");
        return;
    }
    Dictionary d;
    auto src = switchyard::adapters::radius::read_dictionary_file(std::string(kDir) +
                                                                  "/dictionary.mikrotik");
    REQUIRE(src);
    REQUIRE(d.add(*src));
    // Lines 48-49 and 51-52: numbers 25 and 27 under two names (one with a trailing space).
    const Attribute* a = d.attribute("Mikrotik-DHCP-Option-Param-STR2");
    const Attribute* b = d.attribute("Mikrotik-DHCP-Option-ParamSTR2");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->number() == 25);
    CHECK(b->number() == 25);
    // By number, the name defined last (FreeRADIUS 3 prints the newest name).
    CHECK(d.attribute(14988, 25)->name == "Mikrotik-DHCP-Option-ParamSTR2");
    // VALUE Mikrotik-Wireless-VLANIDtype 802.1ad 1, read through the other name too.
    CHECK(d.value("Mikrotik-Wireless-VLANIDtype", "802.1ad") == 1u);
    CHECK(d.value("Mikrotik-Wireless-VLANID-Type", "802.1q") == 0u);
}

TEST_CASE("every one of the 236 Debian dictionary files loads, or fails as FreeRADIUS would") {
    if (!fs::exists(fs::path(kDir) / "dictionary")) {
        switchyard::testing::skip("freeradius-common is not installed (/usr/share/freeradius)");
        return;
    }
    auto base = switchyard::adapters::radius::load_dictionary();
    REQUIRE(base);
    std::set<std::string> loaded(base->files().begin(), base->files().end());
    // dictionary.wimax.alvarion redefines WiMAX-VLAN-ID (28.11.8 in dictionary.wimax line 219,
    // 28.11.9 in its line 190); dictionary.openser and dictionary.rfc5090 define names that
    // dictionary.freeradius.internal and dictionary.iana define with other numbers. The index
    // leaves them out for that reason (commented $INCLUDE lines 131-133).
    const std::map<std::string, std::string> kConflicts{
        {"dictionary.wimax.alvarion", "attribute WiMAX-VLAN-ID is already defined"},
        {"dictionary.openser", "attribute Sip-Method is already defined"},
        {"dictionary.rfc5090", "attribute Digest-Response is already defined"}};
    int files = 0, on_top = 0, conflicting = 0;
    for (const auto& entry : fs::directory_iterator(kDir)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("dictionary.", 0) != 0) continue;
        ++files;
        if (loaded.count(fs::canonical(entry.path()).string())) continue;
        // Not in the index: loaded on top of it, as an operator would $INCLUDE it.
        auto src = switchyard::adapters::radius::read_dictionary_file(entry.path().string());
        REQUIRE(src);
        Dictionary d = *base;
        auto r = d.add(*src, switchyard::adapters::radius::file_dictionary_loader());
        if (const auto it = kConflicts.find(name); it != kConflicts.end()) {
            // Alternatives to files of the index: FreeRADIUS refuses them on top of it too.
            REQUIRE_FALSE(r);
            CHECK_MESSAGE(r.error().message.find(it->second) != std::string::npos, name, ": ",
                          r.error().message);
            // Alone (after RFC 2865 and the WiMAX vendor they rely on) they load.
            Dictionary alone;
            REQUIRE(alone.add({"prelude", "VENDOR WiMAX 24757 format=1,1,c\n"}));
            REQUIRE(alone.add(*switchyard::adapters::radius::read_dictionary_file(
                std::string(kDir) + "/dictionary.rfc2865")));
            auto r2 = alone.add(*src, switchyard::adapters::radius::file_dictionary_loader());
            CHECK_MESSAGE(r2, name, ": ", (r2 ? "" : r2.error().message));
            ++conflicting;
            continue;
        }
        if (name == "dictionary.freedhcp") {
            // Lines 238-239 give VALUEs of FreeDHCP-Opcode, which no ATTRIBUTE defines: a
            // mistake in the file that FreeRADIUS 3 refuses as well.
            REQUIRE_FALSE(r);
            CHECK(r.error().message ==
                  src->name +
                      " line 238: VALUE Client-Message for attribute FreeDHCP-Opcode, which no "
                      "ATTRIBUTE defines");
            continue;
        }
        CHECK_MESSAGE(r, name, ": ", (r ? "" : r.error().message));
        ++on_top;
    }
    CHECK(files == 236);
    CHECK(on_top == 8);
    CHECK(conflicting == 3);
}

TEST_CASE("includes resolve through the loader and $INCLUDE- skips a missing file") {
    Dictionary d;
    auto r = d.add({"main", "$INCLUDE a\n$INCLUDE- missing\nATTRIBUTE Top 1 string\n"},
                   memory({{"a",
                            "VENDOR Acme 9\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-Speed 3 "
                            "integer\nEND-VENDOR Acme\nVALUE Acme-Speed Fast 100\n"}}));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(d.files() == std::vector<std::string>{"main", "a"});
    CHECK(d.attribute(9, 3)->name == "Acme-Speed");
    CHECK(d.value("ACME-SPEED", "fast") == 100u);
    CHECK(d.attribute("Top")->vendor == 0);
}

TEST_CASE("a VALUE before its ATTRIBUTE is fixed up at the end, as FreeRADIUS does") {
    Dictionary d;
    REQUIRE(d.add({"x", "VALUE Late-Attr Yes 1\nATTRIBUTE Late-Attr 200 integer\n"}));
    CHECK(d.value("Late-Attr", "Yes") == 1u);
}

TEST_CASE("TLV members take the path of their parent") {
    Dictionary d;
    auto r = d.add({"x",
                    "VENDOR V 7 format=1,1,c\nBEGIN-VENDOR V\nATTRIBUTE Cap 1 tlv\n"
                    "BEGIN-TLV Cap\nATTRIBUTE Cap-Rel 2 string\nEND-TLV Cap\nEND-VENDOR V\n"});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(d.attribute("Cap-Rel")->path == std::vector<std::uint32_t>{1, 2});
    CHECK(d.attribute(7, std::vector<std::uint32_t>{1, 2})->name == "Cap-Rel");
}

TEST_CASE("bad dictionary lines are refused naming the file, the line and the reason") {
    CHECK(error_of("ATTRIBUTE A 1 string\nATTRIBUTE B x string\n") ==
          "test.dict line 2: attribute number 'x' of B is not a number");
    CHECK(error_of("ATTRIBUTE A 1 strung\n") ==
          "test.dict line 1: unknown type 'strung' of attribute A");
    CHECK(error_of("ATTRIBUTE A 1 string bogus\n") ==
          "test.dict line 1: unknown flag 'bogus' of attribute A");
    CHECK(error_of("ATTRIBUTE A 65536 string\n") ==
          "test.dict line 1: attribute number 65536 of A does not fit its type field");
    CHECK(error_of("VENDOR V 5\nBEGIN-VENDOR V\nATTRIBUTE A 256 string\nEND-VENDOR V\n") ==
          "test.dict line 3: attribute number 256 of A does not fit its type field");
    CHECK(error_of("\nBEGIN-VENDOR Nope\n") ==
          "test.dict line 2: BEGIN-VENDOR Nope: no VENDOR line defines it");
    CHECK(error_of("VENDOR V 5\nBEGIN-VENDOR V\n") ==
          "test.dict: BEGIN-VENDOR V without END-VENDOR");
    CHECK(error_of("VENDOR V 5\nEND-VENDOR V\n") ==
          "test.dict line 2: END-VENDOR V without a matching BEGIN-VENDOR");
    CHECK(error_of("VENDOR V 5 format=3,1\n") ==
          "test.dict line 1: VENDOR format '3,1' is not t,l[,c] with t in 1,2,4 and l in 0,1,2");
    CHECK(error_of("VENDOR V 5\nVENDOR V 6\n") ==
          "test.dict line 2: vendor V was defined as 5, now as 6");
    CHECK(error_of("ATTRIBUTE A 1 string\nATTRIBUTE A 2 string\n") ==
          "test.dict line 2: attribute A is already defined with another number");
    CHECK(error_of("VALUE Ghost One 1\n") ==
          "test.dict line 1: VALUE One for attribute Ghost, which no ATTRIBUTE defines");
    CHECK(error_of("VALUE A One x\n") == "test.dict line 1: VALUE A One: 'x' is not a number");
    CHECK(error_of("FROB A\n") == "test.dict line 1: unknown keyword 'FROB'");
    CHECK(error_of("ATTRIBUTE A 1 string\nBEGIN-TLV A\n") ==
          "test.dict line 2: BEGIN-TLV A: it is of type string, not tlv");
    CHECK(error_of("$INCLUDE gone\n") == "test.dict line 1: $INCLUDE gone: no such file");
    CHECK(error_of("$INCLUDE a\n", {{"a", "$INCLUDE b\n"}, {"b", "$INCLUDE a\n"}}) ==
          "a: $INCLUDE loop (a includes itself through b)");
    CHECK(error_of("$INCLUDE a\n", {{"a", "ATTRIBUTE X 1 string\nATTRIBUTE Y\n"}}) ==
          "a line 2: ATTRIBUTE takes a name, a number, a type and optional flags");
}

TEST_CASE("comments, blank lines, CRLF and trailing spaces are tolerated") {
    Dictionary d;
    auto r = d.add(
        {"x", "# head\r\n\r\nATTRIBUTE  A\t1\tstring   # note\r\n  \t\nVALUE A  B  0x10 \r\n"});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(d.attribute("A")->type == AttrType::String);
    CHECK(d.value("A", "B") == 16u);
}

TEST_CASE("the disk loader resolves includes next to the including file and stops loops") {
    switchyard::testing::TempDir dir;
    fs::create_directories(dir.path() / "vendors");
    std::ofstream(dir.path() / "dictionary") << "$INCLUDE vendors/dictionary.acme\n";
    // Relative to vendors/, not to the top directory.
    std::ofstream(dir.path() / "vendors" / "dictionary.acme")
        << "VENDOR Acme 9\n$INCLUDE dictionary.acme.attrs\n";
    std::ofstream(dir.path() / "vendors" / "dictionary.acme.attrs")
        << "BEGIN-VENDOR Acme\nATTRIBUTE Acme-Speed 3 integer\nEND-VENDOR Acme\n";
    auto d = switchyard::adapters::radius::load_dictionary((dir.path() / "dictionary").string());
    REQUIRE_MESSAGE(d, (d ? "" : d.error().message));
    CHECK(d->files().size() == 3);
    CHECK(d->attribute(9, 3)->name == "Acme-Speed");

    // A loop through another spelling of the same file is still a loop.
    std::ofstream(dir.path() / "vendors" / "dictionary.acme.attrs")
        << "$INCLUDE ../vendors/./dictionary.acme\n";
    auto loop = switchyard::adapters::radius::load_dictionary((dir.path() / "dictionary").string());
    REQUIRE_FALSE(loop);
    CHECK(loop.error().message.find("$INCLUDE loop") != std::string::npos);

    auto missing = switchyard::adapters::radius::load_dictionary((dir.path() / "none").string());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::NotFound);
}
