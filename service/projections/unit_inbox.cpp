#include "service/projections/unit_inbox.h"

namespace duban::service::projections {
namespace {
const UnitInbox::Entries kEmpty;
}  // namespace

void UnitInbox::put(const UnitId& unit, const TaskId& task, task::Role role) {
  units_[unit][task] = role;
}

void UnitInbox::drop(const UnitId& unit, const TaskId& task) {
  auto it = units_.find(unit);
  if (it == units_.end()) return;
  it->second.erase(task);
  if (it->second.empty()) units_.erase(it);  // so a rebuild and a live table compare equal
}

void UnitInbox::apply(const TaskChange& c) {
  checkpoint_ = c.position;
  const task::TaskState& s = c.after;
  if (std::holds_alternative<task::TaskCreated>(c.event)) {
    for (const auto& u : s.leads) put(u, c.task, task::Role::kLead);
    for (const auto& u : s.participants) put(u, c.task, task::Role::kParticipant);
  } else if (const auto* r = std::get_if<task::TaskReassigned>(&c.event)) {
    // Drop everyone who was on the task, then put back whoever still is, with the current role.
    for (const auto& u : r->old_leads) drop(u, c.task);
    for (const auto& u : r->old_participants) drop(u, c.task);
    for (const auto& u : s.leads) put(u, c.task, task::Role::kLead);
    for (const auto& u : s.participants) put(u, c.task, task::Role::kParticipant);
  } else if (const auto* a = std::get_if<task::UnitAssigned>(&c.event)) {
    // The inbox mirrors the state's membership, so an assignment the state already had (the
    // usual case: TaskCreated or TaskReassigned just listed the unit) changes nothing here.
    if (c.before.unit_already_in_role) return;
    // The state decides the role: a lead named again as participant stays a lead.
    if (s.is_lead(a->unit))
      put(a->unit, c.task, task::Role::kLead);
    else if (s.is_participant(a->unit))
      put(a->unit, c.task, task::Role::kParticipant);
  }
}

const UnitInbox::Entries& UnitInbox::of(const UnitId& unit) const {
  auto it = units_.find(unit);
  return it == units_.end() ? kEmpty : it->second;
}

}  // namespace duban::service::projections
