#include "server/push/filter.h"

#include <algorithm>

namespace duban::server::push {
namespace {

bool assigned(const PushedEvent& e, std::string_view unit) {
  return std::any_of(e.units.begin(), e.units.end(),
                     [&](const UnitId& u) { return u.str() == unit; });
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
      return e.task == filter.id && (supervisor || assigned(e, principal.unit.str()));
    case Filter::Kind::kDocument:
      if (e.document != filter.id) return false;
      return supervisor || e.task.empty() || assigned(e, principal.unit.str());
  }
  return false;
}

}  // namespace duban::server::push
