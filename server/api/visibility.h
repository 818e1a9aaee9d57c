// Which events of a task a unit may see: those recorded while it is assigned to the task (as a
// lead or participant), from the event that assigns it up to and including the event that
// removes it (a reassignment that leaves it out), and again from any later assignment. A unit
// dropped by a reassignment keeps the history it took part in, and learns that it was removed,
// but sees nothing recorded after that. Read from the task's own events; shared by the HTTP API
// (task and history) and the WebSocket push (RoutingIndex, live and replay alike).
#pragma once

#include <vector>

#include "model/ids.h"
#include "model/task/events.h"

namespace duban::server {

// The units an event assigns to its task: TaskCreated's leads and participants, UnitAssigned's
// unit, TaskReassigned's new leads and participants. Empty for every other event.
std::vector<UnitId> units_assigned_by(const task::Event& event);

// The units an event removes from its task: TaskReassigned's old leads and participants that are
// in neither of its new lists. Empty for every other event.
std::vector<UnitId> units_removed_by(const task::Event& event);

// True when any of `events` (one task's stream) assigns `unit`.
bool ever_assigned(const std::vector<task::Event>& events, const UnitId& unit);

// For each of `events` (one task's stream, in order): whether `unit` may see it (see above).
std::vector<bool> visible_to(const std::vector<task::Event>& events, const UnitId& unit);

}  // namespace duban::server
