#include "audit/event_text.h"

#include "model/task/reporting.h"

#include <chrono>
#include <cstdio>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/task/mode.h"

namespace duban::audit {
namespace {

std::string names(const std::vector<UnitId>& units, const UnitNamer& name) {
  if (units.empty()) return "none";
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : "、") + name(u);
  return out;
}

std::string date(const task::Deadline& d) {
  return d ? *d : "none";
}

std::string with_reason(std::string text, const std::string& reason) {
  if (!reason.empty()) text += " — " + reason;
  return text;
}

// The UTC day of `t`, YYYY-MM-DD.
std::string day(Timestamp t) {
  const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(t)};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return out;
}

std::string caused_by(const std::optional<int>& document_version) {
  return document_version ? " (document version " + std::to_string(*document_version) + ")" : "";
}

// "; evidence: 验收报告.pdf (application/pdf, 1234 bytes, sha256 ab12…)" per attachment; empty
// when there is none.
std::string evidence(const task::Attachments& list) {
  std::string out;
  for (const auto& a : list) {
    out += (out.empty() ? "; evidence: " : ", ") + a.name + " (" + a.media_type + ", " +
           std::to_string(a.size) + " bytes, sha256 " + a.sha256 + ")";
  }
  return out;
}

}  // namespace

std::string clause_text(const task::DraftClause& c, const UnitNamer& name) {
  std::string text = c.key + " " + c.label + " " + std::string(task::to_string(c.mode)) + ":";
  const char* sep = " ";
  for (const auto& u : c.units) {
    text += sep + name(u.unit) + "(" + std::string(task::to_string(u.role)) + ")";
    sep = ", ";
  }
  if (c.units.empty()) text += " no units";
  text += "; deadline " + c.deadline.value_or("none");
  return text;
}

