#include "app/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <sodium.h>

namespace switchyard::app {

using core::Errc;

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
