#include "adapters/hotspot/broadcast.hpp"

#include <exception>
#include <thread>

namespace switchyard::adapters::hotspot {

namespace {

/// Runs `run(i)` for each index, on threads or in turn; an exception becomes `on_throw(i, what)`.
template <class Run, class OnThrow>
void for_each_controller(std::size_t n, bool parallel, Run run, OnThrow on_throw) {
    const auto guarded = [&](std::size_t i) {
        try {
            run(i);
        } catch (const std::exception& e) {
            on_throw(i, e.what());
        } catch (...) {
            on_throw(i, "unknown exception");
        }
    };
    if (!parallel || n < 2) {
        for (std::size_t i = 0; i < n; ++i) guarded(i);
        return;
    }
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i) threads.emplace_back(guarded, i);
    for (auto& t : threads) t.join();
}

core::Error thrown(const char* what) {
    return core::Error{core::Errc::Internal, "controller",
                       std::string("the adapter threw: ") + what};
}

}  // namespace

std::vector<BroadcastResult> broadcast(
    const std::vector<Controller*>& controllers,
    const std::function<core::Result<void>(Controller&)>& operation, bool parallel) {
    std::vector<BroadcastResult> out(controllers.size());
    for (std::size_t i = 0; i < controllers.size(); ++i) {
        out[i].controller = controllers[i]->name();
        out[i].vendor = std::string(controllers[i]->vendor());
    }
    for_each_controller(
        controllers.size(), parallel,
        [&](std::size_t i) {
            if (auto r = operation(*controllers[i]); !r) out[i].error = r.error();
        },
        [&](std::size_t i, const char* what) { out[i].error = thrown(what); });
    return out;
}

std::vector<BroadcastResult> broadcast_create_user(const std::vector<Controller*>& controllers,
                                                   const HotspotUser& user, bool parallel) {
    return broadcast(
        controllers, [&](Controller& c) { return c.create_user(user); }, parallel);
}

std::vector<SyncResult> sync_all(const std::vector<Controller*>& controllers,
                                 const std::vector<HotspotUser>& desired, bool parallel) {
    std::vector<SyncResult> out(controllers.size());
    for (std::size_t i = 0; i < controllers.size(); ++i) {
        out[i].controller = controllers[i]->name();
        out[i].vendor = std::string(controllers[i]->vendor());
    }
    for_each_controller(
        controllers.size(), parallel,
        [&](std::size_t i) {
            if (auto r = controllers[i]->sync(desired); r) {
                out[i].report = std::move(*r);
            } else {
                out[i].error = r.error();
            }
        },
        [&](std::size_t i, const char* what) { out[i].error = thrown(what); });
    return out;
}

}  // namespace switchyard::adapters::hotspot
