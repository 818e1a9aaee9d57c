// The rules, one handler per command. Each handler checks, in this order:
//   1. the task exists and is open (closed: only ReopenTask; cancelled: nothing)
//                                                   → not_found / illegal_transition
//   2. the actor may issue this command              → forbidden
//   3. the task's state accepts it (e.g. something was reported before an approval)
//                                                   → illegal_transition
//   4. the command's fields make sense               → invalid_command
// and then returns the events. Messages name the task, its state and what would be accepted.
#include "model/task/decide.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <type_traits>

#include "model/task/deadline.h"
#include "model/task/detail/parts.h"
#include "model/task/error_codes.h"
#include "model/task/reporting.h"
#include "model/task/streams.h"

namespace duban::task {

namespace {

using detail::all_parts_approved;
using detail::part_of;
using detail::part_unit;

using Events = std::vector<Event>;
using MaybeError = std::optional<Error>;

std::string quote(const std::string& s) {
  return "'" + s + "'";
}

std::string join(const std::vector<UnitId>& units) {
  std::string out;
  for (const UnitId& u : units) out += (out.empty() ? "" : ", ") + u.str();
  return out.empty() ? "(none)" : out;
}

// Checks shared by CreateTask and ReassignTask.
MaybeError check_units(const std::vector<UnitId>& leads, const std::vector<UnitId>& participants,
                       std::string_view command) {
  if (leads.empty()) {
    return make_error(errc::kInvalidCommand,
                      std::string(command) + " needs at least one lead unit; none was given");
  }
  std::set<UnitId> seen;
  for (const auto* list : {&leads, &participants}) {
    for (const UnitId& u : *list) {
      if (u.empty()) {
        return make_error(errc::kInvalidCommand, std::string(command) + " names an empty unit id");
      }
      if (!seen.insert(u).second) {
        return make_error(errc::kInvalidCommand,
                          std::string(command) + " names unit " + quote(u.str()) +
                              " twice; a unit is either one lead or one participant");
      }
    }
  }
  return std::nullopt;
}

MaybeError check_date(const std::string& date, std::string_view field) {
  if (!parse_iso_date(date)) {
    return make_error(errc::kInvalidCommand, std::string(field) + " " + quote(date) +
                                                 " is not a calendar date in YYYY-MM-DD form");
  }
  return std::nullopt;
}

MaybeError check_text(const std::string& text, std::string_view command, std::string_view field) {
  if (text.empty()) {
    return make_error(errc::kInvalidCommand,
                      std::string(command) + " needs a " + std::string(field) + "; it was empty");
  }
  return std::nullopt;
}

// Evidence references: well-formed (the blob's existence is the caller's to check: decide()
// sees no store), at most kMaxAttachmentsPerReport, each hash once.
MaybeError check_attachments(const Attachments& list, std::string_view command) {
  if (list.size() > kMaxAttachmentsPerReport) {
    return make_error(errc::kInvalidCommand,
                      std::string(command) + " carries " + std::to_string(list.size()) +
                          " attachments; at most " + std::to_string(kMaxAttachmentsPerReport));
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Attachment& a = list[i];
    if (!is_sha256_hex(a.sha256)) {
      return make_error(errc::kInvalidCommand,
                        std::string(command) + ": attachment " + quote(a.name) +
                            " needs a sha256 of 64 lowercase hex digits, not " + quote(a.sha256));
    }
    if (a.name.empty() || a.media_type.empty() || a.size <= 0) {
      return make_error(errc::kInvalidCommand, std::string(command) + ": attachment " + a.sha256 +
                                                   " needs a name, a media type and a size");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (list[j].sha256 == a.sha256) {
        return make_error(errc::kInvalidCommand,
                          std::string(command) + ": attachment " + a.sha256 + " is listed twice");
      }
    }
  }
  return std::nullopt;
}

using PersonRole = account::Role;

// "inspector (督查员)": a role as error messages name it.
std::string role_label(PersonRole r) {
  const char* zh = "";
  switch (r) {
    case PersonRole::kHandler:
      zh = "承办人";
      break;
    case PersonRole::kUnitHead:
      zh = "负责人";
      break;
    case PersonRole::kInspector:
      zh = "督查员";
      break;
    case PersonRole::kLeader:
      zh = "领导";
      break;
  }
  return std::string(account::role_name(r)) + " (" + zh + ")";
}

// The supervising office's commands, and the role each needs (docs/api.md, "Roles").
MaybeError office_role(const Actor& actor, std::string_view command, PersonRole needed) {
  if (actor.kind == Actor::Kind::kSupervisor && actor.may(needed)) return std::nullopt;
  std::string who = to_string(actor);
  if (actor.kind == Actor::Kind::kSupervisor) {
    who += " does not hold it";
  } else {
    who += " is not the office";
  }
  return make_error(errc::kForbidden, std::string(command) +
                                          " needs the supervising office's role " +
                                          role_label(needed) + "; " + who);
}

class TaskDecider {
 public:
  TaskDecider(const TaskState& s, const Actor& actor, Timestamp now, const UnitRules& rules)
      : s_(s), actor_(actor), now_(now), rules_(rules) {}

