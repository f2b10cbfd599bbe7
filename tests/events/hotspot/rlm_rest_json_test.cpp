// The rlm_rest JSON reader and writer: bodies as FreeRADIUS 3.2 rest_encode_json writes them,
// refusals naming the attribute, replies as json_pair_make reads them, status codes.
#include "events/hotspot/rlm_rest_json.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::events::hotspot;
using core::hotspot::AcctStatus;
using core::hotspot::ReplyAttribute;
using switchyard::testing::error_of;

namespace {

// An accounting body in the shape of rest.c rest_encode_json (one object per attribute,
// integers without VALUE names as numbers, Acct-Status-Type by its VALUE name).
constexpr std::string_view kInterim =
    R"({"User-Name":{"type":"string","value":["bob"]},)"
    R"("NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.1"]},)"
    R"("Acct-Status-Type":{"type":"integer","value":["Interim-Update"]},)"
    R"("Acct-Session-Id":{"type":"string","value":["81000001"]},)"
    R"("Acct-Unique-Session-Id":{"type":"string","value":["6f1c2a"]},)"
    R"("Acct-Input-Octets":{"type":"integer","value":[1200]},)"
    R"("Acct-Input-Gigawords":{"type":"integer","value":[0]},)"
    R"("Acct-Output-Octets":{"type":"integer","value":[704]},)"
    R"("Acct-Output-Gigawords":{"type":"integer","value":[1]},)"
    R"("Acct-Session-Time":{"type":"integer","value":[300]},)"
    R"("Calling-Station-Id":{"type":"string","value":["AA-BB-CC-DD-EE-FF"]},)"
    R"("Framed-IP-Address":{"type":"ipaddr","value":["10.5.50.7"]}})";

}  // namespace

TEST_CASE("an rlm_rest accounting body reads into typed attributes and an accounting request") {
    const auto req = parse_rlm_rest_request(kInterim);
    REQUIRE(req);
    CHECK(req->attributes().size() == 12);
    REQUIRE(req->find("user-name"));  // dictionary names match without regard to case
    CHECK(req->find("User-Name")->type == "string");
    CHECK(req->text("NAS-IP-Address") == "192.0.2.1");
    CHECK(req->integer("Acct-Input-Octets") == 1200);
    CHECK(acct_status(*req) == AcctStatus::InterimUpdate);
    const auto r = accounting_request(*req, "lobby", core::from_unix_seconds(1000));
    REQUIRE(r);
    CHECK(r->nas_id == "lobby");
    CHECK(r->unique_id == "6f1c2a");
    CHECK(r->output_gigawords == 1);
    CHECK(r->output_octets == 704);
    CHECK(r->framed_ip == "10.5.50.7");
    CHECK(r->session_seconds == 300);
}

TEST_CASE("a repeated attribute carries all its values in one array") {
    const auto req = parse_rlm_rest_request(
        R"({"Class":{"type":"octets","value":["0x01","0x02"]},"NAS-Port":{"type":"integer","value":[7],"attr_num":5}})");
    REQUIRE(req);
    CHECK(req->find("Class")->values == std::vector<std::string>{"0x01", "0x02"});
    CHECK(req->integer("NAS-Port") == 7);
    CHECK(req->integer("Missing", 42) == 42);
}

TEST_CASE("malformed rlm_rest bodies are refused naming the attribute and the reason") {
    CHECK(error_of(parse_rlm_rest_request("")).field == "body");
    CHECK(error_of(parse_rlm_rest_request("{")).field == "body");
    CHECK(error_of(parse_rlm_rest_request("[1,2]")).field == "body");
    auto e = error_of(parse_rlm_rest_request(R"({"User-Name":"bob"})"));
    CHECK(e.field == "User-Name");
    CHECK(e.message.find("must be an object") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"User-Name":{"type":"string","value":[5]}})"));
    CHECK(e.field == "User-Name");
    CHECK(e.message.find("number") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"User-Name":{"type":"text","value":["a"]}})"));
    CHECK(e.message.find("not a FreeRADIUS type") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"User-Name":{"type":"string","value":[]}})"));
    CHECK(e.message.find("empty value array") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"User-Name":{"type":"string"}})"));
    CHECK(e.message.find("has no value") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"NAS-Port":{"type":"integer","value":[-1]}})"));
    CHECK(e.field == "NAS-Port");
    e = error_of(parse_rlm_rest_request(R"({"NAS-Port":{"type":"integer","value":[1.5]}})"));
    CHECK(e.field == "NAS-Port");
    e = error_of(parse_rlm_rest_request(R"({"NAS-Port":{"type":"integer","value":[null]}})"));
    CHECK(e.field == "NAS-Port");
    e = error_of(parse_rlm_rest_request(
        R"({"User-Name":{"type":"string","value":["a"]},"user-name":{"type":"string","value":["b"]}})"));
    CHECK(e.message.find("appears twice") != std::string::npos);
    e = error_of(parse_rlm_rest_request(R"({"User-Name":{"type":"string","value":["a"],"x":1}})"));
    CHECK(e.message.find("unknown member") != std::string::npos);
}

