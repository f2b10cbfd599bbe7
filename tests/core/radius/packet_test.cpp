// RADIUS packet encoding and decoding (RFC 2865 3 and 5.26) and typed attribute values.
// The dictionary lines below are those of Debian freeradius-common (dictionary.rfc2865,
// .rfc2866, .rfc2869, .rfc3162, .rfc3576, .rfc4818, .rfc6911, .mikrotik, .lucent, .usr).
#include "core/radius/packet.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace switchyard::core::radius;
using switchyard::core::Errc;

namespace {

const char* kDictionary = R"(
ATTRIBUTE	User-Name				1	string
ATTRIBUTE	User-Password				2	string encrypt=1
ATTRIBUTE	NAS-IP-Address				4	ipaddr
ATTRIBUTE	NAS-Port				5	integer
ATTRIBUTE	Service-Type				6	integer
ATTRIBUTE	Framed-IP-Address			8	ipaddr
ATTRIBUTE	Login-IP-Host				14	ipaddr
ATTRIBUTE	Login-Service				15	integer
ATTRIBUTE	Vendor-Specific				26	vsa
ATTRIBUTE	Session-Timeout				27	integer
ATTRIBUTE	Acct-Session-Id				44	string
ATTRIBUTE	Event-Timestamp				55	date
ATTRIBUTE	Framed-Interface-Id			96	ifid
ATTRIBUTE	Error-Cause				101	integer
ATTRIBUTE	Delegated-IPv6-Prefix			123	ipv6prefix
ATTRIBUTE	Framed-IPv6-Address			168	ipv6addr
VALUE	Service-Type			Framed-User		2
VALUE	Login-Service			Telnet			0
VALUE	Error-Cause			Session-Context-Not-Found 503
VENDOR		Mikrotik			14988
BEGIN-VENDOR	Mikrotik
ATTRIBUTE	Mikrotik-Rate-Limit			8	string
ATTRIBUTE	Mikrotik-Total-Limit			17	integer
END-VENDOR	Mikrotik
VENDOR		Lucent				4846	format=2,1
BEGIN-VENDOR	Lucent
ATTRIBUTE	Lucent-Max-Shared-Users			2	integer
END-VENDOR	Lucent
VENDOR		USR				429	format=4,0
BEGIN-VENDOR	USR
ATTRIBUTE	USR-Last-Number-Dialed-Out		0x0066	string
END-VENDOR	USR
ATTRIBUTE	Test-Ether				250	ether
ATTRIBUTE	Test-Int64				249	integer64
ATTRIBUTE	Test-Fixed				248	octets[2]
)";

Dictionary dictionary() {
    Dictionary d;
    auto r = d.add({"test", kDictionary});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return d;
}

Bytes hex(const std::string& s) {
    Bytes out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == ' ' || s[i] == '\n') {
            ++i;
            continue;
        }
        out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
        i += 2;
    }
    return out;
}

Bytes value_of(const Dictionary& d, const std::string& name, const std::string& text) {
    auto a = make_attribute(d, name, text);
    REQUIRE_MESSAGE(a, (a ? "" : a.error().message));
    return a->value;
}

}  // namespace

// RFC 2865 7.1, "User Telnet to Specified Host": the Access-Request and the Access-Accept.
const char* kRfcRequest =
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 "
    "8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03";
const char* kRfcAccept =
    "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 "
    "00 0e 06 c0 a8 01 03";

TEST_CASE("the RFC 2865 7.1 Access-Request decodes to its four attributes") {
    const auto bytes = hex(kRfcRequest);
    auto p = decode_packet(bytes);
    REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
    CHECK(p->code == Code::AccessRequest);
    CHECK(p->identifier == 0);
    CHECK(p->authenticator[0] == 0x0f);
    CHECK(p->authenticator[15] == 0x7a);
    REQUIRE(p->attributes.size() == 4);
    const auto d = dictionary();
    const auto attrs = decode_attributes(d, *p);
    REQUIRE(attrs.size() == 4);
    CHECK(attrs[0].name == "User-Name");
    CHECK(attrs[0].value == "nemo");
    CHECK(attrs[1].name == "User-Password");
    CHECK(attrs[1].value.size() == 2 + 32);  // 16 hidden octets as hex
    CHECK(attrs[2].name == "NAS-IP-Address");
    CHECK(attrs[2].value == "192.168.1.16");
    CHECK(attrs[3].name == "NAS-Port");
    CHECK(attrs[3].value == "3");
    CHECK(attrs[3].integer == 3u);
    // Encoding the decoded packet gives the RFC's bytes back.
    CHECK(encode_packet(*p) == bytes);
}

