#include "app/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <sodium.h>

namespace switchyard::app {

using core::Errc;

core::Result<void> secure_data_dir(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    ::umask(077);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return core::fail(Errc::Unavailable, "data_dir",
                          fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    auto check_dir = [](const fs::path& d) -> core::Result<void> {
        struct stat st {};
        if (::lstat(d.c_str(), &st) != 0)
            return core::fail(Errc::Unavailable, "data_dir",
                              fmt::format("cannot read {}", d.string()));
        if (st.st_uid != ::geteuid())
            return core::fail(Errc::Unavailable, "data_dir",
                              fmt::format("{} is owned by user {}, not by this user ({}): refusing "
                                          "to use it",
                                          d.string(), st.st_uid, ::geteuid()));
        if (st.st_mode & (S_IWGRP | S_IWOTH))
            return core::fail(Errc::Unavailable, "data_dir",
                              fmt::format("{} is writable by other users (mode {:o}): refusing to "
                                          "use it; check its contents, then chmod 700 it",
                                          d.string(), st.st_mode & 07777));
        return {};
    };
    SY_TRY(check_dir(dir));
    std::vector<fs::path> dirs{dir};
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_symlink(ec)) continue;
        if (it->is_directory(ec)) {
            SY_TRY(check_dir(it->path()));
            dirs.push_back(it->path());
        } else if (it->is_regular_file(ec)) {
            files.push_back(it->path());
        }
    }
    if (ec)
        return core::fail(Errc::Unavailable, "data_dir",
                          fmt::format("cannot list {}: {}", dir.string(), ec.message()));
    for (const auto& [paths, mode] :
         {std::pair{&dirs, mode_t{0700}}, std::pair{&files, mode_t{0600}}}) {
        for (const auto& p : *paths) {
            struct stat st {};
            if (::lstat(p.c_str(), &st) != 0 || (st.st_mode & 07777) == mode) continue;
            if (::chmod(p.c_str(), mode) != 0)
                return core::fail(
                    Errc::Unavailable, "data_dir",
                    fmt::format("cannot make {} private (mode {:o})", p.string(), mode));
        }
    }
    return {};
}

core::Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::fail(Errc::Unavailable, "file", fmt::format("cannot read {}", path.string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

core::Result<void> write_private_file(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return core::fail(Errc::Unavailable, "file", fmt::format("cannot write {}", tmp));
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        return core::fail(Errc::Unavailable, "file", fmt::format("cannot write {}", path.string()));
    }
    ::chmod(path.c_str(), 0600);
    return {};
}

core::Result<std::string> load_or_create_secret(const std::filesystem::path& path,
                                                std::size_t size) {
    if (std::filesystem::exists(path)) {
        auto text = SY_TRY(read_file(path));
        if (text.size() != size)
            return core::fail(Errc::Internal, "secret",
                              fmt::format("{} has the wrong size", path.string()));
        return text;
    }
    if (sodium_init() < 0)
        return core::fail(Errc::Internal, "sodium", "libsodium failed to initialise");
    std::string secret(size, '\0');
    randombytes_buf(secret.data(), size);
    SY_TRY(write_private_file(path, secret));
    return secret;
}

}  // namespace switchyard::app
