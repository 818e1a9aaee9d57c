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
// Thread-safety: the functions are reentrant; the service and read model are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/gazette/clause.h"
#include "model/gazette/parser.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/ingest_plan.h"
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
};

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

// Plans every document of `sources` against `model`. A document whose plan is refused, or which
// appears twice in one run, is left out and described in `problems`; plan notes (clauses without
// a lead, closed tasks left alone) are in each PlannedDocument's plan.
std::vector<PlannedDocument> plan_documents(const std::vector<IngestSource>& sources,
                                            const projections::ReadModel& model,
                                            std::vector<std::string>& problems);

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
Result<IngestCounts> run_plan(TaskService& service, const PlannedDocument& document,
                              const AfterCommand& after = {},
                              std::vector<IngestStep>* steps = nullptr);

}  // namespace duban::service
