#include "service/views/json_views.h"

#include <chrono>
#include <cstdio>

#include "model/task/mode.h"

namespace duban::service::views {
namespace json = boost::json;
namespace {

// "YYYY-MM-DDTHH:MM:SS" of `t`, with ".mmm" when `millis`, then "Z".
std::string iso_utc(Timestamp t, bool millis) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  char buf[40];
  const int n = std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
      static_cast<long>(hms.seconds().count()));
  if (millis) {
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%03ldZ",
                  static_cast<long>(duration_cast<milliseconds>(hms.subseconds()).count()));
  } else {
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "Z");
  }
  return buf;
}

json::value optional_instant(const std::optional<Timestamp>& t) {
  return t ? json::value(iso_utc_millis(*t)) : json::value(nullptr);
}

json::value unit_or_null(const UnitId& id) {
  return id.empty() ? json::value(nullptr) : json::value(id.str());
}

json::array parts_json(const std::vector<task::Part>& parts) {
  json::array a;
  for (const task::Part& p : parts) {
    a.push_back(json::object{{"lead", unit_or_null(p.lead)},
                             {"status", to_string(p.status)},
                             {"reported_by", unit_or_null(p.reported_by)},
                             {"summary", p.summary}});
  }
  return a;
}

json::value extension_json(const std::optional<task::PendingExtension>& e) {
  if (!e) return nullptr;
  return json::object{{"unit", e->unit.str()},
                      {"requested_deadline", e->requested_deadline},
                      {"reason", e->reason}};
}

}  // namespace

std::string iso_utc_millis(Timestamp t) {
  return iso_utc(t, true);
}

std::string iso_utc_seconds(Timestamp t) {
  return iso_utc(t, false);
}

json::value optional_json(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value optional_json(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value optional_json(const std::optional<UnitId>& v) {
  return v ? json::value(v->str()) : json::value(nullptr);
}

json::array unit_ids_json(const std::vector<UnitId>& ids) {
  json::array a;
  a.reserve(ids.size());
  for (const auto& id : ids) a.emplace_back(id.str());
  return a;
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

json::object task_json(const task::TaskState& s, task::Light light, TaskFields fields) {
  json::object o;
  o.reserve(fields.size());
  for (const TaskField field : fields) {
    switch (field) {
      case TaskField::kTask:
        o["task"] = s.id.str();
        break;
      case TaskField::kDocument:
        o["document"] = s.provenance.document.str();
        break;
      case TaskField::kLabel:
        o["label"] = s.provenance.label;
        break;
      case TaskField::kHeading:
        o["heading"] = s.provenance.heading;
        break;
      case TaskField::kVersion:
        o["version"] = s.version.value();
        break;
      case TaskField::kStatus:
        o["status"] = to_string(s.status);
        break;
      case TaskField::kLight:
        o["light"] = to_string(light);
        break;
      case TaskField::kMode:
        o["mode"] = to_string(s.mode);
        break;
      case TaskField::kLeads:
        o["leads"] = unit_ids_json(s.leads);
        break;
      case TaskField::kParticipants:
        o["participants"] = unit_ids_json(s.participants);
        break;
      case TaskField::kAcknowledged:
        o["acknowledged"] = unit_ids_json(s.acknowledged);
        break;
      case TaskField::kParts:
        o["parts"] = parts_json(s.parts);
        break;
      case TaskField::kDeadline:
        o["deadline"] = optional_json(s.deadline);
        break;
      case TaskField::kOriginalDeadline:
        o["original_deadline"] = optional_json(s.original_deadline);
        break;
      case TaskField::kPendingExtension:
        o["pending_extension"] = extension_json(s.extension);
        break;
      case TaskField::kUrges:
        o["urges"] = s.urges;
        break;
      case TaskField::kReturns:
        o["returns"] = s.returns;
        break;
      case TaskField::kExtensions:
        o["extensions"] = s.extensions;
        break;
      case TaskField::kCreatedAt:
        o["created_at"] = iso_utc_millis(s.created_at);
        break;
      case TaskField::kClosedAt:
        o["closed_at"] = optional_instant(s.closed_at);
        break;
      case TaskField::kCancelledAt:
        o["cancelled_at"] = optional_instant(s.cancelled_at);
        break;
      case TaskField::kSource:
        o["source"] = provenance_json(s.provenance);
        break;
      case TaskField::kEvidenceRequired:
        o["evidence_required"] = s.evidence_required;
        break;
    }
  }
  return o;
}

json::object task_state_json(const task::TaskState& state, task::Light light) {
  return task_json(state, light, kTaskStateFields);
}

json::object child_json(const task::ChildTask& entry, const std::optional<task::TaskState>& child,
                        task::Light light) {
  json::object o{{"task", entry.task.str()},
                 {"unit", entry.unit.str()},
                 {"deadline", optional_json(entry.deadline)},
                 {"delegated_by", entry.delegated_by.str()},
                 {"group", entry.group.str()}};
  if (child) {
    o["status"] = to_string(child->status);
    o["light"] = to_string(light);
    o["parts"] = parts_json(child->parts);
  } else {
    o["status"] = nullptr;
    o["light"] = nullptr;
    o["parts"] = json::array();
  }
  return o;
}

json::array contributions_json(const std::vector<task::Contribution>& contributions) {
  json::array out;
  for (const task::Contribution& c : contributions) {
    out.push_back(
        json::object{{"unit", c.unit.str()}, {"text", c.text}, {"at", iso_utc_millis(c.at)}});
  }
  return out;
}

namespace {

json::object inbox_item(const projections::InboxItem& i, const UnitId* unit) {
  json::object o;
  o["task"] = i.task.str();
  if (unit) o["unit"] = unit->str();
  o["role"] = to_string(i.role);
  o["status"] = to_string(i.status);
  o["light"] = to_string(i.light);
  o["deadline"] = optional_json(i.deadline);
  o["acknowledged"] = i.acknowledged;
  o["document"] = i.document.str();
  o["label"] = i.label;
  o["heading"] = i.heading;
  return o;
}

}  // namespace

json::object inbox_item_json(const projections::InboxItem& item) {
  return inbox_item(item, nullptr);
}

json::object inbox_item_json(const projections::InboxItem& item, const UnitId& unit) {
  return inbox_item(item, &unit);
}

json::object status_counts_json(const projections::StatusCounts& counts) {
  json::object o;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    o[to_string(static_cast<task::Status>(i))] = counts[i];
  }
  return o;
}

json::object light_counts_json(const projections::LightCounts& counts) {
  json::object o;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    o[to_string(static_cast<task::Light>(i))] = counts[i];
  }
  return o;
}

json::object document_row_json(const projections::DocumentProgressRow& row) {
  return json::object{{"document", row.document.str()},
                      {"number", row.number},
                      {"title", row.title},
                      {"version", row.version},
                      {"tasks", row.tasks},
                      {"by_status", status_counts_json(row.by_status)},
                      {"by_light", light_counts_json(row.by_light)}};
}

}  // namespace duban::service::views
