#include "model/task/allowed_actions.h"

#include <utility>

#include "model/task/decide.h"
#include "model/task/error_codes.h"

namespace duban::task {

std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now) {
  const TaskId& t = state.id;
  // A date after any deadline, so "later than the current deadline" holds.
  const std::string later = "9999-12-31";
  const std::string why = "—";
  const std::pair<std::string_view, Command> candidates[] = {
      {"reassign", ReassignTask{t, state.leads, state.participants, std::nullopt, why, {}}},
      {"acknowledge", AcknowledgeTask{t}},
      {"progress", ReportProgress{t, why, 50}},
      {"urge", UrgeTask{t, std::nullopt, why}},
      {"request-extension", RequestExtension{t, later, why}},
      {"approve-extension", ApproveExtension{t, std::nullopt}},
      {"reject-extension", RejectExtension{t, why}},
      {"deadline", SetDeadline{t, Deadline(later), why, {}}},
      {"report-completion", ReportCompletion{t, why}},
      {"approve-completion", ApproveCompletion{t, std::nullopt}},
      {"return", ReturnTask{t, std::nullopt, why}},
      {"reopen", ReopenTask{t, why}},
      {"cancel", CancelTask{t, why, {}}},
      {"reporting-cycle", SetReportingCycle{t, ReportingCycle::kMonthly, why}},
  };
  std::vector<std::string_view> allowed;
  if (!state.exists()) return allowed;
  for (const auto& [action, command] : candidates) {
    const auto decided = decide(state, command, actor, now);
    if (decided.ok() || decided.error().code == errc::kInvalidCommand) allowed.push_back(action);
  }
  return allowed;
}

}  // namespace duban::task
