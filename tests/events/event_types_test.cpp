// The wire type of every event is written once, as the `kType` of its struct: the codecs write
// it, decode by it, and schemas/events/<module>/<kType>.v<schema>.json exists for it (and no
// schema file is without one).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "events/billing/commission_codec.hpp"
#include "events/billing/invoice_codec.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/billing/notification_codec.hpp"
#include "events/billing/payment_codec.hpp"
#include "events/billing/pricing_codec.hpp"
#include "events/billing/referral_codec.hpp"
#include "events/billing/subscription_codec.hpp"
#include "events/encoded_event.hpp"
#include "events/hotspot/controller_codec.hpp"
#include "events/hotspot/dae_codec.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "events/id_allocator.hpp"
#include "events/identity/api_key_codec.hpp"
#include "events/identity/user_codec.hpp"
#include "events/iptv/connection_codec.hpp"
#include "events/iptv/epg_codec.hpp"
#include "events/iptv/iptv_codec.hpp"
#include "events/iptv/recording_codec.hpp"
#include "events/iptv/server_codec.hpp"
#include "events/iptv/stream_lifecycle_codec.hpp"
#include "events/iptv/vod_codec.hpp"
#include "events/platform/backup_codec.hpp"
#include "events/voice/account_codec.hpp"
#include "events/voice/call_codec.hpp"
#include "events/voice/cdr_codec.hpp"
#include "events/voice/customer_codec.hpp"
#include "events/voice/deck_codec.hpp"
#include "events/voice/did_codec.hpp"
#include "events/voice/extension_service.hpp"
#include "events/voice/quality_codec.hpp"
#include "events/voice/reference_codec.hpp"
#include "events/voice/routing_codec.hpp"
#include "events/voice/trunk_codec.hpp"
#include "events/vpn/vpn_codec.hpp"

using namespace switchyard;
using namespace switchyard::events;
namespace fs = std::filesystem;

namespace {

/// Every event type with its schema version, by type.
std::map<std::string, int> all_types() {
    std::map<std::string, int> out;
    auto one = [&]<class E>(std::type_identity<E>) {
        CHECK_MESSAGE(out.emplace(std::string(E::kType), schema_of<E>()).second,
                      "written twice: ", E::kType);
    };
    auto each = [&]<class Variant>(std::type_identity<Variant>) {
        for_each_alternative<Variant>(one);
    };
    each(std::type_identity<core::iptv::CatalogueEvent>{});
    each(std::type_identity<core::iptv::ClaimEvent>{});
    each(std::type_identity<core::iptv::LineRegistryEvent>{});
    each(std::type_identity<core::iptv::LineEvent>{});
    each(std::type_identity<core::iptv::VodEvent>{});
    each(std::type_identity<core::iptv::EpgEvent>{});
    each(std::type_identity<core::iptv::ServerEvent>{});
    each(std::type_identity<core::iptv::ConnectionEvent>{});
    each(std::type_identity<core::iptv::StreamLifecycleEvent>{});
    each(std::type_identity<core::iptv::RecordingEvent>{});
    each(std::type_identity<core::vpn::NetworkEvent>{});
    each(std::type_identity<core::vpn::CustomerEvent>{});
    each(std::type_identity<core::vpn::ServerAllocationEvent>{});
    each(std::type_identity<core::vpn::UsageEvent>{});
    each(std::type_identity<core::voice::DirectoryEvent>{});
    each(std::type_identity<core::voice::ReferenceEvent>{});
    each(std::type_identity<core::voice::RoutingEvent>{});
    each(std::type_identity<core::identity::UserEvent>{});
    each(std::type_identity<core::identity::ApiKeyEvent>{});
    each(std::type_identity<core::voice::DeckEvent>{});
    each(std::type_identity<core::voice::AccountEvent>{});
    each(std::type_identity<core::voice::CdrEvent>{});
    each(std::type_identity<core::voice::TrunkEvent>{});
    each(std::type_identity<core::voice::CallEvent>{});
    each(std::type_identity<core::voice::DidEvent>{});
    each(std::type_identity<core::billing::EntryEvent>{});
    each(std::type_identity<core::billing::AccountEvent>{});
    each(std::type_identity<core::billing::InvoiceSeriesEvent>{});
    each(std::type_identity<core::billing::PlanEvent>{});
    each(std::type_identity<core::billing::SubscriptionEvent>{});
    each(std::type_identity<core::billing::PaymentEvent>{});
    each(std::type_identity<core::billing::WebhookEvent>{});
    each(std::type_identity<core::billing::TaxEvent>{});
    each(std::type_identity<core::billing::PromoEvent>{});
    each(std::type_identity<core::billing::InvoiceEvent>{});
    each(std::type_identity<core::billing::CustomerEvent>{});
    each(std::type_identity<core::billing::CommissionRateEvent>{});
    each(std::type_identity<core::billing::CommissionEvent>{});
    each(std::type_identity<core::billing::CommissionPayoutEvent>{});
    each(std::type_identity<core::billing::ReferralCodeEvent>{});
    each(std::type_identity<core::billing::ReferralEvent>{});
    each(std::type_identity<core::billing::NotificationTemplateEvent>{});
    each(std::type_identity<core::billing::NotificationContactEvent>{});
    each(std::type_identity<core::billing::NotificationSettingsEvent>{});
    each(std::type_identity<core::billing::NotificationEvent>{});
    each(std::type_identity<core::voice::QualityEvent>{});
    each(std::type_identity<core::voice::PbxEvent>{});
    each(std::type_identity<core::hotspot::SessionEvent>{});
    each(std::type_identity<core::hotspot::CatalogEvent>{});
    each(std::type_identity<core::hotspot::AccountEvent>{});
    each(std::type_identity<core::hotspot::BatchEvent>{});
    each(std::type_identity<core::hotspot::CodeIndexEvent>{});
    each(std::type_identity<core::hotspot::DaeEvent>{});
    each(std::type_identity<core::hotspot::ControllerEvent>{});
    each(std::type_identity<core::platform::BackupEvent>{});
    one(std::type_identity<core::identity::UsernameClaimed>{});
    one(std::type_identity<identity::LoginFailed>{});
    one(std::type_identity<identity::SourceLocked>{});
    out.emplace(id_block_type("iptv"), 1);
    return out;
}

/// Encodes a default event of each alternative and decodes it again.
template <class Variant>
void check_codec(EncodedEvent (*encode)(const Variant&),
                 core::Result<Variant> (*decode)(const RecordedEvent&)) {
    for_each_alternative<Variant>([&]<class E>(std::type_identity<E>) {
        const auto enc = encode(Variant{E{}});
        CHECK(enc.type == E::kType);
        CHECK(enc.schema == schema_of<E>());
        RecordedEvent recorded;
        recorded.type = enc.type;
        recorded.schema = enc.schema;
        recorded.data = enc.data;
        auto back = decode(recorded);
        REQUIRE_MESSAGE(back, enc.type, ": ", back ? "" : back.error().message);
        CHECK_MESSAGE(std::holds_alternative<E>(*back), enc.type);
    });
}

}  // namespace

