#pragma once
/// The API fixture with a catalogue of one stream, and helpers for streaming servers: register
/// one through the API, the IPTV module's server service, the `stream_servers.v1` model.

#include <fmt/format.h>

#include "app/modules/iptv_module.hpp"
#include "projections/iptv/stream_servers.hpp"
#include "tests/api/api_fixture.hpp"

namespace switchyard::testing {

struct ServersFixture : ApiFixture {
    app::IptvModule* iptv = nullptr;

    ServersFixture() {
        for (auto& m : modules)
            if (auto* i = dynamic_cast<app::IptvModule*>(m.get())) iptv = i;
        REQUIRE(iptv);
        const char* playlist =
            "#EXTM3U\n#EXTINF:-1 group-title=\"News\",One\nhttp://origin.example/1.ts\n";
        REQUIRE(call("POST", "/v1/iptv/imports/m3u?source=t", playlist).status == 200);
        settle();
    }

    /// Registers a server through the API. @returns its id.
    std::int64_t add_server(const std::string& name, int port, const std::string& extra = "") {
        auto r = call("POST", "/v1/iptv/servers",
                      fmt::format(R"({{"name":"{}","host":"127.0.0.1","port":{}{}}})", name, port,
                                  extra.empty() ? "" : "," + extra));
        REQUIRE_MESSAGE(r.status == 201, r.body);
        simdjson::dom::parser p;
        return num(parse_json(p, r.body), "server_id");
    }

    const projections::ReadModelView& model() {
        settle();
        const auto* view = runner->view(projections::iptv::kStreamServers);
        REQUIRE(view);
        return *view;
    }

    /// The events of the servers' stream of this type.
    int events_of_type(std::string_view type) {
        auto events = store->read_stream(iptv->servers().stream(), 0, 100000);
        REQUIRE(events);
        int n = 0;
        for (const auto& e : *events) n += e.type == type;
        return n;
    }
};

}  // namespace switchyard::testing
