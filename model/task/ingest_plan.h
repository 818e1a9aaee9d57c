// plan_ingest(): what `duban ingest` must append for one parsed document, as commands to run
// through decide() (actor supervisor). Pure; the caller loads the states and appends.
//
// The plan diffs the clauses against the document's existing tasks, so the same function
// handles a first ingest, a re-run, a revision and a re-run after a crash half-way:
//   - same content hash as the registered version → empty plan (nothing to append);
//   - otherwise RegisterDocument{version}, then per clause, in document order:
//       no task yet                  → CreateTask (provenance.document_version = version)
//       units or mode changed        → ReassignTask, reason "document revision N"
//       clause text/heading/part/label/lines changed → ReviseTask (new provenance)
//       deadline changed             → SetDeadline, reason "document revision N"
//       nothing changed              → nothing
//   - existing tasks whose clause is gone → CancelTask, reason "clause removed in revision N".
// Every command carries the document version that caused it. A revision does not touch a
// closed or cancelled task (decide() would refuse, and the work is over); the plan lists such
// skips in `notes` so the CLI can show them. A clause with no lead unit cannot become a task
// and is noted too.
#pragma once

#include <functional>
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
  // Maps a clause to its task's id; must be stable across revisions of the document (the same
  // clause must map to the same id) and distinct for distinct clauses. clause_task_id() is the
  // default.
  std::function<TaskId(const gazette::Clause&)> task_id_of;
  const DocumentState& registered;         // the document stream's state (may not exist)
  const std::vector<TaskState>& existing;  // current states of the document's tasks
};

// The default task id: "<document id>|<part>|<label>", stable while a revision keeps a clause's
// part title and numbering.
TaskId clause_task_id(const gazette::Clause& clause);

// Refused (invalid_command) when the version does not exceed the registered one for new content,
// when two clauses map to one task id, or when the document id is empty.
Result<IngestPlan> plan_ingest(const IngestInput& input);

}  // namespace duban::task
