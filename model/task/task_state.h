// TaskState: everything a projection or decide() needs to know about one task, folded from its
// stream by apply(). A plain value; copy it freely.
//
// Completion is tracked in parts. In separately mode there is one part per lead unit, each
// reported and approved on its own; the task closes when every part is approved. In lead and
// responsible mode there is one shared part (Part::lead empty): any lead reports it and one
// approval closes the task.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/task/events.h"
#include "model/task/mode.h"
#include "model/task/provenance.h"
#include "model/time.h"

namespace duban::task {

enum class Status {
  kAssigned,            // created and assigned; no unit has acknowledged or reported yet
  kInProgress,          // some unit acknowledged or reported progress, or work was returned
  kCompletionReported,  // at least one completion awaits the supervisor's review
  kClosed,              // every part approved (销号); only ReopenTask is accepted
  kCancelled,           // withdrawn; final, nothing is accepted
};

enum class PartStatus {
  kOpen,             // being worked on (again, after a return or reopen)
  kReported,         // completion reported, awaiting review
  kApproved,         // approved by the supervisor
  kAwaitingSignOff,  // submitted by a handler; awaits the unit head's sign-off (not yet reported)
};

struct Part {
  UnitId lead;  // the owning lead in separately mode; empty for the shared part
  PartStatus status = PartStatus::kOpen;
  UnitId reported_by;   // the lead that reported (or submitted) the current completion, if any
  std::string summary;  // its summary
  bool operator==(const Part&) const = default;
};

struct PendingExtension {
  UnitId unit;                     // the lead that asked
  std::string requested_deadline;  // ISO date
  std::string reason;
  bool operator==(const PendingExtension&) const = default;
};

// A child task created under this one (ChildTaskCreated); its status lives in its own stream.
struct ChildTask {
  TaskId task;
  UnitId unit;          // its lead
  Deadline deadline;    // as created
  UnitId delegated_by;  // the lead that handed it down (转办); empty for a group expansion
  UnitId group;         // the group expanded; empty for 转办
  bool operator==(const ChildTask&) const = default;
};

// A participant's contribution (ContributionReported).
struct Contribution {
  UnitId unit;
  std::string text;
  Timestamp at{};
  bool operator==(const Contribution&) const = default;
};

struct TaskState {
  TaskId id;  // empty until TaskCreated
  Provenance provenance;
  Mode mode = Mode::kLead;
  std::vector<UnitId> leads;
  std::vector<UnitId> participants;
  std::vector<Part> parts;  // see the comment at the top of this file
  Status status = Status::kAssigned;
  std::vector<UnitId> acknowledged;  // units that signed for the task, in order; only current ones
  std::optional<PendingExtension> extension;  // the pending request, if any
  Deadline deadline;                          // current deadline
  Deadline original_deadline;                 // the first deadline the task ever had
  int urges = 0;                              // TaskUrged count
  int returns = 0;                            // TaskReturned count
  int extensions = 0;                         // ExtensionApproved count
  bool approaching_recorded = false;  // DeadlineApproaching recorded for the current deadline
  bool overdue_recorded = false;      // TaskOverdue recorded for the current deadline
  // Reporting cycle (model/task/reporting.h); periods are numbered as there.
  ReportingCycle reporting_cycle = ReportingCycle::kNone;
  int first_report_period = 0;       // the first period counted: the one after the cycle was set
  std::vector<int> progress_months;  // sorted months (year*12 + month-1, +08:00) with progress
  int report_due_period = 0;         // latest period with ProgressReportDue recorded
  int report_overdue_period = 0;     // latest period with ProgressReportOverdue recorded
  int late_reports = 0;              // ProgressReportOverdue count
  Timestamp created_at{};
  std::optional<Timestamp> closed_at;  // latest close; cleared by reopen
  std::optional<Timestamp> cancelled_at;
  // The document's latest reading of the clause (units, mode, deadline), changed only by what a
  // document caused: TaskCreated, TaskRevised with a reading, and TaskReassigned/DeadlineSet
  // carrying a document_version. A revision compares its reading with this, not with the live
  // fields above, so what the office changed by hand survives (plan_ingest()).
  Reading as_read;
  TaskId parent;                            // set for a child task (TaskCreated::parent)
  std::vector<ChildTask> children;          // in creation order
  std::vector<Contribution> contributions;  // participants' contributions, in order
  // Completions must carry at least one attachment (EvidenceRequirementSet; the document's
  // setting at review). ReportCompletion without attachments is refused while it is set.
  bool evidence_required = false;
  StreamVersion version;  // events applied; equals the stream version

  bool exists() const { return version.value() > 0; }
  // Neither closed nor cancelled: the states in which work and reminders go on.
  bool is_open() const { return status != Status::kClosed && status != Status::kCancelled; }
  bool is_lead(const UnitId& unit) const;
  bool is_participant(const UnitId& unit) const;
  bool is_assigned(const UnitId& unit) const { return is_lead(unit) || is_participant(unit); }
  bool has_acknowledged(const UnitId& unit) const;
  const ChildTask* child_for(const UnitId& unit) const;  // the child led by `unit`, or nullptr

  bool operator==(const TaskState&) const = default;
};

// "assigned" | "in_progress" | "completion_reported" | "closed" | "cancelled".
std::string_view to_string(Status status);
// "open" | "reported" | "approved".
std::string_view to_string(PartStatus status);

}  // namespace duban::task
