#pragma once
/// A temporary directory removed when the object dies.

#include <filesystem>
#include <string>

namespace switchyard::testing {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// A fixed clock for tests; `advance` moves it.
}  // namespace switchyard::testing