TEST_CASE("the RFC 2865 7.1 Access-Accept is built from its attributes by name") {
    const auto d = dictionary();
    Packet p;
    p.code = Code::AccessAccept;
    p.identifier = 0;
    const auto want = hex(kRfcAccept);
    std::copy(want.begin() + 4, want.begin() + 20, p.authenticator.begin());
    p.attributes.push_back(*make_attribute(d, "Service-Type", "1"));
    p.attributes.push_back(*make_attribute(d, "Login-Service", "Telnet"));
    p.attributes.push_back(*make_attribute(d, "Login-IP-Host", "192.168.1.3"));
    CHECK(encode_packet(p) == want);
    // Decoded back, the values print as FreeRADIUS names them.
    const auto attrs = decode_attributes(d, *decode_packet(want));
    CHECK(attrs[0].value == "1");  // no VALUE 1 for Service-Type in this dictionary
    CHECK(attrs[1].value == "Telnet");
    CHECK(attrs[2].value == "192.168.1.3");
}

TEST_CASE("a Mikrotik VSA is Vendor-Specific with Vendor-Id 14988 and a 1,1 header") {
    const auto d = dictionary();
    auto a = make_attribute(d, "Mikrotik-Rate-Limit", "2M/4M");
    REQUIRE(a);
    CHECK(a->type == 26);
    // 00 00 3a 8c = 14988; type 8; length 2 + 5; "2M/4M".
    CHECK(a->value == hex("00 00 3a 8c 08 07 32 4d 2f 34 4d"));
    Packet p{Code::CoaRequest, 7, {}, {*a}};
    const auto wire = *encode_packet(p);
    CHECK(wire.size() == 20 + 13);
    const auto back = decode_attributes(d, *decode_packet(wire));
    REQUIRE(back.size() == 1);
    CHECK(back[0].name == "Mikrotik-Rate-Limit");
    CHECK(back[0].vendor == 14988);
    CHECK(back[0].value == "2M/4M");
}

TEST_CASE("vendor header sizes follow VENDOR format=") {
    const auto d = dictionary();
    // Lucent format=2,1: 00 00 12 ee = 4846, type 00 02, length 3 + 4.
    CHECK(value_of(d, "Lucent-Max-Shared-Users", "5") == hex("00 00 12 ee 00 02 07 00 00 00 05"));
    // USR format=4,0: 00 00 01 ad = 429, type 00 00 00 66, no length.
    CHECK(value_of(d, "USR-Last-Number-Dialed-Out", "12") == hex("00 00 01 ad 00 00 00 66 31 32"));
    Packet p{Code::CoaRequest, 1, {}, {}};
    p.attributes.push_back(*make_attribute(d, "Lucent-Max-Shared-Users", "5"));
    p.attributes.push_back(*make_attribute(d, "USR-Last-Number-Dialed-Out", "12"));
    const auto back = decode_attributes(d, *decode_packet(*encode_packet(p)));
    REQUIRE(back.size() == 2);
    CHECK(back[0].name == "Lucent-Max-Shared-Users");
    CHECK(back[0].value == "5");
    CHECK(back[1].name == "USR-Last-Number-Dialed-Out");
    CHECK(back[1].value == "12");
}

TEST_CASE("typed values encode as RFC 8044 lays them out") {
    const auto d = dictionary();
    CHECK(value_of(d, "Session-Timeout", "3600") == hex("00 00 0e 10"));
    CHECK(value_of(d, "Session-Timeout", "0x10") == hex("00 00 00 10"));
    CHECK(value_of(d, "Service-Type", "Framed-User") == hex("00 00 00 02"));
    CHECK(value_of(d, "Error-Cause", "session-context-not-found") == hex("00 00 01 f7"));
    CHECK(value_of(d, "Framed-IP-Address", "10.0.0.5") == hex("0a 00 00 05"));
    CHECK(value_of(d, "Framed-IPv6-Address", "2001:db8::1") ==
          hex("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"));
    CHECK(value_of(d, "Delegated-IPv6-Prefix", "2001:db8::/32") ==
          hex("00 20 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 00"));
    CHECK(value_of(d, "Event-Timestamp", "1796065322") == hex("6b 0d c8 2a"));
    CHECK(value_of(d, "Framed-Interface-Id", "0011:2233:4455:6677") ==
          hex("00 11 22 33 44 55 66 77"));
    CHECK(value_of(d, "Test-Ether", "00-0c-29-AB-cd-01") == hex("00 0c 29 ab cd 01"));
    CHECK(value_of(d, "Test-Int64", "5000000000") == hex("00 00 00 01 2a 05 f2 00"));
    CHECK(value_of(d, "Test-Fixed", "0xbeef") == hex("be ef"));
}

TEST_CASE("typed values decode to the text FreeRADIUS prints") {
    const auto d = dictionary();
    Packet p{Code::DisconnectNak, 3, {}, {}};
    for (auto [n, v] : std::vector<std::pair<const char*, const char*>>{
             {"Error-Cause", "503"},
             {"Framed-IPv6-Address", "2001:db8::1"},
             {"Delegated-IPv6-Prefix", "2001:db8::/32"},
             {"Test-Ether", "00:0c:29:ab:cd:01"},
             {"Test-Int64", "5000000000"},
             {"Framed-Interface-Id", "0011:2233:4455:6677"}}) {
        p.attributes.push_back(*make_attribute(d, n, v));
    }
    const auto a = decode_attributes(d, *decode_packet(*encode_packet(p)));
    REQUIRE(a.size() == 6);
    CHECK(a[0].value == "Session-Context-Not-Found");
    CHECK(a[0].integer == 503u);
    CHECK(a[1].value == "2001:db8::1");
    CHECK(a[2].value == "2001:db8::/32");
    CHECK(a[3].value == "00:0c:29:ab:cd:01");
    CHECK(a[4].value == "5000000000");
    CHECK(a[5].value == "0011:2233:4455:6677");
}

