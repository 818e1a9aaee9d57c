#include "server/api/visibility.h"

#include <algorithm>

namespace duban::server {

std::vector<UnitId> units_assigned_by(const task::Event& event) {
  std::vector<UnitId> out;
  if (const auto* c = std::get_if<task::TaskCreated>(&event)) {
    out = c->leads;
    out.insert(out.end(), c->participants.begin(), c->participants.end());
  } else if (const auto* a = std::get_if<task::UnitAssigned>(&event)) {
    out.push_back(a->unit);
  } else if (const auto* r = std::get_if<task::TaskReassigned>(&event)) {
    out = r->new_leads;
    out.insert(out.end(), r->new_participants.begin(), r->new_participants.end());
  }
  return out;
}

bool ever_assigned(const std::vector<task::Event>& events, const UnitId& unit) {
  return std::any_of(events.begin(), events.end(), [&](const task::Event& e) {
    const auto units = units_assigned_by(e);
    return std::find(units.begin(), units.end(), unit) != units.end();
  });
}

}  // namespace duban::server
