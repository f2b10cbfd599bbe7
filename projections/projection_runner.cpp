#include "projections/projection_runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <span>
#include <thread>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace switchyard::projections {

using core::Errc;

namespace {

const std::string kCheckpointPrefix = "checkpoint/";
/// Batches at least this long are projected by several threads (ProjectionRunnerOptions).
constexpr std::size_t kParallelBatch = 256;

/// `name.vN` -> `name`; other names unchanged.
std::string base_name(const std::string& name) {
    auto dot = name.rfind(".v");
    return dot == std::string::npos ? name : name.substr(0, dot);
}

/// A projector's writes for one batch: the last value of each key written (or its erasure), in
/// key order, so that a projector reads its own earlier writes of the batch; `flush` adds them
/// to the WriteBatch in that order. Sorted, the memtable inserts of one family follow each other
/// in the skiplist (RocksDB reuses the insert position), instead of jumping between the rows a
/// projector writes per event (the rebuild's largest cost, bench/README.md).
class BatchWrites final : public ProjectionWrites {
  public:
    BatchWrites(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, rocksdb::WriteBatch& batch)
        : db_(db), cf_(cf), batch_(batch) {}
    std::optional<std::string> get(std::string_view key) override {
        if (auto it = overlay_.find(key); it != overlay_.end()) return it->second;
        std::string value;
        auto s =
            db_->Get(rocksdb::ReadOptions(), cf_, rocksdb::Slice(key.data(), key.size()), &value);
        if (s.ok()) return value;
        return std::nullopt;
    }
    void put(std::string_view key, std::string_view value) override {
        set(key, std::optional<std::string>(std::in_place, value));
    }
    void erase(std::string_view key) override { set(key, std::nullopt); }

    /// Adds the batch's writes to the WriteBatch, in key order, and forgets them.
    void flush() {
        for (const auto& [key, value] : overlay_) {
            if (value) {
                batch_.Put(cf_, key, *value);
            } else {
                batch_.Delete(cf_, key);
            }
        }
        overlay_.clear();
    }

  private:
    void set(std::string_view key, std::optional<std::string> value) {
        if (auto it = overlay_.find(key); it != overlay_.end()) {
            it->second = std::move(value);
        } else {
            overlay_.emplace(std::string(key), std::move(value));
        }
    }

    rocksdb::DB* db_;
    rocksdb::ColumnFamilyHandle* cf_;
    rocksdb::WriteBatch& batch_;
    std::map<std::string, std::optional<std::string>, std::less<>> overlay_;
};

class CfView final : public ReadModelView {
  public:
    CfView(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf) : db_(db), cf_(cf) {}
    std::optional<std::string> get(std::string_view key) const override {
        std::string value;
        auto s =
            db_->Get(rocksdb::ReadOptions(), cf_, rocksdb::Slice(key.data(), key.size()), &value);
        if (s.ok()) return value;
        return std::nullopt;
    }
    void scan(std::string_view prefix, std::string_view start,
              const std::function<bool(std::string_view, std::string_view)>& fn) const override {
        std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf_));
        const std::string from = start.empty() ? std::string(prefix) : std::string(start);
        for (it->Seek(from); it->Valid(); it->Next()) {
            auto k = it->key().ToStringView();
            if (!k.starts_with(prefix)) break;
            if (!fn(k, it->value().ToStringView())) break;
        }
    }

  private:
    rocksdb::DB* db_;
    rocksdb::ColumnFamilyHandle* cf_;
};

struct Slot {
    std::unique_ptr<Projector> projector;
    std::string name;
    rocksdb::ColumnFamilyHandle* cf = nullptr;
    std::unique_ptr<CfView> view;
    events::Checkpoint checkpoint;  // guarded by Runner::mu_
};

