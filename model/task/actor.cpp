#include "model/task/actor.h"

namespace duban::task {

std::string to_string(const Actor& actor) {
  switch (actor.kind) {
    case Actor::Kind::kSupervisor:
      return "supervisor";
    case Actor::Kind::kSystem:
      return "system";
    case Actor::Kind::kUnit:
      return "unit:" + actor.unit.str();
  }
  return "unknown";
}

}  // namespace duban::task
