#include "app/modules/iptv_edge.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "app/http_client.hpp"

namespace switchyard::app {

namespace {

/// The main server's answer as an error: its status and the start of its body.
core::Error main_error(std::string_view what, const ClientResponse& resp) {
    return core::Error{resp.status == 404 ? core::Errc::NotFound : core::Errc::Unavailable,
                       "main_server",
                       fmt::format("the main server answered {} with HTTP {}: {}", what,
                                   resp.status, resp.body.substr(0, 300))};
}

/// A string member, or "" when absent or not a string.
std::string text(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// An integer member, or 0 when absent or not an integer.
std::int64_t number(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->get_int64() : 0;
}

/// The main server's admission answer (api/routes/iptv/delivery.cpp edge_admission).
/// @errors Invalid naming what is missing.
core::Result<std::variant<api::MainServer::Admission, api::MainServer::Refusal>> read_admission(
    const std::string& body, std::int64_t& timeout_s) {
    boost::system::error_code ec;
    const auto doc = boost::json::parse(body, ec);
    if (ec || !doc.is_object()) return core::fail(core::Errc::Invalid, "body", "not a JSON object");
    const auto& o = doc.get_object();
    const auto* admitted = o.if_contains("admitted");
    if (!admitted || !admitted->is_bool())
        return core::fail(core::Errc::Invalid, "admitted", "admitted: missing");
    if (!admitted->get_bool()) {
        api::MainServer::Refusal r;
        r.status = static_cast<int>(number(o, "status"));
        r.content_type = text(o, "content_type");
        r.body = text(o, "body");
        r.location = text(o, "location");
        if (r.status < 300 || r.status > 599)
            return core::fail(core::Errc::Invalid, "status", "status: not a refusal status");
        return r;
    }
    api::MainServer::Admission a;
    a.lease_id = text(o, "lease_id");
    a.line_id = number(o, "line_id");
    a.stream_id = number(o, "stream_id");
    a.output = text(o, "output");
    const auto expires = core::parse_rfc3339(text(o, "expires_at"));
    const auto* source = o.if_contains("source");
    if (a.lease_id.empty() || a.line_id <= 0 || a.stream_id <= 0 || !expires || !source ||
        !source->is_object())
        return core::fail(core::Errc::Invalid, "lease_id",
                          "lease_id, line_id, stream_id, expires_at or source: missing");
    a.expires_at = *expires;
    const auto& s = source->get_object();
    a.source.stream_id = a.stream_id;
    a.source.source_url = text(s, "url");
    a.source.user_agent = text(s, "user_agent");
    a.source.http_referrer = text(s, "http_referrer");
    if (const auto* always = s.if_contains("always_on"); always && always->is_bool())
        a.source.always_on = always->get_bool();
    if (const auto* p = s.if_contains("profile"); p && p->is_object()) {
        const auto& profile = p->get_object();
        auto& out = a.source.profile;
        out.name = text(profile, "name");
        out.video_codec = text(profile, "video_codec");
        out.audio_codec = text(profile, "audio_codec");
        out.video_bitrate_kbps = number(profile, "video_bitrate_kbps");
        out.audio_bitrate_kbps = number(profile, "audio_bitrate_kbps");
        out.width = number(profile, "width");
        out.height = number(profile, "height");
        out.preset = text(profile, "preset");
    }
    timeout_s = number(o, "timeout_s");
    return a;
}

}  // namespace

MainServerClient::MainServerClient(std::string base_url, std::int64_t server_id,
                                   std::string api_key, const core::Clock& clock,
                                   std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)),
      server_id_(server_id),
      auth_header_("Authorization: Bearer " + api_key),
      clock_(clock),
      call_timeout_(timeout) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

core::Result<std::variant<api::MainServer::Admission, api::MainServer::Refusal>>
MainServerClient::admit(const std::string& token, const std::string& file,
                        const std::string& remote_ip, const std::string& user_agent) {
    const boost::json::object body{
        {"token", token}, {"file", file}, {"remote_ip", remote_ip}, {"user_agent", user_agent}};
    const auto resp = SY_TRY(
        http_request("POST", fmt::format("{}/v1/iptv/edge/{}/admissions", base_url_, server_id_),
                     {auth_header_}, boost::json::serialize(body), call_timeout_));
    if (resp.status != 200) {
        auto error = main_error("an admission", resp);
        spdlog::warn("iptv edge: {}", error.message);  // e.g. a key the main server refuses
        return tl::unexpected(std::move(error));
    }
    std::int64_t timeout_s = 0;  // the main server's lease timeout, so renewals keep its pace
    auto answer = read_admission(resp.body, timeout_s);
    if (!answer)
        return core::fail(
            core::Errc::Unavailable, "main_server",
            "the main server's admission is not understood: " + answer.error().message);
    if (auto* a = std::get_if<Admission>(&*answer)) {
        std::lock_guard lock(mu_);
        if (timeout_s > 0) lease_timeout_ = std::chrono::seconds(timeout_s);
        // An HLS player's playlist reloads come back with the same lease: its bytes stay.
        held_[a->lease_id].expires_at = a->expires_at;
    }
    return answer;
}

std::int64_t MainServerClient::take_bytes(const std::string& lease_id) {
    std::lock_guard lock(mu_);
    const auto it = held_.find(lease_id);
    if (it == held_.end()) return 0;
    return std::exchange(it->second.bytes, 0);
}

core::Result<void> MainServerClient::renew(std::int64_t line_id, const std::string& lease_id) {
    const auto bytes = take_bytes(lease_id);
    const boost::json::object body{{"line_id", line_id}, {"bytes", bytes}};
    auto resp = http_request(
        "POST", fmt::format("{}/v1/iptv/edge/{}/leases/{}/renew", base_url_, server_id_, lease_id),
        {auth_header_}, boost::json::serialize(body), call_timeout_);
    std::lock_guard lock(mu_);
    const auto it = held_.find(lease_id);
    if (resp && resp->status == 200) {
        boost::system::error_code ec;
        const auto doc = boost::json::parse(resp->body, ec);
        const auto expires = !ec && doc.is_object()
                                 ? core::parse_rfc3339(text(doc.get_object(), "expires_at"))
                                 : std::nullopt;
        if (it != held_.end() && expires) it->second.expires_at = *expires;
        return {};
    }
    if (resp && resp->status == 404) {
        if (it != held_.end()) held_.erase(it);
        return tl::unexpected(main_error("a renewal", *resp));
    }
    // Unreachable or failing: the bytes wait for the next try; the lease holds while the main
    // server's last word says so.
    if (it != held_.end()) {
        it->second.bytes += bytes;
        if (clock_.now() < it->second.expires_at) return {};
    }
    if (!resp) return tl::unexpected(resp.error());
    return tl::unexpected(main_error("a renewal", *resp));
}

core::Result<void> MainServerClient::close(std::int64_t line_id, const std::string& lease_id,
                                           const std::string& reason) {
    const auto bytes = take_bytes(lease_id);
    {
        std::lock_guard lock(mu_);
        held_.erase(lease_id);
    }
    const boost::json::object body{{"line_id", line_id}, {"bytes", bytes}, {"reason", reason}};
    const auto resp = SY_TRY(http_request(
        "POST", fmt::format("{}/v1/iptv/edge/{}/leases/{}/close", base_url_, server_id_, lease_id),
        {auth_header_}, boost::json::serialize(body), call_timeout_));
    if (resp.status != 200) return tl::unexpected(main_error("a close", resp));
    return {};
}

void MainServerClient::count_bytes(const std::string& lease_id, std::int64_t n) {
    std::lock_guard lock(mu_);
    const auto it = held_.find(lease_id);
    if (it != held_.end()) it->second.bytes += n;
}

std::optional<core::Timestamp> MainServerClient::expires_at(const std::string& lease_id) const {
    std::lock_guard lock(mu_);
    const auto it = held_.find(lease_id);
    if (it == held_.end()) return std::nullopt;
    return it->second.expires_at;
}

std::chrono::seconds MainServerClient::timeout() const {
    std::lock_guard lock(mu_);
    return lease_timeout_;
}

}  // namespace switchyard::app
