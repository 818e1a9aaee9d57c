#include "audit/audit_json.h"

#include <boost/json/array.hpp>

#include "model/task/deadline.h"
#include "service/views/json_views.h"
#include "storage/hash_chain.h"

namespace duban::audit {
namespace json = boost::json;
namespace views = service::views;

json::object point_json(const PointInTime& p) {
  return json::object{
      {"position", p.position.value()},
      {"recorded_at", p.position.value() > 0 ? json::value(views::iso_utc_seconds(p.recorded_at))
                                             : json::value(nullptr)},
      {"hash", storage::to_hex(p.hash)},
      {"as_of", views::iso_utc_seconds(p.as_of)},
      {"snapshot",
       p.load.snapshot ? json::value(p.load.snapshot->filename().string()) : json::value(nullptr)}};
}

json::object history_json(const TaskHistory& history) {
  const task::TaskState& s = history.state;
  const task::DocumentState& d = history.document;
  const task::Provenance& p = s.provenance;
  json::array entries;
  for (const auto& e : history.entries) {
    entries.push_back(json::object{
        {"position", e.position.value()},
        {"version", e.version.value()},
        {"recorded_at", views::iso_utc_seconds(e.recorded_at)},
        {"actor", e.actor},
        {"person", e.person.empty() ? json::value(nullptr) : json::value(e.person)},
        {"person_name", e.person_name.empty() ? json::value(nullptr) : json::value(e.person_name)},
        {"command_id", e.command_id.str()},
        {"type", e.type},
        {"change", e.change},
        {"status_before", task::to_string(e.status_before)},
        {"status_after", task::to_string(e.status_after)}});
  }
  json::object o = views::task_json(s, task::Light::kNone, views::kTaskSummaryFields);
  o["document"] = json::object{{"id", p.document.str()}, {"version", p.document_version},
                               {"number", d.number},     {"title", d.title},
                               {"issuer", d.issuer},     {"signed_date", d.signed_date}};
  o["clause"] = json::object{{"part", p.part}, {"label", p.label}, {"heading", p.heading},
                             {"text", p.text}, {"line", p.line},   {"end_line", p.end_line}};
  o["events"] = std::move(entries);
  return o;
}

json::object asof_tasks_json(const PointInTime& at, const service::projections::AsOf& as_of) {
  const service::projections::ReadModelState state = at.model->state();
  json::array rows;
  for (const task::TaskState* s : tasks_in_document_order(state)) {
    rows.push_back(views::task_json(*s, task::light(*s, as_of.now, as_of.yellow_share),
                                    views::kTaskRowFields));
  }
  json::object o = point_json(at);
  o["tasks"] = std::move(rows);
  return o;
}

json::object asof_inbox_json(const PointInTime& at, const UnitId& unit,
                             const std::vector<service::projections::InboxItem>& inbox) {
  json::array rows;
  for (const auto& item : inbox) rows.push_back(views::inbox_item_json(item));
  json::object o = point_json(at);
  o["unit"] = unit.str();
  o["inbox"] = std::move(rows);
  return o;
}

json::object diff_json(const PointInTime& from, const PointInTime& to, const StateDiff& diff,
                       const std::map<std::string, std::int64_t>& events) {
  json::array rows, docs;
  for (const auto& r : diff.tasks) {
    rows.push_back(json::object{{"change", r.change},
                                {"task", r.task.str()},
                                {"document", r.document.str()},
                                {"label", r.label},
                                {"before", r.before},
                                {"after", r.after}});
  }
  for (const auto& d : diff.documents) {
    docs.push_back(json::object{{"document", d.document.str()},
                                {"version_before", d.version_before},
                                {"version_after", d.version_after},
                                {"title", d.title}});
  }
  json::object changes, counts;
  for (const auto& [k, n] : diff.changes) changes[k] = n;
  for (const auto& [k, n] : events) counts[k] = n;
  return json::object{{"from", point_json(from)},      {"to", point_json(to)},
                      {"changes", std::move(changes)}, {"events", std::move(counts)},
                      {"documents", std::move(docs)},  {"tasks", std::move(rows)}};
}

}  // namespace duban::audit
