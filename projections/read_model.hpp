#pragma once
/// The read models Switchyard serves, by name.

#include <memory>
#include <string>
#include <vector>

#include "projections/projector.hpp"

namespace switchyard::projections {

/// One fresh projector of every read model, in a fixed order.
std::vector<std::unique_ptr<Projector>> all_projectors();

/// A fresh projector for `name` (`xtream_catalogue.v1`, or the base name `xtream_catalogue`);
/// null when unknown.
std::unique_ptr<Projector> make_projector(const std::string& name);

}  // namespace switchyard::projections