std::string describe_event(const task::Event& event, const UnitNamer& name) {
  return std::visit(
      [&](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, task::DocumentRegistered>) {
          return "document registered, version " + std::to_string(e.version) + ": " + e.title;
        } else if constexpr (std::is_same_v<E, task::TaskCreated>) {
          std::string text = "created (" + std::string(task::to_string(e.mode)) + " mode): leads " +
                             names(e.leads, name);
          if (!e.participants.empty()) text += ", participants " + names(e.participants, name);
          return text + "; deadline " + date(e.deadline);
        } else if constexpr (std::is_same_v<E, task::UnitAssigned>) {
          return "assigned to " + name(e.unit) + " as " + std::string(task::to_string(e.role)) +
                 caused_by(e.document_version);
        } else if constexpr (std::is_same_v<E, task::TaskReassigned>) {
          std::string text = "reassigned: leads " + names(e.old_leads, name) + " -> " +
                             names(e.new_leads, name) + ", participants " +
                             names(e.old_participants, name) + " -> " +
                             names(e.new_participants, name);
          if (e.old_mode != e.new_mode) {
            text += ", mode " + std::string(task::to_string(e.old_mode)) + " -> " +
                    std::string(task::to_string(e.new_mode));
          }
          return with_reason(text + caused_by(e.document_version), e.reason);
        } else if constexpr (std::is_same_v<E, task::TaskRevised>) {
          return "clause revised: now " + e.provenance.label + " of document version " +
                 std::to_string(e.provenance.document_version) + ", lines " +
                 std::to_string(e.provenance.line) + "-" + std::to_string(e.provenance.end_line);
        } else if constexpr (std::is_same_v<E, task::TaskAcknowledged>) {
          return "acknowledged (签收) by " + name(e.unit);
        } else if constexpr (std::is_same_v<E, task::ProgressReported>) {
          std::string text = "progress reported by " + name(e.unit);
          if (e.percent) text += " (" + std::to_string(*e.percent) + "%)";
          return with_reason(text, e.note) + evidence(e.attachments);
        } else if constexpr (std::is_same_v<E, task::TaskUrged>) {
          return with_reason(
              "urged (催办)" + (e.unit ? " " + name(*e.unit) : std::string(" every unit")), e.note);
        } else if constexpr (std::is_same_v<E, task::ExtensionRequested>) {
          return with_reason(
              "extension to " + e.requested_deadline + " requested by " + name(e.unit), e.reason);
        } else if constexpr (std::is_same_v<E, task::ExtensionApproved>) {
          return "extension approved: deadline " + date(e.previous_deadline) + " -> " +
                 e.new_deadline;
        } else if constexpr (std::is_same_v<E, task::ExtensionRejected>) {
          return with_reason("extension rejected", e.reason);
        } else if constexpr (std::is_same_v<E, task::DeadlineSet>) {
          return with_reason("deadline " + date(e.previous_deadline) + " -> " + date(e.deadline) +
                                 caused_by(e.document_version),
                             e.reason);
        } else if constexpr (std::is_same_v<E, task::CompletionReported>) {
          return with_reason("completion reported (办结报告) by " + name(e.unit), e.summary) +
                 evidence(e.attachments);
        } else if constexpr (std::is_same_v<E, task::CompletionApproved>) {
          return "completion of " + name(e.unit) + " approved";
        } else if constexpr (std::is_same_v<E, task::TaskClosed>) {
          return "closed (销号)";
        } else if constexpr (std::is_same_v<E, task::TaskReturned>) {
          return with_reason("returned for rework (退办) to " + name(e.unit), e.reason);
        } else if constexpr (std::is_same_v<E, task::TaskReopened>) {
          return with_reason("reopened", e.reason);
        } else if constexpr (std::is_same_v<E, task::TaskCancelled>) {
          return with_reason("cancelled" + caused_by(e.document_version), e.reason);
        } else if constexpr (std::is_same_v<E, task::DeadlineApproaching>) {
          return "deadline " + e.deadline + " approaching (reminder)";
        } else if constexpr (std::is_same_v<E, task::TaskOverdue>) {
          return "overdue: deadline " + e.deadline + " passed";
        } else if constexpr (std::is_same_v<E, task::ReportingCycleSet>) {
          return with_reason("reporting cycle (报送进展) " +
                                 std::string(task::to_string(e.previous)) + " -> " +
                                 std::string(task::to_string(e.cycle)),
                             e.reason);
        } else if constexpr (std::is_same_v<E, task::ProgressReportDue>) {
          return "progress report for " + e.period + " due by " + e.due + " (reminder)";
        } else if constexpr (std::is_same_v<E, task::ProgressReportOverdue>) {
          return "late report: no progress reported for " + e.period + " (due " + e.due + ")";
        } else if constexpr (std::is_same_v<E, task::DraftRecorded>) {
          return "draft recorded (拟办), version " + std::to_string(e.version) + ": " +
                 std::to_string(e.clauses.size()) + " clauses read";
        } else if constexpr (std::is_same_v<E, task::DraftCorrected>) {
          std::string text = "corrected (" + std::string(task::to_string(e.kind)) + "):";
          for (const auto& c : e.before) text += " was [" + clause_text(c, name) + "]";
          if (e.before.empty()) text += " added";
          for (const auto& c : e.after) text += " now [" + clause_text(c, name) + "]";
          if (e.after.empty()) text += " dropped";
          return with_reason(text, e.reason);
        } else if constexpr (std::is_same_v<E, task::DraftPublished>) {
          return "published (交办) as version " + std::to_string(e.version) + ": " +
                 std::to_string(e.tasks.size()) + " tasks created";
        } else if constexpr (std::is_same_v<E, task::UnitNameMapped>) {
          return "unit name " + e.name + " mapped to " + name(e.unit);
        } else if constexpr (std::is_same_v<E, account::AccountCreated>) {
          std::string roles;
          for (account::Role r : e.roles) {
            roles += (roles.empty() ? "" : ", ") + std::string(account::role_name(r));
          }
          return "account " + e.account.str() + " (" + e.display_name + ") created for " +
                 (e.unit.empty() ? std::string("the supervising office") : name(e.unit)) + " as " +
                 roles;
        } else if constexpr (std::is_same_v<E, account::AccountDisabled>) {
          return with_reason("account disabled", e.reason);
        } else if constexpr (std::is_same_v<E, account::AccountRolesChanged>) {
          std::string roles;
          for (account::Role r : e.roles) {
            roles += (roles.empty() ? "" : ", ") + std::string(account::role_name(r));
          }
          return "roles changed to " + roles;
        } else if constexpr (std::is_same_v<E, account::PasswordReset>) {
          return "password reset";
        } else if constexpr (std::is_same_v<E, account::SignInLockedOut>) {
          return "sign-in locked out after " + std::to_string(e.failures) +
                 " failed attempts (last from " + e.address + ")";
        } else if constexpr (std::is_same_v<E, task::UnitDirectoryRecorded>) {
          return "unit directory recorded from " + e.source + " (" + e.sha256 + ")";
        } else if constexpr (std::is_same_v<E, task::CompletionSubmitted>) {
          return with_reason("completion submitted for the unit head's sign-off by " + name(e.unit),
                             e.summary) +
                 evidence(e.attachments);
        } else if constexpr (std::is_same_v<E, task::CompletionSignedOff>) {
          return with_reason("completion of " + name(e.unit) + " signed off (负责人审核)", e.note);
        } else if constexpr (std::is_same_v<E, task::SignOffRefused>) {
          return with_reason("sign-off of " + name(e.unit) + "'s completion refused", e.reason);
        } else if constexpr (std::is_same_v<E, account::UnitSignOffRequired>) {
          return name(e.unit) + (e.required ? " requires" : " no longer requires") +
                 " its head's sign-off on completions";
        } else if constexpr (std::is_same_v<E, account::TokenIssued>) {
          std::string scope = e.scope == account::TokenScope::kUnit ? "unit " + name(e.unit)
                              : e.scope == account::TokenScope::kAccount
                                  ? "account " + e.account.str()
                                  : std::string("the supervising office");
          return "API token " + e.token + " (" + e.name + ") issued for " + scope +
                 (e.expires_at == Timestamp{} ? std::string(", no expiry")
                                              : ", expires " + day(e.expires_at));
        } else if constexpr (std::is_same_v<E, account::TokenRevoked>) {
          return with_reason("API token revoked", e.reason);
        } else if constexpr (std::is_same_v<E, task::ChildTaskCreated>) {
          std::string how = e.delegated_by.empty()
                                ? "expanded from " + name(e.group)
                                : "handed down (转办) by " + name(e.delegated_by);
          return "child task " + e.child.str() + " for " + name(e.unit) + " " + how +
                 "; deadline " + e.deadline.value_or("none") +
                 (e.note.empty() ? std::string() : ": " + e.note);
        } else if constexpr (std::is_same_v<E, task::ContributionReported>) {
          return name(e.unit) + " reported its contribution: " + e.text + evidence(e.attachments);
        } else if constexpr (std::is_same_v<E, task::DraftEvidenceRequirementSet>) {
          return with_reason(std::string("completions of the document's tasks ") +
                                 (e.required ? "must" : "need not") + " carry evidence",
                             e.reason);
        } else {
          static_assert(std::is_same_v<E, task::EvidenceRequirementSet>,
                        "every event type is described");
          return with_reason(
              std::string("completions ") + (e.required ? "must" : "need not") + " carry evidence",
              e.reason);
        }
      },
      event);
}

}  // namespace duban::audit
