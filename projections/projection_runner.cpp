#include "projections/projection_runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <span>
#include <thread>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace switchyard::projections {

using core::Errc;

namespace {

const std::string kCheckpointPrefix = "checkpoint/";
/// `building/<name>`: a bulk load of the model has ingested rows and not finished; a runner
/// that opens the model with this marker empties it and builds it again from the start.
const std::string kBuildingPrefix = "building/";
/// Batches at least this long are projected by several threads (ProjectionRunnerOptions).
constexpr std::size_t kParallelBatch = 256;

/// The options of every read model's column family (also of the SST files a bulk load writes).
rocksdb::ColumnFamilyOptions cf_options() { return rocksdb::ColumnFamilyOptions(); }

/// Writes `batch` with the WAL and an fsync: what a bulk load's marker and final checkpoints,
/// unlike the rows of the live path, must survive a crash with.
rocksdb::Status write_synced(rocksdb::DB& db, rocksdb::WriteBatch& batch) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return db.Write(wo, &batch);
}

/// `name.vN` -> `name`; other names unchanged.
std::string base_name(const std::string& name) {
    auto dot = name.rfind(".v");
    return dot == std::string::npos ? name : name.substr(0, dot);
}

/// A projector's pending writes: the last value of each key written (or its erasure), found by
/// a hash index so that a projector reads its own earlier writes; `flush` adds them to a
/// WriteBatch in key order, `spill` writes them as one sorted SST file and ingests it (sorted
/// once at the end, or not at all when the keys came in order, as the audit trail's do). Sorted,
/// the memtable inserts of one family follow each other in the skiplist (RocksDB reuses the
/// insert position) instead of jumping between the rows a projector writes per event. A live
/// batch's writes live for one batch; a model built from empty keeps them across batches until
/// `spill` (bulk load).
class BatchWrites final : public ProjectionWrites {
  public:
    BatchWrites(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf) : db_(db), cf_(cf) {}
    std::optional<std::string> get(std::string_view key) override {
        if (auto it = index_.find(key); it != index_.end()) return entries_[it->second].value;
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

    /// Adds the writes to `batch`, in key order, and forgets them.
    void flush(rocksdb::WriteBatch& batch) {
        for (const auto* e : in_key_order()) {
            if (e->value) {
                batch.Put(cf_, e->key, *e->value);
            } else {
                batch.Delete(cf_, e->key);
            }
        }
        clear();
    }

    /// Writes the writes, in key order, as the SST file `file` and ingests it into the family
    /// (the file moves into the database), then forgets them. Nothing to write: nothing done.
    rocksdb::Status spill(const std::filesystem::path& file, const rocksdb::Options& options) {
        if (entries_.empty()) return rocksdb::Status::OK();
        rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, cf_);
        auto s = writer.Open(file.string());
        for (const auto* e : in_key_order()) {
            if (!s.ok()) break;
            s = e->value ? writer.Put(e->key, *e->value) : writer.Delete(e->key);
        }
        if (s.ok()) s = writer.Finish();
        if (s.ok()) {
            rocksdb::IngestExternalFileOptions ingest;
            ingest.move_files = true;
            s = db_->IngestExternalFile(cf_, {file.string()}, ingest);
        }
        std::error_code ec;
        std::filesystem::remove(file, ec);  // moved on success; a leftover on failure
        if (s.ok()) clear();
        return s;
    }

    /// Bytes held (keys and values, plus a node's overhead each): when to spill.
    std::size_t bytes() const { return bytes_; }
    void clear() {
        index_.clear();
        entries_.clear();
        in_order_ = true;
        bytes_ = 0;
    }

  private:
    struct Entry {
        std::string key;
        std::optional<std::string> value;  ///< nullopt: erased.
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    void set(std::string_view key, std::optional<std::string> value) {
        bytes_ += (value ? value->size() : 0) + key.size() + 64;
        if (auto it = index_.find(key); it != index_.end()) {
            entries_[it->second].value = std::move(value);
            return;
        }
        if (!entries_.empty() && key <= std::string_view(entries_.back().key)) in_order_ = false;
        entries_.push_back(Entry{std::string(key), std::move(value)});
        // A deque never moves its elements: the view of the key stays valid.
        index_.emplace(std::string_view(entries_.back().key), entries_.size() - 1);
    }

