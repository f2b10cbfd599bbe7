#include "events/kafka/kafka_event_store.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "events/append_planner.hpp"
#include "events/envelope_codec.hpp"
#include "events/group_commit.hpp"
#include "events/kafka/transactional_producer.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::kafka {

using core::Errc;
using Key = Checkpoint::Key;

std::string topic_for(std::string_view prefix, std::string_view type) {
    return fmt::format("{}{}.events", prefix, module_of(type));
}

core::Result<std::string> parse_kafka_url(std::string_view url) {
    constexpr std::string_view kScheme = "kafka://";
    if (!url.starts_with(kScheme) || url.size() == kScheme.size()) {
        return core::fail(Errc::Invalid, "log", "expected kafka://HOST:PORT[,HOST:PORT...]");
    }
    auto brokers = std::string(url.substr(kScheme.size()));
    if (!brokers.empty() && brokers.back() == '/') brokers.pop_back();
    std::size_t start = 0;
    while (start <= brokers.size()) {
        auto end = brokers.find(',', start);
        if (end == std::string::npos) end = brokers.size();
        auto item = std::string_view(brokers).substr(start, end - start);
        auto colon = item.rfind(':');
        if (item.empty() || colon == std::string_view::npos || colon == 0 ||
            colon + 1 == item.size()) {
            return core::fail(Errc::Invalid, "log", fmt::format("'{}' is not HOST:PORT", item));
        }
        if (end == brokers.size()) break;
        start = end + 1;
    }
    return brokers;
}

