#include "app/modules/iptv_edge.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/http_client.hpp"
#include "events/iptv/iptv_json.hpp"
#include "events/json_reader.hpp"

namespace switchyard::app {

namespace {

/// The main server's answer as an error: its status and the start of its body.
core::Error main_error(std::string_view what, const ClientResponse& resp) {
    return core::Error{resp.status == 404 ? core::Errc::NotFound : core::Errc::Unavailable,
                       "main_server",
                       fmt::format("the main server answered {} with HTTP {}: {}", what,
                                   resp.status, resp.body.substr(0, 300))};
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
    if (resp.status != 200) return tl::unexpected(main_error("an admission", resp));
    using Answer = std::variant<Admission, Refusal>;
    std::int64_t timeout_s = 0;  // the main server's lease timeout, so renewals keep its pace
    auto answer = events::with_json_object(resp.body, [&](const events::JsonObject& o) -> Answer {
        if (!o.boolean("admitted")) {
            Refusal r;
            r.status = static_cast<int>(o.i64("status"));
            r.content_type = o.str("content_type");
            r.body = o.str("body");
            return r;
        }
        Admission a;
        a.lease_id = o.str("lease_id");
        a.line_id = o.i64("line_id");
        a.stream_id = o.i64("stream_id");
        a.output = o.str("output");
        a.expires_at = o.time("expires_at");
        const auto s = o.obj("source");
        a.source.stream_id = a.stream_id;
        a.source.source_url = s.str("url");
        a.source.user_agent = s.opt_str("user_agent");
        a.source.http_referrer = s.opt_str("http_referrer");
        if (s.is_set("profile"))
            a.source.profile = events::from_json<core::iptv::StreamProfile>(
                s.obj("profile"), events::iptv::kStreamProfile);
        a.source.always_on = s.opt_boolean("always_on", false);
        timeout_s = o.opt_i64("timeout_s").value_or(0);
        return a;
    });
    if (!answer)
        return core::fail(core::Errc::Unavailable, "main_server",
                          "the main server's admission is not understood: " + answer.error().field +
                              " " + answer.error().message);
    if (auto* a = std::get_if<Admission>(&*answer)) {
        std::lock_guard lock(mu_);
        if (timeout_s > 0) lease_timeout_ = std::chrono::seconds(timeout_s);
        held_[a->lease_id] = Held{a->expires_at, 0};
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
        auto expires = events::with_json_object(
            resp->body, [](const events::JsonObject& o) { return o.time("expires_at"); });
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