class Runner final : public ProjectionRunner {
  public:
    Runner(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
           std::vector<Slot> slots, const ProjectionRunnerOptions& options)
        : db_(std::move(db)),
          handles_(std::move(handles)),
          slots_(std::move(slots)),
          read_only_(options.read_only),
          threads_(options.threads > 0
                       ? static_cast<std::size_t>(options.threads)
                       : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8)) {}

    ~Runner() override {
        stop();
        if (!read_only_) {
            rocksdb::FlushOptions fo;
            db_->Flush(fo, handles_);  // the models are written without WAL
        }
        for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
        db_->Close();
    }

    void start(events::EventStore& store) override {
        subscription_ =
            store.subscribe(low_watermark(), [this](std::span<const events::RecordedEvent> batch) {
                if (auto r = apply(batch); !r) {
                    failed_ = true;
                    throw std::runtime_error(fmt::format("projection failed: {}: {}",
                                                         r.error().field, r.error().message));
                }
            });
    }

    void stop() override {
        if (subscription_) subscription_->stop();
        subscription_.reset();
    }

    core::Result<void> catch_up(events::EventStore& store,
                                const std::optional<events::Checkpoint>& until) override {
        const auto target = until ? *until : store.head();
        for (;;) {
            auto low = low_watermark();
            if (low.covers(target)) return {};
            auto batch = SY_TRY(store.read_all(low, 4096));
            std::vector<events::RecordedEvent> wanted;
            for (auto& e : batch) {
                if (e.position.offset <
                    target.next_offset(e.position.topic, e.position.partition)) {
                    wanted.push_back(std::move(e));
                }
            }
            if (wanted.empty()) return {};
            SY_TRY(apply(wanted));
        }
    }

    core::Result<events::Checkpoint> checkpoint(const std::string& name) const override {
        std::lock_guard lock(mu_);
        for (const auto& s : slots_) {
            if (s.name == name) return s.checkpoint;
        }
        return core::fail(Errc::NotFound, "projection",
                          fmt::format("no projection named {}", name));
    }

    events::Checkpoint low_watermark() const override {
        std::lock_guard lock(mu_);
        return low_watermark_locked();
    }

    bool wait_for(const std::vector<events::Position>& positions,
                  std::chrono::milliseconds timeout) const override {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout,
                            [&] { return low_watermark_locked().covers(positions); });
    }

    std::uint64_t notify_when(const std::vector<events::Position>& positions,
                              std::function<void()> ready) const override {
        {
            // Checked and registered under notify_mu_, which apply takes after moving the
            // checkpoints: a registration either sees the new checkpoints or is seen by apply.
            std::lock_guard lock(notify_mu_);
            if (!low_watermark().covers(positions)) {
                const auto ticket = ++next_ticket_;
                notifies_.push_back(Notify{ticket, positions, std::move(ready)});
                return ticket;
            }
        }
        ready();
        return 0;
    }

    void cancel_notify(std::uint64_t ticket) const override {
        if (ticket == 0) return;
        std::lock_guard lock(notify_mu_);
        std::erase_if(notifies_, [&](const Notify& n) { return n.ticket == ticket; });
    }

    const ReadModelView* view(const std::string& name) const override {
        for (const auto& s : slots_) {
            if (s.name == name) return s.view.get();
        }
        return nullptr;
    }

    core::Result<std::string> digest(const std::string& name) const override {
        for (const auto& s : slots_) {
            if (s.name != name) continue;
            crypto_hash_sha256_state st;
            crypto_hash_sha256_init(&st);
            std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), s.cf));
            for (it->SeekToFirst(); it->Valid(); it->Next()) {
                for (auto slice : {it->key(), it->value()}) {
                    auto len = be64(slice.size());
                    crypto_hash_sha256_update(
                        &st, reinterpret_cast<const unsigned char*>(len.data()), len.size());
                    crypto_hash_sha256_update(
                        &st, reinterpret_cast<const unsigned char*>(slice.data()), slice.size());
                }
            }
            unsigned char out[crypto_hash_sha256_BYTES];
            crypto_hash_sha256_final(&st, out);
            char hex[crypto_hash_sha256_BYTES * 2 + 1];
            sodium_bin2hex(hex, sizeof hex, out, sizeof out);
            return std::string(hex);
        }
        return core::fail(Errc::NotFound, "projection",
                          fmt::format("no projection named {}", name));
    }

    bool failed() const override { return failed_; }
    std::int64_t events_applied() const override { return applied_; }

    std::vector<std::string> names() const override {
        std::vector<std::string> out;
        for (const auto& s : slots_) out.push_back(s.name);
        return out;
    }

  private:
    events::Checkpoint low_watermark_locked() const {
        if (slots_.empty()) return {};
        events::Checkpoint low = slots_.front().checkpoint;
        for (std::size_t i = 1; i < slots_.size(); ++i)
            low = events::Checkpoint::min(low, slots_[i].checkpoint);
        return low;
    }

    core::Result<void> apply(std::span<const events::RecordedEvent> batch) {
        if (read_only_) return core::fail(Errc::Unavailable, "projection", "read-only");
        std::vector<events::Checkpoint> next;
        {
            std::lock_guard lock(mu_);
            for (const auto& s : slots_) next.push_back(s.checkpoint);
        }
        // Per partition, the first offset of the batch and the one after its last: a slot whose
        // checkpoint is at or before every first offset has read none of the batch, and after
        // the batch each slot is at least at the ends (advancing event by event would give the
        // same checkpoint, since advancing keeps the larger offset).
        events::Checkpoint first, ends;
        for (const auto& e : batch) {
            if (e.position.partition < 0) continue;
            const events::Checkpoint::Key key{e.position.topic, e.position.partition};
            if (!ends.entries().contains(key)) first.set_next(key, e.position.offset);
            ends.set_next(key, e.position.offset + 1);
        }
        std::vector<char> reads_all(slots_.size());
        bool all_fresh = true;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            reads_all[i] =
                std::all_of(first.entries().begin(), first.entries().end(), [&](const auto& kv) {
                    return next[i].next_offset(kv.first.first, kv.first.second) <= kv.second;
                });
            all_fresh = all_fresh && reads_all[i];
        }
        std::int64_t fresh = 0;
        if (all_fresh) {
            fresh = static_cast<std::int64_t>(batch.size());
        } else {
            for (const auto& e : batch) {
                for (const auto& c : next) {
                    if (!c.covers(e.position)) {
                        ++fresh;
                        break;
                    }
                }
            }
        }
        // Each event's slot mask, looked up here so that the workers only read; and the models
        // ordered by the events they take, the busiest first, so the threads end together.
        std::vector<const std::vector<char>*> masks;
        masks.reserve(batch.size());
        std::vector<std::size_t> load(slots_.size());
        for (const auto& e : batch) {
            masks.push_back(&mask_of(e.type));
            for (std::size_t i = 0; i < slots_.size(); ++i) load[i] += (*masks.back())[i];
        }
        std::vector<std::size_t> order(slots_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return load[a] > load[b]; });

        // A worker takes whole models: it projects one into its overlay, adds the rows and the
        // checkpoint to its own WriteBatch, and writes that batch once at the end. Rows and
        // checkpoint of a model are always in one write, so each model stays at its checkpoint;
        // after an error the models written still move, the others stay where they were.
        std::atomic<std::size_t> next_slot{0};
        std::atomic<bool> halt{false};
        std::vector<char> written(slots_.size());
        std::mutex error_mu;
        std::optional<core::Error> error;
        auto worker = [&] {
            rocksdb::WriteBatch wb;
            std::vector<std::size_t> mine;
            while (!halt.load(std::memory_order_relaxed)) {
                const auto n = next_slot.fetch_add(1);
                if (n >= order.size()) break;
                const auto i = order[n];
                auto& slot = slots_[i];
                BatchWrites writes(db_.get(), slot.cf, wb);
                bool moved = false;
                for (std::size_t k = 0; k < batch.size(); ++k) {
                    const auto& e = batch[k];
                    if (!reads_all[i] && next[i].covers(e.position)) continue;
                    moved = true;
                    if (!(*masks[k])[i]) continue;
                    if (auto r = slot.projector->project(e, writes); !r) {
                        std::lock_guard lock(error_mu);
                        if (!error) {
                            error = core::Error{
                                r.error().code, slot.name + "." + r.error().field,
                                fmt::format("event {} at {}:{}: {}", e.id, e.position.partition,
                                            e.position.offset, r.error().message)};
                        }
                        halt = true;
                        moved = false;
                        break;
                    }
                }
                if (!moved) continue;
                writes.flush();
                for (const auto& [key, end] : ends.entries()) next[i].set_next(key, end);
                wb.Put(handles_[0], kCheckpointPrefix + slot.name, next[i].to_string());
                mine.push_back(i);
            }
            if (mine.empty()) return;
            // No WAL: read models are rebuilt from the log, and atomic_flush (see open)
            // persists rows and checkpoints of all families together, so after a crash a model
            // is at its last flushed checkpoint, never ahead of or behind it.
            rocksdb::WriteOptions wo;
            wo.disableWAL = true;
            if (auto st = db_->Write(wo, &wb); !st.ok()) {
                std::lock_guard lock(error_mu);
                if (!error) error = core::Error{Errc::Internal, "projection", st.ToString()};
                return;
            }
            for (auto i : mine) written[i] = 1;
        };
        const auto threads =
            std::min<std::size_t>(batch.size() >= kParallelBatch ? threads_ : 1, slots_.size());
        std::vector<std::thread> helpers;
        for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(worker);
        worker();
        for (auto& h : helpers) h.join();
        {
            std::lock_guard lock(mu_);
            for (std::size_t i = 0; i < slots_.size(); ++i) {
                if (written[i]) slots_[i].checkpoint = next[i];
            }
        }
        if (error) {
            cv_.notify_all();
            wake_notifies();
            return core::fail(*error);
        }
        applied_ += fresh;
        cv_.notify_all();
        wake_notifies();
        return {};
    }

    /// Calls and forgets the registrations of `notify_when` that the checkpoints now cover.
    /// The callbacks run under notify_mu_ so that `cancel_notify` can promise they are done.
    void wake_notifies() {
        std::lock_guard lock(notify_mu_);
        if (notifies_.empty()) return;
        const auto low = low_watermark();
        std::erase_if(notifies_, [&](Notify& n) {
            if (!low.covers(n.positions)) return false;
            n.ready();
            return true;
        });
    }

    std::unique_ptr<rocksdb::DB> db_;
    std::vector<rocksdb::ColumnFamilyHandle*> handles_;
    /// Which slots' projectors accept events of `type` (1 per slot that does), from a cache of
    /// each type's answers (a rebuild asks once per event). The reference stays valid.
    const std::vector<char>& mask_of(const std::string& type) {
        auto it = accepts_.find(type);
        if (it == accepts_.end()) {
            std::vector<char> mask(slots_.size());
            for (std::size_t s = 0; s < slots_.size(); ++s)
                mask[s] = slots_[s].projector->accepts(type) ? 1 : 0;
            it = accepts_.emplace(type, std::move(mask)).first;
        }
        return it->second;
    }

    std::vector<Slot> slots_;
    std::unordered_map<std::string, std::vector<char>> accepts_;  // apply's thread only
    bool read_only_;
    std::size_t threads_;  ///< Workers for a long batch (ProjectionRunnerOptions::threads).
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    struct Notify {
        std::uint64_t ticket;
        std::vector<events::Position> positions;
        std::function<void()> ready;
    };
    mutable std::mutex notify_mu_;  // taken before mu_, never after
    mutable std::vector<Notify> notifies_;
    mutable std::uint64_t next_ticket_ = 0;
    std::unique_ptr<events::Subscription> subscription_;
    std::atomic<bool> failed_{false};
    std::atomic<std::int64_t> applied_{0};
};

}  // namespace

