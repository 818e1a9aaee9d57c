#include "model/task/actor.h"

#include <algorithm>

namespace duban::task {

namespace {
constexpr std::string_view kPersonSeparator = "/person:";
constexpr std::string_view kSimulation = "simulation:";
constexpr std::string_view kUnitPrefix = "unit:";
}  // namespace

bool Actor::may(account::Role role) const {
  using account::Role;
  if (kind == Kind::kSystem) return false;
  if (!is_person()) {
    return kind == Kind::kSupervisor ? account::is_office_role(role)
                                     : !account::is_office_role(role);
  }
  auto holds = [&](Role r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
  if (kind == Kind::kSupervisor) return account::is_office_role(role) && holds(role);
  if (account::is_office_role(role)) return false;
  return holds(role) || (role == Role::kHandler && holds(Role::kUnitHead));
}

std::string to_string(const Actor& actor) {
  std::string out;
  switch (actor.kind) {
    case Actor::Kind::kSupervisor:
      out = "supervisor";
      break;
    case Actor::Kind::kSystem:
      out = "system";
      break;
    case Actor::Kind::kUnit:
      out = std::string(kUnitPrefix) + actor.unit.str();
      break;
  }
  if (actor.is_person()) out += std::string(kPersonSeparator) + actor.person.str();
  return out;
}

std::optional<Actor> parse_actor(std::string_view text) {
  if (text.substr(0, kSimulation.size()) == kSimulation) text.remove_prefix(kSimulation.size());
  account::AccountId person;
  // Logins never hold '/' (account::valid_login), so the last separator starts the person.
  if (const auto sep = text.rfind(kPersonSeparator); sep != std::string_view::npos) {
    person = account::AccountId(std::string(text.substr(sep + kPersonSeparator.size())));
    if (person.empty()) return std::nullopt;
    text = text.substr(0, sep);
  }
  Actor actor;
  if (text == "supervisor") {
    actor = Actor::supervisor();
  } else if (text == "system") {
    if (!person.empty()) return std::nullopt;
    actor = Actor::system();
  } else if (text.substr(0, kUnitPrefix.size()) == kUnitPrefix &&
             text.size() > kUnitPrefix.size()) {
    actor = Actor::of_unit(UnitId(std::string(text.substr(kUnitPrefix.size()))));
  } else {
    return std::nullopt;
  }
  actor.person = std::move(person);
  return actor;
}

std::string person_of(std::string_view actor_text) {
  auto actor = parse_actor(actor_text);
  return actor ? actor->person.str() : std::string();
}

}  // namespace duban::task
