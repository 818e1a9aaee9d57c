// The event catalogue: what every event type declares about itself, derived at compile time
// from an event variant (task::Event in events.h, or a test-only variant).
//
// An event type is declared in one place, its struct: a stable name (kType), a schema version
// (kSchemaVersion) and its fields; appending the struct to the variant makes it an event. Every
// list of event types elsewhere follows from the variant through EventCatalogue (type names, the
// codec's encode and decode dispatch) or is checked against it by a test (the payload schema,
// the samples, the catalogue in docs/events.md, the projections' fingerprint). docs/events.md,
// "Adding an event type", lists the steps and the check behind each.
//
// Checked here, at compile time: every alternative is an EventType, no two share a kType, and
// every kSchemaVersion is at least 1.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <string_view>
#include <utility>
#include <variant>

namespace duban::task {

// A domain event type: a comparable struct with a stable name and a schema version.
template <class E>
concept EventType = requires {
  { E::kType } -> std::convertible_to<std::string_view>;
  { E::kSchemaVersion } -> std::convertible_to<int>;
}
&&std::equality_comparable<E>;

// One row of the catalogue.
struct EventTypeInfo {
  std::string_view name;   // E::kType, the envelope's type
  int schema_version = 0;  // E::kSchemaVersion, the envelope's schema version when written
  std::size_t index = 0;   // the alternative's index in the variant
};

// Number of fields of an aggregate (the count of initializers it accepts), so a test can
// compare an event struct with its payload schema without reflection.
namespace detail {
struct AnyField {
  template <class T>
  operator T() const;  // never defined: only used in unevaluated brace-initialization
};
template <class T, std::size_t... I>
constexpr bool brace_initializable_from(std::index_sequence<I...>) {
  return requires {
    T{(static_cast<void>(I), AnyField{})...};
  };
}
}  // namespace detail

template <class T, std::size_t N = 0>
constexpr std::size_t aggregate_field_count() {
  if constexpr (!detail::brace_initializable_from<T>(std::make_index_sequence<N + 1>{})) {
    return N;
  } else {
    return aggregate_field_count<T, N + 1>();
  }
}

template <class Variant>
struct EventCatalogue {
  static_assert(sizeof(Variant) == 0, "EventCatalogue takes a std::variant of event types");
};

template <EventType... E>
struct EventCatalogue<std::variant<E...>> {
  static constexpr std::size_t kSize = sizeof...(E);

  // Every event type, in variant order.
  static constexpr std::array<EventTypeInfo, kSize> kTypes = [] {
    std::array<EventTypeInfo, kSize> out{};
    std::size_t i = 0;
    ((out[i] = EventTypeInfo{E::kType, E::kSchemaVersion, i}, ++i), ...);
    return out;
  }();

  // The row named `name`, or nullptr.
  static constexpr const EventTypeInfo* find(std::string_view name) {
    for (const EventTypeInfo& t : kTypes) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }

  static constexpr bool names_unique() {
    for (std::size_t i = 0; i < kSize; ++i) {
      for (std::size_t j = i + 1; j < kSize; ++j) {
        if (kTypes[i].name == kTypes[j].name) return false;
      }
    }
    return true;
  }

  static_assert(names_unique(),
                "two event types share a kType: the envelope's type must name exactly one type");
  static_assert(((E::kSchemaVersion >= 1) && ...), "schema versions start at 1");
};

}  // namespace duban::task
