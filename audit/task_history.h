// A task's timeline, read straight from its stream: the work behind `duban audit history`.
// Every event with its envelope (position, time, actor, command), what it changed in words, and
// the status before and after it; with the clause and document the task comes from.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "audit/event_text.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/document_state.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "storage/event_store.h"

namespace duban::audit {

struct HistoryEntry {
  GlobalPosition position;
  StreamVersion version;
  Timestamp recorded_at{};
  std::string actor;  // as stored: "supervisor", "system", "unit:<id>", with "/person:<login>"
  CommandId command_id;
  std::string type;    // event type name
  std::string change;  // describe_event()
  task::Status status_before = task::Status::kAssigned;
  task::Status status_after = task::Status::kAssigned;
  task::Event event;        // the decoded event itself
  std::string person;       // the login of the person who acted; empty for machines and old events
  std::string person_name;  // their display name (from the account's events); empty likewise
};

// "王芳 (unit:fgw/person:wang.fang)" for a person, the actor text otherwise: how the audit names
// who acted.
std::string actor_label(const HistoryEntry& entry);

struct TaskHistory {
  task::TaskState state;              // after the last event
  task::DocumentState document;       // its document's registration (exists() false if none yet)
  std::vector<HistoryEntry> entries;  // in stream order
};

// Errors: "not_found" when the log has no task `id`; bad_payload for an event that does not
// decode; the store's errors.
Result<TaskHistory> task_history(storage::EventStore& store, const TaskId& id,
                                 const UnitNamer& name);

}  // namespace duban::audit
