#include "events/kafka/transactional_producer.hpp"

#include <thread>

#include <librdkafka/rdkafka.h>

#include <fmt/format.h>

namespace switchyard::events::kafka {

using core::Errc;

core::Result<void*> make_kafka_conf(
    const std::string& brokers, const std::vector<std::pair<std::string, std::string>>& config) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char errstr[512];
    std::vector<std::pair<std::string, std::string>> all{{"bootstrap.servers", brokers},
                                                         {"log_level", "3"}};
    all.insert(all.end(), config.begin(), config.end());
    for (const auto& [k, v] : all) {
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return core::fail(Errc::Invalid, k, errstr);
        }
    }
    return static_cast<void*>(conf);
}

namespace {

struct Delivery {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    Position position;
    bool done = false;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    auto* d = static_cast<Delivery*>(m->_private);
    if (!d) return;
    d->err = m->err;
    d->position = Position{m->partition, m->offset, rd_kafka_topic_name(m->rkt)};
    d->done = true;
}

core::Error fenced_error() {
    return core::Error{Errc::Conflict, "log", "fenced: another writer took over this log"};
}

class Producer final : public TransactionalProducer {
  public:
    Producer(rd_kafka_t* rk, std::chrono::milliseconds timeout)
        : rk_(rk), timeout_ms_(static_cast<int>(timeout.count())) {}
    ~Producer() override {
        rd_kafka_flush(rk_, 1000);
        rd_kafka_destroy(rk_);
    }

    core::Result<std::vector<Position>> commit(const std::vector<OutRecord>& records) override {
        if (fenced_) return core::fail(fenced_error());
        std::vector<Delivery> deliveries(records.size());
        if (auto* err = rd_kafka_begin_transaction(rk_))
            return core::fail(failed(err, "begin transaction"));
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& r = records[i];
            for (;;) {
                rd_kafka_headers_t* headers = rd_kafka_headers_new(r.headers.size());
                for (const auto& [name, value] : r.headers) {
                    rd_kafka_header_add(headers, name.c_str(), -1, value.data(),
                                        static_cast<ssize_t>(value.size()));
                }
                auto err = rd_kafka_producev(
                    rk_, RD_KAFKA_V_TOPIC(r.topic.c_str()),
                    RD_KAFKA_V_KEY(r.key.data(), r.key.size()),
                    RD_KAFKA_V_VALUE(const_cast<char*>(r.value.data()), r.value.size()),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                    RD_KAFKA_V_OPAQUE(&deliveries[i]), RD_KAFKA_V_END);
                if (err) rd_kafka_headers_destroy(headers);
                if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                    rd_kafka_poll(rk_, 10);
                    continue;
                }
                if (err) {
                    if (auto* a = rd_kafka_abort_transaction(rk_, timeout_ms_))
                        rd_kafka_error_destroy(a);
                    return core::fail(Errc::Unavailable, "log",
                                      fmt::format("produce: {}", rd_kafka_err2str(err)));
                }
                break;
            }
        }
        for (int attempt = 0;; ++attempt) {
            auto* err = rd_kafka_commit_transaction(rk_, timeout_ms_);
            if (!err) break;
            if (rd_kafka_error_is_retriable(err) && attempt < 5) {
                rd_kafka_error_destroy(err);
                continue;
            }
            return core::fail(failed(err, "commit transaction"));
        }
        rd_kafka_poll(rk_, 0);
        std::vector<Position> out;
        for (const auto& d : deliveries) {
            if (!d.done || d.err) {
                return core::fail(Errc::Internal, "log",
                                  fmt::format("a committed record has no delivery report: {}",
                                              rd_kafka_err2str(d.err)));
            }
            out.push_back(d.position);
        }
        return out;
    }

    core::Result<std::int64_t> high_watermark(const std::string& topic,
                                              std::int32_t partition) override {
        std::int64_t low = 0, high = 0;
        if (auto err = rd_kafka_query_watermark_offsets(rk_, topic.c_str(), partition, &low, &high,
                                                        timeout_ms_)) {
            return core::fail(Errc::Unavailable, "kafka", rd_kafka_err2str(err));
        }
        return high;
    }

    core::Result<void> ensure_topics(const std::vector<std::string>& topics) override {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
        for (const auto& name : topics) {
            rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_, name.c_str(), nullptr);
            bool known = false;
            std::string last_error = "no answer";
            while (!known && std::chrono::steady_clock::now() < deadline) {
                const rd_kafka_metadata_t* md = nullptr;
                auto err = rd_kafka_metadata(rk_, 0, rkt, &md, 2000);
                if (!err) {
                    known =
                        md->topic_cnt == 1 && !md->topics[0].err && md->topics[0].partition_cnt > 0;
                    if (!known && md->topic_cnt == 1)
                        last_error = rd_kafka_err2str(md->topics[0].err);
                    rd_kafka_metadata_destroy(md);
                } else {
                    last_error = rd_kafka_err2str(err);
                }
                if (!known) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            rd_kafka_topic_destroy(rkt);
            if (!known)
                return core::fail(Errc::Unavailable, "kafka",
                                  fmt::format("topic {} does not exist and was not created: {}",
                                              name, last_error));
        }
        return {};
    }

  private:
    core::Error failed(rd_kafka_error_t* err, const char* what) {
        const auto code = rd_kafka_error_code(err);
        core::Error e{Errc::Unavailable, "log",
                      fmt::format("{}: {}", what, rd_kafka_error_string(err))};
        if (code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
            code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH) {
            fenced_ = true;
            e = fenced_error();
        } else if (rd_kafka_error_txn_requires_abort(err)) {
            if (auto* abort_err = rd_kafka_abort_transaction(rk_, timeout_ms_))
                rd_kafka_error_destroy(abort_err);
        } else if (rd_kafka_error_is_fatal(err)) {
            fenced_ = true;
        }
        rd_kafka_error_destroy(err);
        return e;
    }

    rd_kafka_t* rk_;
    int timeout_ms_;
    bool fenced_ = false;
};

}  // namespace

core::Result<std::unique_ptr<TransactionalProducer>> TransactionalProducer::open(
    const std::string& brokers, const std::string& transactional_id,
    std::chrono::milliseconds timeout,
    const std::vector<std::pair<std::string, std::string>>& config) {
    auto own = config;
    own.insert(own.begin(), {{"transactional.id", transactional_id},
                             {"enable.idempotence", "true"},
                             {"acks", "all"},
                             {"linger.ms", "1"},
                             {"transaction.timeout.ms", "60000"}});
    auto* conf = static_cast<rd_kafka_conf_t*>(SY_TRY(make_kafka_conf(brokers, own)));
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    char errstr[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) return core::fail(Errc::Unavailable, "kafka", errstr);
    auto producer = std::make_unique<Producer>(rk, timeout);
    if (auto* err = rd_kafka_init_transactions(rk, static_cast<int>(timeout.count()))) {
        auto msg = fmt::format("cannot initialise the transactional producer: {}",
                               rd_kafka_error_string(err));
        rd_kafka_error_destroy(err);
        return core::fail(Errc::Unavailable, "kafka", msg);
    }
    return std::unique_ptr<TransactionalProducer>(std::move(producer));
}

}  // namespace switchyard::events::kafka
