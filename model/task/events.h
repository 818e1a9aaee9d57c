// Events: the immutable, past-tense facts of the supervision lifecycle, one std::variant.
//
// Every event type carries a stable name (kType) and a schema version (kSchemaVersion) that the
// store writes into the envelope; docs/events.md lists every field and its meaning. The struct
// and its alternative in `Event` are the one place an event type is declared: the catalogue
// (event_catalogue.h) and the codec follow from them, and tests check the payload schema, the
// samples, docs/events.md and the projections' fingerprint against them (docs/events.md,
// "Adding an event type"). Rules for
// evolving them (also in docs/events.md): never rename a type, never remove or reuse a field;
// add fields with a default that reads old payloads correctly; a change of meaning bumps
// kSchemaVersion and needs an upcaster.
//
// Events carry `now` wherever state keeps a time (created_at, closed_at, …), so apply() never
// needs the envelope or a clock and replay is deterministic.
//
// Streams: task events belong to the task's stream, DocumentRegistered to the document's (see
// streams.h), account events (model/account/events.h) to the account's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/account/events.h"
#include "model/account/token_events.h"
#include "model/ids.h"
#include "model/task/attachment.h"
#include "model/task/draft_clause.h"
#include "model/task/event_catalogue.h"
#include "model/task/mode.h"
#include "model/task/provenance.h"
#include "model/time.h"

