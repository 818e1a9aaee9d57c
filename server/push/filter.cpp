#include "server/push/filter.h"

#include <algorithm>

namespace duban::server::push {
namespace {

bool among(const std::vector<UnitId>& units, std::string_view unit) {
  return std::any_of(units.begin(), units.end(), [&](const UnitId& u) { return u.str() == unit; });
}

// The units that see a task event: those assigned to the task, and for a child task's event
// the parent's leads (routing_index.h).
bool assigned(const PushedEvent& e, std::string_view unit) {
  return among(e.units, unit) || among(e.parent_leads, unit);
}

}  // namespace

const char* kind_name(Filter::Kind kind) {
  switch (kind) {
    case Filter::Kind::kAll:
      return "all";
    case Filter::Kind::kUnit:
      return "unit";
    case Filter::Kind::kDocument:
      return "document";
    case Filter::Kind::kTask:
      return "task";
  }
  return "all";
}

bool matches(const Filter& filter, const Principal& principal, const PushedEvent& e) {
  // Account events carry password hashes: they stay in the log (and the audit), never pushed.
  if (e.stream.rfind("account/", 0) == 0) return false;
  // Token events (secret hashes) likewise.
  if (e.stream.rfind("token/", 0) == 0) return false;
  const bool supervisor = principal.is_supervisor();
  switch (filter.kind) {
    case Filter::Kind::kAll:
      return supervisor;
    case Filter::Kind::kUnit:
      return assigned(e, filter.id) && (supervisor || filter.id == principal.unit.str());
    case Filter::Kind::kTask:
      // A parent task's subscribers follow its children too (their events name the child's
      // stream, "task/<parent>~<unit>").
      if (e.task == filter.id) return supervisor || assigned(e, principal.unit.str());
      return !e.parent.empty() && e.parent == filter.id &&
             (supervisor || among(e.parent_leads, principal.unit.str()));
    case Filter::Kind::kDocument:
      if (e.document != filter.id) return false;
      return supervisor || e.task.empty() || assigned(e, principal.unit.str());
  }
  return false;
}

}  // namespace duban::server::push