core::Result<std::unique_ptr<ProjectionRunner>> ProjectionRunner::open(
    const std::filesystem::path& dir, std::vector<std::unique_ptr<Projector>> projectors,
    const ProjectionRunnerOptions& options) {
    if (sodium_init() < 0)
        return core::fail(Errc::Internal, "sodium", "libsodium failed to initialise");
    std::error_code ec;
    if (!options.read_only) std::filesystem::create_directories(dir, ec);
    rocksdb::DBOptions db_options;
    db_options.create_if_missing = !options.read_only;
    db_options.create_missing_column_families = !options.read_only;
    db_options.atomic_flush = true;

    std::vector<std::string> existing;
    if (std::filesystem::exists(dir / "CURRENT")) {
        auto s = rocksdb::DB::ListColumnFamilies(db_options, dir.string(), &existing);
        if (!s.ok()) return core::fail(Errc::Unavailable, "data_dir", s.ToString());
    }
    std::vector<std::string> wanted{rocksdb::kDefaultColumnFamilyName};
    for (const auto& p : projectors) wanted.push_back(p->name());
    std::vector<std::string> stale;
    for (const auto& name : existing) {
        if (std::find(wanted.begin(), wanted.end(), name) != wanted.end()) continue;
        for (const auto& p : projectors) {
            if (base_name(p->name()) == base_name(name)) stale.push_back(name);
        }
    }
    // Open every existing family (RocksDB requires it) plus the wanted ones.
    std::vector<std::string> open_names = wanted;
    for (const auto& name : existing) {
        if (std::find(open_names.begin(), open_names.end(), name) == open_names.end())
            open_names.push_back(name);
    }
    if (options.read_only) {
        std::erase_if(open_names, [&](const std::string& n) {
            return std::find(existing.begin(), existing.end(), n) == existing.end();
        });
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : open_names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    auto s =
        options.read_only
            ? rocksdb::DB::OpenForReadOnly(db_options, dir.string(), descriptors, &handles, &raw)
            : rocksdb::DB::Open(db_options, dir.string(), descriptors, &handles, &raw);
    if (!s.ok()) {
        return core::fail(
            Errc::Unavailable, "data_dir",
            fmt::format("cannot open read models in {}: {}", dir.string(), s.ToString()));
    }
    std::unique_ptr<rocksdb::DB> db(raw);
    if (!options.read_only) {
        for (const auto& name : stale) {
            auto it = std::find(open_names.begin(), open_names.end(), name);
            auto idx = static_cast<std::size_t>(it - open_names.begin());
            spdlog::info("projection {} is outdated; dropping it", name);
            db->DropColumnFamily(handles[idx]);
            db->Delete(rocksdb::WriteOptions(), handles[0], kCheckpointPrefix + name);
        }
    }
    std::vector<Slot> slots;
    for (auto& p : projectors) {
        Slot slot;
        slot.name = p->name();
        slot.projector = std::move(p);
        auto it = std::find(open_names.begin(), open_names.end(), slot.name);
        if (it == open_names.end()) {
            // Read-only and never built: an empty model.
            slot.cf = nullptr;
        } else {
            slot.cf = handles[static_cast<std::size_t>(it - open_names.begin())];
            std::string text;
            if (db->Get(rocksdb::ReadOptions(), handles[0], kCheckpointPrefix + slot.name, &text)
                    .ok()) {
                auto c = events::Checkpoint::parse(text);
                if (!c) return core::fail(Errc::Internal, "checkpoint", c.error().message);
                slot.checkpoint = *c;
            }
        }
        if (!slot.cf)
            return core::fail(Errc::NotFound, "projection",
                              fmt::format("{} has not been built in {}", slot.name, dir.string()));
        slot.view = std::make_unique<CfView>(db.get(), slot.cf);
        slots.push_back(std::move(slot));
    }
    return std::unique_ptr<ProjectionRunner>(
        new Runner(std::move(db), std::move(handles), std::move(slots), options));
}

}  // namespace switchyard::projections
