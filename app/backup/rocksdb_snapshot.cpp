#include "app/backup/rocksdb_snapshot.hpp"

#include <unistd.h>

#include <memory>
#include <vector>

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include "app/backup/sha256.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
using core::Errc;

namespace {

core::Error unavailable(const std::string& message) {
    return core::Error{Errc::Unavailable, "data_dir", message};
}

/// An open database with its column family handles, closed in the right order.
struct OpenDb {
    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    OpenDb() = default;
    OpenDb(const OpenDb&) = delete;
    OpenDb& operator=(const OpenDb&) = delete;
    ~OpenDb() {
        if (!db) return;
        for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
        db->Close();
    }
};

enum class Mode { Primary, Secondary, ReadOnly };

core::Result<void> open_db(OpenDb& out, const fs::path& dir, Mode mode,
                           const fs::path& secondary_dir = {}) {
    rocksdb::DBOptions options;
    std::vector<std::string> names;
    auto s = rocksdb::DB::ListColumnFamilies(options, dir.string(), &names);
    if (!s.ok())
        return tl::unexpected(unavailable(
            fmt::format("cannot list the column families of {}: {}", dir.string(), s.ToString())));
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    if (mode == Mode::Secondary) {
        options.max_open_files = -1;  // required by secondary instances
        s = rocksdb::DB::OpenAsSecondary(options, dir.string(), secondary_dir.string(), descriptors,
                                         &out.handles, &raw);
    } else if (mode == Mode::ReadOnly) {
        s = rocksdb::DB::OpenForReadOnly(options, dir.string(), descriptors, &out.handles, &raw);
    } else {
        s = rocksdb::DB::Open(options, dir.string(), descriptors, &out.handles, &raw);
    }
    if (!s.ok())
        return tl::unexpected(
            unavailable(fmt::format("cannot open {}: {}", dir.string(), s.ToString())));
    out.db.reset(raw);
    return {};
}

/// Copies every column family of `from` key by key into a new database at `out`.
core::Result<void> copy_db(OpenDb& from, const fs::path& out) {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.error_if_exists = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (auto* h : from.handles)
        descriptors.emplace_back(h->GetName(), rocksdb::ColumnFamilyOptions());
    OpenDb to;
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(options, out.string(), descriptors, &to.handles, &raw);
    if (!s.ok())
        return tl::unexpected(
            unavailable(fmt::format("cannot create {}: {}", out.string(), s.ToString())));
    to.db.reset(raw);
    rocksdb::WriteOptions wo;
    wo.disableWAL = true;  // flushed below, before the copy counts as made
    for (std::size_t i = 0; i < from.handles.size(); ++i) {
        std::unique_ptr<rocksdb::Iterator> it(
            from.db->NewIterator(rocksdb::ReadOptions(), from.handles[i]));
        rocksdb::WriteBatch batch;
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
            batch.Put(to.handles[i], it->key(), it->value());
            if (batch.GetDataSize() >= (4u << 20)) {
                s = to.db->Write(wo, &batch);
                if (!s.ok()) break;
                batch.Clear();
            }
        }
        if (s.ok()) s = it->status();
        if (s.ok()) s = to.db->Write(wo, &batch);
        if (!s.ok())
            return tl::unexpected(
                unavailable(fmt::format("cannot copy {} of the database into {}: {}",
                                        from.handles[i]->GetName(), out.string(), s.ToString())));
    }
    s = to.db->Flush(rocksdb::FlushOptions(), to.handles);
    if (!s.ok())
        return tl::unexpected(
            unavailable(fmt::format("cannot flush {}: {}", out.string(), s.ToString())));
    return {};
}

}  // namespace

bool is_rocksdb_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "CURRENT", ec);
}

core::Result<void> snapshot_rocksdb(const fs::path& db, const fs::path& out) {
    {
        OpenDb primary;
        if (open_db(primary, db, Mode::Primary)) {
            rocksdb::Checkpoint* raw = nullptr;
            auto s = rocksdb::Checkpoint::Create(primary.db.get(), &raw);
            std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
            if (s.ok()) s = checkpoint->CreateCheckpoint(out.string(), 0);
            if (!s.ok())
                return tl::unexpected(
                    unavailable(fmt::format("cannot make a checkpoint of {} in {}: {}", db.string(),
                                            out.string(), s.ToString())));
            return {};
        }
    }
    // A server holds the database: follow it as a secondary instance and copy what it sees.
    std::error_code ec;
    const auto secondary =
        fs::temp_directory_path() /
        fmt::format("switchyard-backup-secondary-{}-{}", ::getpid(), db.filename().string());
    fs::remove_all(secondary, ec);
    fs::create_directories(secondary, ec);
    core::Result<void> copied;
    {
        OpenDb follower;
        copied = open_db(follower, db, Mode::Secondary, secondary);
        if (copied) {
            auto s = follower.db->TryCatchUpWithPrimary();
            if (!s.ok())
                copied = tl::unexpected(unavailable(fmt::format(
                    "cannot catch up with the server's {}: {}", db.string(), s.ToString())));
        }
        if (copied) copied = copy_db(follower, out);
    }
    fs::remove_all(secondary, ec);
    return copied;
}

core::Result<std::map<std::string, std::string>> rocksdb_digests(const fs::path& db) {
    OpenDb open;
    SY_TRY(open_db(open, db, Mode::ReadOnly));
    std::map<std::string, std::string> out;
    auto length = [](std::size_t n) {
        const char be[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                            static_cast<char>(n >> 8), static_cast<char>(n)};
        return std::string(be, 4);
    };
    for (auto* h : open.handles) {
        Sha256 sha;
        std::unique_ptr<rocksdb::Iterator> it(open.db->NewIterator(rocksdb::ReadOptions(), h));
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
            sha.update(length(it->key().size()));
            sha.update(std::string_view(it->key().data(), it->key().size()));
            sha.update(length(it->value().size()));
            sha.update(std::string_view(it->value().data(), it->value().size()));
        }
        if (!it->status().ok())
            return tl::unexpected(unavailable(fmt::format("cannot read {} of {}: {}", h->GetName(),
                                                          db.string(), it->status().ToString())));
        out[h->GetName()] = sha.hex();
    }
    return out;
}

}  // namespace switchyard::app
