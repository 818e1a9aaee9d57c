// What changed between two points of the log, task by task: the work behind `duban audit diff`.
// Computed from the two states (net changes: a task reassigned twice and back shows no
// reassignment), plus the count of events of each type in between.
//
// Thread-safety: reentrant.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "audit/event_text.h"
#include "model/ids.h"
#include "service/projections/read_model.h"

namespace duban::audit {

struct TaskDiffRow {
  // "created" | "reassigned" | "deadline" | "revised" | "acknowledged" | "status" | "closed" |
  // "reopened" | "cancelled"; a task may have several rows (reassigned and closed).
  std::string change;
  TaskId task;
  DocumentId document;
  std::string label;   // clause numbering
  int line = 0;        // the clause's first source line, for document order
  std::string before;  // in words; empty for "created"
  std::string after;
};

struct DocumentDiffRow {
  DocumentId document;
  int version_before = 0;  // 0: not registered at the first point
  int version_after = 0;
  std::string title;
};

struct StateDiff {
  std::vector<TaskDiffRow> tasks;          // in document order (document, clause line), then change
  std::vector<DocumentDiffRow> documents;  // registered or revised in between
  std::map<std::string, int> changes;      // rows per change kind
};

// The changes from `a` to `b` (normally a is the earlier point).
StateDiff diff_states(const service::projections::ReadModelState& a,
                      const service::projections::ReadModelState& b, const UnitNamer& name);

}  // namespace duban::audit
