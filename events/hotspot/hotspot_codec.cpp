#include "events/hotspot/hotspot_codec.hpp"

#include "core/hotspot/account_decider.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

namespace {

constexpr auto kNas =
    fields(field("nas_id", &Nas::nas_id), field("name", &Nas::name),
           field("vendor", &Nas::vendor, parse_vendor), field("address", &Nas::address),
           field("coa_address", &Nas::coa_address), field("site", &Nas::site),
           field("timezone", &Nas::timezone), field("owner_path", &Nas::owner_path),
           field("disabled", &Nas::disabled));

constexpr auto kBurst =
    fields(field("burst_download_kbps", &Burst::download_kbps),
           field("burst_upload_kbps", &Burst::upload_kbps),
           field("burst_threshold_download_kbps", &Burst::threshold_download_kbps),
           field("burst_threshold_upload_kbps", &Burst::threshold_upload_kbps),
           field("burst_seconds", &Burst::seconds));

constexpr auto kPlan =
    fields(field("plan_id", &Plan::plan_id), field("name", &Plan::name),
           field("service", &Plan::service, parse_service_type),
           field("duration_seconds", &Plan::duration_seconds),
           field("time_from", &Plan::time_from, parse_time_from),
           field("session_time_seconds", &Plan::session_time_seconds),
           field("data_limit_bytes", &Plan::data_limit_bytes),
           field("data_direction", &Plan::data_direction, parse_data_direction),
           field("download_kbps", &Plan::download_kbps), field("upload_kbps", &Plan::upload_kbps),
           flat(&Plan::burst, kBurst), field("shared_users", &Plan::shared_users),
           field("idle_timeout_seconds", &Plan::idle_timeout_seconds),
           field("valid_from", &Plan::valid_from), field("valid_until", &Plan::valid_until),
           field("price_micros", &Plan::price_micros), field("currency", &Plan::currency),
           field("address_pool", &Plan::address_pool), field("expired_pool", &Plan::expired_pool),
           field("allow_stacking", &Plan::allow_stacking), field("owner_path", &Plan::owner_path),
           field("retired", &Plan::retired));

constexpr auto kAccount = fields(
    field("username", &Account::username), field("mac", &Account::mac),
    field("plan_id", &Account::plan_id), field("service", &Account::service, parse_service_type),
    field("status", &Account::status, parse_account_status),
    field("created_at", &Account::created_at), field("first_login_at", &Account::first_login_at),
    field("expires_at", &Account::expires_at),
    field("extra_data_bytes", &Account::extra_data_bytes),
    field("extra_session_seconds", &Account::extra_session_seconds),
    field("voucher_code", &Account::voucher_code), field("owner_path", &Account::owner_path));

constexpr auto kBatch = fields(
    field("batch_id", &VoucherBatch::batch_id), field("plan_id", &VoucherBatch::plan_id),
    field("count", &VoucherBatch::count), field("prefix", &VoucherBatch::prefix),
    field("length", &VoucherBatch::length), field("note", &VoucherBatch::note),
    field("created_at", &VoucherBatch::created_at), field("owner_path", &VoucherBatch::owner_path));

/// `coa_port` as a UDP port 1 to 65535. @throws FieldError naming it otherwise.
std::uint16_t read_port(const JsonObject& o) {
    const auto port = o.i64("coa_port");
    if (port < 1 || port > 65535) throw FieldError{"coa_port"};
    return static_cast<std::uint16_t>(port);
}

json::object put_nas(const Nas& n) {
    auto o = to_json(n, kNas);
    o["coa_port"] = n.coa_port;
    return o;
}
Nas get_nas(const JsonObject& o) {
    auto n = from_json<Nas>(o, kNas);
    n.coa_port = read_port(o);
    return n;
}

struct Codec {
    static json::object put(const NasDefined& e) {
        auto o = put_nas(e.nas);
        o["secret_sealed"] = e.nas.secret_sealed;
        o["command_id"] = e.command_id;
        return o;
    }
    static NasDefined get(const JsonObject& o, As<NasDefined>) {
        NasDefined e{get_nas(o), o.str("command_id")};
        e.nas.secret_sealed = o.str("secret_sealed");
        return e;
    }
    static auto payload(As<NasDisabled>) {
        return fields(field("nas_id", &NasDisabled::nas_id), field("reason", &NasDisabled::reason),
                      field("command_id", &NasDisabled::command_id));
    }
    static auto payload(As<NasEnabled>) {
        return fields(field("nas_id", &NasEnabled::nas_id),
                      field("command_id", &NasEnabled::command_id));
    }
    static auto payload(As<PlanDefined>) {
        return fields(flat(&PlanDefined::plan, kPlan),
                      field("command_id", &PlanDefined::command_id));
    }
    static auto payload(As<PlanRetired>) {
        return fields(field("plan_id", &PlanRetired::plan_id),
                      field("command_id", &PlanRetired::command_id));
    }

