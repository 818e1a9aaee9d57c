#include "model/task/commands.h"

#include <type_traits>

namespace duban::task {

std::string_view command_name(const Command& command) {
  return std::visit([](const auto& c) { return std::decay_t<decltype(c)>::kName; }, command);
}

std::optional<TaskId> task_of(const Command& command) {
  return std::visit(
      [](const auto& c) -> std::optional<TaskId> {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, RegisterDocument>) {
          return std::nullopt;
        } else {
          return c.task;
        }
      },
      command);
}

}  // namespace duban::task