  Result<Events> operator()(const RegisterDocument&) const {
    return make_error(errc::kInvalidCommand,
                      "RegisterDocument goes to a document stream, not to task " + id());
  }

  Result<Events> operator()(const CreateTask& c) const {
    if (auto e = supervisor_only(c.kName)) return *e;
    if (s_.exists()) {
      return make_error(errc::kAlreadyExists,
                        "task " + id() + " already exists (status " +
                            std::string(to_string(s_.status)) +
                            "); use ReassignTask, SetDeadline or ReviseTask to change it");
    }
    if (c.task.empty()) return make_error(errc::kInvalidCommand, "CreateTask needs a task id");
    if (auto e = check_units(c.leads, c.participants, c.kName)) return *e;
    if (c.deadline) {
      if (auto e = check_date(*c.deadline, "deadline")) return *e;
    }
    std::optional<int> doc_version;
    if (!c.provenance.document.empty()) doc_version = c.provenance.document_version;
    Events out{TaskCreated{c.task, c.provenance, c.mode, c.leads, c.participants, c.deadline, now_,
                           c.reading}};
    for (const UnitId& u : c.leads) out.push_back(UnitAssigned{u, Role::kLead, doc_version});
    for (const UnitId& u : c.participants) {
      out.push_back(UnitAssigned{u, Role::kParticipant, doc_version});
    }
    return out;
  }

  Result<Events> operator()(const ReassignTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (auto e = check_units(c.leads, c.participants, c.kName)) return *e;
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    Mode mode = c.mode.value_or(s_.mode);
    if (mode == s_.mode && c.leads == s_.leads && c.participants == s_.participants) {
      return make_error(errc::kInvalidCommand,
                        "task " + id() + " already has exactly these units and mode; leads " +
                            join(s_.leads) + ", participants " + join(s_.participants));
    }
    Events out{TaskReassigned{s_.mode, mode, s_.leads, s_.participants, c.leads, c.participants,
                              c.reason, c.document_version}};
    for (const UnitId& u : c.leads) {
      if (!s_.is_lead(u)) out.push_back(UnitAssigned{u, Role::kLead, c.document_version});
    }
    for (const UnitId& u : c.participants) {
      if (!s_.is_participant(u)) {
        out.push_back(UnitAssigned{u, Role::kParticipant, c.document_version});
      }
    }
    // Dropping the last lead whose part was still open can leave every part approved.
    if (mode == Mode::kSeparately && s_.mode == Mode::kSeparately &&
        std::all_of(c.leads.begin(), c.leads.end(), [&](const UnitId& u) {
          const Part* p = part_of(s_, u);
          return p != nullptr && p->status == PartStatus::kApproved;
        })) {
      out.push_back(TaskClosed{now_});
    }
    return out;
  }

  Result<Events> operator()(const ReviseTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (c.provenance == s_.provenance && (!c.reading || *c.reading == s_.as_read)) {
      return make_error(errc::kInvalidCommand,
                        "task " + id() + " already has this provenance; nothing to revise");
    }
    return Events{TaskRevised{c.provenance, c.reading}};
  }

  Result<Events> operator()(const AcknowledgeTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = assigned_unit_only(c.kName)) return *e;
    if (s_.has_acknowledged(actor_.unit)) {
      return make_error(errc::kIllegalTransition, "unit " + quote(actor_.unit.str()) +
                                                      " has already acknowledged task " + id() +
                                                      "; report progress instead");
    }
    return Events{TaskAcknowledged{actor_.unit, now_}};
  }

