// Reporting cycles (每月/每季度 报送进展): how often a task's units must report progress, and
// the reminders the sweep records when a period passes without a report.
//
// Periods are calendar months or quarters in Asia/Shanghai, numbered so that consecutive
// periods have consecutive numbers: a month is year*12 + (month-1), a quarter year*4 +
// (month-1)/3. A period's report is due by the end of its last day.
//
// The first period counted is the first one that starts after the cycle was set (a cycle set on
// 2016-03-20 asks for its first monthly report in April). A period counts as reported when any
// unit recorded ProgressReported during it.
//
// report_reminders(state, now) — what the sweep appends (actor system), each once per period:
//   ProgressReportDue      the current period's last 7 days have begun (its last day minus 6 and
//                          after) and nobody has reported in it yet
//   ProgressReportOverdue  a period has ended without a report (a late report); a sweep that
//                          missed several records one for each such period, oldest first
// Setting the cycle again (ReportingCycleSet) restarts the count from the next period.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task {

// "none" | "monthly" | "quarterly".
std::string_view to_string(ReportingCycle cycle);
// Parses the names above, and the Chinese 每月 / 每季度 / 无.
std::optional<ReportingCycle> reporting_cycle_named(std::string_view name);

// The period of `day` under `cycle` (0 for kNone).
int report_period(ReportingCycle cycle, std::chrono::year_month_day day);
// "2016-03" (monthly) or "2016-Q1" (quarterly).
std::string report_period_label(ReportingCycle cycle, int period);
// The period a label names, with its cycle; nullopt for anything else.
std::optional<std::pair<ReportingCycle, int>> parse_report_period(std::string_view label);
// The ISO date of the period's last day.
std::string report_period_last_day(ReportingCycle cycle, int period);

// See the top of this file. Empty for a closed or cancelled task or one without a cycle.
std::vector<Event> report_reminders(const TaskState& state, Timestamp now);

}  // namespace duban::task
