#include "projections/projector_kit.hpp"

namespace switchyard::projections {

namespace {

class FunctionProjector final : public Projector {
  public:
    FunctionProjector(std::string name, ProjectFn project, AcceptsFn accepts)
        : name_(std::move(name)), project_(std::move(project)), accepts_(accepts) {}
    std::string name() const override { return name_; }
    core::Result<void> project(const events::RecordedEvent& event,
                               ProjectionWrites& writes) override {
        return project_(event, writes);
    }
    bool accepts(std::string_view type) const override {
        return accepts_ == nullptr || accepts_(type);
    }

  private:
    std::string name_;
    ProjectFn project_;
    AcceptsFn accepts_;
};

}  // namespace

std::unique_ptr<Projector> make_projector(std::string name, ProjectFn project, AcceptsFn accepts) {
    return std::make_unique<FunctionProjector>(std::move(name), std::move(project), accepts);
}

}  // namespace switchyard::projections
