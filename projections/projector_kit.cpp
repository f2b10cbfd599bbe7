#include "projections/projector_kit.hpp"

namespace switchyard::projections {

namespace {

class FunctionProjector final : public Projector {
  public:
    FunctionProjector(std::string name, ProjectFn project)
        : name_(std::move(name)), project_(std::move(project)) {}
    std::string name() const override { return name_; }
    core::Result<void> project(const events::RecordedEvent& event,
                               ProjectionWrites& writes) override {
        return project_(event, writes);
    }

  private:
    std::string name_;
    ProjectFn project_;
};

}  // namespace

std::unique_ptr<Projector> make_projector(std::string name, ProjectFn project) {
    return std::make_unique<FunctionProjector>(std::move(name), std::move(project));
}

}  // namespace switchyard::projections
