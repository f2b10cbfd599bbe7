#include "events/kafka/group_subscription.hpp"

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "events/envelope_codec.hpp"
#include "events/kafka/transactional_producer.hpp"

namespace switchyard::events::kafka {

namespace {

/// A consumer-group member that delivers to a handler. Everything below runs on the
/// subscription's thread, including the rebalance callback (librdkafka calls it from
/// `rd_kafka_consumer_poll`), so `cursor_` needs no lock.
class GroupSubscription final : public Subscription {
  public:
    GroupSubscription(std::string pattern, Checkpoint from, BatchHandler handler,
                      std::size_t max_batch)
        : pattern_(std::move(pattern)),
          cursor_(std::move(from)),
          handler_(std::move(handler)),
          max_batch_(max_batch) {}

    /// Takes the consumer (created with this object as its opaque) and starts the thread.
    void start(rd_kafka_t* rk) {
        rk_ = rk;
        rd_kafka_poll_set_consumer(rk_);
        thread_ = std::thread([this] { run(); });
    }

    ~GroupSubscription() override {
        stop();
        if (rk_) rd_kafka_destroy(rk_);
    }

    void stop() override {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }

    /// The rebalance callback: a member reads exactly the partitions the group gives it, each
    /// from this subscription's own position.
    void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
            for (int i = 0; i < partitions->cnt; ++i) {
                auto& tp = partitions->elems[i];
                const auto next = cursor_.next_offset(tp.topic, tp.partition);
                tp.offset = next > 0 ? next : RD_KAFKA_OFFSET_BEGINNING;
            }
            spdlog::debug("kafka subscription: {} partitions assigned", partitions->cnt);
            rd_kafka_assign(rk_, partitions);
        } else {
            spdlog::debug("kafka subscription: partitions revoked ({})", rd_kafka_err2str(err));
            rd_kafka_assign(rk_, nullptr);
        }
    }

  private:
    void run() {
        rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, pattern_.c_str(), RD_KAFKA_PARTITION_UA);
        auto err = rd_kafka_subscribe(rk_, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err) {
            spdlog::error("kafka subscription: subscribe {}: {}", pattern_, rd_kafka_err2str(err));
            return;
        }
        std::vector<RecordedEvent> batch;
        while (!stopping_) {
            batch.clear();
            collect(batch);
            if (batch.empty()) continue;
            try {
                handler_(std::span<const RecordedEvent>(batch));
            } catch (const std::exception& e) {
                spdlog::error("kafka subscription: handler failed, stopping: {}", e.what());
                break;
            }
            for (const auto& e : batch) cursor_.advance(e.position);
        }
        // Leaves the group (the revoke goes through the callback above).
        rd_kafka_consumer_close(rk_);
    }

    /// Polls up to max_batch events: waits up to 100 ms for the first, then takes what is there.
    void collect(std::vector<RecordedEvent>& batch) {
        int wait_ms = 100;
        // Delivered so far plus this batch: after a re-assignment a fetch may repeat either.
        Checkpoint seen = cursor_;
        while (batch.size() < max_batch_ && !stopping_) {
            rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, wait_ms);
            if (!m) return;
            wait_ms = 0;
            accept(m, seen, batch);
            rd_kafka_message_destroy(m);
        }
    }

    void accept(const rd_kafka_message_t* m, Checkpoint& seen, std::vector<RecordedEvent>& batch) {
        if (m->err) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                spdlog::warn("kafka subscription: {}", rd_kafka_message_errstr(m));
            return;
        }
        std::string topic = rd_kafka_topic_name(m->rkt);
        const Position position{m->partition, m->offset, topic};
        if (seen.covers(position)) return;
        seen.advance(position);
        auto decoded =
            decode_envelope(std::string_view(static_cast<const char*>(m->payload), m->len));
        if (!decoded) {
            spdlog::error("kafka subscription: {}/{}:{} is not an envelope: {}", topic,
                          m->partition, m->offset, decoded.error().message);
            return;
        }
        decoded->position = position;
        batch.push_back(std::move(*decoded));
    }

    rd_kafka_t* rk_ = nullptr;
    std::string pattern_;
    Checkpoint cursor_;
    BatchHandler handler_;
    std::size_t max_batch_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

void on_rebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque) {
    static_cast<GroupSubscription*>(opaque)->rebalance(err, parts);
}

}  // namespace

core::Result<std::unique_ptr<Subscription>> subscribe_group(const GroupSubscriptionOptions& o,
                                                            Checkpoint from, BatchHandler handler,
                                                            std::size_t max_batch) {
    const auto session = o.session_timeout.count();
    std::vector<std::pair<std::string, std::string>> config{
        {"group.id", o.group_id},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"isolation.level", "read_committed"},
        {"auto.offset.reset", "earliest"},
        {"allow.auto.create.topics", "false"},
        {"fetch.wait.max.ms", "10"},
        {"topic.metadata.refresh.interval.ms", "1000"},
        {"session.timeout.ms", std::to_string(session)},
        {"heartbeat.interval.ms", std::to_string(std::max<long long>(session / 5, 10))}};
    config.insert(config.end(), o.config.begin(), o.config.end());
    auto* conf = static_cast<rd_kafka_conf_t*>(SY_TRY(make_kafka_conf(o.brokers, config)));
    rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    auto subscription = std::make_unique<GroupSubscription>(o.topic_pattern, std::move(from),
                                                            std::move(handler), max_batch);
    rd_kafka_conf_set_opaque(conf, subscription.get());
    char errstr[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        return core::fail(core::Errc::Unavailable, "kafka", errstr);
    }
    subscription->start(rk);
    return std::unique_ptr<Subscription>(std::move(subscription));
}

}  // namespace switchyard::events::kafka
