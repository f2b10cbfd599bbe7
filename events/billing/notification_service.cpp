#include "events/billing/notification_service.hpp"

#include <boost/json.hpp>

#include "core/billing/ledger.hpp"
#include "events/billing/notification_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;
using core::Errc;

namespace {

/// The subject whose key seals a notification subject's personal data (the billing customer's,
/// so one erasure covers invoices and notifications).
std::string subject_of(const std::string& subject_id) { return "customer." + subject_id; }

constexpr const char* kNameContext = "billing.notification_contact.name";
constexpr const char* kEmailContext = "billing.notification_contact.email";
constexpr const char* kPhoneContext = "billing.notification_contact.phone";
constexpr const char* kToContext = "billing.notification.to";
constexpr const char* kSubjectContext = "billing.notification.subject";
constexpr const char* kBodyContext = "billing.notification.body";

/// The webhook's JSON document (see NotificationService::queue).
std::string webhook_document(const NotificationQueued& q, const std::vector<NotificationVar>& vars,
                             const std::optional<NotificationTemplate>& t) {
    boost::json::object variables;
    for (const auto& v : vars) variables[v.name] = v.value;
    boost::json::object doc;
    doc["id"] = q.notification_id;
    doc["trigger"] = to_string(q.trigger);
    doc["subject_id"] = q.subject_id;
    doc["source_event_id"] = q.source_event_id;
    doc["time"] = core::format_rfc3339(q.queued_at);
    doc["language"] = t ? t->language : "";
    doc["subject"] = t ? render_template(t->subject, vars) : "";
    doc["text"] = t ? render_template(t->body, vars) : "";
    doc["variables"] = std::move(variables);
    return boost::json::serialize(doc);
}

}  // namespace

struct NotificationService::Impl {
    Impl(EventStore& s, std::shared_ptr<SubjectKeys> k, std::string t)
        : store(s),
          keys(std::move(k)),
          tenant(std::move(t)),
          templates(s, decode_notification_template_event),
          contacts(s, decode_notification_contact_event),
          settings(s, decode_notification_settings_event),
          notifications(s, decode_notification_event) {}