  Result<Events> operator()(const ReportProgress& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = assigned_unit_only(c.kName)) return *e;
    if (c.note.empty() && !c.percent) {
      return make_error(errc::kInvalidCommand, "ReportProgress needs a note or a percentage");
    }
    if (c.percent && (*c.percent < 0 || *c.percent > 100)) {
      return make_error(errc::kInvalidCommand,
                        "progress percentage must be 0..100, not " + std::to_string(*c.percent));
    }
    if (auto e = check_attachments(c.attachments, c.kName)) return *e;
    return Events{ProgressReported{actor_.unit, c.note, c.percent, now_, c.attachments}};
  }

  Result<Events> operator()(const UrgeTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (c.unit && !s_.is_assigned(*c.unit)) {
      return make_error(errc::kInvalidCommand, "unit " + quote(c.unit->str()) +
                                                   " is not assigned to task " + id() +
                                                   "; urge one of " + join(s_.leads) + " / " +
                                                   join(s_.participants) + " or the whole task");
    }
    return Events{TaskUrged{c.unit, c.note}};
  }

  Result<Events> operator()(const RequestExtension& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = lead_unit_only(c.kName)) return *e;
    if (!s_.deadline) {
      return make_error(errc::kIllegalTransition,
                        "task " + id() +
                            " has no deadline to extend; the supervisor sets one "
                            "with SetDeadline");
    }
    if (s_.extension) {
      return make_error(errc::kIllegalTransition,
                        "task " + id() + " already has an extension request pending (by " +
                            s_.extension->unit.str() + ", to " + s_.extension->requested_deadline +
                            "); wait for the supervisor to approve or reject it");
    }
    if (auto e = check_date(c.requested_deadline, "requested deadline")) return *e;
    if (c.requested_deadline <= *s_.deadline) {  // ISO dates order as strings
      return make_error(errc::kInvalidCommand, "requested deadline " + c.requested_deadline +
                                                   " is not after the current deadline " +
                                                   *s_.deadline);
    }
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{ExtensionRequested{actor_.unit, c.requested_deadline, c.reason}};
  }

  Result<Events> operator()(const ApproveExtension& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (auto e = extension_pending(c.kName)) return *e;
    std::string date = c.deadline.value_or(s_.extension->requested_deadline);
    if (auto e = check_date(date, "deadline")) return *e;
    return Events{ExtensionApproved{date, s_.deadline}};
  }

  Result<Events> operator()(const RejectExtension& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (auto e = extension_pending(c.kName)) return *e;
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{ExtensionRejected{c.reason}};
  }

  Result<Events> operator()(const SetDeadline& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (c.deadline) {
      if (auto e = check_date(*c.deadline, "deadline")) return *e;
    }
    if (c.deadline == s_.deadline) {
      return make_error(errc::kInvalidCommand,
                        "task " + id() + " already has deadline " + s_.deadline.value_or("(none)"));
    }
    return Events{DeadlineSet{c.deadline, s_.deadline, c.reason, c.document_version}};
  }

  Result<Events> operator()(const ReportCompletion& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = lead_unit_only(c.kName)) return *e;
    const Part* part = part_of(s_, actor_.unit);
    if (part == nullptr) {  // a lead always owns a part; only a corrupt stream gets here
      return make_error(errc::kIllegalTransition,
                        "task " + id() + " has no part for unit " + quote(actor_.unit.str()));
    }
    if (part->status == PartStatus::kReported) {
      return make_error(errc::kIllegalTransition,
                        what_part(*part) + " of task " + id() + " was already reported by " +
                            part->reported_by.str() +
                            " and awaits review; it can be reported again after a return");
    }
    if (part->status == PartStatus::kApproved) {
      return make_error(errc::kIllegalTransition,
                        what_part(*part) + " of task " + id() + " is already approved");
    }
    if (part->status == PartStatus::kAwaitingSignOff) {
      return make_error(errc::kIllegalTransition,
                        what_part(*part) + " of task " + id() +
                            " was already submitted and awaits the unit head's sign-off "
                            "(SignOffCompletion or RefuseSignOff by a " +
                            role_label(PersonRole::kUnitHead) + ")");
    }
    if (auto e = check_text(c.summary, c.kName, "summary")) return *e;
    if (auto e = check_attachments(c.attachments, c.kName)) return *e;
    if (s_.evidence_required && c.attachments.empty()) {
      return make_error(errc::kInvalidCommand,
                        "task " + id() + " of document " + quote(s_.provenance.document.str()) +
                            " requires evidence: attach at least one file (佐证材料) to the "
                            "completion report");
    }
    // A unit that requires sign-off: a handler's report waits for the head; the head's own
    // report (and a machine's, which holds every unit role) goes straight to the supervisor.
    if (rules_.sign_off_required && !actor_.may(PersonRole::kUnitHead)) {
      return Events{CompletionSubmitted{actor_.unit, c.summary, now_, c.attachments}};
    }
    return Events{CompletionReported{actor_.unit, c.summary, now_, c.attachments}};
  }

  Result<Events> operator()(const SignOffCompletion& c) const {
    if (auto e = existing_open(c)) return *e;
    auto part = submitted_part(c.kName);
    if (!part.ok()) return part.error();
    return Events{CompletionSignedOff{actor_.unit, c.note, now_},
                  CompletionReported{actor_.unit, (*part)->summary, now_}};
  }

  Result<Events> operator()(const RefuseSignOff& c) const {
    if (auto e = existing_open(c)) return *e;
    auto part = submitted_part(c.kName);
    if (!part.ok()) return part.error();
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{SignOffRefused{actor_.unit, c.reason, now_}};
  }

  Result<Events> operator()(const ApproveCompletion& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    auto part = reported_part(c.unit, c.kName);
    if (!part.ok()) return part.error();
    Events out{CompletionApproved{part_unit(**part)}};
    // Closing is decided here, not in apply, so the log says when the task closed.
    TaskState after = s_;
    after.parts[static_cast<std::size_t>(*part - s_.parts.data())].status = PartStatus::kApproved;
    if (all_parts_approved(after)) out.push_back(TaskClosed{now_});
    return out;
  }

  Result<Events> operator()(const ReturnTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    auto part = reported_part(c.unit, c.kName);
    if (!part.ok()) return part.error();
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{TaskReturned{part_unit(**part), c.reason}};
  }

  Result<Events> operator()(const ReopenTask& c) const {
    if (auto e = existing(c)) return *e;
    if (auto e = office_role(actor_, c.kName, PersonRole::kLeader)) return *e;
    if (s_.status != Status::kClosed) {
      return make_error(errc::kIllegalTransition, "task " + id() + " is " +
                                                      std::string(to_string(s_.status)) +
                                                      "; only a closed task can be reopened");
    }
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{TaskReopened{c.reason}};
  }

  Result<Events> operator()(const CancelTask& c) const {
    if (auto e = existing_open(c)) return *e;
    // A leader (领导) approves a cancellation. Ingest (a clause left a revised document) runs
    // as the office's machine actor, which holds every office role.
    if (auto e = office_role(actor_, c.kName, PersonRole::kLeader)) return *e;
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    return Events{TaskCancelled{c.reason, c.document_version, now_}};
  }

  Result<Events> operator()(const SetReportingCycle& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (auto e = check_text(c.reason, c.kName, "reason")) return *e;
    if (c.cycle == s_.reporting_cycle) {
      return make_error(errc::kInvalidCommand, "task " + id() + " already has reporting cycle " +
                                                   std::string(to_string(c.cycle)));
    }
    return Events{ReportingCycleSet{c.cycle, s_.reporting_cycle, c.reason, now_}};
  }

  Result<Events> operator()(const ExpandTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (!s_.is_assigned(c.group)) {
      return make_error(errc::kInvalidCommand,
                        "unit " + quote(c.group.str()) + " is not assigned to task " + id() +
                            "; expand one of " + join(s_.leads) + " / " + join(s_.participants));
    }
    if (c.members.empty()) {
      return make_error(errc::kInvalidCommand,
                        "ExpandTask needs the members of " + quote(c.group.str()) +
                            "; the unit directory gives none, so name them in the command");
    }
    return children(c.kName, c.members, c.deadline, c.note, UnitId(), c.group);
  }

  Result<Events> operator()(const DelegateTask& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = lead_unit_only(c.kName)) return *e;
    if (c.units.empty()) {
      return make_error(errc::kInvalidCommand, "DelegateTask needs at least one unit to hand to");
    }
    for (const UnitId& u : c.units) {
      if (std::find(rules_.below.begin(), rules_.below.end(), u) == rules_.below.end()) {
        return make_error(errc::kInvalidCommand,
                          "unit " + quote(u.str()) + " is not below " + quote(actor_.unit.str()) +
                              " in the unit directory; 转办 goes to " + join(rules_.below));
      }
    }
    return children(c.kName, c.units, c.deadline, c.note, actor_.unit, UnitId());
  }

  Result<Events> operator()(const ReportContribution& c) const {
    if (auto e = existing_open(c)) return *e;
    if (!(actor_.kind == Actor::Kind::kUnit && s_.is_participant(actor_.unit))) {
      return make_error(errc::kForbidden, "only a participating unit of task " + id() + " (" +
                                              join(s_.participants) + ") may " +
                                              std::string(c.kName) + "; " + to_string(actor_) +
                                              " is not one");
    }
    if (auto e = unit_role(c.kName, PersonRole::kHandler)) return *e;
    if (auto e = check_text(c.text, c.kName, "text")) return *e;
    if (auto e = check_attachments(c.attachments, c.kName)) return *e;
    return Events{ContributionReported{actor_.unit, c.text, now_, c.attachments}};
  }

  Result<Events> operator()(const SetEvidenceRequirement& c) const {
    if (auto e = existing_open(c)) return *e;
    if (auto e = supervisor_only(c.kName)) return *e;
    if (c.required == s_.evidence_required) {
      return make_error(errc::kInvalidCommand,
                        "task " + id() + (c.required ? " already requires" : " does not require") +
                            " evidence with completions");
    }
    return Events{EvidenceRequirementSet{c.required, c.reason, c.document_version}};
  }

 private:
  std::string id() const { return quote(s_.id.str()); }

  // One ChildTaskCreated per unit, shared by ExpandTask and DelegateTask.
  Result<Events> children(std::string_view command, const std::vector<UnitId>& units,
                          const Deadline& deadline, const std::string& note,
                          const UnitId& delegated_by, const UnitId& group) const {
    const Deadline child_deadline = deadline ? deadline : s_.deadline;
    if (deadline) {
      if (auto e = check_date(*deadline, "deadline")) return *e;
      if (s_.deadline && *deadline > *s_.deadline) {  // ISO dates order as strings
        return make_error(errc::kInvalidCommand,
                          std::string(command) + ": a child's deadline " + *deadline +
                              " is later than the deadline of task " + id() + ", " + *s_.deadline +
                              "; give " + *s_.deadline + " or earlier");
      }
    }
    std::set<UnitId> seen;
    Events out;
    for (const UnitId& u : units) {
      if (u.empty()) {
        return make_error(errc::kInvalidCommand, std::string(command) + " names an empty unit id");
      }
      if (!seen.insert(u).second) {
        return make_error(errc::kInvalidCommand,
                          std::string(command) + " names unit " + quote(u.str()) + " twice");
      }
      if (u == group || u == delegated_by) {
        return make_error(errc::kInvalidCommand, std::string(command) + " cannot hand task " +
                                                     id() + " to " + quote(u.str()) + " itself");
      }
      if (s_.child_for(u) != nullptr) {
        return make_error(errc::kIllegalTransition,
                          "task " + id() + " already has a child task for " + quote(u.str()) +
                              ": " + quote(s_.child_for(u)->task.str()));
      }
      out.push_back(ChildTaskCreated{child_task_id(s_.id, u), u, child_deadline, delegated_by,
                                     group, note, now_});
    }
    return out;
  }

  template <class C>
  MaybeError existing(const C& c) const {
    if (!s_.exists()) {
      return make_error(errc::kNotFound, "there is no task " + quote(c.task.str()) +
                                             "; it must be created (CreateTask) first");
    }
    if (c.task != s_.id) {
      return make_error(
          errc::kInvalidCommand,
          std::string(c.kName) + " names task " + quote(c.task.str()) + " but was sent to " + id());
    }
    return std::nullopt;
  }

  // Closed tasks accept only ReopenTask and cancelled ones nothing, whoever asks.
  template <class C>
  MaybeError existing_open(const C& c) const {
    if (auto e = existing(c)) return e;
    if (s_.status == Status::kClosed) {
      return make_error(errc::kIllegalTransition,
                        "task " + id() +
                            " is closed; it accepts only ReopenTask (supervisor), not " +
                            std::string(c.kName));
    }
    if (s_.status == Status::kCancelled) {
      return make_error(errc::kIllegalTransition, "task " + id() +
                                                      " is cancelled; it accepts no commands, " +
                                                      std::string(c.kName) + " included");
    }
    return std::nullopt;
  }

  // The office's day-to-day commands: an inspector's (督查员).
  MaybeError supervisor_only(std::string_view command) const {
    return office_role(actor_, command, PersonRole::kInspector);
  }

  // A unit's own commands need a person of the unit to hold `needed` (a head holds a handler's
  // powers too); checked after the unit itself qualifies.
  MaybeError unit_role(std::string_view command, PersonRole needed) const {
    if (actor_.may(needed)) return std::nullopt;
    return make_error(errc::kForbidden, std::string(command) + " needs the unit role " +
                                            role_label(needed) + "; " + to_string(actor_) +
                                            " does not hold it");
  }

  MaybeError assigned_unit_only(std::string_view command) const {
    if (actor_.kind == Actor::Kind::kUnit && s_.is_assigned(actor_.unit)) {
      return unit_role(command, PersonRole::kHandler);
    }
    return make_error(errc::kForbidden, "only a unit assigned to task " + id() + " (" +
                                            join(s_.leads) + " / " + join(s_.participants) +
                                            ") may " + std::string(command) + "; " +
                                            to_string(actor_) + " is not one");
  }

  MaybeError lead_unit_only(std::string_view command,
                            PersonRole needed = PersonRole::kHandler) const {
    if (actor_.kind == Actor::Kind::kUnit && s_.is_lead(actor_.unit)) {
      return unit_role(command, needed);
    }
    std::string who = to_string(actor_);
    if (actor_.kind == Actor::Kind::kUnit && s_.is_participant(actor_.unit)) {
      who += " is a participant, not a lead";
    } else {
      who += " is not a lead";
    }
    return make_error(errc::kForbidden, "only a lead unit of task " + id() + " (" + join(s_.leads) +
                                            ") may " + std::string(command) + "; " + who);
  }

  MaybeError extension_pending(std::string_view command) const {
    if (s_.extension) return std::nullopt;
    return make_error(errc::kIllegalTransition, "task " + id() +
                                                    " has no extension request pending, so "
                                                    "there is nothing to " +
                                                    std::string(command) +
                                                    "; a lead unit asks with RequestExtension");
  }

  std::string what_part(const Part& part) const {
    return part.lead.empty() ? std::string("the completion") : "the part of " + part.lead.str();
  }

  // The acting unit's part a head signs off or refuses: it must await sign-off.
  Result<const Part*> submitted_part(std::string_view command) const {
    if (auto e = lead_unit_only(command, PersonRole::kUnitHead)) return *e;
    const Part* part = part_of(s_, actor_.unit);
    if (part == nullptr || part->status != PartStatus::kAwaitingSignOff) {
      return make_error(errc::kIllegalTransition, "no completion of " + quote(actor_.unit.str()) +
                                                      " awaits sign-off on task " + id() + "; " +
                                                      std::string(command) +
                                                      " applies only to one a handler submitted");
    }
    return part;
  }

  // The reported part an approval or return is about: the named unit's, or the only one.
  Result<const Part*> reported_part(const std::optional<UnitId>& unit,
                                    std::string_view command) const {
    std::vector<const Part*> reported;
    for (const Part& p : s_.parts) {
      if (p.status == PartStatus::kReported) reported.push_back(&p);
    }
    if (reported.empty()) {
      return make_error(errc::kIllegalTransition,
                        "task " + id() + " is " + std::string(to_string(s_.status)) +
                            " and no completion awaits review, so there is nothing to " +
                            std::string(command) + "; a lead unit reports first");
    }
    if (!unit) {
      if (reported.size() == 1) return reported.front();
      std::vector<UnitId> owners;
      for (const Part* p : reported) owners.push_back(p->lead);
      return make_error(errc::kInvalidCommand, std::string(command) +
                                                   " must name the unit: parts of " + join(owners) +
                                                   " all await review on task " + id());
    }
    if (!s_.is_lead(*unit)) {
      return make_error(errc::kInvalidCommand, "unit " + quote(unit->str()) +
                                                   " is not a lead of task " + id() +
                                                   "; leads are " + join(s_.leads));
    }
    const Part* part = part_of(s_, *unit);
    if (part == nullptr || part->status != PartStatus::kReported) {
      return make_error(errc::kIllegalTransition,
                        "no completion from " + quote(unit->str()) + " awaits review on task " +
                            id() + "; " + std::string(command) + " applies only to a reported one");
    }
    return part;
  }

  const TaskState& s_;
  const Actor& actor_;
  Timestamp now_;
  const UnitRules& rules_;
};

}  // namespace

