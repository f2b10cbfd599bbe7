#pragma once
/// What every decider suite shares (STYLE.md: every decider has an idempotency test): the
/// "given" of a given/when/then test, and the idempotency law, `check_idempotent`. A decision is
/// one of the shapes the deciders return: a list of events, or a struct with `events` (and
/// `allocations` per server, for the VPN customer), or the line's `line_events` and
/// `registry_events`; each may come inside a `Result`.

#include <doctest/doctest.h>

#include <utility>
#include <vector>

namespace switchyard::testing {

/// The state `events` leave behind: a default state folded with the module's `evolve` (found by
/// ADL). The "given" of a decider test.
template <class State, class Event>
State given(const std::vector<Event>& events) {
    State state{};
    for (const auto& e : events) evolve(state, e);
    return state;
}

/// The events of a decision: the decision itself when it is a list of events, else its `events`.
template <class Decision>
const auto& events_of(const Decision& d) {
    if constexpr (requires { d.events; }) {
        return d.events;
    } else {
        return d;
    }
}

/// True when a decision decides no event at all, in any of its lists.
template <class Decision>
bool decides_nothing(const Decision& d) {
    if constexpr (requires { d.line_events; }) {
        return d.line_events.empty() && d.registry_events.empty();
    } else if constexpr (requires { d.allocations; }) {
        for (const auto& [server, events] : d.allocations) {
            if (!events.empty()) return false;
        }
        return d.events.empty();
    } else {
        return events_of(d).empty();
    }
}

/// The decision inside a decider's answer; a refusal fails the test, naming its field.
template <class Answer>
auto decided(Answer answer) {
    if constexpr (requires { answer.has_value(); }) {
        REQUIRE_MESSAGE(answer.has_value(),
                        "refused: ", answer.has_value() ? "" : answer.error().field, " ",
                        answer.has_value() ? "" : answer.error().message);
        return std::move(*answer);
    } else {
        return answer;
    }
}

/// Folds the events of a decision into `state` (events_of; the lists `evolve` accepts for it).
template <class State, class Decision>
void apply_decision(State& state, const Decision& d) {
    auto fold = [&state](const auto& events) {
        if constexpr (requires { evolve(state, events.front()); }) {
            for (const auto& e : events) evolve(state, e);
        }
    };
    if constexpr (requires { d.line_events; }) {
        fold(d.line_events);
        fold(d.registry_events);
    } else {
        fold(events_of(d));
    }
}

/// What an idempotency check saw, for what a suite checks beyond it (the same id again).
template <class State, class Decision>
struct DecidedTwice {
    Decision first, second;
    State state;  ///< After the first decision's events.
};

/// The idempotency law of a decider: decided on `state`, the command decides something; once
/// its events are applied (apply_decision), the same command decides nothing.
/// @param decide Maps a state to the decider's answer (a decision, or a Result of one).
/// @returns both decisions and the state between them.
template <class State, class Decide>
auto check_idempotent(State state, const Decide& decide) {
    auto first = decided(decide(std::as_const(state)));
    REQUIRE_MESSAGE(!decides_nothing(first), "the first decision must decide something");
    apply_decision(state, first);
    auto second = decided(decide(std::as_const(state)));
    CHECK_MESSAGE(decides_nothing(second), "the same command again decided events");
    return DecidedTwice<State, decltype(first)>{std::move(first), std::move(second),
                                                std::move(state)};
}

}  // namespace switchyard::testing
