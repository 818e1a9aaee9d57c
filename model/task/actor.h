// Who issues a command or records an event. decide() checks the actor against the command
// (see decide.cpp); the store writes it into each event's envelope.
#pragma once

#include <string>
#include <utility>

#include "model/ids.h"

namespace duban::task {

struct Actor {
  enum class Kind {
    kSupervisor,  // the supervising office (督查室): assigns, urges, approves, returns, cancels
    kUnit,        // a responsible unit acting for itself; `unit` says which
    kSystem,      // duban itself: records deadline-sweep events, never issues commands
  };
  Kind kind = Kind::kSystem;
  UnitId unit;  // set only when kind == kUnit

  static Actor supervisor() { return Actor{Kind::kSupervisor, {}}; }
  static Actor system() { return Actor{Kind::kSystem, {}}; }
  static Actor of_unit(UnitId unit) { return Actor{Kind::kUnit, std::move(unit)}; }

  bool operator==(const Actor&) const = default;
};

// Stable text for envelopes and messages: "supervisor", "system" or "unit:<unit id>".
std::string to_string(const Actor& actor);

}  // namespace duban::task
