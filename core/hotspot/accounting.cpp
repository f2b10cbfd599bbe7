#include "core/hotspot/accounting.hpp"

#include <chrono>

#include <fmt/format.h>

#include "core/overloaded.hpp"

namespace switchyard::core::hotspot {

namespace {

constexpr std::int64_t kTwoTo32 = std::int64_t{1} << 32;

Result<void> check_u32(std::int64_t v, const char* name) {
    if (v < 0 || v >= kTwoTo32)
        return fail(Errc::Invalid, name,
                    fmt::format("{} must be 0 to 4294967295 (a 32-bit count), not {}", name, v));
    return {};
}

Session new_session(const AccountingRequest& r, const SessionCounters& c) {
    Session s;
    s.unique_id = r.unique_id;
    s.acct_session_id = r.acct_session_id;
    s.username = r.username;
    s.nas_id = r.nas_id;
    s.nas_ip = r.nas_ip;
    s.framed_ip = r.framed_ip;
    s.calling_station_id = r.calling_station_id;
    s.called_station_id = r.called_station_id;
    s.started_at = r.now - std::chrono::seconds(c.session_seconds);
    s.updated_at = r.now;
    s.counters = c;
    s.active = true;
    return s;
}

enum class Movement { Same, Older, Forward };

/// How `now` relates to `before`: the same counters, an older packet (less session time and no
/// byte counter ahead), or forward; anything else names the counter that went backwards.
Result<Movement> compare(const SessionCounters& before, const SessionCounters& now) {
    if (now == before) return Movement::Same;
    if (now.session_seconds < before.session_seconds) {
        if (now.input_bytes <= before.input_bytes && now.output_bytes <= before.output_bytes)
            return Movement::Older;
        return fail(Errc::Invalid, "Acct-Session-Time",
                    fmt::format("Acct-Session-Time went backwards from {} to {} while the byte "
                                "counters moved forward",
                                before.session_seconds, now.session_seconds));
    }
    if (now.input_bytes < before.input_bytes)
        return fail(Errc::Invalid, "Acct-Input-Octets",
                    fmt::format("Acct-Input-Octets (with Acct-Input-Gigawords) went backwards "
                                "from {} to {}",
                                before.input_bytes, now.input_bytes));
    if (now.output_bytes < before.output_bytes)
        return fail(Errc::Invalid, "Acct-Output-Octets",
                    fmt::format("Acct-Output-Octets (with Acct-Output-Gigawords) went backwards "
                                "from {} to {}",
                                before.output_bytes, now.output_bytes));
    return Movement::Forward;
}

}  // namespace

Result<SessionCounters> counters_of(const AccountingRequest& r) {
    SY_TRY(check_u32(r.input_octets, "Acct-Input-Octets"));
    SY_TRY(check_u32(r.input_gigawords, "Acct-Input-Gigawords"));
    SY_TRY(check_u32(r.output_octets, "Acct-Output-Octets"));
    SY_TRY(check_u32(r.output_gigawords, "Acct-Output-Gigawords"));
    SY_TRY(check_u32(r.session_seconds, "Acct-Session-Time"));
    SessionCounters c;
    c.input_bytes = r.input_octets + r.input_gigawords * kTwoTo32;
    c.output_bytes = r.output_octets + r.output_gigawords * kTwoTo32;
    c.session_seconds = r.session_seconds;
    return c;
}

Result<std::vector<SessionEvent>> decide_accounting(const SessionBook& book,
                                                    const AccountingRequest& r) {
    std::vector<SessionEvent> out;
    if (r.status == AcctStatus::AccountingOn || r.status == AcctStatus::AccountingOff) {
        const char* status =
            r.status == AcctStatus::AccountingOn ? "Accounting-On" : "Accounting-Off";
        for (const auto& [id, s] : book.sessions) {
            if (s.active && s.nas_id == r.nas_id)
                out.push_back(SessionClosedByNas{id, r.nas_id, status, r.now});
        }
        return out;
    }
    if (r.status != AcctStatus::Start && r.status != AcctStatus::InterimUpdate &&
        r.status != AcctStatus::Stop)
        return fail(Errc::Invalid, "Acct-Status-Type",
                    fmt::format("Acct-Status-Type {} is not Start, Stop, Interim-Update, "
                                "Accounting-On or Accounting-Off",
                                static_cast<int>(r.status)));
    if (r.unique_id.empty())
        return fail(Errc::Invalid, "Acct-Unique-Session-Id",
                    "Acct-Unique-Session-Id is missing; it identifies the session");
    const auto counters = SY_TRY(counters_of(r));
    const auto it = book.sessions.find(r.unique_id);
    if (it == book.sessions.end()) {
        out.push_back(SessionStarted{new_session(r, counters)});
        if (r.status == AcctStatus::Stop)
            out.push_back(SessionStopped{r.unique_id, counters, r.terminate_cause, r.now});
        return out;
    }
    const Session& s = it->second;
    if (r.status == AcctStatus::Start) return out;  // a repeated Start
    const auto movement = SY_TRY(compare(s.counters, counters));
    if (!s.active) {
        if (r.status == AcctStatus::Stop || movement != Movement::Forward) return out;
        return fail(Errc::Rejected, "Acct-Status-Type",
                    fmt::format("session {} was already stopped; an Interim-Update with larger "
                                "counters cannot follow its Stop",
                                r.unique_id));
    }
    if (r.status == AcctStatus::InterimUpdate) {
        if (movement == Movement::Forward)
            out.push_back(SessionUpdated{r.unique_id, counters, r.framed_ip, r.now});
        return out;
    }
    // Stop of an open session: its final counters are the larger of what we know.
    out.push_back(SessionStopped{r.unique_id, movement == Movement::Forward ? counters : s.counters,
                                 r.terminate_cause, r.now});
    return out;
}

void evolve(SessionBook& book, const SessionEvent& event) {
    std::visit(Overloaded{
                   [&](const SessionStarted& e) {
                       book.sessions.insert_or_assign(e.session.unique_id, e.session);
                   },
                   [&](const SessionUpdated& e) {
                       auto& s = book.sessions[e.unique_id];
                       s.unique_id = e.unique_id;
                       s.counters = e.counters;
                       if (!e.framed_ip.empty()) s.framed_ip = e.framed_ip;
                       s.updated_at = e.updated_at;
                   },
                   [&](const SessionStopped& e) {
                       auto& s = book.sessions[e.unique_id];
                       s.unique_id = e.unique_id;
                       s.counters = e.counters;
                       s.terminate_cause = e.terminate_cause;
                       s.updated_at = e.stopped_at;
                       s.active = false;
                   },
                   [&](const SessionClosedByNas& e) {
                       auto& s = book.sessions[e.unique_id];
                       s.unique_id = e.unique_id;
                       if (s.nas_id.empty()) s.nas_id = e.nas_id;
                       // RFC 2866 5.10: NAS-Reboot (11) for Accounting-On, NAS-Request (10)
                       // for Accounting-Off.
                       s.terminate_cause =
                           e.acct_status == "Accounting-Off" ? "NAS-Request" : "NAS-Reboot";
                       s.updated_at = e.closed_at;
                       s.active = false;
                   },
               },
               event);
}

}  // namespace switchyard::core::hotspot
