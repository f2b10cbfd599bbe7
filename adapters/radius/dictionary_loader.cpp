#include "adapters/radius/dictionary_loader.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

namespace switchyard::adapters::radius {

namespace fs = std::filesystem;
using core::Errc;
using core::fail;
using core::radius::DictionarySource;

namespace {
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;
}

core::Result<DictionarySource> read_dictionary_file(const std::string& path) {
    std::error_code ec;
    const auto canonical = fs::canonical(path, ec);
    if (ec || !fs::is_regular_file(canonical, ec)) {
        return fail(Errc::NotFound, "dictionary", fmt::format("{}: no such file", path));
    }
    const auto size = fs::file_size(canonical, ec);
    if (ec) return fail(Errc::Internal, "dictionary", fmt::format("{}: {}", path, ec.message()));
    if (size > kMaxFileBytes) {
        return fail(Errc::Invalid, "dictionary",
                    fmt::format("{}: {} bytes, more than a dictionary file can be", path, size));
    }
    std::ifstream in(canonical, std::ios::binary);
    if (!in) return fail(Errc::Internal, "dictionary", fmt::format("{}: cannot be read", path));
    std::ostringstream text;
    text << in.rdbuf();
    return DictionarySource{canonical.string(), text.str()};
}

core::radius::DictionaryLoader file_dictionary_loader() {
    return [](std::string_view from, std::string_view include) {
        fs::path target(include);
        if (target.is_relative()) target = fs::path(from).parent_path() / target;
        return read_dictionary_file(target.string());
    };
}

core::Result<core::radius::Dictionary> load_dictionary(const std::string& path) {
    auto root = SY_TRY(read_dictionary_file(path));
    core::radius::Dictionary dictionary;
    SY_TRY(dictionary.add(root, file_dictionary_loader()));
    return dictionary;
}

}  // namespace switchyard::adapters::radius
