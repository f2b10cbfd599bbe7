#pragma once
/// The field tables of notification templates, contacts, settings and deliveries
/// (core/billing/notification.hpp), shared by the notification codec and the
/// `billing_notifications` read model. Include only in .cpp files (codec_kit.hpp).

#include "core/billing/notification.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

/// `{"trigger", "channel", "language", "subject"?, "body"}`.
inline constexpr auto kNotificationTemplateTable =
    fields(field("trigger", &core::billing::NotificationTemplate::trigger,
                 &core::billing::parse_notification_trigger),
           field("channel", &core::billing::NotificationTemplate::channel,
                 &core::billing::parse_notification_channel),
           field("language", &core::billing::NotificationTemplate::language),
           optional_field("subject", &core::billing::NotificationTemplate::subject),
           field("body", &core::billing::NotificationTemplate::body));

/// `{"subject_id", "name"?, "email"?, "phone"?, "language"?}` (name, email, phone sealed in
/// events).
inline constexpr auto kNotificationContactTable =
    fields(field("subject_id", &core::billing::NotificationContact::subject_id),
           optional_field("name", &core::billing::NotificationContact::name),
           optional_field("email", &core::billing::NotificationContact::email),
           optional_field("phone", &core::billing::NotificationContact::phone),
           optional_field("language", &core::billing::NotificationContact::language));

/// `{"default_language", "balance_low_micros", "credits_low_micros"}`.
inline constexpr auto kNotificationSettingsTable =
    fields(field("default_language", &core::billing::NotificationSettings::default_language),
           field("balance_low_micros", &core::billing::NotificationSettings::balance_low_micros),
           field("credits_low_micros", &core::billing::NotificationSettings::credits_low_micros));

/// `{"name", "value"}`.
inline constexpr auto kNotificationVarTable =
    fields(field("name", &core::billing::NotificationVar::name),
           field("value", &core::billing::NotificationVar::value));

}  // namespace switchyard::events::billing
