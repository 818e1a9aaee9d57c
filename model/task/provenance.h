// Where a task comes from: the clause of a registered document that asked for it. Carried by
// TaskCreated and TaskRevised and kept in TaskState, so every task can be traced to its text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/mode.h"

namespace duban::task {

struct Provenance {
  DocumentId document;       // gazette::Document::id (issuing number, or the title)
  int document_version = 0;  // DocumentRegistered::version of the text this was read from
  std::string part;          // document body or attachment title holding the clause
  std::string label;         // clause numbering as printed: "11.(2)", "(四)", "三、"
  std::string heading;       // clause text up to the first 。
  std::string text;          // the whole clause
  int line = 0;              // 1-based first source line of the clause
  int end_line = 0;          // last source line, inclusive

  bool operator==(const Provenance&) const = default;
};

// What a version of the document says about a clause's units and deadline: the machine's
// reading, before any person changed the task. TaskState::as_read keeps the latest one, so a
// revision can tell what the document changed from what the office changed (three-way,
// plan_ingest(), docs/lifecycle.md "Revisions").
struct Reading {
  Mode mode = Mode::kLead;
  std::vector<UnitId> leads;
  std::vector<UnitId> participants;
  std::optional<std::string> deadline;  // ISO date; nullopt when the clause names none

  bool operator==(const Reading&) const = default;
};

}  // namespace duban::task
