#include "server/api/json_render.h"

#include "model/task/reporting.h"

#include <boost/json.hpp>
#include <type_traits>

#include "model/task/deadline.h"
#include "model/task/mode.h"
#include "service/views/draft_json.h"

namespace duban::server {
namespace json = boost::json;
using service::views::optional_json;
using service::views::unit_ids_json;

namespace {

// The document's registration fields, as a DocumentRegistered and a DraftRecorded (the draft of
// the same reading) both carry them.
template <class DocumentEvent>
json::object document_json(const DocumentEvent& e) {
  json::array parts;
  for (const auto& p : e.parts) parts.emplace_back(p);
  return {{"document", e.document.str()},
          {"number", e.number},
          {"title", e.title},
          {"issuer", e.issuer},
          {"signed_date", e.signed_date},
          {"parts", std::move(parts)},
          {"version", e.version},
          {"content_hash", e.content_hash}};
}

// Evidence references as the API shows them; the bytes are at GET
// /api/v1/attachments/{sha256}?task=ID for whoever may see the task.
json::array attachments_json(const task::Attachments& list) {
  json::array out;
  for (const auto& a : list) {
    out.push_back(json::object{
        {"sha256", a.sha256}, {"name", a.name}, {"media_type", a.media_type}, {"size", a.size}});
  }
  return out;
}

}  // namespace

json::object event_data_json(const task::Event& event) {
  return std::visit(
      [](const auto& e) -> json::object {
        using E = std::decay_t<decltype(e)>;
        using namespace task;
        if constexpr (std::is_same_v<E, DocumentRegistered>) {
          return document_json(e);
        } else if constexpr (std::is_same_v<E, TaskCreated>) {
          return {{"task", e.task.str()},
                  {"provenance", provenance_json(e.provenance)},
                  {"mode", to_string(e.mode)},
                  {"leads", unit_ids_json(e.leads)},
                  {"participants", unit_ids_json(e.participants)},
                  {"deadline", optional_json(e.deadline)},
                  {"created_at", iso_utc(e.created_at)},
                  {"parent", e.parent.empty() ? boost::json::value(nullptr)
                                              : boost::json::value(e.parent.str())}};
        } else if constexpr (std::is_same_v<E, UnitAssigned>) {
          return {{"unit", e.unit.str()},
                  {"role", to_string(e.role)},
                  {"document_version", optional_json(e.document_version)}};
        } else if constexpr (std::is_same_v<E, TaskReassigned>) {
          return {{"old_mode", to_string(e.old_mode)},
                  {"new_mode", to_string(e.new_mode)},
                  {"old_leads", unit_ids_json(e.old_leads)},
                  {"old_participants", unit_ids_json(e.old_participants)},
                  {"new_leads", unit_ids_json(e.new_leads)},
                  {"new_participants", unit_ids_json(e.new_participants)},
                  {"reason", e.reason},
                  {"document_version", optional_json(e.document_version)}};
        } else if constexpr (std::is_same_v<E, TaskRevised>) {
          return {{"provenance", provenance_json(e.provenance)}};
        } else if constexpr (std::is_same_v<E, TaskAcknowledged>) {
          return {{"unit", e.unit.str()}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ProgressReported>) {
          return {{"unit", e.unit.str()},
                  {"note", e.note},
                  {"percent", optional_json(e.percent)},
                  {"at", iso_utc(e.at)},
                  {"attachments", attachments_json(e.attachments)}};
        } else if constexpr (std::is_same_v<E, TaskUrged>) {
          return {{"unit", optional_json(e.unit)}, {"note", e.note}};
        } else if constexpr (std::is_same_v<E, ExtensionRequested>) {
          return {{"unit", e.unit.str()},
                  {"requested_deadline", e.requested_deadline},
                  {"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, ExtensionApproved>) {
          return {{"new_deadline", e.new_deadline},
                  {"previous_deadline", optional_json(e.previous_deadline)}};
        } else if constexpr (std::is_same_v<E, ExtensionRejected>) {
          return {{"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, DeadlineSet>) {
          return {{"deadline", optional_json(e.deadline)},
                  {"previous_deadline", optional_json(e.previous_deadline)},
                  {"reason", e.reason},
                  {"document_version", optional_json(e.document_version)}};
        } else if constexpr (std::is_same_v<E, CompletionReported>) {
          return {{"unit", e.unit.str()},
                  {"summary", e.summary},
                  {"at", iso_utc(e.at)},
                  {"attachments", attachments_json(e.attachments)}};
        } else if constexpr (std::is_same_v<E, CompletionApproved>) {
          return {{"unit", e.unit.str()}};
        } else if constexpr (std::is_same_v<E, TaskClosed>) {
          return {{"closed_at", iso_utc(e.closed_at)}};
        } else if constexpr (std::is_same_v<E, TaskReturned>) {
          return {{"unit", e.unit.str()}, {"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, TaskReopened>) {
          return {{"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, TaskCancelled>) {
          return {{"reason", e.reason},
                  {"document_version", optional_json(e.document_version)},
                  {"cancelled_at", iso_utc(e.cancelled_at)}};
        } else if constexpr (std::is_same_v<E, DeadlineApproaching>) {
          return {{"deadline", e.deadline}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, TaskOverdue>) {
          return {{"deadline", e.deadline}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ReportingCycleSet>) {
          return {{"cycle", to_string(e.cycle)},
                  {"previous", to_string(e.previous)},
                  {"reason", e.reason},
                  {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ProgressReportOverdue> ||
                             std::is_same_v<E, ProgressReportDue>) {
          return {{"period", e.period}, {"due", e.due}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, DraftRecorded>) {
          auto o = document_json(e);
          o["clauses"] = service::views::draft_clauses_json(e.clauses);
          return o;
        } else if constexpr (std::is_same_v<E, DraftCorrected>) {
          return {{"kind", to_string(e.kind)},
                  {"before", service::views::draft_clauses_json(e.before)},
                  {"after", service::views::draft_clauses_json(e.after)},
                  {"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, DraftPublished>) {
          json::array tasks;
          for (const auto& t : e.tasks) tasks.emplace_back(t.str());
          return {{"version", e.version},
                  {"tasks", std::move(tasks)},
                  {"published_at", iso_utc(e.published_at)}};
        } else if constexpr (std::is_same_v<E, UnitNameMapped>) {
          return {{"name", e.name}, {"unit", e.unit.str()}};
        } else if constexpr (std::is_same_v<E, account::AccountCreated>) {
          // Never the password hash: the API has no use for it.
          boost::json::array roles;
          for (account::Role r : e.roles) roles.emplace_back(account::role_name(r));
          return {{"account", e.account.str()},
                  {"display_name", e.display_name},
                  {"unit", e.unit.str()},
                  {"roles", std::move(roles)},
                  {"created_at", iso_utc(e.created_at)}};
        } else if constexpr (std::is_same_v<E, account::AccountDisabled>) {
          return {{"reason", e.reason}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, account::AccountRolesChanged>) {
          boost::json::array roles;
          for (account::Role r : e.roles) roles.emplace_back(account::role_name(r));
          return {{"roles", std::move(roles)}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, account::PasswordReset>) {
          return {{"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, account::SignInLockedOut>) {
          return {{"address", e.address},
                  {"failures", e.failures},
                  {"until", iso_utc(e.until)},
                  {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, UnitDirectoryRecorded>) {
          // The text itself can be long; its hash names it.
          return {{"sha256", e.sha256}, {"source", e.source}};
        } else if constexpr (std::is_same_v<E, CompletionSubmitted>) {
          return {{"unit", e.unit.str()},
                  {"summary", e.summary},
                  {"at", iso_utc(e.at)},
                  {"attachments", attachments_json(e.attachments)}};
        } else if constexpr (std::is_same_v<E, CompletionSignedOff>) {
          return {{"unit", e.unit.str()}, {"note", e.note}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, SignOffRefused>) {
          return {{"unit", e.unit.str()}, {"reason", e.reason}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, account::UnitSignOffRequired>) {
          return {{"unit", e.unit.str()}, {"required", e.required}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, account::TokenIssued>) {
          // Never the secret's hash: the API has no use for it.
          return {{"token", e.token},
                  {"name", e.name},
                  {"scope", account::token_scope_name(e.scope)},
                  {"unit", e.unit.str()},
                  {"account", e.account.str()},
                  {"expires_at", e.expires_at == Timestamp{}
                                     ? boost::json::value(nullptr)
                                     : boost::json::value(iso_utc(e.expires_at))},
                  {"issued_at", iso_utc(e.issued_at)}};
        } else if constexpr (std::is_same_v<E, account::TokenRevoked>) {
          return {{"reason", e.reason}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ChildTaskCreated>) {
          return {{"child", e.child.str()},
                  {"unit", e.unit.str()},
                  {"deadline", optional_json(e.deadline)},
                  {"delegated_by", e.delegated_by.str()},
                  {"group", e.group.str()},
                  {"note", e.note},
                  {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ContributionReported>) {
          return {{"unit", e.unit.str()},
                  {"text", e.text},
                  {"at", iso_utc(e.at)},
                  {"attachments", attachments_json(e.attachments)}};
        } else if constexpr (std::is_same_v<E, DraftEvidenceRequirementSet>) {
          return {{"required", e.required}, {"reason", e.reason}};
        } else {
          static_assert(std::is_same_v<E, EvidenceRequirementSet>, "every event type is rendered");
          return {{"required", e.required},
                  {"reason", e.reason},
                  {"document_version", optional_json(e.document_version)}};
        }
      },
      event);
}

StreamName split_stream(std::string_view stream) {
  for (std::string_view kind : {std::string_view("task"), std::string_view("document")}) {
    if (stream.size() > kind.size() && stream.substr(0, kind.size()) == kind &&
        stream[kind.size()] == '/') {
      return {kind, stream.substr(kind.size() + 1)};
    }
  }
  return {"", stream};
}

json::object recorded_event_json(const storage::RecordedEvent& r, const task::Event& event) {
  json::object o;
  o["position"] = r.position.value();
  o["stream"] = r.stream;
  o["version"] = r.version.value();
  o["event_type"] = r.type;
  o["schema_version"] = task::event_schema_version(event);
  o["recorded_at"] = iso_utc(r.recorded_at);
  o["actor"] = r.actor;
  o["command_id"] = r.command_id.str();
  const StreamName name = split_stream(r.stream);
  if (name.kind == "task") o["task"] = name.id;
  if (name.kind == "document") o["document"] = name.id;
  o["data"] = event_data_json(event);
  return o;
}

json::object overdue_item_json(const service::projections::OverdueItem& i) {
  return json::object{{"task", i.task.str()},
                      {"deadline", i.deadline},
                      {"deadline_instant", iso_utc(i.deadline_instant)},
                      {"days_overdue", i.days_overdue},
                      {"status", to_string(i.status)},
                      {"leads", unit_ids_json(i.leads)},
                      {"recorded", i.recorded},
                      {"heading", i.heading}};
}

json::object scorecard_json(const service::projections::ScorecardRow& row) {
  const auto& c = row.counts;
  return json::object{{"unit", row.unit.str()},
                      {"assigned", c.assigned},
                      {"acknowledged", c.acknowledged},
                      {"progress_reports", c.progress_reports},
                      {"closed", c.closed},
                      {"closed_on_time", c.closed_on_time},
                      {"overdue", c.overdue},
                      {"returned", c.returned},
                      {"extensions", c.extensions},
                      {"urged", c.urged},
                      {"late_reports", c.late_reports},
                      {"open_now", row.open_now},
                      {"red_now", row.red_now}};
}

json::object unit_json(const gazette::Unit& u) {
  json::array aliases;
  for (const auto& a : u.aliases) aliases.emplace_back(a);
  // `parent`: the unit it sits below (a group for a member, a superior body), "" when none; the
  // page offers a lead unit's subordinates for 转办 and a group's members for expansion.
  return json::object{{"id", u.id},
                      {"kind", u.kind},
                      {"name", u.name},
                      {"aliases", std::move(aliases)},
                      {"parent", u.parent}};
}

}  // namespace duban::server