Result<std::vector<Event>> decide(const TaskState& state, const Command& command,
                                  const Actor& actor, Timestamp now, const UnitRules& rules) {
  return std::visit(TaskDecider(state, actor, now, rules), command);
}

Result<std::vector<Event>> decide(const TaskState& state, const Command& command,
                                  const Actor& actor, Timestamp now) {
  return decide(state, command, actor, now, UnitRules{});
}

std::vector<Event> child_task_events(const TaskState& parent, const ChildTaskCreated& created) {
  std::vector<Event> out{TaskCreated{created.child,
                                     parent.provenance,
                                     Mode::kLead,
                                     {created.unit},
                                     {},
                                     created.deadline,
                                     created.at,
                                     std::nullopt,
                                     parent.id},
                         UnitAssigned{created.unit, Role::kLead, std::nullopt}};
  // The document's evidence rule reaches the bodies the task is handed down to.
  if (parent.evidence_required) {
    out.push_back(EvidenceRequirementSet{true, "as its parent task " + parent.id.str(),
                                         parent.provenance.document_version});
  }
  return out;
}

Result<std::vector<account::UnitSignOffRequired>> decide_sign_off_rule(
    bool current, const UnitId& unit, bool required, const Actor& actor, Timestamp now) {
  if (auto e = office_role(actor, "UnitSignOffRequired", PersonRole::kInspector)) return *e;
  if (unit.empty()) return make_error(errc::kInvalidCommand, "a sign-off rule needs a unit id");
  if (current == required) return std::vector<account::UnitSignOffRequired>{};
  return std::vector<account::UnitSignOffRequired>{{unit, required, now}};
}