namespace {

/// `^<prefix>[^.]+\.events$` with the prefix's regex characters escaped.
std::string topic_pattern(std::string_view prefix) {
    std::string out = "^";
    for (char c : prefix) {
        if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out + "[^.]+\\.events$";
}

core::Result<rd_kafka_conf_t*> make_conf(
    const KafkaEventStoreOptions& o, const std::vector<std::pair<std::string, std::string>>& own) {
    auto config = own;
    config.insert(config.end(), o.config.begin(), o.config.end());
    return static_cast<rd_kafka_conf_t*>(SY_TRY(make_kafka_conf(o.brokers, config)));
}

/// The store: a transactional producer for appends, and a read_committed consumer that tails
/// every event topic into an in-memory index (events by partition, streams, event ids).
class KafkaEventStore final : public EventStore {
  public:
    explicit KafkaEventStore(KafkaEventStoreOptions o)
        : opts_(std::move(o)),
          group_prefix_(opts_.consumer_group.empty() ? "switchyard-read-models-" + random_token(8)
                                                     : opts_.consumer_group) {}

    ~KafkaEventStore() override {
        closing_ = true;
        queue_.reset();
        tail_stop_ = true;
        if (tail_.joinable()) tail_.join();
        if (consumer_) {
            rd_kafka_consumer_close(consumer_);
            rd_kafka_destroy(consumer_);
        }
        producer_.reset();
    }

    core::Result<void> open() {
        char errstr[512];
        auto cconf = SY_TRY(make_conf(opts_, {{"group.id", "switchyard-log-index"},
                                              {"enable.auto.commit", "false"},
                                              {"enable.auto.offset.store", "false"},
                                              {"enable.partition.eof", "true"},
                                              {"isolation.level", "read_committed"},
                                              {"auto.offset.reset", "earliest"},
                                              {"allow.auto.create.topics", "false"},
                                              {"fetch.wait.max.ms", "10"}}));
        consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, errstr, sizeof errstr);
        if (!consumer_) return core::fail(Errc::Unavailable, "kafka", errstr);
        SY_TRY(discover());
        tail_ = std::thread([this] { tail_loop(); });
        if (!wait_caught_up(opts_.timeout)) {
            return core::fail(Errc::Unavailable, "kafka",
                              "the log index did not catch up with the topics in time");
        }
        if (opts_.read_only) return {};
        producer_ = SY_TRY(TransactionalProducer::open(opts_.brokers, opts_.transactional_id,
                                                       opts_.timeout, opts_.config));
        // Another writer may have committed while we initialised: catch up again before planning.
        SY_TRY(discover());
        if (!wait_caught_up(opts_.timeout))
            return core::fail(Errc::Unavailable, "kafka", "the log index did not catch up");
        SY_TRY(claim());
        std::vector<std::string> topics;
        for (const auto& m : opts_.modules)
            topics.push_back(fmt::format("{}{}.events", opts_.topic_prefix, m));
        if (auto made = producer_->ensure_topics(topics); !made)
            spdlog::warn("kafka log: {}", made.error().message);
        queue_ = std::make_unique<GroupCommitQueue>(
            4096, [this](GroupCommitQueue::Group& group) { return commit_group(group); });
        return {};
    }

    /// Subscriptions consume the topics as consumer-group members (group_subscription.hpp);
    /// if the consumer cannot be created, they fall back to polling this store's index.
    std::unique_ptr<Subscription> subscribe(Checkpoint from, BatchHandler handler,
                                            std::size_t max_batch) override {
        GroupSubscriptionOptions g;
        g.brokers = opts_.brokers;
        g.group_id = fmt::format("{}.{}", group_prefix_, subscriptions_++);
        g.topic_pattern = topic_pattern(opts_.topic_prefix);
        g.session_timeout = opts_.session_timeout;
        g.config = opts_.config;
        auto sub = subscribe_group(g, from, handler, max_batch);
        if (sub) return std::move(*sub);
        spdlog::error("kafka log: cannot join consumer group {} ({}); polling the index instead",
                      g.group_id, sub.error().message);
        return EventStore::subscribe(std::move(from), std::move(handler), max_batch);
    }

    core::Result<AppendResult> append(std::vector<StreamWrite> writes) override {
        return append_through(queue_.get(), std::move(writes));
    }

    void append_async(std::vector<StreamWrite> writes, AppendCallback done) override {
        append_async_through(queue_.get(), std::move(writes), std::move(done));
    }

    core::Result<std::vector<RecordedEvent>> read_stream(const std::string& stream,
                                                         std::int64_t from_revision,
                                                         std::size_t max) override {
        std::lock_guard lock(mu_);
        return read_stream_index(streams_, stream, from_revision, max, [&](const auto& at) {
            return partitions_.at(at.first)[at.second];
        });
    }

    core::Result<std::vector<RecordedEvent>> read_all(const Checkpoint& from,
                                                      std::size_t max) override {
        std::lock_guard lock(mu_);
        std::vector<RecordedEvent> out;
        for (const auto& [key, events] : partitions_) {
            const auto next = from.next_offset(key.first, key.second);
            auto it = std::lower_bound(
                events.begin(), events.end(), next,
                [](const RecordedEvent& e, std::int64_t o) { return e.position.offset < o; });
            for (; it != events.end() && out.size() < max; ++it) out.push_back(*it);
            if (out.size() >= max) break;
        }
        return out;
    }

    Checkpoint head() const override {
        std::lock_guard lock(mu_);
        return head_locked();
    }

    bool wait_for_events(const Checkpoint& from, std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] {
            for (const auto& [key, events] : partitions_) {
                if (!events.empty() &&
                    events.back().position.offset >= from.next_offset(key.first, key.second)) {
                    return true;
                }
            }
            return false;
        });
    }

  private:
    Checkpoint head_locked() const {
        Checkpoint c;
        for (const auto& [key, events] : partitions_) {
            if (!events.empty()) c.advance(events.back().position);
        }
        return c;
    }

    // ---- single writer ----
    //
    // Kafka fences an older producer with the same transactional.id (KIP-98); librdkafka's mock
    // cluster does not. So a writer also claims the log with a `log.writer.claimed` record when it
    // opens, and before every transaction makes sure its index has read the claim stream to its
    // end: a newer claim than its own means another writer took over, and it stops (Conflict).

    std::string claims_topic() const { return opts_.topic_prefix + "writers"; }

    /// Writes this writer's claim (before the writer thread starts: the producer is ours alone).
    core::Result<void> claim() {
        const auto now = core::Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now().time_since_epoch()));
        const auto id = new_uuid_v7(now);
        boost::json::object data{{"writer_id", id},
                                 {"transactional_id", opts_.transactional_id},
                                 {"time", core::format_rfc3339(now)}};
        std::vector<OutRecord> records{
            {claims_topic(), opts_.transactional_id, boost::json::serialize(data), {}}};
        auto written = producer_->commit(records);
        if (!written) return tl::unexpected(written.error());
        {
            std::lock_guard lock(mu_);
            own_claim_ = written->at(0);
        }
        discover_requested_ = true;
        return {};
    }

    /// Reads the claims partition to its end, so that index_claim has seen every newer claim.
    void check_claims() {
        Position own;
        {
            std::lock_guard lock(mu_);
            if (own_claim_.offset < 0) return;
            own = own_claim_;
        }
        auto high_watermark = producer_->high_watermark(own.topic, own.partition);
        if (!high_watermark) return;
        const auto high = *high_watermark;
        std::unique_lock lock(mu_);
        // claims_next_ is the index's read position there (records and end-of-partition).
        cv_.wait_for(lock, opts_.timeout, [&] { return fenced_ || claims_next_ >= high; });
    }

    /// A claim record read by the index (mu_ held): a newer one than ours fences this writer.
    void index_claim(const rd_kafka_message_t* m) {
        claims_next_ = std::max(claims_next_, m->offset + 1);
        if (own_claim_.offset >= 0 && m->partition == own_claim_.partition &&
            m->offset > own_claim_.offset) {
            fenced_ = true;
        }
    }

    // ---- the index: a read_committed consumer over every event topic ----

    /// Assigns every partition of every event topic, continuing where the index stands.
    core::Result<void> discover() {
        const rd_kafka_metadata_t* md = nullptr;
        auto err = rd_kafka_metadata(consumer_, 1, nullptr, &md, 5000);
        if (err)
            return core::fail(Errc::Unavailable, "kafka",
                              fmt::format("metadata: {}", rd_kafka_err2str(err)));
        std::set<Key> found;
        for (int t = 0; t < md->topic_cnt; ++t) {
            const auto& topic = md->topics[t];
            std::string_view name = topic.topic;
            const bool wanted = name == claims_topic() ||
                                (name.starts_with(opts_.topic_prefix) && name.ends_with(".events"));
            if (!wanted || topic.err) continue;
            for (int p = 0; p < topic.partition_cnt; ++p)
                found.insert({std::string(name), topic.partitions[p].id});
        }
        rd_kafka_metadata_destroy(md);
        std::lock_guard lock(assign_mu_);
        bool changed = false;
        for (const auto& k : found) changed = assigned_.insert(k).second || changed;
        if (!changed) return {};
        rd_kafka_topic_partition_list_t* list =
            rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size()));
        {
            std::lock_guard mirror(mu_);
            for (const auto& k : assigned_) {
                auto* tp = rd_kafka_topic_partition_list_add(list, k.first.c_str(), k.second);
                auto it = partitions_.find(k);
                tp->offset = it == partitions_.end() || it->second.empty()
                                 ? RD_KAFKA_OFFSET_BEGINNING
                                 : it->second.back().position.offset + 1;
                eof_.erase(k);
            }
        }
        err = rd_kafka_assign(consumer_, list);
        rd_kafka_topic_partition_list_destroy(list);
        if (err)
            return core::fail(Errc::Unavailable, "kafka",
                              fmt::format("assign: {}", rd_kafka_err2str(err)));
        return {};
    }

    bool wait_caught_up(std::chrono::milliseconds timeout) {
        std::set<Key> wanted;
        {
            std::lock_guard lock(assign_mu_);
            wanted = assigned_;
        }
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] {
            return std::all_of(wanted.begin(), wanted.end(),
                               [&](const Key& k) { return eof_.count(k) != 0; });
        });
    }

    void tail_loop() {
        auto last_discover = std::chrono::steady_clock::now();
        while (!tail_stop_) {
            if (discover_requested_.exchange(false) ||
                std::chrono::steady_clock::now() - last_discover > std::chrono::seconds(1)) {
                if (auto r = discover(); !r) spdlog::warn("kafka log index: {}", r.error().message);
                last_discover = std::chrono::steady_clock::now();
            }
            rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 50);
            if (!m) continue;
            const Key key{m->rkt ? rd_kafka_topic_name(m->rkt) : "", m->partition};
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                {
                    std::lock_guard lock(mu_);
                    // At the end of a partition the message offset is the read position.
                    if (key.first == claims_topic())
                        claims_next_ = std::max(claims_next_, m->offset);
                    eof_.insert(key);
                }
                cv_.notify_all();
            } else if (m->err) {
                spdlog::warn("kafka log index: {}", rd_kafka_message_errstr(m));
            } else {
                index(key, m);
            }
            rd_kafka_message_destroy(m);
        }
    }

    void index(const Key& key, const rd_kafka_message_t* m) {
        if (key.first == claims_topic()) {
            {
                std::lock_guard lock(mu_);
                index_claim(m);
            }
            cv_.notify_all();
            return;
        }
        if (indexed(key, m->offset)) return;  // this writer's own record, or seen (re-assign)
        auto decoded =
            decode_envelope(std::string_view(static_cast<const char*>(m->payload), m->len));
        if (!decoded) {
            spdlog::error("kafka log index: {}/{}:{} is not an envelope: {}", key.first, key.second,
                          m->offset, decoded.error().message);
            return;
        }
        {
            std::lock_guard lock(mu_);
            add_to_index(key, std::move(*decoded), m->offset);
        }
        cv_.notify_all();
    }

    /// True when the index already holds `offset` of partition `key`.
    bool indexed(const Key& key, std::int64_t offset) {
        std::lock_guard lock(mu_);
        auto it = partitions_.find(key);
        return it != partitions_.end() && !it->second.empty() &&
               it->second.back().position.offset >= offset;
    }

    /// Adds the event decoded from `offset` of partition `key`, unless the index holds that
    /// offset already. Caller holds mu_.
    void add_to_index(const Key& key, RecordedEvent e, std::int64_t offset) {
        auto& events = partitions_[key];
        if (!events.empty() && events.back().position.offset >= offset) return;
        e.position = Position{key.second, offset, key.first};
        const auto index = events.size();
        auto& stream = streams_[e.stream];
        if (e.revision != static_cast<std::int64_t>(stream.size())) {
            spdlog::error("kafka log index: stream {} revision {} at {}/{}:{} after {} events",
                          e.stream, e.revision, key.first, key.second, offset, stream.size());
        }
        stream.emplace_back(key, index);
        ids_[e.id] = {key, index};
        events.push_back(std::move(e));
    }

    /// Indexes the records this writer just committed at `written` (their positions, in
    /// order), decoded from the bytes it produced, exactly as the tail would decode them. A
    /// partition the index has not seen yet makes the tail look for new topics.
    void index_own(const std::vector<OutRecord>& records, const std::vector<Position>& written) {
        std::vector<core::Result<RecordedEvent>> decoded;
        decoded.reserve(records.size());
        for (const auto& r : records) decoded.push_back(decode_envelope(r.value));
        bool new_partition = false;
        {
            std::lock_guard lock(mu_);
            for (std::size_t i = 0; i < decoded.size() && i < written.size(); ++i) {
                const Key key{written[i].topic, written[i].partition};
                new_partition = new_partition || !partitions_.contains(key);
                if (decoded[i]) {
                    add_to_index(key, std::move(*decoded[i]), written[i].offset);
                } else {
                    // Cannot happen (the writer encoded it); the tail will report it.
                    spdlog::error("kafka log: a record this writer produced does not decode: {}",
                                  decoded[i].error().message);
                }
            }
        }
        if (new_partition) discover_requested_ = true;
        cv_.notify_all();
    }

    // ---- the writer: one transaction per group of appends ----

    std::vector<core::Result<AppendResult>> commit_group(GroupCommitQueue::Group& group) {
        std::unordered_map<std::string, std::int64_t> pending_heads;
        std::unordered_map<std::string, StoredEvent> pending_ids;
        std::vector<core::Result<AppendPlan>> plans;
        std::int64_t placeholder = 0;
        for (auto& request : group) {
            AppendLookups lookups{
                [&](const std::string& stream) -> core::Result<std::int64_t> {
                    if (auto it = pending_heads.find(stream); it != pending_heads.end())
                        return it->second;
                    std::lock_guard lock(mu_);
                    auto it = streams_.find(stream);
                    return it == streams_.end() ? -1
                                                : static_cast<std::int64_t>(it->second.size()) - 1;
                },
                [&](const std::string& id) -> core::Result<std::optional<StoredEvent>> {
                    if (auto it = pending_ids.find(id); it != pending_ids.end())
                        return std::optional<StoredEvent>(it->second);
                    std::lock_guard lock(mu_);
                    auto it = ids_.find(id);
                    if (it == ids_.end()) return std::optional<StoredEvent>();
                    const auto& e = partitions_.at(it->second.first)[it->second.second];
                    return std::optional<StoredEvent>(
                        StoredEvent{e.stream, e.revision, e.position});
                },
                [&](const std::string&) {
                    return Position{-1, placeholder++, ""};
                },
            };
            auto plan = plan_validated_append(request->writes, lookups);
            if (plan) {
                for (const auto& r : plan->records) {
                    const auto& w = request->writes[r.write];
                    pending_heads[w.stream] = r.revision;
                    pending_ids.emplace(w.events[r.event].id,
                                        StoredEvent{w.stream, r.revision, r.position});
                }
            }
            plans.push_back(std::move(plan));
        }
        std::vector<OutRecord> records;
        for (std::size_t i = 0; i < plans.size(); ++i) {
            if (!plans[i]) continue;
            for (const auto& r : plans[i]->records) {
                const auto& w = group[i]->writes[r.write];
                const auto& e = w.events[r.event];
                const auto& parts = group[i]->parts[r.write][r.event];
                std::string value(parts.head());
                append_envelope_middle(value, r.revision, nullptr);
                value += parts.tail();
                records.push_back(OutRecord{
                    topic_for(opts_.topic_prefix, e.type),
                    w.stream,
                    std::move(value),
                    {{"type", e.type}, {"schema", std::to_string(e.schema)}, {"event_id", e.id}}});
            }
        }
        std::optional<core::Error> failure;
        std::vector<Position> written;
        if (!records.empty()) {
            auto committed = commit_records(records);
            if (committed)
                written = std::move(*committed);
            else
                failure = committed.error();
        }
        // The next plan must see these events: they go into the index from the records and
        // the positions the delivery reports gave, not from reading them back (the tail skips
        // them when it gets there).
        if (!failure && !written.empty()) index_own(records, written);
        std::vector<core::Result<AppendResult>> results;
        results.reserve(group.size());
        for (auto& plan : plans) {
            if (!plan) {
                results.emplace_back(tl::unexpected(plan.error()));
            } else if (failure && !plan->records.empty()) {
                results.emplace_back(tl::unexpected(*failure));
            } else {
                auto result = std::move(plan->result);
                if (!result.deduplicated) {
                    for (auto& w : result.writes) {
                        for (auto& p : w.positions) p = written[static_cast<std::size_t>(p.offset)];
                    }
                }
                results.emplace_back(std::move(result));
            }
        }
        return results;
    }

    /// Commits the records in one transaction, unless a newer writer has claimed the log.
    core::Result<std::vector<Position>> commit_records(const std::vector<OutRecord>& records) {
        check_claims();
        if (!fenced_) {
            auto written = producer_->commit(records);
            if (written || written.error().code != Errc::Conflict) return written;
            fenced_ = true;
        }
        return core::fail(Errc::Conflict, "log", "fenced: another writer took over this log");
    }

    KafkaEventStoreOptions opts_;
    std::string group_prefix_;
    std::atomic<int> subscriptions_{0};
    std::unique_ptr<TransactionalProducer> producer_;
    rd_kafka_t* consumer_ = nullptr;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::map<Key, std::vector<RecordedEvent>> partitions_;
    std::unordered_map<std::string, std::vector<std::pair<Key, std::size_t>>> streams_;
    std::unordered_map<std::string, std::pair<Key, std::size_t>> ids_;
    std::set<Key> eof_;

    std::mutex assign_mu_;
    std::set<Key> assigned_;
    std::atomic<bool> discover_requested_{false};
    std::atomic<bool> tail_stop_{false};
    std::thread tail_;

    std::atomic<bool> fenced_{false};
    Position own_claim_;            ///< Where this writer's claim landed (guarded by mu_).
    std::int64_t claims_next_ = 0;  ///< Next offset of the claims partition read (mu_).
    std::atomic<bool> closing_{false};
    std::unique_ptr<GroupCommitQueue> queue_;  // created last in open(); null when read-only
};

}  // namespace

core::Result<std::unique_ptr<EventStore>> open_kafka_event_store(
    const KafkaEventStoreOptions& options) {
    if (options.brokers.empty())
        return core::fail(Errc::Invalid, "brokers", "name at least one broker");
    auto store = std::make_unique<KafkaEventStore>(options);
    SY_TRY(store->open());
    return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace switchyard::events::kafka
