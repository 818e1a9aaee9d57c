// Deadlines in bulk (at review or later): one default deadline for every task of a document, or
// of one of its parts, that has none; or "N working days after 交办" counted from each task's
// creation with the working-day calendar. Each deadline is an ordinary SetDeadline run through
// TaskService::execute(), so it is a DeadlineSet event with the actor and reason like any other.
//
// Command ids are "deadlines:<task>@<stream version>": a retried bulk run (or two racing) sets
// each deadline once, and a later bulk run on the changed task is a new command.
//
// Thread-safety: as TaskService.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/calendar/calendar.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "service/task_service.h"

namespace duban::service {

struct BulkDeadlines {
  DocumentId document;
  std::optional<std::string> part;  // only the tasks of this part (its title); all when empty
  // Exactly one of the two: a date ("2016-12-31"), or working days after each task's 交办.
  std::optional<std::string> date;
  std::optional<int> working_days;
  bool only_missing = true;  // false: also replace the deadlines open tasks already have
  std::string reason;        // recorded on each DeadlineSet; a default names the bulk run
};

struct BulkDeadlinesOutcome {
  std::vector<TaskId> set;  // tasks that got a deadline now (or already had it from a retry)
  int kept = 0;             // open tasks that already had a deadline (only_missing)
  int not_open = 0;         // closed or cancelled tasks, left alone
  std::vector<std::string> new_deadlines;  // parallel to `set`
};

// Refused with invalid_command when neither or both of date / working_days are given, the date
// is malformed or working_days < 1; not_found when the document has no tasks (in that part).
Result<BulkDeadlinesOutcome> set_deadlines(TaskService& service, const BulkDeadlines& request,
                                           const task::Actor& actor, const calendar::Calendar& cal);

// Reporting cycles in bulk: every open task of a document (or part) gets `cycle` (each an
// ordinary SetReportingCycle, a ReportingCycleSet event; command ids
// "cycles:<task>@<stream version>"); tasks that already have it are counted as kept.
struct BulkCycles {
  DocumentId document;
  std::optional<std::string> part;
  task::ReportingCycle cycle = task::ReportingCycle::kMonthly;
  std::string reason;  // a default names the bulk run
};

struct BulkCyclesOutcome {
  std::vector<TaskId> set;
  int kept = 0;
  int not_open = 0;
};

// not_found when the document has no tasks (in that part).
Result<BulkCyclesOutcome> set_reporting_cycles(TaskService& service, const BulkCycles& request,
                                               const task::Actor& actor);

}  // namespace duban::service
