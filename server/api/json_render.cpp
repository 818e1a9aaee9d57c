#include "server/api/json_render.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <type_traits>

#include "model/task/deadline.h"
#include "model/task/mode.h"

namespace duban::server {
namespace json = boost::json;
namespace {

json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<UnitId>& v) {
  return v ? json::value(v->str()) : json::value(nullptr);
}
json::array units(const std::vector<UnitId>& us) {
  json::array a;
  a.reserve(us.size());
  for (const auto& u : us) a.emplace_back(u.str());
  return a;
}

}  // namespace

std::string iso_utc(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()),
                static_cast<long>(hms.subseconds().count()));
  return buf;
}

json::object provenance_json(const task::Provenance& p) {
  return json::object{{"document", p.document.str()},
                      {"document_version", p.document_version},
                      {"part", p.part},
                      {"label", p.label},
                      {"heading", p.heading},
                      {"text", p.text},
                      {"line", p.line},
                      {"end_line", p.end_line}};
}

json::object event_data_json(const task::Event& event) {
  return std::visit(
      [](const auto& e) -> json::object {
        using E = std::decay_t<decltype(e)>;
        using namespace task;
        if constexpr (std::is_same_v<E, DocumentRegistered>) {
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
        } else if constexpr (std::is_same_v<E, TaskCreated>) {
          return {{"task", e.task.str()},
                  {"provenance", provenance_json(e.provenance)},
                  {"mode", to_string(e.mode)},
                  {"leads", units(e.leads)},
                  {"participants", units(e.participants)},
                  {"deadline", opt(e.deadline)},
                  {"created_at", iso_utc(e.created_at)}};
        } else if constexpr (std::is_same_v<E, UnitAssigned>) {
          return {{"unit", e.unit.str()},
                  {"role", to_string(e.role)},
                  {"document_version", opt(e.document_version)}};
        } else if constexpr (std::is_same_v<E, TaskReassigned>) {
          return {{"old_mode", to_string(e.old_mode)},
                  {"new_mode", to_string(e.new_mode)},
                  {"old_leads", units(e.old_leads)},
                  {"old_participants", units(e.old_participants)},
                  {"new_leads", units(e.new_leads)},
                  {"new_participants", units(e.new_participants)},
                  {"reason", e.reason},
                  {"document_version", opt(e.document_version)}};
        } else if constexpr (std::is_same_v<E, TaskRevised>) {
          return {{"provenance", provenance_json(e.provenance)}};
        } else if constexpr (std::is_same_v<E, TaskAcknowledged>) {
          return {{"unit", e.unit.str()}, {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, ProgressReported>) {
          return {{"unit", e.unit.str()},
                  {"note", e.note},
                  {"percent", opt(e.percent)},
                  {"at", iso_utc(e.at)}};
        } else if constexpr (std::is_same_v<E, TaskUrged>) {
          return {{"unit", opt(e.unit)}, {"note", e.note}};
        } else if constexpr (std::is_same_v<E, ExtensionRequested>) {
          return {{"unit", e.unit.str()},
                  {"requested_deadline", e.requested_deadline},
                  {"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, ExtensionApproved>) {
          return {{"new_deadline", e.new_deadline},
                  {"previous_deadline", opt(e.previous_deadline)}};
        } else if constexpr (std::is_same_v<E, ExtensionRejected>) {
          return {{"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, DeadlineSet>) {
          return {{"deadline", opt(e.deadline)},
                  {"previous_deadline", opt(e.previous_deadline)},
                  {"reason", e.reason},
                  {"document_version", opt(e.document_version)}};
        } else if constexpr (std::is_same_v<E, CompletionReported>) {
          return {{"unit", e.unit.str()}, {"summary", e.summary}, {"at", iso_utc(e.at)}};
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
                  {"document_version", opt(e.document_version)},
                  {"cancelled_at", iso_utc(e.cancelled_at)}};
        } else if constexpr (std::is_same_v<E, DeadlineApproaching>) {
          return {{"deadline", e.deadline}, {"at", iso_utc(e.at)}};
        } else {
          static_assert(std::is_same_v<E, TaskOverdue>, "every event type is rendered");
          return {{"deadline", e.deadline}, {"at", iso_utc(e.at)}};
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

json::object task_state_json(const task::TaskState& s, task::Light light) {
  json::array parts;
  for (const task::Part& p : s.parts) {
    parts.push_back(
        json::object{{"lead", p.lead.empty() ? json::value(nullptr) : json::value(p.lead.str())},
                     {"status", to_string(p.status)},
                     {"reported_by", p.reported_by.empty() ? json::value(nullptr)
                                                           : json::value(p.reported_by.str())},
                     {"summary", p.summary}});
  }
  json::value extension = nullptr;
  if (s.extension) {
    extension = json::object{{"unit", s.extension->unit.str()},
                             {"requested_deadline", s.extension->requested_deadline},
                             {"reason", s.extension->reason}};
  }
  return json::object{
      {"task", s.id.str()},
      {"version", s.version.value()},
      {"status", to_string(s.status)},
      {"light", to_string(light)},
      {"mode", to_string(s.mode)},
      {"leads", units(s.leads)},
      {"participants", units(s.participants)},
      {"acknowledged", units(s.acknowledged)},
      {"parts", std::move(parts)},
      {"deadline", opt(s.deadline)},
      {"original_deadline", opt(s.original_deadline)},
      {"pending_extension", std::move(extension)},
      {"urges", s.urges},
      {"returns", s.returns},
      {"extensions", s.extensions},
      {"created_at", iso_utc(s.created_at)},
      {"closed_at", s.closed_at ? json::value(iso_utc(*s.closed_at)) : json::value(nullptr)},
      {"cancelled_at",
       s.cancelled_at ? json::value(iso_utc(*s.cancelled_at)) : json::value(nullptr)},
      {"source", provenance_json(s.provenance)}};
}

json::object inbox_item_json(const service::projections::InboxItem& i) {
  return json::object{{"task", i.task.str()},          {"role", to_string(i.role)},
                      {"status", to_string(i.status)}, {"light", to_string(i.light)},
                      {"deadline", opt(i.deadline)},   {"acknowledged", i.acknowledged},
                      {"document", i.document.str()},  {"label", i.label},
                      {"heading", i.heading}};
}

json::object document_row_json(const service::projections::DocumentProgressRow& row) {
  json::object by_status;
  for (std::size_t i = 0; i < row.by_status.size(); ++i) {
    by_status[to_string(static_cast<task::Status>(i))] = row.by_status[i];
  }
  json::object by_light;
  for (std::size_t i = 0; i < row.by_light.size(); ++i) {
    by_light[to_string(static_cast<task::Light>(i))] = row.by_light[i];
  }
  return json::object{
      {"document", row.document.str()}, {"number", row.number}, {"title", row.title},
      {"version", row.version},         {"tasks", row.tasks},   {"by_status", std::move(by_status)},
      {"by_light", std::move(by_light)}};
}

json::object overdue_item_json(const service::projections::OverdueItem& i) {
  return json::object{{"task", i.task.str()},
                      {"deadline", i.deadline},
                      {"deadline_instant", iso_utc(i.deadline_instant)},
                      {"days_overdue", i.days_overdue},
                      {"status", to_string(i.status)},
                      {"leads", units(i.leads)},
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
                      {"open_now", row.open_now},
                      {"red_now", row.red_now}};
}

json::object unit_json(const gazette::Unit& u) {
  json::array aliases;
  for (const auto& a : u.aliases) aliases.emplace_back(a);
  return json::object{
      {"id", u.id}, {"kind", u.kind}, {"name", u.name}, {"aliases", std::move(aliases)}};
}

}  // namespace duban::server
