#include "model/task/task_actions.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace duban::task {
namespace {

// A date after any deadline, so "later than the current deadline" holds.
const std::string kLater = "9999-12-31";
// A reason, note or summary the person would type.
const std::string kText = "—";
// An uploaded file, so a completion is offered where the task requires evidence (the person
// attaches files before sending it).
const Attachment kEvidence{std::string(64, 'a'), "evidence.pdf", "application/pdf", 1};

const std::array kActions = {
    TaskAction{"reassign",
               [](const TaskState& s) -> Command {
                 return ReassignTask{s.id, s.leads, s.participants, std::nullopt, kText, {}};
               }},
    TaskAction{"revise",
               [](const TaskState& s) -> Command {
                 return ReviseTask{s.id, s.provenance, std::nullopt};
               }},
    TaskAction{"acknowledge", [](const TaskState& s) -> Command { return AcknowledgeTask{s.id}; }},
    TaskAction{"progress",
               [](const TaskState& s) -> Command {
                 return ReportProgress{s.id, kText, 50};
               }},
    TaskAction{"urge",
               [](const TaskState& s) -> Command {
                 return UrgeTask{s.id, std::nullopt, kText};
               }},
    TaskAction{"request-extension",
               [](const TaskState& s) -> Command {
                 return RequestExtension{s.id, kLater, kText};
               }},
    TaskAction{"approve-extension",
               [](const TaskState& s) -> Command {
                 return ApproveExtension{s.id, std::nullopt};
               }},
    TaskAction{"reject-extension",
               [](const TaskState& s) -> Command {
                 return RejectExtension{s.id, kText};
               }},
    TaskAction{"deadline",
               [](const TaskState& s) -> Command {
                 return SetDeadline{s.id, Deadline(kLater), kText, {}};
               }},
    TaskAction{"report-completion",
               [](const TaskState& s) -> Command {
                 return ReportCompletion{s.id, kText, {kEvidence}};
               }},
    TaskAction{"approve-completion",
               [](const TaskState& s) -> Command {
                 return ApproveCompletion{s.id, std::nullopt};
               }},
    TaskAction{"return",
               [](const TaskState& s) -> Command {
                 return ReturnTask{s.id, std::nullopt, kText};
               }},
    TaskAction{"reopen",
               [](const TaskState& s) -> Command {
                 return ReopenTask{s.id, kText};
               }},
    TaskAction{"cancel",
               [](const TaskState& s) -> Command {
                 return CancelTask{s.id, kText, {}};
               }},
    TaskAction{"reporting-cycle",
               [](const TaskState& s) -> Command {
                 return SetReportingCycle{s.id, ReportingCycle::kMonthly, kText};
               }},
    TaskAction{"sign-off",
               [](const TaskState& s) -> Command {
                 return SignOffCompletion{s.id, kText};
               }},
    TaskAction{"refuse-sign-off",
               [](const TaskState& s) -> Command {
                 return RefuseSignOff{s.id, kText};
               }},
    // Members and subordinate units are chosen by the person: left empty, which decide() refuses
    // as invalid_command only once the actor may expand (the office) or hand down (a lead).
    TaskAction{"expand",
               [](const TaskState& s) -> Command {
                 return ExpandTask{
                     s.id, s.leads.empty() ? UnitId() : s.leads.front(), {}, std::nullopt, kText};
               }},
    TaskAction{"delegate",
               [](const TaskState& s) -> Command {
                 return DelegateTask{s.id, {}, std::nullopt, kText};
               }},
    TaskAction{"contribute",
               [](const TaskState& s) -> Command {
                 return ReportContribution{s.id, kText};
               }},
};

}  // namespace

std::span<const TaskAction> task_actions() {
  return kActions;
}

const TaskAction* find_task_action(std::string_view name) {
  auto it = std::find_if(kActions.begin(), kActions.end(),
                         [&](const TaskAction& a) { return a.name == name; });
  return it == kActions.end() ? nullptr : &*it;
}

}  // namespace duban::task
