#include "clients/watch/event_line.h"

#include <boost/json.hpp>

namespace duban::clients {
namespace json = boost::json;
namespace {

std::string text(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

// A data field as k=v, or nothing for absent, empty and bulky values.
void field(std::string& out, std::string_view key, const json::value& v) {
  if (key == "provenance" || key == "created_at" || key == "at" || key == "closed_at" ||
      key == "cancelled_at" || key == "task" || key == "content_hash") {
    return;
  }
  std::string value;
  if (v.is_null()) return;
  if (v.is_string()) {
    if (v.as_string().empty()) return;
    value = std::string(v.as_string());
  } else if (v.is_array()) {
    if (v.as_array().empty()) return;
    for (const auto& item : v.as_array()) {
      if (!value.empty()) value += ",";
      value += text(&item);
    }
  } else {
    value = json::serialize(v);
  }
  out += " " + std::string(key) + "=" + value;
}

}  // namespace

std::string event_line(const json::object& m) {
  std::string out =
      "#" + text(m.if_contains("position")) + " " + text(m.if_contains("recorded_at"));
  if (const auto* task = m.if_contains("task")) {
    out += " task " + text(task);
  } else if (const auto* doc = m.if_contains("document")) {
    out += " document " + text(doc);
  } else {
    out += " " + text(m.if_contains("stream"));
  }
  out += " v" + text(m.if_contains("version")) + " " + text(m.if_contains("event_type")) + " by " +
         text(m.if_contains("actor"));
  if (const auto* data = m.if_contains("data"); data && data->is_object()) {
    std::string fields;
    for (const auto& kv : data->as_object()) field(fields, kv.key(), kv.value());
    if (!fields.empty()) out += ":" + fields;
  }
  return out;
}

}  // namespace duban::clients