TEST_CASE("every event type names its schema file, and every schema file an event type") {
    const fs::path root = SY_SCHEMA_DIR;
    const auto types = all_types();
    CHECK(types.size() > 60);
    const std::regex shape("([a-z]+)\\.[a-z_]+\\.[a-z_]+");
    for (const auto& [type, schema] : types) {
        std::smatch m;
        REQUIRE_MESSAGE(std::regex_match(type, m, shape), type);
        const auto file = root / m[1].str() / (type + ".v" + std::to_string(schema) + ".json");
        CHECK_MESSAGE(fs::exists(file), file.string());
    }
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const auto name = entry.path().filename().string();
        if (!entry.is_regular_file() || name == "envelope.v1.json") continue;
        ++files;
        const auto v = name.rfind(".v");
        REQUIRE_MESSAGE(v != std::string::npos, name);
        const auto type = name.substr(0, v);
        const auto it = types.find(type);
        REQUIRE_MESSAGE(it != types.end(), "no event struct has the type of ", name);
        CHECK(name == type + ".v" + std::to_string(it->second) + ".json");
    }
    CHECK(files == static_cast<int>(types.size()));
}

TEST_CASE("the codecs write each event under its kType and read it back by it") {
    check_codec<core::iptv::CatalogueEvent>(iptv::encode, iptv::decode_catalogue_event);
    check_codec<core::iptv::ClaimEvent>(iptv::encode, iptv::decode_claim_event);
    check_codec<core::iptv::LineRegistryEvent>(iptv::encode, iptv::decode_line_registry_event);
    check_codec<core::iptv::LineEvent>(iptv::encode, iptv::decode_line_event);
    check_codec<core::iptv::VodEvent>(iptv::encode, iptv::decode_vod_event);
    check_codec<core::iptv::EpgEvent>(iptv::encode, iptv::decode_epg_event);
    check_codec<core::iptv::ServerEvent>(iptv::encode, iptv::decode_server_event);
    check_codec<core::iptv::ConnectionEvent>(iptv::encode, iptv::decode_connection_event);
    check_codec<core::iptv::StreamLifecycleEvent>(iptv::encode,
                                                  iptv::decode_stream_lifecycle_event);
    check_codec<core::iptv::RecordingEvent>(iptv::encode, iptv::decode_recording_event);
    check_codec<core::vpn::NetworkEvent>(vpn::encode, vpn::decode_network_event);
    check_codec<core::vpn::CustomerEvent>(vpn::encode, vpn::decode_customer_event);
    check_codec<core::vpn::ServerAllocationEvent>(vpn::encode, vpn::decode_allocation_event);
    check_codec<core::vpn::UsageEvent>(vpn::encode, vpn::decode_usage_event);
    check_codec<core::voice::DirectoryEvent>(voice::encode, voice::decode_directory_event);
    check_codec<core::voice::ReferenceEvent>(voice::encode, voice::decode_reference_event);
    check_codec<core::voice::RoutingEvent>(voice::encode, voice::decode_routing_event);
    check_codec<core::identity::UserEvent>(identity::encode, identity::decode_user_event);
    check_codec<core::identity::ApiKeyEvent>(identity::encode, identity::decode_api_key_event);
    check_codec<core::voice::DeckEvent>(voice::encode, voice::decode_deck_event);
    check_codec<core::voice::AccountEvent>(voice::encode, voice::decode_account_event);
    check_codec<core::voice::CdrEvent>(voice::encode, voice::decode_cdr_event);
    check_codec<core::voice::TrunkEvent>(voice::encode, voice::decode_trunk_event);
    check_codec<core::voice::CallEvent>(voice::encode, voice::decode_call_event);
    check_codec<core::voice::DidEvent>(voice::encode, voice::decode_did_event);
    check_codec<core::billing::EntryEvent>(billing::encode, billing::decode_entry_event);
    check_codec<core::billing::AccountEvent>(billing::encode, billing::decode_account_event);
    check_codec<core::billing::InvoiceSeriesEvent>(billing::encode,
                                                   billing::decode_invoice_series_event);
    check_codec<core::billing::InvoiceNumberEvent>(billing::encode,
                                                   billing::decode_invoice_number_event);
    check_codec<core::billing::PlanEvent>(billing::encode, billing::decode_plan_event);
    check_codec<core::billing::SubscriptionEvent>(billing::encode,
                                                  billing::decode_subscription_event);
    check_codec<core::billing::PaymentEvent>(billing::encode, billing::decode_payment_event);
    check_codec<core::billing::WebhookEvent>(billing::encode, billing::decode_webhook_event);
    check_codec<core::billing::TaxEvent>(billing::encode, billing::decode_tax_event);
    check_codec<core::billing::PromoEvent>(billing::encode, billing::decode_promo_event);
    check_codec<core::billing::InvoiceEvent>(billing::encode, billing::decode_invoice_event);
    check_codec<core::billing::CustomerEvent>(billing::encode, billing::decode_customer_event);
    check_codec<core::voice::QualityEvent>(voice::encode, voice::decode_quality_event);
    check_codec<core::voice::PbxEvent>(voice::encode, voice::decode_pbx_event);
    check_codec<core::hotspot::SessionEvent>(hotspot::encode, hotspot::decode_session_event);
    check_codec<core::hotspot::CatalogEvent>(hotspot::encode, hotspot::decode_catalog_event);
    check_codec<core::hotspot::AccountEvent>(hotspot::encode, hotspot::decode_account_event);
    check_codec<core::hotspot::BatchEvent>(hotspot::encode, hotspot::decode_batch_event);
    check_codec<core::hotspot::CodeIndexEvent>(hotspot::encode, hotspot::decode_code_index_event);
    check_codec<core::hotspot::DaeEvent>(hotspot::encode, hotspot::decode_dae_event);
    check_codec<core::hotspot::ControllerEvent>(hotspot::encode, hotspot::decode_controller_event);
    check_codec<core::platform::BackupEvent>(platform::encode, platform::decode_backup_event);
    CHECK(identity::encode(core::identity::UsernameClaimed{}).type ==
          core::identity::UsernameClaimed::kType);
    CHECK(identity::encode(identity::LoginFailed{}).type == identity::LoginFailed::kType);
    CHECK(identity::encode(identity::SourceLocked{}).type == identity::SourceLocked::kType);
}

TEST_CASE("a decoder refuses a type or schema version it does not know, naming the type") {
    RecordedEvent e;
    e.type = "iptv.line.renamed";
    e.schema = 1;
    e.data = "{}";
    auto unknown = iptv::decode_line_event(e);
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == core::Errc::Invalid);
    CHECK(unknown.error().field == "type");
    e.type = std::string(core::iptv::LineDeleted::kType);
    e.schema = 2;
    e.data = R"({"line_id":1,"username":"a"})";
    auto newer = iptv::decode_line_event(e);
    REQUIRE_FALSE(newer.has_value());
    CHECK(newer.error().field == "type");
    e.schema = 1;
    auto known = iptv::decode_line_event(e);
    REQUIRE(known.has_value());
    CHECK(std::get<core::iptv::LineDeleted>(*known).username == "a");
    // An event of another variant's type is not this variant's.
    e.type = std::string(core::iptv::StreamRemoved::kType);
    CHECK_FALSE(iptv::decode_line_event(e).has_value());
}