    /// The entries sorted by key (as they are when the keys were written in order).
    std::vector<const Entry*> in_key_order() const {
        std::vector<const Entry*> out;
        out.reserve(entries_.size());
        for (const auto& e : entries_) out.push_back(&e);
        if (!in_order_) {
            std::sort(out.begin(), out.end(),
                      [](const Entry* a, const Entry* b) { return a->key < b->key; });
        }
        return out;
    }

    rocksdb::DB* db_;
    rocksdb::ColumnFamilyHandle* cf_;
    std::deque<Entry> entries_;  ///< In the order first written.
    std::unordered_map<std::string_view, std::size_t, Hash, std::equal_to<>> index_;
    bool in_order_ = true;  ///< Every key so far was greater than the one before.
    std::size_t bytes_ = 0;
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
    /// What the model's rows hold (guarded by Runner::mu_); queries and waits go by it.
    events::Checkpoint checkpoint;
    /// How far projection has gone: the checkpoint, or past it while `bulk` holds the rows
    /// projected since the last spill (apply's thread only).
    events::Checkpoint projected;
    /// The pending rows of a model being built from empty (bulk load); null otherwise.
    std::unique_ptr<BatchWrites> bulk;
    /// The durable marker saying this model is half built is written (apply's thread only).
    bool marked = false;
};

class Runner final : public ProjectionRunner {
  public:
    Runner(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
           std::vector<Slot> slots, const ProjectionRunnerOptions& options,
           std::filesystem::path spill_dir)
        : db_(std::move(db)),
          handles_(std::move(handles)),
          slots_(std::move(slots)),
          read_only_(options.read_only),
          threads_(options.threads > 0
                       ? static_cast<std::size_t>(options.threads)
                       : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8)),
          spill_dir_(std::move(spill_dir)),
          spill_bytes_(std::max<std::size_t>(options.bulk_spill_bytes, 1)) {
        for (auto& slot : slots_) {
            slot.projected = slot.checkpoint;
            // A model with no checkpoint is empty (new, bumped or emptied at open): bulk load.
            if (options.bulk_load && !read_only_ && slot.checkpoint.entries().empty())
                slot.bulk = std::make_unique<BatchWrites>(db_.get(), slot.cf);
        }
    }

    ~Runner() override {
        stop();
        if (!read_only_) {
            if (auto r = finish_bulk(); !r)
                spdlog::error("projection: finishing a bulk load: {}", r.error().message);
            rocksdb::FlushOptions fo;
            db_->Flush(fo, handles_);  // the models are written without WAL
        }
        for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
        db_->Close();
    }

