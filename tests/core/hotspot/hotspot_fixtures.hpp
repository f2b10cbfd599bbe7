#pragma once
// Sample NAS, plans and contexts shared by the hotspot decider tests.
#include <string>

#include "core/decision_context.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/hotspot/model.hpp"

namespace switchyard::testing::hotspot {

/// A decision context at 1,790,000,000 (2026-09-21T14:13:20Z) + `seconds`.
inline core::DecisionContext at(std::int64_t seconds = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + seconds);
    return c;
}

inline core::hotspot::Nas lobby() {
    core::hotspot::Nas n;
    n.nas_id = "lobby";
    n.name = "Lobby hAP ac2";
    n.vendor = core::hotspot::Vendor::Mikrotik;
    n.address = "192.0.2.10";
    n.secret_sealed = "sy1:mk_test:sealed-lobby";
    n.coa_port = 0;  // the vendor's default
    n.site = "Hotel Aurora lobby";
    n.timezone = "Europe/Berlin";
    return n;
}

/// One hour from first login, 1 GB total, 2048/512 kbit/s, 2 devices, 2.50 EUR.
inline core::hotspot::Plan hour() {
    core::hotspot::Plan p;
    p.plan_id = "1h";
    p.name = "1 hour";
    p.duration_seconds = 3600;
    p.data_limit_bytes = 1'000'000'000;
    p.download_kbps = 2048;
    p.upload_kbps = 512;
    p.shared_users = 2;
    p.price_micros = 2'500'000;
    p.currency = "EUR";
    return p;
}

/// One day from purchase, stackable.
inline core::hotspot::Plan day() {
    core::hotspot::Plan p;
    p.plan_id = "1d";
    p.name = "1 day";
    p.duration_seconds = 86400;
    p.time_from = core::hotspot::TimeFrom::Purchase;
    p.data_limit_bytes = 5'000'000'000;
    p.allow_stacking = true;
    p.price_micros = 5'000'000;
    p.currency = "EUR";
    return p;
}

/// A catalog with the plans `hour` and `day`.
inline core::hotspot::CatalogState catalog_with_plans() {
    core::hotspot::CatalogState s;
    s.plans["1h"] = hour();
    s.plans["1d"] = day();
    return s;
}

}  // namespace switchyard::testing::hotspot
