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
  switch (role) {
    case Role::kLead:
      return "lead";
    case Role::kParticipant:
      return "participant";
    case Role::kGuide:
      return "guide";
  }
  return "lead";
}

const char* to_string(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::kNote:
      return "note";
    case ClauseKind::kTable:
      return "table";
    case ClauseKind::kImplicit:
      return "implicit";
  }
  return "note";
}

}  // namespace duban::gazette
