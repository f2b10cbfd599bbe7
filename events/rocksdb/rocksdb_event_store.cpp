#include "events/rocksdb/rocksdb_event_store.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "core/bytes.hpp"
#include "events/append_planner.hpp"
#include "events/envelope_codec.hpp"
#include "events/group_commit.hpp"

namespace switchyard::events {

using core::Errc;

namespace {

using core::be64;
using core::from_be64;

std::string stream_key(const std::string& stream, std::int64_t revision) {
    std::string k = stream;
    k += '\0';
    k += be64(static_cast<std::uint64_t>(revision));
    return k;
}

core::Error storage_error(const rocksdb::Status& s, const char* what) {
    return core::Error{Errc::Internal, "log", fmt::format("{}: {}", what, s.ToString())};
}

class RocksDbEventStore final : public EventStore {
  public:
    RocksDbEventStore(std::unique_ptr<rocksdb::DB> db,
                      std::vector<rocksdb::ColumnFamilyHandle*> cfs,
                      RocksDbEventStoreOptions options)
        : db_(std::move(db)), cfs_(std::move(cfs)), options_(options) {
        log_cf_ = cfs_[1];
        streams_cf_ = cfs_[2];
        ids_cf_ = cfs_[3];
        next_offset_ = last_offset() + 1;
        if (!read_only()) {
            queue_ = std::make_unique<GroupCommitQueue>(
                options_.max_group_events,
                [this](GroupCommitQueue::Group& group) { return commit_group(group); });
        }
    }

    ~RocksDbEventStore() override {
        queue_.reset();
        for (auto* cf : cfs_) db_->DestroyColumnFamilyHandle(cf);
        db_->Close();
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
        std::vector<RecordedEvent> out;
        const auto first = stream_key(stream, std::max<std::int64_t>(from_revision, 0));
        // A stream's revisions run from 0 without gaps: when the first one asked for is absent,
        // so is every later one, and a point lookup answers what an iterator would (a loaded
        // aggregate asks for what was appended since, which is mostly nothing).
        std::string first_offset;
        if (auto s = db_->Get(rocksdb::ReadOptions(), streams_cf_, first, &first_offset);
            s.IsNotFound())
            return out;
        else if (!s.ok())
            return core::fail(storage_error(s, "read_stream"));
        const std::string prefix = stream + '\0';
        std::unique_ptr<rocksdb::Iterator> it(
            db_->NewIterator(rocksdb::ReadOptions(), streams_cf_));
        std::vector<std::string> offsets;
        for (it->Seek(first); it->Valid() && it->key().starts_with(prefix) && offsets.size() < max;
             it->Next()) {
            offsets.push_back(it->value().ToString());
        }
        if (!it->status().ok()) return core::fail(storage_error(it->status(), "read_stream"));
        out.reserve(offsets.size());
        std::string value;
        for (const auto& key : offsets) {
            auto s = db_->Get(rocksdb::ReadOptions(), log_cf_, key, &value);
            if (!s.ok()) return core::fail(storage_error(s, "read_stream"));
            out.push_back(SY_TRY(decode_envelope(value)));
        }
        return out;
    }

    core::Result<std::vector<RecordedEvent>> read_all(const Checkpoint& from,
                                                      std::size_t max) override {
        std::vector<RecordedEvent> out;
        follow_primary();
        const std::int64_t end = next_offset_.load();
        std::int64_t offset = from.next_offset(0);
        if (offset >= end) return out;
        std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
        for (it->Seek(be64(static_cast<std::uint64_t>(offset))); it->Valid() && out.size() < max;
             it->Next()) {
            if (static_cast<std::int64_t>(from_be64(it->key().ToStringView())) >= end) break;
            out.push_back(SY_TRY(decode_envelope(it->value().ToStringView())));
        }
        if (!it->status().ok()) return core::fail(storage_error(it->status(), "read_all"));
        return out;
    }

    Checkpoint head() const override {
        const_cast<RocksDbEventStore*>(this)->follow_primary();
        Checkpoint c(1);
        const auto next = next_offset_.load();
        if (next > 0) c.advance(Position{0, next - 1});
        return c;
    }

