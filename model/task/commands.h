// Commands: imperative requests that decide() turns into events or refuses. Plain values.
//
// The acting unit is never a command field: it is the Actor passed to decide(), so a unit
// cannot act in another unit's name by filling in a field. Every task command names its task so
// callers can route it to the right stream (task_of()); decide() checks it matches the state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/ids.h"
#include "model/task/events.h"
#include "model/task/mode.h"
#include "model/task/provenance.h"

namespace duban::task {

// Register a document's text (a new document, or a new version of one). Supervisor.
struct RegisterDocument {
  static constexpr std::string_view kName = "RegisterDocument";
  DocumentId document;
  std::string number;
  std::string title;
  std::string issuer;
  std::string signed_date;
  std::vector<std::string> parts;
  int version = 0;  // must be greater than the registered version
  std::string content_hash;
  bool operator==(const RegisterDocument&) const = default;
};

// Create a task from a clause and assign its units (立项/交办). Supervisor.
struct CreateTask {
  static constexpr std::string_view kName = "CreateTask";
  TaskId task;
  Provenance provenance;
  Mode mode = Mode::kLead;
  std::vector<UnitId> leads;         // at least one, no duplicates
  std::vector<UnitId> participants;  // no duplicates, none also a lead
  Deadline deadline;
  // The document's reading when it differs from the values above (TaskCreated::reading).
  std::optional<Reading> reading = std::nullopt;
  bool operator==(const CreateTask&) const = default;
};

// Replace the lead and participating units (and optionally the mode). Supervisor.
struct ReassignTask {
  static constexpr std::string_view kName = "ReassignTask";
  TaskId task;
  std::vector<UnitId> leads;
  std::vector<UnitId> participants;
  std::optional<Mode> mode;  // nullopt keeps the current mode
  std::string reason;        // required: the audit trail must say why
  std::optional<int> document_version;
  bool operator==(const ReassignTask&) const = default;
};

// Point the task's provenance at a revised clause, and record the revision's reading of it.
// Supervisor (ingest).
struct ReviseTask {
  static constexpr std::string_view kName = "ReviseTask";
  TaskId task;
  Provenance provenance;
  std::optional<Reading> reading;  // the clause's units and deadline as the revision reads them
  bool operator==(const ReviseTask&) const = default;
};

// The acting unit signs for the task (签收). Assigned units.
struct AcknowledgeTask {
  static constexpr std::string_view kName = "AcknowledgeTask";
  TaskId task;
  bool operator==(const AcknowledgeTask&) const = default;
};

// The acting unit reports progress (进度反馈). Assigned units.
struct ReportProgress {
  static constexpr std::string_view kName = "ReportProgress";
  TaskId task;
  std::string note;
  std::optional<int> percent;    // 0..100
  Attachments attachments = {};  // uploaded evidence (storage/blob_store.h), by reference
  bool operator==(const ReportProgress&) const = default;
};

// Urge the task (催办), optionally aimed at one assigned unit. Supervisor.
struct UrgeTask {
  static constexpr std::string_view kName = "UrgeTask";
  TaskId task;
  std::optional<UnitId> unit;
  std::string note;
  bool operator==(const UrgeTask&) const = default;
};

// Ask for a later deadline (延期申请). Lead units; the task must have a deadline.
struct RequestExtension {
  static constexpr std::string_view kName = "RequestExtension";
  TaskId task;
  std::string requested_deadline;  // ISO date after the current deadline
  std::string reason;
  bool operator==(const RequestExtension&) const = default;
};

// Grant the pending extension, optionally with a different date. Supervisor.
struct ApproveExtension {
  static constexpr std::string_view kName = "ApproveExtension";
  TaskId task;
  std::optional<std::string> deadline;  // nullopt grants the requested date
  bool operator==(const ApproveExtension&) const = default;
};

// Refuse the pending extension. Supervisor.
struct RejectExtension {
  static constexpr std::string_view kName = "RejectExtension";
  TaskId task;
  std::string reason;
  bool operator==(const RejectExtension&) const = default;
};

// Set, change or clear the deadline. Supervisor (also ingest, for a revised clause).
struct SetDeadline {
  static constexpr std::string_view kName = "SetDeadline";
  TaskId task;
  Deadline deadline;
  std::string reason;
  std::optional<int> document_version;
  bool operator==(const SetDeadline&) const = default;
};

// The acting lead unit reports completion (办结报告): of the task, or of its part in
// separately mode. Lead units.
struct ReportCompletion {
  static constexpr std::string_view kName = "ReportCompletion";
  TaskId task;
  std::string summary;
  Attachments attachments = {};  // uploaded evidence (storage/blob_store.h), by reference
  bool operator==(const ReportCompletion&) const = default;
};

// Approve a reported completion (审核/销号). `unit` picks the part in separately mode and may be
// omitted when exactly one completion awaits review. Supervisor.
struct ApproveCompletion {
  static constexpr std::string_view kName = "ApproveCompletion";
  TaskId task;
  std::optional<UnitId> unit;
  bool operator==(const ApproveCompletion&) const = default;
};

// Send a reported completion back for rework (退办); `unit` as for ApproveCompletion.
// Supervisor.
struct ReturnTask {
  static constexpr std::string_view kName = "ReturnTask";
  TaskId task;
  std::optional<UnitId> unit;
  std::string reason;
  bool operator==(const ReturnTask&) const = default;
};

// Reopen a closed task. Supervisor.
struct ReopenTask {
  static constexpr std::string_view kName = "ReopenTask";
  TaskId task;
  std::string reason;
  bool operator==(const ReopenTask&) const = default;
};

// Withdraw an open task. Supervisor (also ingest, for a clause a revision removed).
struct CancelTask {
  static constexpr std::string_view kName = "CancelTask";
  TaskId task;
  std::string reason;
  std::optional<int> document_version;
  bool operator==(const CancelTask&) const = default;
};

// Set how often the task's units report progress (每月/每季度 报送进展); kNone clears it.
// Supervisor; open tasks.
struct SetReportingCycle {
  static constexpr std::string_view kName = "SetReportingCycle";
  TaskId task;
  ReportingCycle cycle = ReportingCycle::kNone;
  std::string reason;
  bool operator==(const SetReportingCycle&) const = default;
};

// Sign off the acting unit's completion that a handler submitted (负责人审核): it reaches the
// supervisor as reported. The unit's head (负责人), for a lead unit whose completion awaits
// sign-off.
struct SignOffCompletion {
  static constexpr std::string_view kName = "SignOffCompletion";
  TaskId task;
  std::string note;  // optional remark
  bool operator==(const SignOffCompletion&) const = default;
};

// Send a submitted completion back to the unit's handlers instead of signing it off. The unit's
// head (负责人).
struct RefuseSignOff {
  static constexpr std::string_view kName = "RefuseSignOff";
  TaskId task;
  std::string reason;  // required
  bool operator==(const RefuseSignOff&) const = default;
};

// Expand a group unit assigned to the task (各市州政府, 各有关部门) into one child task per member
// (分解). `members` empty: the unit directory's members of the group (the service fills them in;
// decide() refuses an empty list). Supervisor (inspector).
struct ExpandTask {
  static constexpr std::string_view kName = "ExpandTask";
  TaskId task;
  UnitId group;                 // a lead or participant of the task
  std::vector<UnitId> members;  // the units that get a child task each
  Deadline deadline;            // nullopt: the task's own deadline
  std::string note;             // may be empty
  bool operator==(const ExpandTask&) const = default;
};

// Hand parts of the task down to bodies below the acting lead unit (转办): one child task per unit,
// each a unit whose directory parent is the acting unit (UnitRules::below). Lead units (handler).
struct DelegateTask {
  static constexpr std::string_view kName = "DelegateTask";
  TaskId task;
  std::vector<UnitId> units;  // at least one, no duplicates
  Deadline deadline;          // no later than the task's; nullopt: the task's own deadline
  std::string note;           // may be empty
  bool operator==(const DelegateTask&) const = default;
};

// The acting participant (配合单位) reports what it contributed. Participating units (handler).
struct ReportContribution {
  static constexpr std::string_view kName = "ReportContribution";
  TaskId task;
  std::string text;              // required
  Attachments attachments = {};  // uploaded evidence (storage/blob_store.h), by reference
  bool operator==(const ReportContribution&) const = default;
};

// Say whether the task's completions must carry evidence (at least one attachment). Publishing
// a draft runs it for each task of the document whose setting differs from the draft's.
// Supervisor (inspector).
struct SetEvidenceRequirement {
  static constexpr std::string_view kName = "SetEvidenceRequirement";
  TaskId task;
  bool required = false;
  std::string reason;
  std::optional<int> document_version;  // set when publishing a document version causes it
  bool operator==(const SetEvidenceRequirement&) const = default;
};

using Command =
    std::variant<RegisterDocument, CreateTask, ReassignTask, ReviseTask, AcknowledgeTask,
                 ReportProgress, UrgeTask, RequestExtension, ApproveExtension, RejectExtension,
                 SetDeadline, ReportCompletion, ApproveCompletion, ReturnTask, ReopenTask,
                 CancelTask, SetReportingCycle, SignOffCompletion, RefuseSignOff, ExpandTask,
                 DelegateTask, ReportContribution, SetEvidenceRequirement>;

// The command's name ("CreateTask"), for logs and error messages.
std::string_view command_name(const Command& command);
// The task a command addresses; nullopt for RegisterDocument (a document-stream command).
std::optional<TaskId> task_of(const Command& command);

}  // namespace duban::task
