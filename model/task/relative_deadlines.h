// Relative deadlines (7个工作日内, 30日内) become dates at 交办: when a clause's task is created.
//
// The parser keeps a relative span relative (model/gazette/dates.h): it does not know from when
// it runs. resolve_relative_deadlines() takes an ingest plan and the day of 交办 and gives every
// CreateTask whose clause has no dated deadline but a relative one the day the span ends:
//   N个工作日内  the N-th working day after 交办 (calendar::Calendar::add_working_days)
//   N日内        交办 + N days, moved to the next working day if that is a day off
//                (calendar::Calendar::add_calendar_days)
//   N个月内, 半年内, N年内  the same day of the month N (6, 12N) months after 交办 (the month's
//                last day when it has no such day), moved to the next working day if a day off
// The shortest span wins when a clause names several. 交办's own day is not counted.
//
// Such a CreateTask also carries the document's reading with no date (CreateTask::reading, unless
// a corrected draft gave it one already): the document names none, so a revision that still says
// 7个工作日内 is no change. Later revisions do not move the date again: the span ran from the
// original 交办, and a revision never clears a deadline the document stopped naming
// (ingest_plan.h). Plain ingests (service::plan_documents) and publishing a draft
// (service::DraftService::publish) both call it.
//
// Pure; the caller supplies the calendar and the day (its clock's date in Asia/Shanghai).
#pragma once

#include <chrono>
#include <vector>

#include "model/calendar/calendar.h"
#include "model/gazette/clause.h"
#include "model/ids.h"
#include "model/task/ingest_plan.h"

namespace duban::task {

// The date a relative span from `assigned_on` ends on, as an ISO date.
std::string relative_deadline_date(const gazette::RelativeDeadline& span,
                                   std::chrono::year_month_day assigned_on,
                                   const calendar::Calendar& cal);

// The deadline a clause's relative spans give from `assigned_on`; empty when the clause has a
// dated deadline (that one wins) or no relative span.
std::string clause_relative_deadline(const gazette::Clause& clause,
                                     std::chrono::year_month_day assigned_on,
                                     const calendar::Calendar& cal);

// Fills in the CreateTask deadlines of `plan` as described above.
void resolve_relative_deadlines(IngestPlan& plan, const std::vector<gazette::Clause>& clauses,
                                std::chrono::year_month_day assigned_on,
                                const calendar::Calendar& cal);

// The civil date of `t` in Asia/Shanghai (UTC+8).
std::chrono::year_month_day shanghai_date(Timestamp t);

}  // namespace duban::task
