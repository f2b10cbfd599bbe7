#pragma once
/// JSON payloads of notifications (core/billing/notification.hpp): templates
/// (`billing_notification_template-<key>`), contacts (`billing_notification_contact-<id>`),
/// settings (`billing_notification_settings`) and the notification log
/// (`billing_notification-<id>`). Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/notification.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::NotificationTemplateEvent& event);
EncodedEvent encode(const core::billing::NotificationContactEvent& event);
EncodedEvent encode(const core::billing::NotificationSettingsEvent& event);
EncodedEvent encode(const core::billing::NotificationEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::NotificationTemplateEvent> decode_notification_template_event(
    const RecordedEvent& event);
/// @errors as decode_notification_template_event.
core::Result<core::billing::NotificationContactEvent> decode_notification_contact_event(
    const RecordedEvent& event);
/// @errors as decode_notification_template_event.
core::Result<core::billing::NotificationSettingsEvent> decode_notification_settings_event(
    const RecordedEvent& event);
/// @errors as decode_notification_template_event.
core::Result<core::billing::NotificationEvent> decode_notification_event(
    const RecordedEvent& event);

}  // namespace switchyard::events::billing