    static auto payload(As<AccountCreated>) {
        return fields(flat(&AccountCreated::account, kAccount),
                      flat(&AccountCreated::account,
                           fields(field("password_sealed", &Account::password_sealed))),
                      field("command_id", &AccountCreated::command_id));
    }
    static auto payload(As<AccountPlanChanged>) {
        using E = AccountPlanChanged;
        return fields(
            field("username", &E::username), field("plan_id", &E::plan_id),
            field("service", &E::service, parse_service_type), field("expires_at", &E::expires_at),
            field("status", &E::status, parse_account_status), field("command_id", &E::command_id),
            optional_field("usage_base_input_bytes", &E::usage_base_input_bytes),
            optional_field("usage_base_output_bytes", &E::usage_base_output_bytes),
            optional_field("usage_base_online_seconds", &E::usage_base_online_seconds));
    }
    static auto payload(As<AccountPasswordChanged>) {
        using E = AccountPasswordChanged;
        return fields(field("username", &E::username),
                      field("password_sealed", &E::password_sealed),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountMacBound>) {
        using E = AccountMacBound;
        return fields(field("username", &E::username), field("mac", &E::mac),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountMacUnbound>) {
        using E = AccountMacUnbound;
        return fields(field("username", &E::username), field("command_id", &E::command_id));
    }
    static auto payload(As<AccountDisabled>) {
        using E = AccountDisabled;
        return fields(field("username", &E::username), field("reason", &E::reason),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountEnabled>) {
        using E = AccountEnabled;
        return fields(field("username", &E::username),
                      field("status", &E::status, parse_account_status),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountStarted>) {
        using E = AccountStarted;
        return fields(field("username", &E::username), field("first_login_at", &E::first_login_at),
                      field("expires_at", &E::expires_at), field("command_id", &E::command_id));
    }
    static auto payload(As<AccountExpired>) {
        using E = AccountExpired;
        return fields(field("username", &E::username), field("expires_at", &E::expires_at),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountExhausted>) {
        using E = AccountExhausted;
        return fields(field("username", &E::username),
                      field("limit", &E::limit, parse_exhausted_limit),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<AccountExtended>) {
        using E = AccountExtended;
        return fields(field("username", &E::username), field("add_seconds", &E::add_seconds),
                      field("add_data_bytes", &E::add_data_bytes),
                      field("add_session_seconds", &E::add_session_seconds),
                      field("expires_at", &E::expires_at),
                      field("status", &E::status, parse_account_status),
                      field("voucher_code", &E::voucher_code), field("command_id", &E::command_id));
    }

    static auto payload(As<VoucherBatchGenerated>) {
        using E = VoucherBatchGenerated;
        return fields(flat(&E::batch, kBatch), field("codes", &E::codes),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<VoucherRedeemed>) {
        using E = VoucherRedeemed;
        return fields(field("batch_id", &E::batch_id), field("code", &E::code),
                      field("username", &E::username), field("stacked", &E::stacked),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<VoucherExpired>) {
        using E = VoucherExpired;
        return fields(field("batch_id", &E::batch_id), field("code", &E::code),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<VoucherBatchRevoked>) {
        using E = VoucherBatchRevoked;
        return fields(field("batch_id", &E::batch_id), field("reason", &E::reason),
                      field("revoked_codes", &E::revoked_codes),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<VoucherCodesReserved>) {
        using E = VoucherCodesReserved;
        return fields(field("batch_id", &E::batch_id), field("codes", &E::codes),
                      field("command_id", &E::command_id));
    }
};

}  // namespace

EncodedEvent encode(const CatalogEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const AccountEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const BatchEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const CodeIndexEvent& event) { return encode_as<Codec>(event); }

core::Result<CatalogEvent> decode_catalog_event(const RecordedEvent& event) {
    return decode_as<Codec, CatalogEvent>(event);
}
core::Result<AccountEvent> decode_account_event(const RecordedEvent& event) {
    return decode_as<Codec, AccountEvent>(event);
}
core::Result<BatchEvent> decode_batch_event(const RecordedEvent& event) {
    return decode_as<Codec, BatchEvent>(event);
}
core::Result<CodeIndexEvent> decode_code_index_event(const RecordedEvent& event) {
    return decode_as<Codec, CodeIndexEvent>(event);
}

json::object nas_json(const Nas& n) { return put_nas(n); }
core::Result<Nas> parse_nas(std::string_view json) {
    return with_json_object(json, [](const JsonObject& o) { return get_nas(o); });
}
json::object plan_json(const Plan& p) { return to_json(p, kPlan); }
core::Result<Plan> parse_plan(std::string_view json) {
    return with_json_object(json, [](const JsonObject& o) { return from_json<Plan>(o, kPlan); });
}
json::object account_json(const Account& a) { return to_json(a, kAccount); }
core::Result<Account> parse_account(std::string_view json) {
    return with_json_object(json,
                            [](const JsonObject& o) { return from_json<Account>(o, kAccount); });
}
json::object batch_json(const VoucherBatch& b) { return to_json(b, kBatch); }
core::Result<VoucherBatch> parse_batch(std::string_view json) {
    return with_json_object(json,
                            [](const JsonObject& o) { return from_json<VoucherBatch>(o, kBatch); });
}

}  // namespace switchyard::events::hotspot
