// Each handler below records a fact; none refuses. Invariants the events were decided under
// (e.g. a CompletionApproved follows a CompletionReported) are not re-checked: replay must
// reproduce history even if rules change later.
#include "model/task/apply.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "model/task/detail/parts.h"
#include "model/task/relative_deadlines.h"
#include "model/task/reporting.h"

namespace duban::task {

namespace {

using detail::make_parts;
using detail::part_of;

void erase_unit(std::vector<UnitId>& units, const UnitId& unit) {
  units.erase(std::remove(units.begin(), units.end(), unit), units.end());
}

void mark_started(TaskState& s) {
  if (s.status == Status::kAssigned) s.status = Status::kInProgress;
}

// After a part changed: an open task awaits review while any part is reported; otherwise work
// is going on (it never falls back to kAssigned once something happened).
void settle(TaskState& s) {
  if (!s.is_open()) return;
  bool any_reported = std::any_of(s.parts.begin(), s.parts.end(),
                                  [](const Part& p) { return p.status == PartStatus::kReported; });
  if (any_reported) {
    s.status = Status::kCompletionReported;
  } else if (s.status == Status::kCompletionReported) {
    s.status = Status::kInProgress;
  }
}

void change_deadline(TaskState& s, const Deadline& deadline) {
  s.deadline = deadline;
  if (!s.original_deadline) s.original_deadline = deadline;
  // A new deadline gets its own reminders.
  s.approaching_recorded = false;
  s.overdue_recorded = false;
}

void on(TaskState&, const DocumentRegistered&) {
  throw std::logic_error("apply: DocumentRegistered belongs to a document stream, not a task");
}

// Draft and unit-name events are folded by model/draft/, never into a task; the recorded unit
// directory is read by service/unit_directory_log.h.
template <class E>
requires(std::is_same_v<E, DraftRecorded> || std::is_same_v<E, DraftCorrected> ||
         std::is_same_v<E, DraftPublished> || std::is_same_v<E, UnitNameMapped> ||
         std::is_same_v<E, UnitDirectoryRecorded> ||
         std::is_same_v<E, DraftEvidenceRequirementSet>) void on(TaskState&, const E&) {
  throw std::logic_error("apply: " + std::string(E::kType) +
                         " belongs to a draft or unit-name stream, not a task");
}

// Account events belong to account streams (model/account/account.h folds them).
template <class E>
requires(std::is_same_v<E, account::AccountCreated> ||
         std::is_same_v<E, account::AccountDisabled> ||
         std::is_same_v<E, account::AccountRolesChanged> ||
         std::is_same_v<E, account::PasswordReset> || std::is_same_v<E, account::SignInLockedOut> ||
         std::is_same_v<E, account::UnitSignOffRequired>) void on(TaskState&, const E&) {
  throw std::logic_error("apply: " + std::string(E::kType) +
                         " belongs to an account stream, not a task");
}

// Token events belong to token streams (service/token_service.h folds them).
template <class E>
requires(std::is_same_v<E, account::TokenIssued> ||
         std::is_same_v<E, account::TokenRevoked>) void on(TaskState&, const E&) {
  throw std::logic_error("apply: " + std::string(E::kType) +
                         " belongs to a token stream, not a task");
}

void on(TaskState& s, const TaskCreated& e) {
  s.id = e.task;
  s.provenance = e.provenance;
  s.mode = e.mode;
  s.leads = e.leads;
  s.participants = e.participants;
  s.parts = make_parts(e.mode, e.leads);
  s.status = Status::kAssigned;
  s.deadline = e.deadline;
  s.original_deadline = e.deadline;
  s.created_at = e.created_at;
  s.as_read = e.reading.value_or(Reading{e.mode, e.leads, e.participants, e.deadline});
  s.parent = e.parent;
}

void on(TaskState& s, const ChildTaskCreated& e) {
  s.children.push_back(ChildTask{e.child, e.unit, e.deadline, e.delegated_by, e.group});
  mark_started(s);
}

void on(TaskState& s, const ContributionReported& e) {
  s.contributions.push_back(Contribution{e.unit, e.text, e.at});
  mark_started(s);
}

void on(TaskState& s, const EvidenceRequirementSet& e) {
  s.evidence_required = e.required;
}

// State already reflects TaskCreated/TaskReassigned; this only repairs membership for streams
// where a unit was assigned on its own.
void on(TaskState& s, const UnitAssigned& e) {
  if (e.role == Role::kLead) {
    if (s.is_lead(e.unit)) return;
    erase_unit(s.participants, e.unit);
    s.leads.push_back(e.unit);
    if (s.mode == Mode::kSeparately) s.parts.push_back(Part{e.unit, PartStatus::kOpen, {}, {}});
  } else {
    if (s.is_participant(e.unit)) return;
    if (s.is_lead(e.unit)) return;  // a lead keeps its stronger role
    s.participants.push_back(e.unit);
  }
}

void on(TaskState& s, const TaskReassigned& e) {
  std::vector<Part> parts;
  if (e.new_mode != s.mode) {
    // Completions reported under the old split do not map onto the new one.
    parts = make_parts(e.new_mode, e.new_leads);
  } else if (e.new_mode == Mode::kSeparately) {
    for (const UnitId& lead : e.new_leads) {
      const Part* kept = part_of(s, lead);
      parts.push_back(kept ? *kept : Part{lead, PartStatus::kOpen, {}, {}});
    }
  } else {
    parts = s.parts;
  }
  s.mode = e.new_mode;
  s.leads = e.new_leads;
  s.participants = e.new_participants;
  s.parts = std::move(parts);
  std::erase_if(s.acknowledged, [&](const UnitId& u) { return !s.is_assigned(u); });
  settle(s);
  // Before three-way revisions an ingest set the units to exactly its reading; since then the
  // TaskRevised that follows a document's TaskReassigned carries the reading and overrides this.
  if (e.document_version) {
    s.as_read.mode = e.new_mode;
    s.as_read.leads = e.new_leads;
    s.as_read.participants = e.new_participants;
  }
}

void on(TaskState& s, const TaskRevised& e) {
  s.provenance = e.provenance;
  if (e.reading) s.as_read = *e.reading;
}

void on(TaskState& s, const TaskAcknowledged& e) {
  if (!s.has_acknowledged(e.unit)) s.acknowledged.push_back(e.unit);
  mark_started(s);
}

void on(TaskState& s, const ProgressReported& e) {
  mark_started(s);
  const auto day = shanghai_date(e.at);
  const int month =
      static_cast<int>(day.year()) * 12 + static_cast<int>(static_cast<unsigned>(day.month())) - 1;
  auto it = std::lower_bound(s.progress_months.begin(), s.progress_months.end(), month);
  if (it == s.progress_months.end() || *it != month) s.progress_months.insert(it, month);
}

void on(TaskState& s, const TaskUrged&) {
  ++s.urges;
}

void on(TaskState& s, const ExtensionRequested& e) {
  s.extension = PendingExtension{e.unit, e.requested_deadline, e.reason};
}

void on(TaskState& s, const ExtensionApproved& e) {
  s.extension.reset();
  ++s.extensions;
  change_deadline(s, e.new_deadline);
}

void on(TaskState& s, const ExtensionRejected&) {
  s.extension.reset();
}

void on(TaskState& s, const DeadlineSet& e) {
  change_deadline(s, e.deadline);
  if (e.document_version) s.as_read.deadline = e.deadline;  // a document set it: its reading
}

void on(TaskState& s, const CompletionReported& e) {
  if (Part* p = part_of(s, e.unit)) {
    p->status = PartStatus::kReported;
    p->reported_by = e.unit;
    p->summary = e.summary;
  }
  mark_started(s);
  settle(s);
}

// Within the unit: the supervisor's view (status) does not change until CompletionReported.
void on(TaskState& s, const CompletionSubmitted& e) {
  if (Part* p = part_of(s, e.unit)) {
    p->status = PartStatus::kAwaitingSignOff;
    p->reported_by = e.unit;
    p->summary = e.summary;
  }
  mark_started(s);
}

void on(TaskState&, const CompletionSignedOff&) {
  // The CompletionReported recorded with it moves the part on.
}

void on(TaskState& s, const SignOffRefused& e) {
  if (Part* p = part_of(s, e.unit)) {
    p->status = PartStatus::kOpen;
    p->reported_by = UnitId();
    p->summary.clear();
  }
}

void on(TaskState& s, const CompletionApproved& e) {
  if (Part* p = part_of(s, e.unit)) p->status = PartStatus::kApproved;
  settle(s);
}

void on(TaskState& s, const TaskClosed& e) {
  s.status = Status::kClosed;
  s.closed_at = e.closed_at;
  s.extension.reset();  // moot once the work is done
}

void on(TaskState& s, const TaskReturned& e) {
  if (Part* p = part_of(s, e.unit)) {
    p->status = PartStatus::kOpen;
    p->reported_by = UnitId();
    p->summary.clear();
  }
  ++s.returns;
  settle(s);
}

void on(TaskState& s, const TaskReopened&) {
  s.parts = make_parts(s.mode, s.leads);
  s.status = Status::kInProgress;
  s.closed_at.reset();
}

void on(TaskState& s, const TaskCancelled& e) {
  s.status = Status::kCancelled;
  s.cancelled_at = e.cancelled_at;
  s.extension.reset();
}

void on(TaskState& s, const DeadlineApproaching&) {
  s.approaching_recorded = true;
}

void on(TaskState& s, const TaskOverdue&) {
  // Red implies yellow has passed; a later sweep must not announce "approaching".
  s.approaching_recorded = true;
  s.overdue_recorded = true;
}

void on(TaskState& s, const ReportingCycleSet& e) {
  s.reporting_cycle = e.cycle;
  s.first_report_period = report_period(e.cycle, shanghai_date(e.at)) + 1;
  s.report_due_period = 0;
  s.report_overdue_period = 0;
}

void on(TaskState& s, const ProgressReportDue& e) {
  if (auto p = parse_report_period(e.period)) s.report_due_period = p->second;
}

void on(TaskState& s, const ProgressReportOverdue& e) {
  if (auto p = parse_report_period(e.period)) {
    s.report_overdue_period = p->second;
    // The period is over: no "due" reminder for it any more.
    s.report_due_period = std::max(s.report_due_period, p->second);
  }
  ++s.late_reports;
}

}  // namespace

void apply_in_place(TaskState& state, const Event& event) {
  std::visit([&](const auto& e) { on(state, e); }, event);
  state.version = state.version.next();
}

TaskState apply(TaskState state, const Event& event) {
  apply_in_place(state, event);
  return state;
}

DocumentState apply(DocumentState state, const Event& event) {
  apply_in_place(state, event);
  return state;
}

void apply_in_place(DocumentState& state, const Event& event) {
  const auto* e = std::get_if<DocumentRegistered>(&event);
  if (e == nullptr) {
    throw std::logic_error("apply: " + std::string(event_type_name(event)) +
                           " belongs to a task stream, not a document");
  }
  state.id = e->document;
  state.number = e->number;
  state.title = e->title;
  state.issuer = e->issuer;
  state.signed_date = e->signed_date;
  state.parts = e->parts;
  state.document_version = e->version;
  state.content_hash = e->content_hash;
  state.version = state.version.next();
}

TaskState replay(TaskState state, const std::vector<Event>& events) {
  for (const Event& e : events) apply_in_place(state, e);
  return state;
}

DocumentState replay(DocumentState state, const std::vector<Event>& events) {
  for (const Event& e : events) apply_in_place(state, e);
  return state;
}

}  // namespace duban::task
