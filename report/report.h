// The supervision report (考评): per unit, per document and clause, the overdue list and the
// deadlines over time, computed from the projections at one position of the log and evaluated
// at one instant `now`. Nothing here reads a clock, so the same log position and `now` always
// give the same report (the header names both, and the chain hash, so it can be reproduced).
//
// Definitions (also in docs/audit.md, "Reports"). A task counts for a unit by its current role;
// cancelled tasks count nowhere except in the document rows and the cancelled totals.
//   led             tasks the unit leads
//   joined          tasks the unit takes part in (participant)
//   acknowledged    of led + joined, those the unit signed for (签收)
//   closed          led tasks that are closed (销号)
//   closed on time  of those, closed at or before the deadline then in force (an approved
//                   extension moves it), or without a deadline
//   overdue         led tasks open at `now` whose deadline has passed
//   returned        completions of the unit sent back for rework (退办), events
//   extensions      extensions approved on the unit's request, events
//   urged           urgings (催办) aimed at the unit or its whole task, events
//   late reports    reporting periods (每月/每季度 报送进展) of led tasks that ended without a
//                   progress report (ProgressReportOverdue, recorded by the sweep)
//   contributions   contributions the unit reported as a participant (配合单位,
//   ContributionReported)
// A clause row of a parent task counts its child tasks (分解/转办) and how many are closed, and
// the participants' contributions on it.
//   completion      closed / led;  on time: closed on time / closed
//
// Thread-safety: build_report() is reentrant; a Report is a plain value.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/deadline.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "service/projections/read_model.h"
#include "service/projections/views.h"

namespace duban::report {

using UnitNamer = std::function<std::string(const UnitId&)>;

struct ReportOptions {
  Timestamp now;  // the instant lights and "overdue" are evaluated at
  double yellow_share = service::projections::kDefaultYellowShare;
  std::optional<UnitId> unit;          // only this unit's row, and tasks it leads or joins
  std::optional<DocumentId> document;  // only this document's tasks
};

struct UnitRow {
  UnitId unit;
  std::string name;
  int led = 0;
  int joined = 0;
  int acknowledged = 0;
  int closed = 0;
  int closed_on_time = 0;
  int overdue = 0;
  int returned = 0;
  int extensions = 0;
  int urged = 0;
  int late_reports = 0;
  int contributions = 0;  // ContributionReported by this unit as a participant (配合单位)
  int open_led() const { return led - closed; }
  // closed / led, and closed_on_time / closed; nullopt when the denominator is 0.
  std::optional<double> completion() const;
  std::optional<double> on_time() const;
};

struct ClauseRow {
  TaskId task;
  std::string label;    // clause numbering as printed
  std::string heading;  // clause text up to the first 。
  int line = 0;
  task::Status status = task::Status::kAssigned;
  task::Light light = task::Light::kNone;
  task::Deadline deadline;
  std::vector<std::string> leads;         // names
  std::vector<std::string> participants;  // names
  int acknowledged = 0;                   // units that signed, of leads + participants
  std::optional<Timestamp> closed_at;
  // Child tasks (分解/转办, docs/lifecycle.md): a child is a row of its own (it keeps its
  // parent's clause) naming its parent; a parent lists its children's ids.
  TaskId parent;                 // empty for a document's task
  std::vector<TaskId> children;  // in creation order
  int children_closed = 0;       // of children, those closed (销号) at the report's position
  int contributions = 0;         // participants' contributions (ContributionReported)
};

struct DocumentRow {
  DocumentId document;
  std::string number;  // issuing number; empty when none is printed
  std::string title;   // empty when the document's registration is not in the log yet
  int version = 0;
  int tasks = 0;
  service::projections::StatusCounts by_status{};
  service::projections::LightCounts by_light{};
  std::vector<ClauseRow> clauses;  // in document order (source line)
};

struct OverdueRow {
  TaskId task;
  DocumentId document;
  std::string label;
  std::string heading;
  std::string deadline;
  std::int64_t days_overdue = 0;
  task::Status status = task::Status::kAssigned;
  std::vector<std::string> leads;  // names
  bool recorded = false;           // the sweep recorded TaskOverdue for this deadline
};

// Tasks (not cancelled) whose current deadline falls in one month, by where they stand at now.
struct DeadlineMonth {
  std::string month;  // "2016-06"
  int closed_on_time = 0;
  int closed_late = 0;
  int open_due_later = 0;  // open, deadline not passed at now
  int overdue = 0;         // open, deadline passed at now
  int total() const { return closed_on_time + closed_late + open_due_later + overdue; }
};

struct Totals {
  int tasks = 0;  // in scope, cancelled included
  int open = 0;
  int closed = 0;
  int closed_on_time = 0;
  int cancelled = 0;
  int overdue = 0;      // open, past the deadline at now
  int no_deadline = 0;  // open, without a deadline
  int documents = 0;    // documents with tasks in scope
  int units = 0;        // unit rows
};

struct Report {
  Timestamp now;
  GlobalPosition position;  // the log position the projections stand at
  std::string head_hash;    // its chain hash, raw bytes
  ReportOptions options;
  Totals totals;
  std::vector<UnitRow> units;            // most led first, then most joined, then by unit id
  std::vector<DocumentRow> documents;    // by document id; those with tasks in scope
  std::vector<OverdueRow> overdue;       // longest overdue first
  std::vector<DeadlineMonth> deadlines;  // by month, only months with deadlines
};

// `state` is the projections at `position` (whose stored hash is `head_hash`).
Report build_report(const service::projections::ReadModelState& state, GlobalPosition position,
                    std::string head_hash, const ReportOptions& options, const UnitNamer& name);

// The calendar date of `t` in Asia/Shanghai (where deadlines live): "2016-12-31".
std::string shanghai_date(Timestamp t);

}  // namespace duban::report
