// Who issues a command or records an event. decide() checks the actor against the command
// (see decide.cpp); the store writes it into each event's envelope as text (to_string below).
//
// An actor is a kind (the supervising office, a unit, or duban itself), the unit acted for, and,
// when a signed-in person acts, that person's account id and roles at the time. Machines (API
// tokens without an account, the CLI on the database) carry no person and keep the powers of
// their kind: the office may do everything the office's roles allow, a unit everything a unit's
// roles allow (may() below).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/account/events.h"
#include "model/ids.h"

namespace duban::task {

struct Actor {
  enum class Kind {
    kSupervisor,  // the supervising office (督查室): assigns, urges, approves, returns, cancels
    kUnit,        // a responsible unit acting for itself; `unit` says which
    kSystem,      // duban itself: records deadline-sweep events, never issues commands
  };
  Kind kind = Kind::kSystem;
  UnitId unit;                       // set only when kind == kUnit
  account::AccountId person;         // the signed-in person; empty for machines and the system
  std::vector<account::Role> roles;  // the person's roles when acting; empty without a person

  static Actor supervisor() { return Actor{Kind::kSupervisor, {}, {}, {}}; }
  static Actor system() { return Actor{Kind::kSystem, {}, {}, {}}; }
  static Actor of_unit(UnitId unit) { return Actor{Kind::kUnit, std::move(unit), {}, {}}; }
  // A person of the supervising office (督查员, 领导).
  static Actor office_person(account::AccountId person, std::vector<account::Role> roles) {
    return Actor{Kind::kSupervisor, {}, std::move(person), std::move(roles)};
  }
  // A person of `unit` (承办人, 负责人).
  static Actor unit_person(UnitId unit, account::AccountId person,
                           std::vector<account::Role> roles) {
    return Actor{Kind::kUnit, std::move(unit), std::move(person), std::move(roles)};
  }

  bool is_person() const { return !person.empty(); }

  // True when the actor holds `role`'s powers. A person holds the roles of their account, a
  // unit head (负责人) also a handler's (承办人); a machine holds every role of its kind
  // (supervisor: inspector and leader; unit: handler and unit head); the system none.
  bool may(account::Role role) const;

  bool operator==(const Actor&) const = default;
};

// Stable text for envelopes and messages (it is in the hash chain, so it never changes):
//   "supervisor", "system", "unit:<unit id>"              machines, and every event before people
//   "supervisor/person:<login>", "unit:<unit id>/person:<login>"        a signed-in person
// Roles are not written: the account's events say which roles the person held at the time.
std::string to_string(const Actor& actor);

// The actor an envelope's text names (the inverse of to_string, roles left empty), reading every
// form ever written: the four above and "simulation:<any of them>" (app/simulation.h's marker,
// stripped here). nullopt for text that names no actor.
std::optional<Actor> parse_actor(std::string_view text);

// The person's login in an envelope's actor text; empty when it names none.
std::string person_of(std::string_view actor_text);

}  // namespace duban::task
