// Ingesting parsed gazettes into the event log: the one code path behind `duban ingest`
// (app/ingest_command.cpp) and the server's POST /api/v1/documents, kept apart from both so
// tests drive it directly.
//
// Per document: hash its own text, plan against the read model (task::plan_ingest), then run
// the plan through the TaskService as the supervisor, task commands first and RegisterDocument
// LAST. The registration is what makes the next run see "same content, nothing to do", so a run
// that stops half-way leaves the document unregistered and the next run plans and completes the
// rest. Command ids come from (document, version, task, step), so a command that reached the log
// before a crash is answered as a duplicate, never appended twice.
//
// A revision that would cancel many tasks is refused before anything runs (check_cancellations):
// a file cut short, or the wrong file, looks to the plan like a revision that removed clauses,
// and cancelling is for good. The caller lets an intended one through with an explicit count.
//
// Thread-safety: the functions are reentrant; the service and read model are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar/calendar.h"
#include "model/gazette/clause.h"
#include "model/gazette/parser.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/task/ingest_plan.h"
#include "model/time.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"

namespace duban::service {

// One input file, read and parsed.
struct IngestSource {
  std::string name;  // file name, for messages
  std::string bytes;
  gazette::ParseResult parsed;
};

// One document of a source with the plan for it.
struct PlannedDocument {
  std::string source;
  gazette::Document document;
  int version = 0;  // the version it is registered as if its content is new
  task::IngestPlan plan;
  // For check_cancellations(), from the plan and the document's tasks before it:
  int open_tasks_before = 0;  // the document's open tasks
  int cancels = 0;            // CancelTask commands in the plan
  int last_clause_line = 0;   // source line where this text's last clause starts (0: none)
  bool tail_missing = false;  // every task it cancels had its clause after last_clause_line
};

// Without an explicit allowance, a run may cancel at most this many tasks in all, and at most
// half of any one document's open tasks (one always may go).
constexpr int kDefaultCancelLimit = 5;

// One command of a plan as it ran, for callers that report what happened to which task.
struct IngestStep {
  task::Command command;
  CommandOutcome outcome;
};

// What running plans did.
struct IngestCounts {
  int registered = 0;  // RegisterDocument appended (a document or a new version)
  int created = 0;
  int reassigned = 0;
  int revised = 0;
  int deadlines = 0;
  int cancelled = 0;
  std::int64_t events = 0;  // events appended now (duplicates of earlier runs not counted)

  void add(const IngestCounts& other);
  bool operator==(const IngestCounts&) const = default;
};

// The lines [first_line, last_line] (1-based, inclusive) of `bytes`, CRs dropped: the text a
// document's content hash covers, so editing one notice of a gazette leaves the others alone.
std::string document_text(std::string_view bytes, int first_line, int last_line);

// When tasks are assigned (交办), for relative deadlines (model/task/relative_deadlines.h): the
// instant of 交办 (its date in Asia/Shanghai counts) and the working-day calendar.
struct AssignedAt {
  Timestamp at;
  const calendar::Calendar& calendar = calendar::Calendar::builtin();
};

// Plans every document of `sources` against `model`. A document whose plan is refused, or which
// appears twice in one run, is left out and described in `problems`; plan notes (clauses without
// a lead, closed tasks left alone) are in each PlannedDocument's plan. With `assigned`, clauses
// whose only deadline is relative (7个工作日内) get the date it ends on counted from then; without
// it they get no deadline.
std::vector<PlannedDocument> plan_documents(const std::vector<IngestSource>& sources,
                                            const projections::ReadModel& model,
                                            std::vector<std::string>& problems,
                                            const std::optional<AssignedAt>& assigned = {});

// Refuses (error code "too_many_cancellations") a run whose plans would cancel more tasks than
// allowed: more than `allowed` in all when it is given, else more than kDefaultCancelLimit in
// all or more than half (and at least two) of one document's open tasks. The message names the
// count, the documents, the signs of a truncated file (a document's later clauses all missing,
// its clause count falling) and how to allow it: `allow_hint` followed by the count
// ("--allow-cancel " for the CLI). Check before running any plan, so nothing is written.
std::optional<Error> check_cancellations(const std::vector<PlannedDocument>& planned,
                                         std::optional<int> allowed, std::string_view allow_hint);

// Refuses (forbidden) a plan `actor` may not run whole: a person must hold the office's role of
// every command (docs/api.md, "Roles": inspector, and leader for a cancellation); machines and
// the system always may. decide() checks each command again; checking first keeps a refused
// plan from leaving half a document behind.
std::optional<Error> check_plan_roles(const PlannedDocument& document, const task::Actor& actor);

// The command id of one planned command: "ingest:<document>@v<version>:<task>:<CommandName>"
// ("…@v<version>:RegisterDocument" for the registration).
CommandId ingest_command_id(const PlannedDocument& document, const task::PlannedCommand& command);

// Called after each command ran; returning false stops the document there, unregistered, as if
// the process had died (progress bars, and the tests' fault injection).
using AfterCommand = std::function<bool(const task::PlannedCommand&)>;

// Runs one document's plan (registration last). An error names the command that failed; what
// ran before it stays in the log and the document stays unregistered, for the next run to
// finish. Stopped by `after` (false): error code "interrupted". When `steps` is given, every
// command that ran is appended to it with its outcome (the HTTP ingest lists the tasks).
// The commands run as `actor` (the office's machine actor by default; a signed-in person of the
// office when one publishes over HTTP, so the audit names them). check_plan_roles() runs first,
// so a refused plan (forbidden) writes nothing.
Result<IngestCounts> run_plan(TaskService& service, const PlannedDocument& document,
                              const AfterCommand& after = {},
                              std::vector<IngestStep>* steps = nullptr,
                              const task::Actor& actor = task::Actor::supervisor());

}  // namespace duban::service
