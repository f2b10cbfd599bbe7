#pragma once
/// What the timeshift routes read: the archived segments of a stream. The API may not include
/// adapters/, so this is the interface; the IPTV module implements it over
/// adapters::ffmpeg::ArchiveRecorder (app/modules/iptv_archive.hpp).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/time.hpp"

namespace switchyard::api {

/// One archived MPEG-TS segment.
struct ArchivedSegment {
    core::Timestamp start;  ///< UTC.
    std::filesystem::path file;
    std::uint64_t size_bytes = 0;
};

/// The archive of every stream. @thread safe (implementations).
class StreamArchive {
  public:
    virtual ~StreamArchive() = default;
    /// The complete segments of `stream_id` in time order (none without an archive).
    virtual std::vector<ArchivedSegment> segments(std::int64_t stream_id) const = 0;
    /// The length of one segment.
    virtual std::chrono::seconds segment_length() const = 0;
};

}  // namespace switchyard::api
