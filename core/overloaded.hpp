#pragma once
/// `std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, variant)`: one lambda per
/// alternative, the usual C++17 idiom.

namespace switchyard::core {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace switchyard::core
