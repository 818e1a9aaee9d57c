// Which tasks a unit may see: those it is or ever was assigned to (as a lead or participant),
// read from the task's own events, so a unit dropped by a reassignment still sees the history it
// took part in. Shared by the HTTP API and the WebSocket push.
#pragma once

#include <vector>

#include "model/ids.h"
#include "model/task/events.h"

namespace duban::server {

// The units an event assigns to its task: TaskCreated's leads and participants, UnitAssigned's
// unit, TaskReassigned's new leads and participants. Empty for every other event.
std::vector<UnitId> units_assigned_by(const task::Event& event);

// True when any of `events` (one task's stream) assigns `unit`.
bool ever_assigned(const std::vector<task::Event>& events, const UnitId& unit);

}  // namespace duban::server
