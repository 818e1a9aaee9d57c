// Commands on a draft (拟办) and on the unit-name map: imperative requests that
// draft::decide() turns into events (events.h: DraftRecorded, DraftCorrected, DraftPublished,
// UnitNameMapped, DraftEvidenceRequirementSet) or refuses. Only the supervisor issues them. Clauses
// are named by their key in the draft ("c7", `duban drafts show` prints them).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/ids.h"
#include "model/task/draft_clause.h"
#include "model/task/events.h"

namespace duban::draft {

// Record the machine's reading of a document for review. The clauses' keys are assigned here.
struct RecordDraft {
  task::DraftRecorded reading;
};

// Replace a clause's units and roles.
struct ChangeUnits {
  std::string key;
  std::vector<task::DraftUnit> units;  // at least one lead
  std::string reason;
};

struct ChangeMode {
  std::string key;
  task::Mode mode = task::Mode::kLead;
  std::string reason;
};

// Change the numbering and/or the heading; at least one is given.
struct ChangeLabel {
  std::string key;
  std::optional<std::string> label;
  std::optional<std::string> heading;
  std::string reason;
};

struct SetClauseDeadline {
  std::string key;
  std::optional<std::string> deadline;  // ISO date; nullopt clears it
  std::string reason;
};

// Split a clause in two before the first occurrence of `at` in its text. The first part keeps
// the key and label; the second gets a new key, `label` (default: the label followed by "-2")
// and the clause's units, mode and deadline.
struct SplitClause {
  std::string key;
  std::string at;
  std::optional<std::string> label;
  std::string reason;
};

// Merge clause `other` into clause `key`: texts joined, units of both (leads first), the later
// deadline, lines spanning both; `key` keeps its label and heading.
struct MergeClauses {
  std::string key;
  std::string other;
  std::string reason;
};

// Take a clause out of the draft: it will not become a task. The reason is required.
struct DropClause {
  std::string key;
  std::string reason;
};

// Add a clause the parser missed. Needs a label, text, source lines and a lead unit; the key is
// assigned here.
struct AddClause {
  task::DraftClause clause;
  std::string reason;
};

// Read every unit written as `name` as `unit` (after MapUnitName): one DraftCorrected (kind
// unit_name) per clause that names it, nothing when none does.
struct ApplyUnitName {
  std::string name;
  UnitId unit;
};

// Say whether completions of the document's tasks must carry evidence (at least one attachment);
// publishing gives every task of the document the setting. Nothing is recorded when the draft
// says so already.
struct RequireEvidence {
  bool required = false;
  std::string reason;
};

// The draft became tasks: `tasks` are what publishing created.
struct MarkPublished {
  std::vector<TaskId> tasks;
};

using Command = std::variant<RecordDraft, ChangeUnits, ChangeMode, ChangeLabel, SetClauseDeadline,
                             SplitClause, MergeClauses, DropClause, AddClause, ApplyUnitName,
                             MarkPublished, RequireEvidence>;

// The unit-name map: `name` (as written in documents) means directory unit `unit`. The caller
// checks that the unit is in the directory.
struct MapUnitName {
  std::string name;
  UnitId unit;
};

}  // namespace duban::draft
