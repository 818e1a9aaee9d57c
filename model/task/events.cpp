#include "model/task/events.h"

#include <type_traits>

namespace duban::task {

std::string_view event_type_name(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, event);
}

int event_schema_version(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kSchemaVersion; }, event);
}

namespace {

template <std::size_t... I>
std::vector<std::string_view> names_in_order(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, Event>::kType...};
}

}  // namespace

const std::vector<std::string_view>& event_type_names() {
  static const std::vector<std::string_view> names =
      names_in_order(std::make_index_sequence<std::variant_size_v<Event>>{});
  return names;
}

bool is_document_event(const Event& event) {
  return std::holds_alternative<DocumentRegistered>(event);
}

}  // namespace duban::task
