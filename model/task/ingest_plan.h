// plan_ingest(): what `duban ingest` must append for one parsed document, as commands to run
// through decide() (actor supervisor). Pure; the caller loads the states and appends. It is the
// one place a reading of a document turns into task commands.
//
// The plan compares the clauses with the document's existing tasks, so the same function
// handles a first ingest, a re-run, a revision and a re-run after a crash half-way:
//   - same content hash as the registered version → empty plan (nothing to append);
//   - otherwise RegisterDocument{version}, then each clause is matched to an existing task by
//     content, not by its printed label: exact clause text first, then the most similar text
//     (character bigrams, kSimilarClause or more), then same part and label. A renumbered
//     clause keeps its task, its progress and its id.
//   - per clause, in document order, three-way: the task's `as_read` (what the machine read in
//     the previous version, before any person's correction), the new reading, and the live task:
//       no task matched              → CreateTask with a new id (see IngestInput::task_id_of)
//       the document changed units   → ReassignTask from the live units: the units the document
//                                      dropped leave, the ones it added join, units a person
//                                      added stay (reason "document revision N")
//       text, label or reading changed → ReviseTask (new provenance and reading), after the
//                                      commands above (IngestInput::machine_readings)
//       the document changed the date → SetDeadline to it (a date the revision drops is kept,
//                                      with a note: ingest never clears a deadline)
//       what the document did not change keeps its live value: deadlines, units and
//       extensions set by people, and every unit's progress, survive a revision.
//   - existing tasks no clause matched → CancelTask, reason "clause removed in revision N".
// Every command carries the document version that caused it. A revision does not touch a
// closed or cancelled task (decide() would refuse, and the work is over); the plan lists such
// skips, and replaced hand-made values, in `notes` so the CLI can show them. A clause with no
// lead unit cannot become a task and is noted too.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/clause.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/commands.h"
#include "model/task/document_state.h"
#include "model/task/streams.h"
#include "model/task/task_state.h"

namespace duban::task {

// One command and the stream it goes to.
struct PlannedCommand {
  std::string stream;  // document_stream_id() for RegisterDocument, else task_stream_id()
  Command command;
  bool operator==(const PlannedCommand&) const = default;
};

struct IngestPlan {
  std::vector<PlannedCommand> commands;  // in append order; RegisterDocument first
  std::vector<std::string> notes;        // things deliberately not done, for a person to read
  bool empty() const { return commands.empty(); }
};

// Borrowed views of the caller's data for the length of one plan_ingest() call; do not keep one.
struct IngestInput {
  const gazette::Document& document;
  const std::vector<gazette::Clause>& clauses;  // this document's clauses
  int version = 1;                              // version to register if the content is new
  std::string_view content_hash;
  // The id of a NEW task for a clause no existing task matched. Empty (the default):
  // "<document id>|<n>", n the clause's 1-based position among the document's clauses, or one
  // more than the highest n in use when that one is taken; ids never depend on the label, and a
  // matched clause keeps its task's id whatever its numbering now.
  std::function<TaskId(const gazette::Clause&)> task_id_of;
  const DocumentState& registered;         // the document stream's state (may not exist)
  const std::vector<TaskState>& existing;  // current states of the document's tasks
  // The machine's reading of each clause, parallel to `clauses`, where a person corrected the
  // clause before 交办 (a published draft, service/drafts.h): the clause as given sets the live
  // task, and this reading becomes its `as_read`, so the next revision compares against what
  // the machine read and the correction survives a revision that leaves the clause alone.
  // Empty, or nullopt for a clause: the clause is the machine's reading.
  std::vector<std::optional<Reading>> machine_readings = {};
};

// What a clause says about its task's mode, units (leads first, repeats collapsed) and deadline
// (its last ISO date), as plan_ingest() reads it.
Reading clause_reading(const gazette::Clause& clause);

// The id ingest gave tasks before ids stopped depending on labels: "<document id>|<part>|
// <label>". Stores keep such ids (they stay valid); new ingests no longer make them.
TaskId clause_task_id(const gazette::Clause& clause);

// Texts at least this similar (Dice coefficient of character bigrams) are the same clause.
inline constexpr double kSimilarClause = 0.6;
// The similarity plan_ingest() matches with, 0..1 (1 for equal texts).
double clause_similarity(std::string_view a, std::string_view b);

// Refused (invalid_command) when the version does not exceed the registered one for new content,
// when two clauses map to one task id, or when the document id is empty.
Result<IngestPlan> plan_ingest(const IngestInput& input);

}  // namespace duban::task
