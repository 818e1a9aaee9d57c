#include "model/task/relative_deadlines.h"

#include <algorithm>
#include <map>

#include "model/task/deadline.h"

namespace duban::task {

std::string relative_deadline_date(const gazette::RelativeDeadline& span,
                                   std::chrono::year_month_day assigned_on,
                                   const calendar::Calendar& cal) {
  if (span.months > 0) {
    // 3个月内: the same day of the month three months on (the month's last day when it has no
    // such day), moved to the next working day if that is a day off.
    const auto on = assigned_on.year() / assigned_on.month() / 1 + std::chrono::months(span.months);
    const auto last = std::chrono::year_month_day_last(on.year(), on.month() / std::chrono::last);
    const std::chrono::year_month_day day{on.year(), on.month(),
                                          std::min(assigned_on.day(), last.day())};
    const auto back = std::chrono::sys_days(day) - std::chrono::days(1);
    return calendar::format_date(cal.add_calendar_days(std::chrono::year_month_day(back), 1));
  }
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
    if (span.days <= 0 && span.months <= 0) continue;
    std::string date = relative_deadline_date(span, assigned_on, cal);
    if (best.empty() || date < best) best = std::move(date);
  }
  return best;
}

void resolve_relative_deadlines(IngestPlan& plan, const std::vector<gazette::Clause>& clauses,
                                std::chrono::year_month_day assigned_on,
                                const calendar::Calendar& cal) {
  // Task ids no longer name the clause (ingest_plan.h), so a CreateTask finds its clause by
  // where the provenance says it was read.
  std::map<std::pair<std::string, int>, const gazette::Clause*> clause_at;
  for (const auto& c : clauses) clause_at.emplace(std::pair{c.part, c.source.line}, &c);
  for (auto& pc : plan.commands) {
    auto* create = std::get_if<CreateTask>(&pc.command);
    if (!create || create->deadline) continue;
    const auto it = clause_at.find({create->provenance.part, create->provenance.line});
    if (it == clause_at.end()) continue;
    std::string date = clause_relative_deadline(*it->second, assigned_on, cal);
    if (date.empty()) continue;
    // The document names no date: its reading keeps none, so a revision that still says
    // "7个工作日内" is not a change of deadline.
    if (!create->reading) {
      create->reading = Reading{create->mode, create->leads, create->participants, std::nullopt};
    }
    create->deadline = std::move(date);
  }
}

std::chrono::year_month_day shanghai_date(Timestamp t) {
  return std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8)));
}

}  // namespace duban::task