TEST_CASE("bad values are refused naming the attribute and the reason") {
    const auto d = dictionary();
    auto err = [&](const char* n, const std::string& v) {
        auto r = make_attribute(d, n, v);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::Invalid);
        CHECK(r.error().field == n);
        return r.error().message;
    };
    CHECK(err("Session-Timeout", "4294967296") ==
          "Session-Timeout value '4294967296': above the maximum 4294967295");
    CHECK(err("Session-Timeout", "soon") ==
          "Session-Timeout value 'soon': not a number nor a VALUE name of the attribute");
    CHECK(err("Framed-IP-Address", "10.0.0.256") ==
          "Framed-IP-Address value '10.0.0.256': not an IPv4 address (a.b.c.d)");
    CHECK(err("User-Password", "x") ==
          "User-Password value 'x': encrypted attributes (encrypt=1) are not supported");
    CHECK(err("Test-Fixed", "0xbe") ==
          "Test-Fixed value '0xbe': 1 octets; the attribute has exactly 2");
    CHECK(err("User-Name", std::string(254, 'a')).find("254 octets; at most 253") !=
          std::string::npos);
    CHECK(err("Mikrotik-Rate-Limit", std::string(250, 'a')) ==
          "Mikrotik-Rate-Limit value of 250 octets does not fit in one attribute");
    CHECK(err("No-Such-Attribute", "1") ==
          "no dictionary defines an attribute named No-Such-Attribute");
}

TEST_CASE("malformed packets are refused with the field and the reason") {
    auto err = [](const std::string& h) {
        const auto b = hex(h);
        auto r = decode_packet(b);
        REQUIRE_FALSE(r);
        return r.error().field + ": " + r.error().message;
    };
    const std::string header16 = " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
    CHECK(err("28 01 00 14") == "length: 4 octets received; a RADIUS packet has at least 20");
    CHECK(err("28 01 00 13" + header16) == "length: Length 19 is outside 20 to 4096 (RFC 2865 3)");
    CHECK(err("28 01 10 01" + header16) ==
          "length: Length 4097 is outside 20 to 4096 (RFC 2865 3)");
    CHECK(err("28 01 00 16" + header16) == "length: Length 22 but only 20 octets received");
    CHECK(err("28 01 00 16" + header16 + " 01 01") ==
          "attributes[0].length: attribute length 1 is below 2");
    CHECK(err("28 01 00 18" + header16 + " 01 02 01 05 61") ==
          "attributes[1].length: attribute length 5 runs past the packet's Length");
    CHECK(err("28 01 00 15" + header16 + " 01") ==
          "attributes[0].length: an attribute header is cut off by the packet's Length");
    // Octets past Length are padding (RFC 2865 3).
    auto padded = decode_packet(hex("29 01 00 14" + header16 + " ff ff"));
    REQUIRE(padded);
    CHECK(padded->attributes.empty());
}

TEST_CASE("a packet over 4096 octets is not encoded") {
    Packet p{Code::CoaRequest, 1, {}, {}};
    for (int i = 0; i < 17; ++i) p.attributes.push_back({1, Bytes(253, 'a')});
    auto r = encode_packet(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "length");
}

TEST_CASE("unknown attributes and broken VSAs decode raw, as FreeRADIUS names them") {
    const auto d = dictionary();
    Packet p{Code::CoaAck, 1, {}, {}};
    p.attributes.push_back({200, hex("01 02")});
    p.attributes.push_back({26, hex("00 00 3a 8c 63 03 41")});  // Mikrotik attribute 99
    p.attributes.push_back({26, hex("00 00 3a 8c 08 09 41")});  // length past the end
    p.attributes.push_back({27, hex("00 01")});                 // integer of 2 octets
    p.attributes.push_back({123, hex("01 20 20 01 0d b8")});    // Reserved octet not zero
    const auto a = decode_attributes(d, p);
    REQUIRE(a.size() == 5);
    CHECK(a[4].name == "Attr-123");
    CHECK(a[4].value == "0x012020010db8");
    CHECK(a[0].name == "Attr-200");
    CHECK(a[0].value == "0x0102");
    CHECK(a[1].name == "Attr-26.14988.99");
    CHECK(a[1].value == "0x41");
    CHECK(a[2].name == "Vendor-Specific");
    CHECK(a[2].value == "0x00003a8c080941");
    CHECK(a[3].name == "Attr-27");
    CHECK(a[3].definition == nullptr);
}

TEST_CASE("code names are those of RFC 5176") {
    CHECK(to_string(Code::DisconnectRequest) == "Disconnect-Request");
    CHECK(to_string(Code::CoaNak) == "CoA-NAK");
    CHECK(static_cast<int>(Code::CoaRequest) == 43);
    CHECK(to_string(static_cast<Code>(99)) == "Code-99");
}