    /// Runs `decide(state)` on `stream` of `loader` and appends its events.
    template <class Loader, class Decide>
    core::Result<CommandOutcome<>> run(Loader& loader, const std::string& stream,
                                       const core::DecisionContext& ctx, Decide decide) {
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(loader.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    core::Result<std::optional<NotificationTemplate>> find(NotificationTrigger trigger,
                                                           NotificationChannel channel,
                                                           const std::string& language) {
        const auto key = template_key(trigger, channel, language);
        return SY_TRY(templates.load(notification_template_stream(key))).first.terms;
    }

    /// The contact as stored (sealed fields).
    core::Result<std::optional<NotificationContact>> stored_contact(const std::string& id) {
        return SY_TRY(contacts.load(notification_contact_stream(id))).first.contact;
    }

    /// Opens a stored contact; nullopt when any of its sealed fields belongs to an erased key.
    core::Result<std::optional<NotificationContact>> open(NotificationContact c) const {
        for (auto [text, context] :
             {std::pair{&c.name, kNameContext}, std::pair{&c.email, kEmailContext},
              std::pair{&c.phone, kPhoneContext}}) {
            if (text->empty()) continue;
            auto opened = SY_TRY(keys->open(*text, context));
            if (!opened) return std::optional<NotificationContact>{};
            *text = std::move(*opened);
        }
        return std::optional<NotificationContact>{std::move(c)};
    }

    /// Seals the deliveries of `q`; a delivery whose subject was erased goes to `skipped`.
    core::Result<void> seal(NotificationQueued& q) {
        const auto subject = subject_of(q.subject_id);
        std::vector<NotificationDelivery> kept;
        for (auto d : q.deliveries) {
            bool erased = false;
            for (auto [text, context] :
                 {std::pair{&d.to, kToContext}, std::pair{&d.subject, kSubjectContext},
                  std::pair{&d.body, kBodyContext}}) {
                if (text->empty() || erased) continue;
                auto sealed = keys->seal(subject, *text, context);
                // Rejected: the subject was erased; Invalid: no key can be made for its id.
                if (!sealed && (sealed.error().code == Errc::Rejected ||
                                sealed.error().code == Errc::Invalid)) {
                    erased = true;
                    continue;
                }
                *text = SY_TRY(std::move(sealed));
            }
            if (erased)
                q.skipped.push_back(std::string(to_string(d.channel)) + ": the subject was erased");
            else
                kept.push_back(std::move(d));
        }
        q.deliveries = std::move(kept);
        return {};
    }

    EventStore& store;
    std::shared_ptr<SubjectKeys> keys;
    std::string tenant;
    AggregateLoader<NotificationTemplateState, NotificationTemplateEvent> templates;
    AggregateLoader<NotificationContactState, NotificationContactEvent> contacts;
    AggregateLoader<NotificationSettingsState, NotificationSettingsEvent> settings;
    AggregateLoader<NotificationState, NotificationEvent> notifications;
};

NotificationService::NotificationService(EventStore& store, std::shared_ptr<SubjectKeys> keys,
                                         std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(keys), std::move(tenant))) {}
NotificationService::~NotificationService() = default;

core::Result<CommandOutcome<>> NotificationService::set_template(const NotificationTemplate& t,
                                                                 const core::DecisionContext& ctx) {
    SY_TRY(check_template(t));
    const auto stream =
        notification_template_stream(template_key(t.trigger, t.channel, t.language));
    return impl_->run(impl_->templates, stream, ctx,
                      [&](const NotificationTemplateState& s) { return decide(s, t); });
}

core::Result<CommandOutcome<>> NotificationService::remove_template(
    NotificationTrigger trigger, NotificationChannel channel, const std::string& language,
    const core::DecisionContext& ctx) {
    if (!valid_language(language))
        return core::fail(Errc::Invalid, "language",
                          "must be a language tag such as en, de or pt-BR");
    const auto stream = notification_template_stream(template_key(trigger, channel, language));
    return impl_->run(impl_->templates, stream, ctx, [&](const NotificationTemplateState& s) {
        return decide_remove(s, trigger, channel, language);
    });
}

core::Result<CommandOutcome<>> NotificationService::set_contact(const NotificationContact& c,
                                                                const core::DecisionContext& ctx) {
    SY_TRY(check_contact(c));
    const auto current = SY_TRY(contact(c.subject_id));
    if (current.contact && *current.contact == c) return CommandOutcome<>{};
    auto sealed = c;
    const auto subject = subject_of(c.subject_id);
    for (auto [text, context] :
         {std::pair{&sealed.name, kNameContext}, std::pair{&sealed.email, kEmailContext},
          std::pair{&sealed.phone, kPhoneContext}}) {
        if (text->empty()) continue;
        auto done = impl_->keys->seal(subject, *text, context);
        if (!done && done.error().code == Errc::Rejected)
            return core::fail(Errc::Rejected, "subject_id",
                              "the subject's personal data was erased");
        *text = SY_TRY(std::move(done));
    }
    const auto stream = notification_contact_stream(c.subject_id);
    return impl_->run(impl_->contacts, stream, ctx, [&](const NotificationContactState&) {
        return core::Result<std::vector<NotificationContactEvent>>(
            std::vector<NotificationContactEvent>{NotificationContactSet{sealed}});
    });
}

core::Result<ContactView> NotificationService::contact(const std::string& subject_id) {
    SY_TRY(check_id(subject_id, "subject_id"));
    const auto stored = SY_TRY(impl_->stored_contact(subject_id));
    if (!stored) return ContactView{};
    auto opened = SY_TRY(impl_->open(*stored));
    return ContactView{std::move(opened), !opened.has_value()};
}

core::Result<CommandOutcome<>> NotificationService::set_settings(const NotificationSettings& s,
                                                                 const core::DecisionContext& ctx) {
    SY_TRY(check_settings(s));
    return impl_->run(impl_->settings, kNotificationSettingsStream, ctx,
                      [&](const NotificationSettingsState& state)
                          -> core::Result<std::vector<NotificationSettingsEvent>> {
                          if (state.settings == s) return std::vector<NotificationSettingsEvent>{};
                          return std::vector<NotificationSettingsEvent>{NotificationSettingsSet{s}};
                      });
}

core::Result<NotificationSettings> NotificationService::settings() {
    return SY_TRY(impl_->settings.load(kNotificationSettingsStream)).first.settings;
}

core::Result<CommandOutcome<>> NotificationService::queue(const NotificationRequest& r,
                                                          const NotificationGateways& gateways,
                                                          const core::DecisionContext& ctx) {
    const auto stream = notification_stream(r.notification_id);
    const auto first = SY_TRY(impl_->notifications.load(stream)).first;
    if (first.queued) return CommandOutcome<>{};
    if (auto stale = decide_stale(first, r, ctx.now, gateways.max_age); !stale.empty())
        return impl_->run(impl_->notifications, stream, ctx, [&](const NotificationState& s) {
            return core::Result<std::vector<NotificationEvent>>(
                decide_stale(s, r, ctx.now, gateways.max_age));
        });
    // A subject id no contact can have (not a billing id) has none.
    const auto view = valid_id(r.subject_id) ? SY_TRY(contact(r.subject_id)) : ContactView{};
    const auto current = SY_TRY(settings());
    const auto language = view.contact && !view.contact->language.empty()
                              ? view.contact->language
                              : current.default_language;
    std::vector<NotificationTemplate> templates;
    std::optional<NotificationTemplate> webhook;
    std::vector<std::string> languages{language};
    if (current.default_language != language) languages.push_back(current.default_language);
    for (const auto& lang : languages)
        for (auto channel :
             {NotificationChannel::Email, NotificationChannel::Sms, NotificationChannel::Webhook})
            if (auto t = SY_TRY(impl_->find(r.trigger, channel, lang))) {
                if (channel == NotificationChannel::Webhook && !webhook) webhook = t;
                templates.push_back(std::move(*t));
            }
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->notifications.load(stream));
            auto events = decide_queue(state, r, view.contact, view.erased, current, gateways.sms,
                                       templates, ctx.now);
            if (events.empty()) return std::vector<StreamWrite>{};
            auto& q = std::get<NotificationQueued>(events.front());
            if (gateways.webhook)
                q.deliveries.push_back(
                    {NotificationChannel::Webhook, webhook ? webhook->language : "", "", "",
                     webhook_document(q, all_variables(r, view.contact), webhook)});
            SY_TRY(impl_->seal(q));
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<>> NotificationService::record_attempt(
    const std::string& notification_id, NotificationChannel channel, const AttemptOutcome& outcome,
    const core::DecisionContext& ctx) {
    return impl_->run(impl_->notifications, notification_stream(notification_id), ctx,
                      [&](const NotificationState& s) {
                          return core::Result<std::vector<NotificationEvent>>(
                              decide_attempt(s, channel, outcome, ctx.now));
                      });
}

core::Result<NotificationState> NotificationService::notification(const std::string& id) {
    if (id.empty() || id.size() > 200) return NotificationState{};
    auto state = SY_TRY(impl_->notifications.load(notification_stream(id))).first;
    for (auto& d : state.deliveries) {
        d.delivery.to = impl_->keys->open_or_erased(d.delivery.to, kToContext);
        d.delivery.subject = impl_->keys->open_or_erased(d.delivery.subject, kSubjectContext);
        d.delivery.body = impl_->keys->open_or_erased(d.delivery.body, kBodyContext);
    }
    return state;
}

}  // namespace switchyard::events::billing
