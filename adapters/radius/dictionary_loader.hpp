#pragma once
/// Reads a FreeRADIUS dictionary tree from disk into a core::radius::Dictionary.

#include <string>

#include "core/radius/dictionary.hpp"
#include "core/result.hpp"

namespace switchyard::adapters::radius {

/// Where Debian `freeradius-common` installs the dictionary index.
inline constexpr const char* kDefaultDictionary = "/usr/share/freeradius/dictionary";

/// A DictionaryLoader that reads `$INCLUDE`d files from disk: a relative name is resolved
/// against the directory of the including file, an absolute one is taken as is; the returned
/// source is named by its canonical path (so an include loop is seen whatever the spelling).
/// @errors Errc::NotFound when the file does not exist; Errc::Internal when it cannot be read;
///   Errc::Invalid when it is larger than 16 MiB.
core::radius::DictionaryLoader file_dictionary_loader();

/// Reads the file at `path` as a DictionarySource (named by its canonical path).
/// @errors as file_dictionary_loader.
core::Result<core::radius::DictionarySource> read_dictionary_file(const std::string& path);

/// Loads `path` (default kDefaultDictionary) and every file it includes into a new Dictionary.
/// @errors those of read_dictionary_file and of Dictionary::add (file, line, reason).
core::Result<core::radius::Dictionary> load_dictionary(
    const std::string& path = kDefaultDictionary);

}  // namespace switchyard::adapters::radius
