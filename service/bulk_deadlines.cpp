#include "service/bulk_deadlines.h"

#include "model/task/deadline.h"
#include "model/task/error_codes.h"
#include "model/task/relative_deadlines.h"
#include "model/task/reporting.h"

namespace duban::service {

Result<BulkDeadlinesOutcome> set_deadlines(TaskService& service, const BulkDeadlines& req,
                                           const task::Actor& actor,
                                           const calendar::Calendar& cal) {
  if (req.date.has_value() == req.working_days.has_value()) {
    return make_error(task::errc::kInvalidCommand,
                      "give either a default date or a number of working days after 交办");
  }
  if (req.date && !task::parse_iso_date(*req.date)) {
    return make_error(
        task::errc::kInvalidCommand,
        "the default deadline must be a date like 2016-12-31, not '" + *req.date + "'");
  }
  if (req.working_days && *req.working_days < 1) {
    return make_error(task::errc::kInvalidCommand, "working days after 交办 must be 1 or more");
  }
  if (auto caught = service.refresh(); !caught) return caught.error();
  const std::string reason = !req.reason.empty() ? req.reason
                             : req.date
                                 ? "default deadline " + *req.date + " for " + req.document.str() +
                                       (req.part ? " / " + *req.part : std::string())
                                 : std::to_string(*req.working_days) + " working days after 交办";

  BulkDeadlinesOutcome out;
  int matched = 0;
  for (const task::TaskState& s : service.read_model().tasks_of_document(req.document)) {
    if (req.part && s.provenance.part != *req.part) continue;
    ++matched;
    if (!s.is_open()) {
      ++out.not_open;
      continue;
    }
    if (req.only_missing && s.deadline) {
      ++out.kept;
      continue;
    }
    const std::string deadline = req.date
                                     ? *req.date
                                     : calendar::format_date(cal.add_working_days(
                                           task::shanghai_date(s.created_at), *req.working_days));
    if (s.deadline == deadline) {
      ++out.kept;
      continue;
    }
    const CommandId id("deadlines:" + s.id.str() + "@" + std::to_string(s.version.value()));
    auto ran = service.execute(task::SetDeadline{s.id, deadline, reason, std::nullopt}, actor, id,
                               s.version);
    if (!ran) {
      return Error{ran.error().code, "task '" + s.id.str() + "': " + ran.error().message +
                                         " (deadlines set before it stay; run again to finish)"};
    }
    out.set.push_back(s.id);
    out.new_deadlines.push_back(deadline);
  }
  if (matched == 0) {
    return make_error(task::errc::kNotFound,
                      "document '" + req.document.str() + "' has no tasks" +
                          (req.part ? " in part '" + *req.part + "'" : std::string()));
  }
  return out;
}

Result<BulkCyclesOutcome> set_reporting_cycles(TaskService& service, const BulkCycles& req,
                                               const task::Actor& actor) {
  if (auto caught = service.refresh(); !caught) return caught.error();
  const std::string reason =
      !req.reason.empty() ? req.reason
                          : "reporting cycle " + std::string(task::to_string(req.cycle)) + " for " +
                                req.document.str() + (req.part ? " / " + *req.part : std::string());
  BulkCyclesOutcome out;
  int matched = 0;
  for (const task::TaskState& s : service.read_model().tasks_of_document(req.document)) {
    if (req.part && s.provenance.part != *req.part) continue;
    ++matched;
    if (!s.is_open()) {
      ++out.not_open;
      continue;
    }
    if (s.reporting_cycle == req.cycle) {
      ++out.kept;
      continue;
    }
    const CommandId id("cycles:" + s.id.str() + "@" + std::to_string(s.version.value()));
    auto ran =
        service.execute(task::SetReportingCycle{s.id, req.cycle, reason}, actor, id, s.version);
    if (!ran) {
      return Error{ran.error().code, "task '" + s.id.str() + "': " + ran.error().message +
                                         " (cycles set before it stay; run again to finish)"};
    }
    out.set.push_back(s.id);
  }
  if (matched == 0) {
    return make_error(task::errc::kNotFound,
                      "document '" + req.document.str() + "' has no tasks" +
                          (req.part ? " in part '" + *req.part + "'" : std::string()));
  }
  return out;
}

}  // namespace duban::service
