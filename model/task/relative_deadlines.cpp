#include "model/task/relative_deadlines.h"

#include <map>

#include "model/task/deadline.h"

namespace duban::task {

std::string relative_deadline_date(const gazette::RelativeDeadline& span,
                                   std::chrono::year_month_day assigned_on,
                                   const calendar::Calendar& cal) {
  const auto end = span.business_days ? cal.add_working_days(assigned_on, span.days)
                                      : cal.add_calendar_days(assigned_on, span.days);
  return calendar::format_date(end);
}

std::string clause_relative_deadline(const gazette::Clause& clause,
                                     std::chrono::year_month_day assigned_on,
                                     const calendar::Calendar& cal) {
  for (const auto& d : clause.deadlines) {
    if (parse_iso_date(d.date)) return {};  // a dated deadline wins (ingest_plan uses it)
  }
  std::string best;
  for (const auto& span : clause.relative_deadlines) {
    if (span.days <= 0) continue;
    std::string date = relative_deadline_date(span, assigned_on, cal);
    if (best.empty() || date < best) best = std::move(date);
  }
  return best;
}

void resolve_relative_deadlines(IngestPlan& plan, const std::vector<gazette::Clause>& clauses,
                                const std::function<TaskId(const gazette::Clause&)>& task_id_of,
                                std::chrono::year_month_day assigned_on,
                                const calendar::Calendar& cal) {
  std::map<TaskId, const gazette::Clause*> clause_of;
  for (const auto& c : clauses)
    clause_of.emplace(task_id_of ? task_id_of(c) : clause_task_id(c), &c);
  std::vector<PlannedCommand> kept;
  kept.reserve(plan.commands.size());
  for (auto& pc : plan.commands) {
    if (auto* create = std::get_if<CreateTask>(&pc.command); create && !create->deadline) {
      if (auto it = clause_of.find(create->task); it != clause_of.end()) {
        std::string date = clause_relative_deadline(*it->second, assigned_on, cal);
        if (!date.empty()) create->deadline = std::move(date);
      }
    } else if (auto* set = std::get_if<SetDeadline>(&pc.command); set && !set->deadline) {
      auto it = clause_of.find(set->task);
      if (it != clause_of.end() && !it->second->relative_deadlines.empty()) continue;
    }
    kept.push_back(std::move(pc));
  }
  plan.commands = std::move(kept);
}

std::chrono::year_month_day shanghai_date(Timestamp t) {
  return std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8)));
}

}  // namespace duban::task