    bool wait_for_events(const Checkpoint& from, std::chrono::milliseconds timeout) override {
        if (!options_.secondary_dir.empty()) {
            // A secondary learns of new events only by asking: poll.
            const auto deadline = std::chrono::steady_clock::now() + timeout;
            for (;;) {
                follow_primary();
                if (next_offset_.load() > from.next_offset(0)) return true;
                if (std::chrono::steady_clock::now() >= deadline) return false;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        std::unique_lock lock(commit_mu_);
        return commit_cv_.wait_for(lock, timeout,
                                   [&] { return next_offset_.load() > from.next_offset(0); });
    }

  private:
    bool read_only() const { return options_.read_only || !options_.secondary_dir.empty(); }

    std::int64_t last_offset() {
        std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
        it->SeekToLast();
        return it->Valid() ? static_cast<std::int64_t>(from_be64(it->key().ToStringView())) : -1;
    }

    /// For a secondary instance: replays what the primary wrote since the last call.
    void follow_primary() {
        if (options_.secondary_dir.empty()) return;
        std::lock_guard lock(follow_mu_);
        if (auto st = db_->TryCatchUpWithPrimary(); !st.ok()) return;
        next_offset_ = last_offset() + 1;
    }

    core::Result<std::int64_t> committed_revision(const std::string& stream) {
        if (auto it = heads_.find(stream); it != heads_.end()) return it->second;
        std::unique_ptr<rocksdb::Iterator> it(
            db_->NewIterator(rocksdb::ReadOptions(), streams_cf_));
        it->SeekForPrev(stream_key(stream, -1));  // BE64(-1) = all 0xff: the last revision.
        if (!it->status().ok()) return core::fail(storage_error(it->status(), "stream head"));
        std::int64_t rev = -1;
        const std::string prefix = stream + '\0';
        if (it->Valid() && it->key().starts_with(prefix) && it->key().size() == prefix.size() + 8) {
            rev = static_cast<std::int64_t>(
                from_be64(it->key().ToStringView().substr(prefix.size())));
        }
        heads_.emplace(stream, rev);
        return rev;
    }

    core::Result<std::optional<StoredEvent>> committed_event(const std::string& id) {
        std::string offset, value;
        auto s = db_->Get(rocksdb::ReadOptions(), ids_cf_, id, &offset);
        if (s.IsNotFound()) return std::optional<StoredEvent>();
        if (!s.ok()) return core::fail(storage_error(s, "event id lookup"));
        s = db_->Get(rocksdb::ReadOptions(), log_cf_, offset, &value);
        if (!s.ok()) return core::fail(storage_error(s, "event id lookup"));
        auto e = SY_TRY(decode_envelope(value));
        return std::optional<StoredEvent>(
            StoredEvent{std::move(e.stream), e.revision, std::move(e.position)});
    }

    std::vector<core::Result<AppendResult>> commit_group(GroupCommitQueue::Group& group) {
        pending_heads_.clear();
        pending_ids_.clear();
        std::int64_t next = next_offset_.load();
        rocksdb::WriteBatch batch;
        std::vector<core::Result<AppendResult>> results;
        results.reserve(group.size());
        for (auto& request : group) {
            // Plan against committed state plus what this group already planned; the request's
            // own assignments only reach the overlay when its plan succeeds.
            std::int64_t request_next = next;
            AppendLookups lookups{
                [&](const std::string& stream) -> core::Result<std::int64_t> {
                    if (auto it = pending_heads_.find(stream); it != pending_heads_.end())
                        return it->second;
                    return committed_revision(stream);
                },
                [&](const std::string& id) -> core::Result<std::optional<StoredEvent>> {
                    if (auto it = pending_ids_.find(id); it != pending_ids_.end()) {
                        return std::optional<StoredEvent>(it->second);
                    }
                    return committed_event(id);
                },
                [&](const std::string&) {
                    return Position{0, request_next++};
                },
            };
            auto plan = plan_validated_append(request->writes, lookups);
            if (!plan) {
                results.emplace_back(tl::unexpected(plan.error()));
                continue;
            }
            for (const auto& r : plan->records) {
                const auto& w = request->writes[r.write];
                const auto& parts = request->parts[r.write][r.event];
                const auto key = be64(static_cast<std::uint64_t>(r.position.offset));
                middle_.clear();
                append_envelope_middle(middle_, r.revision, &r.position);
                const rocksdb::Slice key_slice(key);
                const rocksdb::Slice value[3] = {
                    rocksdb::Slice(parts.head().data(), parts.head().size()),
                    rocksdb::Slice(middle_),
                    rocksdb::Slice(parts.tail().data(), parts.tail().size())};
                batch.Put(log_cf_, rocksdb::SliceParts(&key_slice, 1),
                          rocksdb::SliceParts(value, 3));
                batch.Put(streams_cf_, stream_key(w.stream, r.revision), key);
                const auto& id = w.events[r.event].id;
                batch.Put(ids_cf_, id, key);
                pending_heads_[w.stream] = r.revision;
                pending_ids_.emplace(id, StoredEvent{w.stream, r.revision, r.position});
            }
            next = request_next;
            results.emplace_back(std::move(plan->result));
        }
        if (batch.Count() > 0) {
            rocksdb::WriteOptions wo;
            wo.sync = options_.sync;
            auto s = db_->Write(wo, &batch);
            if (!s.ok()) {
                auto error = storage_error(s, "append");
                for (auto& r : results) {
                    if (r) r = tl::unexpected(error);
                }
                next = next_offset_.load();
                pending_heads_.clear();
            }
        }
        for (auto& [stream, rev] : pending_heads_) heads_[stream] = rev;
        {
            std::lock_guard lock(commit_mu_);
            next_offset_ = next;
        }
        commit_cv_.notify_all();
        return results;
    }

    std::unique_ptr<rocksdb::DB> db_;
    std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
    rocksdb::ColumnFamilyHandle* log_cf_ = nullptr;
    rocksdb::ColumnFamilyHandle* streams_cf_ = nullptr;
    rocksdb::ColumnFamilyHandle* ids_cf_ = nullptr;
    RocksDbEventStoreOptions options_;

    std::atomic<std::int64_t> next_offset_{0};
    std::unordered_map<std::string, std::int64_t> heads_;  // writer thread only
    // The group being planned (writer thread only; kept to reuse their buckets).
    std::unordered_map<std::string, std::int64_t> pending_heads_;
    std::unordered_map<std::string, StoredEvent> pending_ids_;
    std::string middle_;  // one event's revision and position, reused (Put copies it)

    std::unique_ptr<GroupCommitQueue> queue_;  // null when read-only

    std::mutex commit_mu_;
    std::condition_variable commit_cv_;
    std::mutex follow_mu_;
};

}  // namespace

core::Result<std::unique_ptr<EventStore>> open_rocksdb_event_store(
    const std::filesystem::path& dir, const RocksDbEventStoreOptions& options) {
    std::error_code ec;
    const bool writable = !options.read_only && options.secondary_dir.empty();
    if (writable) std::filesystem::create_directories(dir, ec);
    if (ec)
        return core::fail(Errc::Unavailable, "data_dir",
                          fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    rocksdb::DBOptions db_options;
    db_options.create_if_missing = writable;
    db_options.create_missing_column_families = writable;
    db_options.enable_pipelined_write = false;
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.OptimizeLevelStyleCompaction();
    // Every append looks up each new event id, and almost all lookups miss: bloom filters in
    // the memtable and the table files answer a miss without a search.
    rocksdb::ColumnFamilyOptions ids_options = cf_options;
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    ids_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    ids_options.memtable_prefix_bloom_size_ratio = 0.1;
    ids_options.memtable_whole_key_filtering = true;
    // Ids are only ever looked up whole (Get), never iterated: a hash memtable (the whole id,
    // at most 64 bytes, hashed to a short list) inserts without a skiplist's comparisons of
    // random-looking ids. The memtable's kind is not stored in the files: old logs open as is.
    ids_options.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(64));
    ids_options.memtable_factory.reset(rocksdb::NewHashLinkListRepFactory(1 << 18));
    db_options.allow_concurrent_memtable_write = false;  // hash memtables need it; one writer
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors{
        {rocksdb::kDefaultColumnFamilyName, cf_options},
        {"log", cf_options},
        {"streams", cf_options},
        {"event_ids", ids_options},
    };
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s;
    if (!options.secondary_dir.empty()) {
        db_options.max_open_files = -1;  // required by secondary instances
        std::filesystem::create_directories(options.secondary_dir, ec);
        s = rocksdb::DB::OpenAsSecondary(db_options, dir.string(), options.secondary_dir.string(),
                                         descriptors, &handles, &raw);
    } else if (options.read_only) {
        s = rocksdb::DB::OpenForReadOnly(db_options, dir.string(), descriptors, &handles, &raw);
    } else {
        s = rocksdb::DB::Open(db_options, dir.string(), descriptors, &handles, &raw);
    }
    if (!s.ok()) {
        return core::fail(s.IsCorruption() ? Errc::Internal : Errc::Unavailable, "data_dir",
                          fmt::format("cannot open the log in {}: {}", dir.string(), s.ToString()));
    }
    return std::unique_ptr<EventStore>(
        new RocksDbEventStore(std::unique_ptr<rocksdb::DB>(raw), std::move(handles), options));
}

}  // namespace switchyard::events