namespace duban::task {

// Deadlines are ISO 8601 dates ("2017-12-31") meaning the end of that day in Asia/Shanghai;
// see deadline.h. nullopt means the task has no deadline.
using Deadline = std::optional<std::string>;

// How often a task's units report progress (报送进展); model/task/reporting.h.
enum class ReportingCycle { kNone, kMonthly, kQuarterly };

// A document (or a new version of one) was ingested. Document stream.
struct DocumentRegistered {
  static constexpr std::string_view kType = "DocumentRegistered";
  static constexpr int kSchemaVersion = 1;
  DocumentId document;             // gazette::Document::id
  std::string number;              // issuing number; empty when none is printed
  std::string title;               // document title
  std::string issuer;              // issuing office; empty when not found
  std::string signed_date;         // ISO date; empty when not found
  std::vector<std::string> parts;  // body and attachment titles holding clauses
  int version = 0;                 // 1 for the first text, +1 for each revised text
  std::string content_hash;        // hash of the ingested text; equal hash = same content
  bool operator==(const DocumentRegistered&) const = default;
};

// A task was created from a clause (立项). Always the first event of a task stream.
struct TaskCreated {
  static constexpr std::string_view kType = "TaskCreated";
  // 2: provenance carries part and document_version. Version 1 payloads lack both and are
  // upcast on decoding (storage/event_codec.cpp, docs/events.md).
  static constexpr int kSchemaVersion = 2;
  TaskId task;                       // the stream's id
  Provenance provenance;             // clause and document version it came from
  Mode mode = Mode::kLead;           // how the leads share completion
  std::vector<UnitId> leads;         // at least one
  std::vector<UnitId> participants;  // never also a lead
  Deadline deadline;                 // from the clause's last deadline, if any
  Timestamp created_at{};            // start of the time the light measures against
  // The document's reading of the clause (TaskState::as_read) when it differs from the values
  // above: a person corrected the draft before 交办 (the machine read other units), or the
  // deadline was resolved from a relative span (the document names no date). nullopt: the
  // values above are the reading (every payload written before drafts).
  std::optional<Reading> reading = std::nullopt;
  // The task this one was handed down from (a ChildTaskCreated there: 转办, or a group expanded
  // into its members); empty for a task of a document's clause (every payload before children).
  TaskId parent = TaskId();
  bool operator==(const TaskCreated&) const = default;
};

// A unit was given the task (交办). Follows TaskCreated once per unit, and TaskReassigned once
// per unit added or whose role changed, so inbox projections can key on it alone.
struct UnitAssigned {
  static constexpr std::string_view kType = "UnitAssigned";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  Role role = Role::kLead;
  std::optional<int> document_version;  // set when an ingest caused the assignment
  bool operator==(const UnitAssigned&) const = default;
};

// The supervisor changed the lead or participating units (or the mode).
struct TaskReassigned {
  static constexpr std::string_view kType = "TaskReassigned";
  static constexpr int kSchemaVersion = 1;
  Mode old_mode = Mode::kLead;
  Mode new_mode = Mode::kLead;
  std::vector<UnitId> old_leads;
  std::vector<UnitId> old_participants;
  std::vector<UnitId> new_leads;
  std::vector<UnitId> new_participants;
  std::string reason;                   // why, in words; ingest says which revision
  std::optional<int> document_version;  // set when a revised document caused it
  bool operator==(const TaskReassigned&) const = default;
};

// The clause behind a task changed in a revised document (its text, numbering, or what it says
// about units and deadline); the provenance now points at it.
struct TaskRevised {
  static constexpr std::string_view kType = "TaskRevised";
  static constexpr int kSchemaVersion = 1;
  Provenance provenance;  // the new clause; provenance.document_version is the revision
  // The revision's reading of the clause's units and deadline, which becomes TaskState::as_read.
  // nullopt in payloads written before revisions were three-way (their ingests kept the live
  // units and deadline equal to the reading, so apply() finds it in TaskReassigned/DeadlineSet).
  std::optional<Reading> reading;
  bool operator==(const TaskRevised&) const = default;
};

// A unit acknowledged receipt (签收).
struct TaskAcknowledged {
  static constexpr std::string_view kType = "TaskAcknowledged";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  Timestamp at{};
  bool operator==(const TaskAcknowledged&) const = default;
};

// A unit reported progress (进度反馈).
struct ProgressReported {
  static constexpr std::string_view kType = "ProgressReported";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  std::string note;
  std::optional<int> percent;  // 0..100 when the unit gave one
  Timestamp at{};
  Attachments attachments = {};  // evidence, by hash (attachment.h); empty in older payloads
  bool operator==(const ProgressReported&) const = default;
};

// The supervisor urged the task (催办), aimed at one unit or at all of them.
struct TaskUrged {
  static constexpr std::string_view kType = "TaskUrged";
  static constexpr int kSchemaVersion = 1;
  std::optional<UnitId> unit;  // nullopt: every unit on the task
  std::string note;
  bool operator==(const TaskUrged&) const = default;
};

// A lead unit asked for a later deadline (延期申请). At most one is pending at a time.
struct ExtensionRequested {
  static constexpr std::string_view kType = "ExtensionRequested";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  std::string requested_deadline;  // ISO date, later than the current deadline
  std::string reason;
  bool operator==(const ExtensionRequested&) const = default;
};

// The supervisor granted the pending extension; the deadline moves and reminders re-arm.
struct ExtensionApproved {
  static constexpr std::string_view kType = "ExtensionApproved";
  static constexpr int kSchemaVersion = 1;
  std::string new_deadline;  // ISO date; the requested one unless the supervisor chose another
  Deadline previous_deadline;
  bool operator==(const ExtensionApproved&) const = default;
};

// The supervisor refused the pending extension; the deadline stays.
struct ExtensionRejected {
  static constexpr std::string_view kType = "ExtensionRejected";
  static constexpr int kSchemaVersion = 1;
  std::string reason;
  bool operator==(const ExtensionRejected&) const = default;
};

// The supervisor (or a revised document) set, changed or cleared the deadline; reminders re-arm.
struct DeadlineSet {
  static constexpr std::string_view kType = "DeadlineSet";
  static constexpr int kSchemaVersion = 1;
  Deadline deadline;  // nullopt clears it
  Deadline previous_deadline;
  std::string reason;
  std::optional<int> document_version;  // set when a revised document caused it
  bool operator==(const DeadlineSet&) const = default;
};

// A lead unit reported its completion (办结报告): of the shared task, or of its own part in
// separately mode.
struct CompletionReported {
  static constexpr std::string_view kType = "CompletionReported";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  std::string summary;
  Timestamp at{};
  // Evidence, by hash (attachment.h); empty in older payloads. After a sign-off, the evidence
  // stays on the CompletionSubmitted it followed, and this list is empty.
  Attachments attachments = {};
  bool operator==(const CompletionReported&) const = default;
};

// The supervisor approved a reported completion. `unit` is the part's lead in separately mode,
// and the reporting lead otherwise. TaskClosed follows when no part remains open.
struct CompletionApproved {
  static constexpr std::string_view kType = "CompletionApproved";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  bool operator==(const CompletionApproved&) const = default;
};

// Every part is approved: the task is done (销号).
struct TaskClosed {
  static constexpr std::string_view kType = "TaskClosed";
  static constexpr int kSchemaVersion = 1;
  Timestamp closed_at{};
  bool operator==(const TaskClosed&) const = default;
};

// The supervisor sent a reported completion back for rework (退办).
struct TaskReturned {
  static constexpr std::string_view kType = "TaskReturned";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;  // whose completion (part) goes back
  std::string reason;
  bool operator==(const TaskReturned&) const = default;
};

// The supervisor reopened a closed task; every part is open again.
struct TaskReopened {
  static constexpr std::string_view kType = "TaskReopened";
  static constexpr int kSchemaVersion = 1;
  std::string reason;
  bool operator==(const TaskReopened&) const = default;
};

// The task was withdrawn, by the supervisor or because its clause left a revised document.
struct TaskCancelled {
  static constexpr std::string_view kType = "TaskCancelled";
  static constexpr int kSchemaVersion = 1;
  std::string reason;
  std::optional<int> document_version;  // set when a revised document caused it
  Timestamp cancelled_at{};
  bool operator==(const TaskCancelled&) const = default;
};

// Recorded by the sweep (actor system) when an open task's light first turns yellow.
struct DeadlineApproaching {
  static constexpr std::string_view kType = "DeadlineApproaching";
  static constexpr int kSchemaVersion = 1;
  std::string deadline;  // the deadline that is approaching
  Timestamp at{};        // the sweep's `now`
  bool operator==(const DeadlineApproaching&) const = default;
};

// Recorded by the sweep (actor system) when an open task first passes its deadline.
struct TaskOverdue {
  static constexpr std::string_view kType = "TaskOverdue";
  static constexpr int kSchemaVersion = 1;
  std::string deadline;  // the deadline that passed
  Timestamp at{};        // the sweep's `now`
  bool operator==(const TaskOverdue&) const = default;
};

// The supervisor set (or cleared, kNone) how often the task's units report progress.
struct ReportingCycleSet {
  static constexpr std::string_view kType = "ReportingCycleSet";
  static constexpr int kSchemaVersion = 1;
  ReportingCycle cycle = ReportingCycle::kNone;
  ReportingCycle previous = ReportingCycle::kNone;
  std::string reason;
  Timestamp at{};  // when; the first period counted is the next one after it
  bool operator==(const ReportingCycleSet&) const = default;
};

// Recorded by the sweep (actor system): the current period's report is due within a week and
// nobody has reported in the period yet.
struct ProgressReportDue {
  static constexpr std::string_view kType = "ProgressReportDue";
  static constexpr int kSchemaVersion = 1;
  std::string period;  // "2016-03" or "2016-Q1"
  std::string due;     // ISO date: the period's last day
  Timestamp at{};      // the sweep's `now`
  bool operator==(const ProgressReportDue&) const = default;
};

// Recorded by the sweep (actor system): a period ended without a progress report (a late
// report; the scorecards count them).
struct ProgressReportOverdue {
  static constexpr std::string_view kType = "ProgressReportOverdue";
  static constexpr int kSchemaVersion = 1;
  std::string period;  // "2016-03" or "2016-Q1"
  std::string due;     // ISO date: the period's last day
  Timestamp at{};      // the sweep's `now`
  bool operator==(const ProgressReportOverdue&) const = default;
};

// --- Drafts (拟办): a document's reading under review, in the draft stream "draft/<document>".
// No unit sees these events; publishing the draft (交办) creates the tasks. model/draft/.

// A document was read for review instead of becoming tasks at once (`duban ingest --review`).
// The first event of a draft stream; a new text of the document records a new draft in the same
// stream (allowed while the previous one is unpublished, or after it was published).
struct DraftRecorded {
  static constexpr std::string_view kType = "DraftRecorded";
  static constexpr int kSchemaVersion = 1;
  DocumentId document;               // gazette::Document::id
  std::string number;                // issuing number; empty when none is printed
  std::string title;                 // document title
  std::string issuer;                // issuing office; empty when not found
  std::string signed_date;           // ISO date; empty when not found
  std::vector<std::string> parts;    // body and attachment titles holding clauses
  int version = 0;                   // the document version publishing registers
  std::string content_hash;          // hash of the text read (as DocumentRegistered)
  std::vector<DraftClause> clauses;  // the machine's reading, in document order
  bool operator==(const DraftRecorded&) const = default;
};

// The supervisor corrected the draft: the clauses `before` (keys of the draft) are replaced by
// `after`. One clause each for a change of units, mode, label or deadline; one → two for a
// split; two → one for a merge; one → none for a drop; none → one for an added clause.
struct DraftCorrected {
  static constexpr std::string_view kType = "DraftCorrected";
  static constexpr int kSchemaVersion = 1;
  Correction kind = Correction::kUnits;
  std::vector<DraftClause> before;  // the clauses as they were (empty when one was added)
  std::vector<DraftClause> after;   // what replaces them (empty when one was dropped)
  std::string reason;               // why, in words; required for a drop
  bool operator==(const DraftCorrected&) const = default;
};

// The reviewed draft became tasks (交办): the document is registered and live from here on.
struct DraftPublished {
  static constexpr std::string_view kType = "DraftPublished";
  static constexpr int kSchemaVersion = 1;
  int version = 0;            // the document version registered
  std::vector<TaskId> tasks;  // the tasks the publication created, in document order
  Timestamp published_at{};   // when
  bool operator==(const DraftPublished&) const = default;
};

// The supervisor said which directory unit a name the directory does not know means. Stream
// "unit-names"; later drafts and ingests read the name as that unit.
struct UnitNameMapped {
  static constexpr std::string_view kType = "UnitNameMapped";
  static constexpr int kSchemaVersion = 1;
  std::string name;  // the name as written in documents (compared blank- and bracket-blind)
  UnitId unit;       // the directory unit it means
  bool operator==(const UnitNameMapped&) const = default;
};

// The unit directory (data/units.tsv's format) that an ingest resolved unit names with, recorded
// in the stream "unit-directory" when it differs from the last one recorded there, so that a
// server and an audit of the log name units with the directory the tasks were created under
// (docs/extraction.md, "The unit directory"). No task's event: the projections skip it.
struct UnitDirectoryRecorded {
  static constexpr std::string_view kType = "UnitDirectoryRecorded";
  static constexpr int kSchemaVersion = 1;
  std::string tsv;     // the directory's whole text, as read
  std::string sha256;  // "sha256:" + hex SHA-256 of tsv (service/content_hash.h)
  std::string source;  // where it was read from: the --units file as given, or "built-in"
  bool operator==(const UnitDirectoryRecorded&) const = default;
};

// --- Sign-off within a unit (负责人审核), when the unit requires it
// (account::UnitSignOffRequired).

// A handler (承办人) of a lead unit that requires sign-off reported completion: it awaits the
// unit head's (负责人) sign-off and is not yet reported to the supervisor.
struct CompletionSubmitted {
  static constexpr std::string_view kType = "CompletionSubmitted";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;          // the lead unit whose part (or the shared completion) it is
  std::string summary;  // the handler's summary, as the supervisor will see it
  Timestamp at{};
  Attachments attachments = {};  // evidence, by hash (attachment.h); empty in older payloads
  bool operator==(const CompletionSubmitted&) const = default;
};

// The unit head signed off a submitted completion; a CompletionReported carrying its summary
// follows in the same command, which is when the supervisor sees it.
struct CompletionSignedOff {
  static constexpr std::string_view kType = "CompletionSignedOff";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;       // the lead unit
  std::string note;  // the head's remark; may be empty
  Timestamp at{};
  bool operator==(const CompletionSignedOff&) const = default;
};

// The unit head refused to sign off a submitted completion; the part is open again.
struct SignOffRefused {
  static constexpr std::string_view kType = "SignOffRefused";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;         // the lead unit
  std::string reason;  // required: what the handler must change
  Timestamp at{};
  bool operator==(const SignOffRefused&) const = default;
};

// --- Child tasks (分解/转办) and participants' contributions (配合单位), docs/lifecycle.md
// "Child tasks".

// A child task was created under this task: a lead unit handed part of it down to a body below
// it (转办, `delegated_by` set), or the office expanded a group unit into one of its members
// (`group` set). The child's own stream "task/<child>" starts with a TaskCreated naming this task
// as its parent. The child's completion does not close this task.
struct ChildTaskCreated {
  static constexpr std::string_view kType = "ChildTaskCreated";
  static constexpr int kSchemaVersion = 1;
  TaskId child;         // the child's id: "<this task>~<unit>" (child_task_id())
  UnitId unit;          // the child's lead unit
  Deadline deadline;    // the child's deadline; never later than this task's
  UnitId delegated_by;  // the lead unit that handed it down (转办); empty for an expansion
  UnitId group;         // the group unit expanded into its members; empty for 转办
  std::string note;     // what the child is asked to do, in words; may be empty
  Timestamp at{};       // when
  bool operator==(const ChildTaskCreated&) const = default;
};

// A participating unit (配合单位) reported what it contributed to the task; the leads see it
// before they report completion, and the report counts it.
struct ContributionReported {
  static constexpr std::string_view kType = "ContributionReported";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;                   // the participant
  std::string text;              // what it did, in words
  Timestamp at{};                // when
  Attachments attachments = {};  // evidence, by hash (attachment.h); empty in older payloads
  bool operator==(const ContributionReported&) const = default;
};

// --- Evidence required with completions (issue 15, set at review), docs/lifecycle.md
// "Evidence required".

// The supervisor said, while reviewing the draft, whether completions of the document's tasks
// must carry evidence (佐证材料: at least one attachment). Draft stream; publishing (交办) gives
// every live task of the document the setting (EvidenceRequirementSet). The setting stays with
// the document: a later draft of a new text starts with it.
struct DraftEvidenceRequirementSet {
  static constexpr std::string_view kType = "DraftEvidenceRequirementSet";
  static constexpr int kSchemaVersion = 1;
  bool required = false;  // true: a completion without attachments is refused
  std::string reason;     // why, in words; may be empty
  bool operator==(const DraftEvidenceRequirementSet&) const = default;
};

// Whether the task's completions must carry evidence changed (a published draft's setting, or
// inherited from the parent by a child task). While required, ReportCompletion without
// attachments is refused.
struct EvidenceRequirementSet {
  static constexpr std::string_view kType = "EvidenceRequirementSet";
  static constexpr int kSchemaVersion = 1;
  bool required = false;                // true: completions need at least one attachment
  std::string reason;                   // why, in words
  std::optional<int> document_version;  // set when publishing a document version caused it
  bool operator==(const EvidenceRequirementSet&) const = default;
};

// Alternatives are only ever appended, never reordered: the index is not stored, but tools
// and tests may iterate in this order.
using Event = std::variant<
    DocumentRegistered, TaskCreated, UnitAssigned, TaskReassigned, TaskRevised, TaskAcknowledged,
    ProgressReported, TaskUrged, ExtensionRequested, ExtensionApproved, ExtensionRejected,
    DeadlineSet, CompletionReported, CompletionApproved, TaskClosed, TaskReturned, TaskReopened,
    TaskCancelled, DeadlineApproaching, TaskOverdue, ReportingCycleSet, ProgressReportDue,
    ProgressReportOverdue, DraftRecorded, DraftCorrected, DraftPublished, UnitNameMapped,
    account::AccountCreated, account::AccountDisabled, account::AccountRolesChanged,
    account::PasswordReset, account::SignInLockedOut, UnitDirectoryRecorded, CompletionSubmitted,
    CompletionSignedOff, SignOffRefused, account::UnitSignOffRequired, account::TokenIssued,
    account::TokenRevoked, ChildTaskCreated, ContributionReported, DraftEvidenceRequirementSet,
    EvidenceRequirementSet>;

// Every event type's name and schema version, in variant order, derived from `Event` (and
// checked at compile time: names unique, versions >= 1).
using EventTypes = EventCatalogue<Event>;
static_assert(EventTypes::kSize == std::variant_size_v<Event>);

// The event's stable type name ("TaskCreated"), for the envelope.
std::string_view event_type_name(const Event& event);
// The schema version of the event's payload (2 for TaskCreated, 1 for every other type).
int event_schema_version(const Event& event);
// Every type name, in variant order; lets decoders and tests check coverage.
const std::vector<std::string_view>& event_type_names();
// True for events of a document stream rather than a task stream.
bool is_document_event(const Event& event);
// True for the review events (drafts and unit names) and the recorded unit directory, which are
// no task's or document's: the projections of tasks skip them and no unit sees them.
bool is_draft_event(const Event& event);
// True for events of an account stream, a unit-policy stream (model/account/events.h) or a
// token stream (model/account/token_events.h).
bool is_account_event(const Event& event);

}  // namespace duban::task
