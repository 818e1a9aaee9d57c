#include "model/task/mode.h"

namespace duban::task {

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::kLead:
      return "lead";
    case Mode::kSeparately:
      return "separately";
    case Mode::kResponsible:
      return "responsible";
  }
  return "unknown";
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kLead:
      return "lead";
    case Role::kParticipant:
      return "participant";
  }
  return "unknown";
}

std::optional<Mode> parse_mode(std::string_view name) {
  for (Mode m : {Mode::kLead, Mode::kSeparately, Mode::kResponsible}) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::kLead, Role::kParticipant}) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace duban::task