Result<std::vector<Event>> decide(const DocumentState& state, const Command& command,
                                  const Actor& actor, Timestamp /*now*/) {
  const auto* c = std::get_if<RegisterDocument>(&command);
  if (c == nullptr) {
    return make_error(errc::kInvalidCommand, std::string(command_name(command)) +
                                                 " goes to a task stream, not to a document");
  }
  if (auto e = office_role(actor, c->kName, PersonRole::kInspector)) return *e;
  if (c->document.empty()) {
    return make_error(errc::kInvalidCommand, "RegisterDocument needs a document id");
  }
  if (state.exists() && c->document != state.id) {
    return make_error(errc::kInvalidCommand, "RegisterDocument names document " +
                                                 quote(c->document.str()) + " but was sent to " +
                                                 quote(state.id.str()));
  }
  if (c->content_hash.empty()) {
    return make_error(errc::kInvalidCommand, "RegisterDocument needs a content hash");
  }
  if (state.exists() && c->content_hash == state.content_hash) {
    return make_error(errc::kAlreadyExists,
                      "document " + quote(state.id.str()) + " version " +
                          std::to_string(state.document_version) +
                          " already has this content; there is nothing new to register");
  }
  if (c->version <= state.document_version) {
    return make_error(errc::kInvalidCommand, "document version must be greater than " +
                                                 std::to_string(state.document_version) +
                                                 ", the registered one; got " +
                                                 std::to_string(c->version));
  }
  return std::vector<Event>{DocumentRegistered{c->document, c->number, c->title, c->issuer,
                                               c->signed_date, c->parts, c->version,
                                               c->content_hash}};
}

}  // namespace duban::task
