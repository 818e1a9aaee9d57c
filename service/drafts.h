// Drafts (拟办 → 审核 → 交办): reviewing a document's reading before it becomes tasks.
//
// `duban ingest --review` and POST /api/v1/documents?review=true record each document of a
// gazette as a draft (DraftRecorded in the stream "draft/<document>": every clause as the parser
// read it, with its confidence and reasons) instead of planning tasks. The supervisor corrects
// the draft (DraftCorrected events: units and roles, mode, label, deadline, split, merge, drop,
// add) and maps names the directory does not know to directory units (UnitNameMapped in the
// stream "unit-names", applied to later drafts and ingests too). Publishing (交办) feeds the
// corrected clauses through the ingest path (task::plan_ingest and run_plan, gazette_ingest.h),
// so tasks are created in one place only, then records DraftPublished. Publishing again finds
// the document registered with the same content and appends nothing.
//
// No draft event reaches a unit: the read model skips them (no inbox, task list or scorecard
// holds a draft), and the push path routes a "draft/…" stream to no unit.
//
// The supervisor also says, per document, whether completions must carry evidence
// (draft::RequireEvidence → DraftEvidenceRequirementSet); publishing gives every live task of the
// document that setting (task::SetEvidenceRequirement → EvidenceRequirementSet), so
// task::decide() refuses a ReportCompletion without attachments on them.
//
// Commands are decided by model/draft/decide.h against the stream read from the store and
// appended with the stream's version as the expected version (a conflict is decided again).
//
// Thread-safety: every member may be called concurrently; the store, task service and clock are
// borrowed and must outlive the DraftService.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar/calendar.h"
#include "model/draft/commands.h"
#include "model/draft/draft_state.h"
#include "model/gazette/parser.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "service/gazette_ingest.h"
#include "service/task_service.h"
#include "storage/event_store.h"

namespace duban::service {

// One row of `duban drafts`.
struct DraftSummary {
  DocumentId document;
  std::string title;
  int version = 0;      // the document version publishing registers
  int clauses = 0;      // in the current reading
  int doubtful = 0;     // draft::is_doubtful()
  int corrections = 0;  // DraftCorrected events since the reading was recorded
  bool published = false;
  int tasks = 0;                   // created by publishing
  bool evidence_required = false;  // completions of its tasks must carry evidence
};

// What recording a source for review did, per document.
struct RecordedDraft {
  DocumentId document;
  int clauses = 0;
  int doubtful = 0;
  bool unchanged = false;  // the same text was already recorded: nothing appended
};

struct DraftChange {
  std::vector<task::Event> events;  // what was appended now; empty: nothing to change
  StreamVersion version;            // the draft stream's version after it
};

struct PublishOutcome {
  DocumentId document;
  int version = 0;            // the document version registered
  std::vector<TaskId> tasks;  // the tasks of the draft
  IngestCounts counts;        // what this call appended (all zero when already published)
  bool already_published = false;
};

// One command publishing would run, for a person to review (duban drafts show).
struct ProposedChange {
  std::string key;     // the draft clause it comes from; empty when a task's clause is gone
  TaskId task;         // the task it creates or changes
  std::string what;    // the command: CreateTask, ReassignTask, ReviseTask, SetDeadline, CancelTask
  std::string detail;  // units, deadline or reason, in words
};

// What publishing a draft would do now.
struct DraftProposal {
  DocumentId document;
  int version = 0;        // the document version publishing registers
  bool revision = false;  // a version of the document is live: the plan changes its tasks
  task::IngestPlan plan;  // empty: this very text is live already (nothing to publish)
  std::vector<ProposedChange> changes;  // the plan's task commands, in order
};

class DraftService {
 public:
  // How many times a command is decided again after losing a race on its stream.
  static constexpr int kMaxAttempts = 8;

  DraftService(storage::EventStore& store, TaskService& tasks, const Clock& clock)
      : store_(store), tasks_(tasks), clock_(clock) {}

  // Records every document of `source` as a draft (as the supervisor). Unit names mapped
  // earlier are applied first. The same text again records nothing; another text replaces an
  // unpublished draft without corrections, and is refused (illegal_transition) when the draft
  // holds corrections.
  Result<std::vector<RecordedDraft>> record(const IngestSource& source, const task::Actor& actor);

  // The draft of `document`; not_found when there is none.
  Result<draft::DraftState> draft(const DocumentId& document);
  // Every draft, ordered by document id.
  Result<std::vector<DraftSummary>> list();
  Result<draft::UnitNames> unit_names();

  // Runs one correction. `command_id` makes a retry idempotent; empty: derived from the draft's
  // version and the command.
  Result<DraftChange> correct(const DocumentId& document, const draft::Command& command,
                              const task::Actor& actor, CommandId command_id = CommandId());

  // Remembers that `name` means directory unit `unit` (UnitNameMapped), then, when `document`
  // is given and its draft is unpublished, rereads that draft's clauses naming it
  // (DraftCorrected, kind unit_name). Refused (invalid_command) for a unit the directory does
  // not have.
  Result<DraftChange> map_unit_name(const std::string& name, const UnitId& unit,
                                    const std::optional<DocumentId>& document,
                                    const task::Actor& actor);

  // What publishing the draft of `document` would append now, without appending anything: for
  // a first version the tasks it creates; for a revision of a published document the
  // three-way plan (task::plan_ingest): new clauses, units and deadlines the document changed,
  // clauses it removed, with what people changed on the live tasks kept. Relative deadlines are
  // resolved as of the clock's now with `cal`.
  Result<DraftProposal> propose(const DocumentId& document,
                                const calendar::Calendar& cal = calendar::Calendar::builtin());

  // 交办: runs the proposal (propose()) through the ingest path and records DraftPublished.
  // Clauses whose only deadline is relative (7个工作日内) get the date it ends on, counted from
  // the clock's now with `cal`. Where a person corrected a clause, the task keeps the machine's
  // reading as its as_read (task::IngestInput::machine_readings), so the correction survives a
  // later revision that leaves the clause alone. Idempotent: a published draft appends nothing.
  // Refused (invalid_command) while a clause has no lead unit. Every live task of the document
  // whose evidence rule differs from the draft's gets the draft's (EvidenceRequirementSet).
  Result<PublishOutcome> publish(const DocumentId& document, const task::Actor& actor,
                                 const calendar::Calendar& cal = calendar::Calendar::builtin());

 private:
  // Decides against the stream as read from the store and appends with its version expected;
  // a conflict is decided again. An empty `command_id` is derived from the version and `what`.
  Result<DraftChange> run(
      const std::string& stream, const task::Actor& actor, const CommandId& command_id,
      std::string_view what,
      const std::function<Result<std::vector<task::Event>>(const draft::DraftState&)>& decide);

  // The plan for `state` against the read model (caught up first).
  Result<DraftProposal> plan_for(const draft::DraftState& state, const calendar::Calendar& cal);

  storage::EventStore& store_;
  TaskService& tasks_;
  const Clock& clock_;
  std::mutex scan_mutex_;            // guards the two below
  GlobalPosition scanned_;           // the log is scanned for draft streams up to here
  std::set<std::string> documents_;  // documents with a draft stream
};

// Reads every unit written as a mapped name as its directory unit (drafts and plain ingests).
void apply_unit_names(gazette::ParseResult& parsed, const draft::UnitNames& names);

// The clause a draft reads, as the parser would have given it (publishing plans from these).
gazette::Clause to_gazette_clause(const DocumentId& document, const task::DraftClause& clause);

}  // namespace duban::service
