#pragma once
/// A live synthetic source for FFmpeg tests: a test-owned `ffmpeg -re` testsrc (320x240 H.264 at
/// 25 fps with an AAC tone) written as HLS and served over HTTP on loopback by Python's
/// http.server (a free port, read from its log). Needs Debian `ffmpeg` and `python3`.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "adapters/process/child_process.hpp"
#include "adapters/process/process.hpp"
#include "core/time.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

namespace switchyard::testing {

/// True when ffmpeg and ffprobe run here.
inline bool have_ffmpeg() {
    return adapters::run_process({"ffmpeg", "-version"}, {}, 5000, 1 << 16).exit_code == 0 &&
           adapters::run_process({"ffprobe", "-version"}, {}, 5000, 1 << 16).exit_code == 0;
}

/// The whole content of a file ("" when unreadable).
inline std::string read_file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The current UTC time (microseconds).
inline core::Timestamp wall_now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
}

/// The source: `url` is its HLS playlist, live once the constructor returns.
struct SyntheticSource {
    TempDir dir;
    adapters::ChildProcess encoder, server;
    std::string url;

    explicit SyntheticSource(const std::string& size = "320x240") {
        namespace fs = std::filesystem;
        const auto hls = dir.path() / "src";
        fs::create_directories(hls);
        auto enc = adapters::ChildProcess::start({"ffmpeg",
                                                  "-hide_banner",
                                                  "-nostdin",
                                                  "-loglevel",
                                                  "error",
                                                  "-re",
                                                  "-f",
                                                  "lavfi",
                                                  "-i",
                                                  "testsrc=size=" + size + ":rate=25",
                                                  "-f",
                                                  "lavfi",
                                                  "-i",
                                                  "sine=frequency=440:sample_rate=48000",
                                                  "-c:v",
                                                  "libx264",
                                                  "-preset",
                                                  "ultrafast",
                                                  "-tune",
                                                  "zerolatency",
                                                  "-pix_fmt",
                                                  "yuv420p",
                                                  "-g",
                                                  "25",
                                                  "-c:a",
                                                  "aac",
                                                  "-f",
                                                  "hls",
                                                  "-hls_time",
                                                  "1",
                                                  "-hls_list_size",
                                                  "6",
                                                  "-hls_flags",
                                                  "delete_segments",
                                                  (hls / "index.m3u8").string()},
                                                 dir.path() / "encoder.log");
        REQUIRE(enc);
        encoder = std::move(*enc);
        auto srv =
            adapters::ChildProcess::start({"python3", "-u", "-m", "http.server", "0", "--bind",
                                           "127.0.0.1", "--directory", hls.string()},
                                          dir.path() / "server.log");
        REQUIRE(srv);
        server = std::move(*srv);
        std::smatch m;
        const std::regex port("port ([0-9]+)");
        REQUIRE(wait_until(
            [&] {
                const auto log = read_file_text(dir.path() / "server.log");
                if (!std::regex_search(log, m, port)) return false;
                url = "http://127.0.0.1:" + m[1].str() + "/index.m3u8";
                return true;
            },
            std::chrono::milliseconds(10'000)));
        REQUIRE(wait_until([&] { return fs::exists(hls / "index.m3u8"); },
                           std::chrono::milliseconds(15'000)));
    }
};

}  // namespace switchyard::testing
