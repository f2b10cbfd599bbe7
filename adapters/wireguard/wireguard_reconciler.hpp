#pragma once
/// The WireGuard adapter: makes a server's interface carry the peers the `vpn_peers` read model
/// says it should, through `wg` (wireguard-tools), which speaks the UAPI socket to
/// wireguard-go and netlink to the kernel module alike. Each pass:
///   1. reads the interface (`wg show <if> dump`);
///   2. records each peer's traffic since the last record as `vpn.peer.usage_recorded` (a
///      counter that went back counts from zero: the interface was recreated);
///   3. disables, through the command side, peers past their expiry or over their monthly
///      quota, with the reason;
///   4. applies the difference between the wanted and the actual peers (`wg set`), and records
///      a `vpn.interface.reconciled` event when something changed or failed.
/// A failed pass is retried with exponential backoff (1 s doubling to 60 s).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "events/vpn/vpn_service.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::adapters::wireguard {

/// One interface to manage.
struct InterfaceBinding {
    std::string server_id;  ///< The Switchyard server whose peers it carries.
    std::string interface;  ///< e.g. `wg0`.
    std::string netns;      ///< Network namespace to run `wg` in (`ip netns exec`); empty = ours.

    /// Parses `SERVER_ID=INTERFACE[@NETNS]`. @errors Invalid naming `--wireguard`.
    static core::Result<InterfaceBinding> parse(const std::string& text);
};

/// One peer as `wg show <if> dump` prints it.
struct InterfacePeer {
    std::string public_key, preshared_key, endpoint, allowed_ips;
    std::int64_t latest_handshake = 0;  ///< Unix seconds; 0 = never.
    std::int64_t rx_bytes = 0, tx_bytes = 0;
    std::int64_t persistent_keepalive = 0;
};

/// The interface as `wg show <if> dump` prints it.
struct InterfaceState {
    std::string private_key, public_key;
    std::int64_t listen_port = 0;
    std::vector<InterfacePeer> peers;
};

/// Parses `wg show <if> dump` (tab-separated; the first line is the interface).
/// @errors Invalid when a line has the wrong number of fields or a malformed number.
core::Result<InterfaceState> parse_wg_dump(const std::string& text);

/// What one pass did.
struct PassReport {
    std::int64_t added = 0, removed = 0, updated = 0;
    std::int64_t usage_records = 0;
    std::int64_t disabled = 0;
};

/// Runs `argv` and returns its output. Exit status other than 0 is an error naming the program.
using CommandRunner = std::function<core::Result<std::string>(const std::vector<std::string>& argv,
                                                              const std::string& input)>;

/// The real runner: adapters/process without a shell, 10 s bound.
CommandRunner process_runner();

class WireguardReconciler {
  public:
    /// @param vpn the command side (disabling peers, recording usage and outcomes).
    /// @param runner where `vpn_peers` and `vpn_usage` are read.
    WireguardReconciler(InterfaceBinding binding, events::vpn::VpnService& vpn,
                        projections::ProjectionRunner& runner, const core::Clock& clock,
                        CommandRunner run = process_runner());
    ~WireguardReconciler();

    /// One pass (see the file comment). @errors from `wg` or the store; nothing half-applied is
    /// left unrecorded: the failure is recorded as an event.
    core::Result<PassReport> pass();

    /// Runs passes every `interval` on a thread until stop(); failures back off exponentially.
    void start(std::chrono::milliseconds interval);
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::adapters::wireguard
