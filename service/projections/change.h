// TaskChange: what the derived projections (inbox, progress, overdue, scorecards) learn about one
// applied task event: the event, the task's state after it, and the little they need from the
// state before it. TaskTable fills it; the derived projections only read it.
//
// `before` is captured selectively so a rebuild does not copy a whole TaskState per event: only
// scalars always, and the fields a given event type needs (see Before).
#pragma once

#include <optional>

#include "model/ids.h"
#include "model/task/events.h"
#include "model/task/task_state.h"

namespace duban::service::projections {

struct Before {
  bool existed = false;  // the task had a TaskCreated before this event
  task::Status status = task::Status::kAssigned;
  std::optional<UnitId> extension_unit;  // the pending request's lead; ExtensionApproved only
  std::optional<DocumentId> document;    // provenance.document; TaskRevised only
  bool unit_already_in_role = false;     // UnitAssigned only: apply() will change nothing
};

// Views valid for one call; do not keep them.
struct TaskChange {
  GlobalPosition position;
  const TaskId& task;
  const task::Event& event;
  const Before& before;
  const task::TaskState& after;
};

}  // namespace duban::service::projections