TEST_CASE("accounting bodies without the attributes a session needs are refused by name") {
    auto req =
        parse_rlm_rest_request(R"({"Acct-Status-Type":{"type":"integer","value":["Start"]}})");
    REQUIRE(req);
    CHECK(error_of(accounting_request(*req, "lobby", {})).field == "User-Name");
    req = parse_rlm_rest_request(R"({"User-Name":{"type":"string","value":["bob"]}})");
    CHECK(error_of(accounting_request(*req, "lobby", {})).field == "Acct-Status-Type");
    req = parse_rlm_rest_request(
        R"({"Acct-Status-Type":{"type":"integer","value":["Reboot"]},"User-Name":{"type":"string","value":["bob"]}})");
    CHECK(error_of(acct_status(*req)).message.find("\"Reboot\"") != std::string::npos);
    req = parse_rlm_rest_request(
        R"({"Acct-Status-Type":{"type":"integer","value":["Stop"]},"User-Name":{"type":"string","value":["bob"]},"Acct-Unique-Session-Id":{"type":"string","value":["x"]},"Acct-Input-Octets":{"type":"integer","value":["lots"]}})");
    CHECK(error_of(accounting_request(*req, "lobby", {})).field == "Acct-Input-Octets");
    // Accounting-On carries no User-Name and needs none.
    req = parse_rlm_rest_request(R"({"Acct-Status-Type":{"type":"integer","value":[7]}})");
    const auto on = accounting_request(*req, "lobby", {});
    REQUIRE(on);
    CHECK(on->status == AcctStatus::AccountingOn);
}

TEST_CASE("replies are written as rlm_rest reads them: list-qualified names, op, no xlat") {
    const auto text = write_rlm_rest_reply({{"Mikrotik-Rate-Limit", std::string("512k/2048k")},
                                            {"Session-Timeout", std::int64_t{3600}},
                                            {"Reply-Message", std::string("Hello %{User-Name}")},
                                            {"Reply-Message", std::string("second")}},
                                           {{"Cleartext-Password", std::string("s3cret")}});
    const auto v = boost::json::parse(text).as_object();
    CHECK(v.size() == 4);
    const auto& pw = v.at("control:Cleartext-Password").as_object();
    CHECK(pw.at("op") == ":=");
    CHECK(pw.at("value") == "s3cret");
    CHECK(pw.at("do_xlat") == false);
    CHECK(v.at("reply:Mikrotik-Rate-Limit").at("value") == "512k/2048k");
    CHECK(v.at("reply:Session-Timeout").at("value") == 3600);
    const auto& msgs = v.at("reply:Reply-Message").at("value").as_array();
    REQUIRE(msgs.size() == 2);
    CHECK(msgs[0] == "Hello %{User-Name}");
}

TEST_CASE("an accept answers 200 with the password, a reject 401 with only the Reply-Message") {
    core::hotspot::AuthorizeDecision accept;
    accept.accept = true;
    accept.cleartext_password = "pw";
    accept.reply = {{"Session-Timeout", std::int64_t{60}}};
    auto a = authorize_answer(accept);
    CHECK(a.status == 200);
    auto v = boost::json::parse(a.body).as_object();
    CHECK(v.at("control:Cleartext-Password").at("value") == "pw");
    CHECK(v.at("reply:Session-Timeout").at("value") == 60);

    core::hotspot::AuthorizeDecision reject;
    reject.accept = false;
    reject.reply_message = "Your time has expired.";
    a = authorize_answer(reject);
    CHECK(a.status == 401);
    v = boost::json::parse(a.body).as_object();
    CHECK(v.size() == 1);
    CHECK(v.at("reply:Reply-Message").at("value") == "Your time has expired.");

    CHECK(authenticate_answer(true) == RestAnswer{204, ""});
    CHECK(authenticate_answer(false).status == 401);
}

TEST_CASE("accounting answers 204 when applied, 400 naming the field when refused") {
    CHECK(accounting_answer(std::vector<core::hotspot::SessionEvent>{}) == RestAnswer{204, ""});
    const core::Result<std::vector<core::hotspot::SessionEvent>> refused =
        core::fail(core::Errc::Invalid, "Acct-Input-Octets", "went backwards");
    const auto a = accounting_answer(refused);
    CHECK(a.status == 400);
    CHECK(boost::json::parse(a.body).at("field") == "Acct-Input-Octets");
    const core::Result<std::vector<core::hotspot::SessionEvent>> broken =
        core::fail(core::Errc::Internal, "", "store down");
    CHECK(accounting_answer(broken).status == 500);
}

TEST_CASE("an Access-Request body gives the user, the NAS address and the MAC") {
    auto req = parse_rlm_rest_request(
        R"({"User-Name":{"type":"string","value":["bob"]},)"
        R"("User-Password":{"type":"string","value":["s3cret"]},)"
        R"("NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.1"]},)"
        R"("Calling-Station-Id":{"type":"string","value":["AA-BB-CC-DD-EE-FF"]},)"
        R"("Called-Station-Id":{"type":"string","value":["00-11-22-33-44-55:Hotel"]}})");
    REQUIRE(req);
    const auto a = access_request(*req);
    REQUIRE(a);
    CHECK(a->username == "bob");
    CHECK(a->nas_ip == "192.0.2.1");
    CHECK(a->calling_station_id == "AA-BB-CC-DD-EE-FF");
    CHECK(a->called_station_id == "00-11-22-33-44-55:Hotel");
    CHECK(a->user_password == "s3cret");
    CHECK_FALSE(a->chap);
    req =
        parse_rlm_rest_request(R"({"User-Name":{"type":"string","value":["bob"]},)"
                               R"("NAS-IPv6-Address":{"type":"ipv6addr","value":["2001:db8::1"]},)"
                               R"("CHAP-Password":{"type":"octets","value":["0x01"]}})");
    const auto v6 = access_request(*req);
    REQUIRE(v6);
    CHECK(v6->nas_ip == "2001:db8::1");
    CHECK(v6->chap);
    req = parse_rlm_rest_request(R"({"NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.1"]}})");
    CHECK(error_of(access_request(*req)).field == "User-Name");
}
