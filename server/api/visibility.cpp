#include "server/api/visibility.h"

#include <algorithm>

namespace duban::server {
namespace {

bool contains(const std::vector<UnitId>& units, const UnitId& unit) {
  return std::find(units.begin(), units.end(), unit) != units.end();
}

}  // namespace

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

std::vector<UnitId> units_removed_by(const task::Event& event) {
  std::vector<UnitId> out;
  if (const auto* r = std::get_if<task::TaskReassigned>(&event)) {
    for (const auto* old : {&r->old_leads, &r->old_participants}) {
      for (const auto& u : *old) {
        if (!contains(r->new_leads, u) && !contains(r->new_participants, u) && !contains(out, u)) {
          out.push_back(u);
        }
      }
    }
  }
  return out;
}

bool ever_assigned(const std::vector<task::Event>& events, const UnitId& unit) {
  return std::any_of(events.begin(), events.end(),
                     [&](const task::Event& e) { return contains(units_assigned_by(e), unit); });
}

std::vector<bool> visible_to(const std::vector<task::Event>& events, const UnitId& unit) {
  std::vector<bool> out;
  out.reserve(events.size());
  bool assigned = false;
  for (const auto& e : events) {
    if (contains(units_assigned_by(e), unit)) {
      assigned = true;
      out.push_back(true);
    } else if (assigned && contains(units_removed_by(e), unit)) {
      assigned = false;
      out.push_back(true);  // the removal itself: the unit learns it was removed
    } else {
      out.push_back(assigned);
    }
  }
  return out;
}

}  // namespace duban::server
