// Deadlines, the status light and the deadline sweep.
//
// A deadline is an ISO date ("2017-12-31"). It means the end of that day in Asia/Shanghai
// (UTC+8, no daylight saving): the deadline instant is date 23:59:59.999 +08:00, i.e.
// date 15:59:59.999 UTC. A task is overdue when now is after that instant.
//
// The light (the share is a parameter; the server's configuration supplies it):
//   done    the task is closed or cancelled
//   none    open, no deadline
//   red     open, now > deadline instant
//   yellow  open, time left < yellow_share × (deadline instant − created_at)
//   green   otherwise (exactly yellow_share left is still green)
// A task created at or after its deadline instant has no window to measure: yellow until red.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task {

enum class Light { kNone, kGreen, kYellow, kRed, kDone };

// "none" | "green" | "yellow" | "red" | "done".
std::string_view to_string(Light light);

// Parses a strict "YYYY-MM-DD" calendar date; nullopt for anything else (2017-02-30 included).
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);

// The instant a deadline date ends (see the top of this file); nullopt if the date is malformed.
std::optional<Timestamp> deadline_instant(std::string_view iso_date);

// Calendar days (Asia/Shanghai) a deadline that ended at `instant` is overdue at `now`, as an
// office counts them: 1 on the day after the deadline day, 31 on 31 July for 30 June; 0 before
// the instant.
std::int64_t days_overdue(Timestamp instant, Timestamp now);

// The task's light at `now`. yellow_share is clamped to [0, 1].
Light light(const TaskState& state, Timestamp now, double yellow_share);

// The reminder events due at `now` for an open task, to be appended with actor system:
// DeadlineApproaching once when the light first turns yellow, TaskOverdue once when it first
// turns red (alone, if a sweep finds it red without having seen yellow). Changing the deadline
// (DeadlineSet, ExtensionApproved) re-arms both. Then the reporting-cycle reminders of
// report_reminders() (model/task/reporting.h: ProgressReportDue, ProgressReportOverdue), for
// tasks with a cycle, deadline or not. Empty when nothing is due.
std::vector<Event> sweep(const TaskState& state, Timestamp now, double yellow_share);

}  // namespace duban::task
