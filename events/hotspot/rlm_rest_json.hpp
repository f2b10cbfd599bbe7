#pragma once
/// The JSON FreeRADIUS 3.2's rlm_rest module sends (`body = json`) and reads back, and the HTTP
/// status codes it maps to module results; see adapters/radius/README.md for the facts with
/// their source lines.
///
/// Request (src/modules/rlm_rest/rest.c rest_encode_json): one member per attribute,
/// `{"User-Name":{"type":"string","value":["bob"]},"NAS-Port":{"type":"integer","value":[0]}}`;
/// values of integer, short and byte attributes without VALUE names are JSON numbers, every
/// other value a JSON string (an integer with a VALUE name, such as Acct-Status-Type, as its
/// name: `"Start"`). Repeated attributes share one `value` array.
///
/// Reply (rest.c json_pair_make): `{"reply:Attr": value | [values] | {"op":":=", "value": ...,
/// "do_xlat": false}, "control:Attr": ...}`; an unqualified name goes to the reply list.
///
/// Status codes (rlm_rest.c mod_authorize, mod_authenticate): 200-299 ok/updated (body applied),
/// 204 ok (no body), 401 reject (body still applied, so a Reply-Message reaches the NAS),
/// 403 userlock, 404/410 notfound (body not applied), other 4xx invalid, 5xx fail. Accounting
/// and post-auth (mod_common) know only 2xx, 204, other < 500 invalid and 5xx fail.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/hotspot/accounting.hpp"
#include "core/hotspot/authorize.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::events::hotspot {

/// One attribute of an rlm_rest request: its FreeRADIUS type name (`string`, `integer`,
/// `ipaddr`, `date`, `octets`, ...) and its values as text (numbers in decimal).
struct RestAttribute {
    std::string type;
    std::vector<std::string> values;  ///< At least one.
    friend bool operator==(const RestAttribute&, const RestAttribute&) = default;
};

/// The attributes of one rlm_rest request body, in the order sent. Names are matched without
/// regard to case, as FreeRADIUS dictionaries match them.
class RestRequest {
  public:
    /// The attributes, in the order of the body.
    const std::vector<std::pair<std::string, RestAttribute>>& attributes() const { return attrs_; }
    /// The attribute named `name`, or null.
    const RestAttribute* find(std::string_view name) const;
    /// The first value of `name`, or nullopt when absent.
    std::optional<std::string_view> first(std::string_view name) const;
    /// The first value of `name`, or "" when absent.
    std::string text(std::string_view name) const;
    /// The first value of `name` as a decimal integer, `fallback` when absent.
    /// @errors Invalid naming the attribute when its value is not a decimal integer in
    ///         0 to 2^63 - 1.
    core::Result<std::int64_t> integer(std::string_view name, std::int64_t fallback = 0) const;

    /// Adds an attribute (the reader uses it; tests may).
    void add(std::string name, RestAttribute attribute);

  private:
    std::vector<std::pair<std::string, RestAttribute>> attrs_;
};

/// Largest request body read, in bytes. FreeRADIUS packets are at most 4096 bytes, so a JSON
/// rendering past 64 KiB is not from rlm_rest.
inline constexpr std::size_t kMaxRestBodyBytes = 65536;

/// Reads an rlm_rest request body.
/// @returns the attributes.
/// @errors Invalid, with `field` = the attribute name (or `body` for the whole), when: the body
///         is empty, larger than kMaxRestBodyBytes or not JSON; the top level is not an object;
///         an attribute name is empty or repeated; an attribute is not an object with a string
///         `type` and a non-empty `value` array; the type is not a FreeRADIUS type name; a
///         value is not a string or a non-negative integer; a number is given to a type whose
///         values rlm_rest writes as strings (e.g. `string`, `ipaddr`).
/// @thread safe (a parser per thread).
core::Result<RestRequest> parse_rlm_rest_request(std::string_view body);

/// Acct-Status-Type of a request: its name (`Start`, `Stop`, `Interim-Update`, `Alive`,
/// `Accounting-On`, `Accounting-Off`) or number (1, 2, 3, 7, 8; RFC 2866 5.1).
/// @errors Invalid naming `Acct-Status-Type` when absent or another value.
core::Result<core::hotspot::AcctStatus> acct_status(const RestRequest& request);

/// An AccountingRequest from an rlm_rest accounting body, for the NAS `nas_id`, at `now`.
/// @errors Invalid naming the attribute: Acct-Status-Type (see acct_status), User-Name missing
///         for Start, Interim-Update or Stop, Acct-Unique-Session-Id missing for those, a
///         counter that is not a decimal integer.
core::Result<core::hotspot::AccountingRequest> accounting_request(const RestRequest& request,
                                                                  std::string nas_id,
                                                                  core::Timestamp now);

/// What the authorize, authenticate and post-auth decisions need from an Access-Request body.
struct AccessRequest {
    std::string username;            ///< User-Name.
    std::string nas_ip;              ///< NAS-IP-Address, else NAS-IPv6-Address; may be empty.
    std::string nas_identifier;      ///< NAS-Identifier; may be empty.
    std::string calling_station_id;  ///< The user's MAC; may be empty.
    std::string called_station_id;   ///< The NAS/AP MAC and SSID; may be empty.
    std::string user_password;       ///< User-Password (PAP, authenticate); may be empty.
    bool chap = false;               ///< The request carries CHAP-Password.
    friend bool operator==(const AccessRequest&, const AccessRequest&) = default;
};

/// An AccessRequest from an rlm_rest authorize/authenticate/post-auth body. The NAS is found
/// by nas_ip (rlm_rest sends the packet's attributes, not its source address).
/// @errors Invalid naming `User-Name` when it is missing or empty, or longer than 253 bytes
///         (RFC 2865 5.1).
core::Result<AccessRequest> access_request(const RestRequest& request);

/// A reply body in the form rlm_rest reads: `{"reply:<name>": {"op": ":=", "do_xlat": false,
/// "value": v}, "control:<name>": ...}`; an attribute named more than once gets an array
/// value (rlm_rest turns `:=` into `+=` after the first). `do_xlat` is false so that text from
/// users (a username in a message) is never expanded as `%{...}` by FreeRADIUS.
std::string write_rlm_rest_reply(const std::vector<core::hotspot::ReplyAttribute>& reply,
                                 const std::vector<core::hotspot::ReplyAttribute>& control);

/// An HTTP answer to rlm_rest: status code and body (JSON, or empty for 204).
struct RestAnswer {
    int status = 204;
    std::string body;  ///< `application/json` when not empty.
    friend bool operator==(const RestAnswer&, const RestAnswer&) = default;
};

/// The answer to an authorize request: 200 with control:Cleartext-Password and the reply
/// attributes (and a Reply-Message when accepted into the expired pool); 401 with only
/// reply:Reply-Message when rejected (401 is the status rlm_rest maps to reject while still
/// applying the body).
RestAnswer authorize_answer(const core::hotspot::AuthorizeDecision& decision);

/// The answer to an authenticate (PAP) request: 204 when the password matched, else 401 with
/// reply:Reply-Message `Wrong password.`.
RestAnswer authenticate_answer(bool password_matched);

/// The answer to an accounting request: 204 when accepted (including duplicates), 400 with a
/// JSON body naming the field for Invalid or Rejected (rlm_rest: invalid, so FreeRADIUS sends
/// no Accounting-Response and logs the body), 500 for anything else (fail).
RestAnswer accounting_answer(const core::Result<std::vector<core::hotspot::SessionEvent>>& result);

}  // namespace switchyard::events::hotspot
