#include "service/bulk_deadlines.h"

#include "model/task/deadline.h"
#include "model/task/error_codes.h"
#include "model/task/relative_deadlines.h"
#include "model/task/reporting.h"

namespace duban::service {
namespace {

// Sends `command_of(task)` to every open task of `document` (or of its `part`), in document
// order; a task it gives nullopt for is kept. Command ids are "<prefix><task>@<version>", so a
// run again after a failure skips the tasks already done. Returns the tasks changed.
template <class CommandOf>
Result<std::vector<TaskId>> on_open_tasks(TaskService& service, const DocumentId& document,
                                          const std::optional<std::string>& part,
                                          std::string_view prefix, const task::Actor& actor,
                                          int& kept, int& not_open, CommandOf command_of) {
  std::vector<TaskId> changed;
  int matched = 0;
  for (const task::TaskState& s : service.read_model().tasks_of_document(document)) {
    if (part && s.provenance.part != *part) continue;
    ++matched;
    if (!s.is_open()) {
      ++not_open;
      continue;
    }
    std::optional<task::Command> command = command_of(s);
    if (!command) {
      ++kept;
      continue;
    }
    const CommandId id(std::string(prefix) + s.id.str() + "@" + std::to_string(s.version.value()));
    auto ran = service.execute(*command, actor, id, s.version);
    if (!ran) {
      return Error{ran.error().code, "task '" + s.id.str() + "': " + ran.error().message +
                                         " (tasks changed before it stay; run again to finish)"};
    }
    changed.push_back(s.id);
  }
  if (matched == 0) {
    return make_error(task::errc::kNotFound,
                      "document '" + document.str() + "' has no tasks" +
                          (part ? " in part '" + *part + "'" : std::string()));
  }
  return changed;
}

}  // namespace

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
  auto set =
      on_open_tasks(service, req.document, req.part, "deadlines:", actor, out.kept, out.not_open,
                    [&](const task::TaskState& s) -> std::optional<task::Command> {
                      if (req.only_missing && s.deadline) return std::nullopt;
                      std::string deadline =
                          req.date ? *req.date
                                   : calendar::format_date(cal.add_working_days(
                                         task::shanghai_date(s.created_at), *req.working_days));
                      if (s.deadline == deadline) return std::nullopt;
                      out.new_deadlines.push_back(deadline);
                      return task::SetDeadline{s.id, std::move(deadline), reason, std::nullopt};
                    });
  if (!set) return set.error();
  out.set = std::move(*set);
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
  auto set =
      on_open_tasks(service, req.document, req.part, "cycles:", actor, out.kept, out.not_open,
                    [&](const task::TaskState& s) -> std::optional<task::Command> {
                      if (s.reporting_cycle == req.cycle) return std::nullopt;
                      return task::SetReportingCycle{s.id, req.cycle, reason};
                    });
  if (!set) return set.error();
  out.set = std::move(*set);
  return out;
}

}  // namespace duban::service
