#include "events/billing/notification_codec.hpp"

#include "events/billing/notification_tables.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

constexpr auto kDeliveryTable =
    fields(field("channel", &NotificationDelivery::channel, &parse_notification_channel),
           optional_field("language", &NotificationDelivery::language),
           optional_field("to", &NotificationDelivery::to),
           optional_field("subject", &NotificationDelivery::subject),
           field("body", &NotificationDelivery::body));

struct Codec {
    static auto payload(As<NotificationTemplateSet>) {
        return fields(flat(&NotificationTemplateSet::terms, kNotificationTemplateTable));
    }
    static auto payload(As<NotificationTemplateRemoved>) {
        using E = NotificationTemplateRemoved;
        return fields(field("trigger", &E::trigger, &parse_notification_trigger),
                      field("channel", &E::channel, &parse_notification_channel),
                      field("language", &E::language));
    }
    static auto payload(As<NotificationContactSet>) {
        return fields(flat(&NotificationContactSet::contact, kNotificationContactTable));
    }
    static auto payload(As<NotificationSettingsSet>) {
        return fields(flat(&NotificationSettingsSet::settings, kNotificationSettingsTable));
    }
    static auto payload(As<NotificationQueued>) {
        using E = NotificationQueued;
        return fields(field("notification_id", &E::notification_id),
                      field("trigger", &E::trigger, &parse_notification_trigger),
                      field("subject_id", &E::subject_id),
                      field("source_event_id", &E::source_event_id),
                      field("queued_at", &E::queued_at),
                      objects("deliveries", &E::deliveries, kDeliveryTable),
                      optional_field("skipped", &E::skipped));
    }
    static auto payload(As<NotificationDelivered>) {
        using E = NotificationDelivered;
        return fields(field("channel", &E::channel, &parse_notification_channel),
                      field("attempt", &E::attempt), field("reply", &E::reply));
    }
    static auto payload(As<NotificationFailed>) {
        using E = NotificationFailed;
        return fields(field("channel", &E::channel, &parse_notification_channel),
                      field("attempt", &E::attempt), field("error", &E::error),
                      field("retry_at", &E::retry_at));
    }
};

}  // namespace

EncodedEvent encode(const NotificationTemplateEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const NotificationContactEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const NotificationSettingsEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const NotificationEvent& event) { return encode_as<Codec>(event); }

core::Result<NotificationTemplateEvent> decode_notification_template_event(
    const RecordedEvent& event) {
    return decode_as<Codec, NotificationTemplateEvent>(event);
}
core::Result<NotificationContactEvent> decode_notification_contact_event(
    const RecordedEvent& event) {
    return decode_as<Codec, NotificationContactEvent>(event);
}
core::Result<NotificationSettingsEvent> decode_notification_settings_event(
    const RecordedEvent& event) {
    return decode_as<Codec, NotificationSettingsEvent>(event);
}
core::Result<NotificationEvent> decode_notification_event(const RecordedEvent& event) {
    return decode_as<Codec, NotificationEvent>(event);
}

}  // namespace switchyard::events::billing