    void start(events::EventStore& store) override {
        // Models to build from empty are bulk loaded up to the head here, before the
        // subscription (a bulk load finishes when projection has caught up, which a
        // subscription that stops receiving events would never tell it).
        if (std::any_of(slots_.begin(), slots_.end(),
                        [](const Slot& s) { return s.bulk != nullptr; })) {
            // On success catch_up has finished the bulk loads; after an error the models are
            // finished where they stand and the subscription meets the error again.
            if (auto r = catch_up(store, std::nullopt); !r) {
                spdlog::error("projection: {}: {}", r.error().field, r.error().message);
                if (auto f = finish_bulk(); !f)
                    spdlog::error("projection: finishing a bulk load: {}", f.error().message);
            }
        }
        subscription_ =
            store.subscribe(low_projected(), [this](std::span<const events::RecordedEvent> batch) {
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
            auto low = low_projected();
            if (low.covers(target)) return finish_bulk();
            auto batch = SY_TRY(store.read_all(low, 4096));
            std::vector<events::RecordedEvent> wanted;
            for (auto& e : batch) {
                if (e.position.offset <
                    target.next_offset(e.position.topic, e.position.partition)) {
                    wanted.push_back(std::move(e));
                }
            }
            if (wanted.empty()) return finish_bulk();
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
    events::Checkpoint low_watermark_locked() const { return lowest(&Slot::checkpoint); }

    /// The lowest of one checkpoint field over all models.
    events::Checkpoint lowest(events::Checkpoint Slot::*field) const {
        if (slots_.empty()) return {};
        events::Checkpoint low = slots_.front().*field;
        for (std::size_t i = 1; i < slots_.size(); ++i)
            low = events::Checkpoint::min(low, slots_[i].*field);
        return low;
    }

    /// The lowest point projection has reached over all models (apply's thread): where the
    /// next batch starts. At or past low_watermark() (a bulk load runs ahead of its rows).
    events::Checkpoint low_projected() const { return lowest(&Slot::projected); }

    /// Writes a bulk-loaded model's pending rows as an SST file and ingests it; before the
    /// first, makes the durable marker that the model is half built (so a crash before
    /// finish_bulk empties it at the next open instead of leaving rows ahead of a checkpoint).
    /// Called by the worker that holds the slot.
    core::Result<void> spill(Slot& slot) {
        if (slot.bulk->bytes() == 0) return {};
        if (!slot.marked) {
            rocksdb::WriteBatch marker;
            marker.Put(handles_[0], kBuildingPrefix + slot.name, "");
            if (auto s = write_synced(*db_, marker); !s.ok())
                return core::fail(Errc::Internal, "projection", s.ToString());
            slot.marked = true;
        }
        const auto file = spill_dir_ / fmt::format("{}.sst", ++spills_);
        auto s = slot.bulk->spill(file, rocksdb::Options(rocksdb::DBOptions(), cf_options()));
        if (!s.ok()) {
            return core::fail(
                Errc::Internal, "projection",
                fmt::format("{}: ingesting {}: {}", slot.name, file.string(), s.ToString()));
        }
        return {};
    }

    /// Ends every bulk load: spills the pending rows, then writes each model's checkpoint and
    /// removes its marker in one synced write, and lets queries see the checkpoints. From then
    /// on the models take the live path. Apply's thread, or the destructor after stop().
    core::Result<void> finish_bulk() {
        rocksdb::WriteBatch wb;
        bool any = false;
        for (auto& slot : slots_) {
            if (!slot.bulk) continue;
            SY_TRY(spill(slot));
            wb.Put(handles_[0], kCheckpointPrefix + slot.name, slot.projected.to_string());
            if (slot.marked) wb.Delete(handles_[0], kBuildingPrefix + slot.name);
            any = true;
        }
        if (!any) return {};
        if (auto s = write_synced(*db_, wb); !s.ok())
            return core::fail(Errc::Internal, "projection", s.ToString());
        {
            std::lock_guard lock(mu_);
            for (auto& slot : slots_) {
                if (!slot.bulk) continue;
                slot.checkpoint = slot.projected;
                slot.bulk.reset();
                slot.marked = false;
            }
        }
        cv_.notify_all();
        wake_notifies();
        return {};
    }

    core::Result<void> apply(std::span<const events::RecordedEvent> batch) {
        if (read_only_) return core::fail(Errc::Unavailable, "projection", "read-only");
        // A short batch means projection has caught up with the log: bulk loads end here.
        if (batch.size() < kParallelBatch) SY_TRY(finish_bulk());
        std::vector<events::Checkpoint> next;
        for (const auto& s : slots_) next.push_back(s.projected);
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

        // A worker takes whole models. A live model's rows and checkpoint go into the worker's
        // WriteBatch, written once at the end, always together, so each model stays at its
        // checkpoint. A model in bulk load keeps its rows pending and spills them as an SST file
        // when they pass the budget; its checkpoint moves when they are ingested. After an
        // error the models written still move and the others stay where they were (a bulk load
        // back at its last spill).
        enum : char { kStayed, kWritten, kProjected, kSpilled, kReset };
        std::atomic<std::size_t> next_slot{0};
        std::atomic<bool> halt{false};
        std::vector<char> outcome(slots_.size(), kStayed);
        std::mutex error_mu;
        std::optional<core::Error> error;
        auto fail_with = [&](core::Error e) {
            std::lock_guard lock(error_mu);
            if (!error) error = std::move(e);
            halt = true;
        };
        auto worker = [&] {
            rocksdb::WriteBatch wb;
            std::vector<std::size_t> mine;
            while (!halt.load(std::memory_order_relaxed)) {
                const auto n = next_slot.fetch_add(1);
                if (n >= order.size()) break;
                const auto i = order[n];
                auto& slot = slots_[i];
                BatchWrites live(db_.get(), slot.cf);
                BatchWrites& writes = slot.bulk ? *slot.bulk : live;
                bool moved = false, failed = false;
                for (std::size_t k = 0; k < batch.size(); ++k) {
                    const auto& e = batch[k];
                    if (!reads_all[i] && next[i].covers(e.position)) continue;
                    moved = true;
                    if (!(*masks[k])[i]) continue;
                    if (auto r = slot.projector->project(e, writes); !r) {
                        fail_with(core::Error{
                            r.error().code, slot.name + "." + r.error().field,
                            fmt::format("event {} at {}:{}: {}", e.id, e.position.partition,
                                        e.position.offset, r.error().message)});
                        failed = true;
                        break;
                    }
                }
                if (failed) {
                    // A bulk load's pending rows now hold part of this batch: drop them and
                    // go back to the last spill, which the ingested rows and checkpoint match.
                    if (slot.bulk) {
                        slot.bulk->clear();
                        outcome[i] = kReset;
                    }
                    continue;
                }
                if (!moved) continue;
                for (const auto& [key, end] : ends.entries()) next[i].set_next(key, end);
                if (slot.bulk) {
                    outcome[i] = kProjected;
                    if (slot.bulk->bytes() < spill_bytes_) continue;
                    if (auto r = spill(slot); !r) {
                        fail_with(r.error());
                        slot.bulk->clear();
                        outcome[i] = kReset;
                        continue;
                    }
                    outcome[i] = kSpilled;
                    continue;
                }
                writes.flush(wb);
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
                fail_with(core::Error{Errc::Internal, "projection", st.ToString()});
                return;
            }
            for (auto i : mine) outcome[i] = kWritten;
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
                auto& slot = slots_[i];
                switch (outcome[i]) {
                    case kWritten:
                    case kSpilled:
                        slot.checkpoint = slot.projected = next[i];
                        break;
                    case kProjected:
                        slot.projected = next[i];
                        break;
                    case kReset:
                        slot.projected = slot.checkpoint;
                        break;
                    default:
                        break;
                }
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
    std::filesystem::path spill_dir_;       ///< Where a bulk load writes its SST files.
    std::size_t spill_bytes_;               ///< ProjectionRunnerOptions::bulk_spill_bytes.
    std::atomic<std::uint64_t> spills_{0};  ///< Names the SST files.
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
    for (const auto& n : open_names) descriptors.emplace_back(n, cf_options());
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
            const auto idx = static_cast<std::size_t>(it - open_names.begin());
            slot.cf = handles[idx];
            std::string text;
            if (db->Get(rocksdb::ReadOptions(), handles[0], kCheckpointPrefix + slot.name, &text)
                    .ok()) {
                auto c = events::Checkpoint::parse(text);
                if (!c) return core::fail(Errc::Internal, "checkpoint", c.error().message);
                slot.checkpoint = *c;
            }
            if (db->Get(rocksdb::ReadOptions(), handles[0], kBuildingPrefix + slot.name, &text)
                    .ok()) {
                // A bulk load ingested rows and stopped before it finished (a crash): the rows
                // are ahead of any checkpoint. Empty the model; it builds again from the start.
                if (options.read_only) {
                    return core::fail(
                        Errc::Unavailable, "projection",
                        fmt::format("{} in {} was being built when its server stopped; start "
                                    "the server to build it",
                                    slot.name, dir.string()));
                }
                spdlog::warn("projection {}: a bulk load did not finish; building it again",
                             slot.name);
                rocksdb::ColumnFamilyHandle* emptied = nullptr;
                auto st = db->DropColumnFamily(slot.cf);
                if (st.ok()) st = db->DestroyColumnFamilyHandle(slot.cf);
                if (st.ok()) st = db->CreateColumnFamily(cf_options(), slot.name, &emptied);
                rocksdb::WriteBatch wb;
                wb.Delete(handles[0], kCheckpointPrefix + slot.name);
                wb.Delete(handles[0], kBuildingPrefix + slot.name);
                if (st.ok()) st = write_synced(*db, wb);
                if (!st.ok()) {
                    return core::fail(Errc::Unavailable, "data_dir",
                                      fmt::format("cannot empty {} in {}: {}", slot.name,
                                                  dir.string(), st.ToString()));
                }
                handles[idx] = emptied;
                slot.cf = emptied;
                slot.checkpoint = {};
            }
        }
        if (!slot.cf)
            return core::fail(Errc::NotFound, "projection",
                              fmt::format("{} has not been built in {}", slot.name, dir.string()));
        slot.view = std::make_unique<CfView>(db.get(), slot.cf);
        slots.push_back(std::move(slot));
    }
    // A bulk load's SST files are written here and moved into the database when ingested;
    // what a crash left behind is removed.
    const auto spill_dir = dir / "bulk";
    if (!options.read_only) {
        std::filesystem::remove_all(spill_dir, ec);
        std::filesystem::create_directories(spill_dir, ec);
    }
    return std::unique_ptr<ProjectionRunner>(
        new Runner(std::move(db), std::move(handles), std::move(slots), options, spill_dir));
}

}  // namespace switchyard::projections
