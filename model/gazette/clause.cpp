#include "model/gazette/clause.h"

namespace duban::gazette {

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::kLead:
      return "lead";
    case Mode::kSeparately:
      return "separately";
    case Mode::kResponsible:
      return "responsible";
  }
  return "lead";
}

const char* to_string(Role role) {
  return role == Role::kLead ? "lead" : "participant";
}

}  // namespace duban::gazette
