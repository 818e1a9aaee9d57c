#include <boost/json.hpp>

#include "report/render.h"
#include "service/views/json_views.h"
#include "storage/hash_chain.h"

namespace duban::report {
namespace {

namespace json = boost::json;
namespace views = service::views;
using views::iso_utc_seconds;

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value share(std::optional<double> v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

std::string render_json(const Report& r) {
  const bool by_document = r.options.document.has_value();
  auto event_count = [&](int v) { return by_document ? json::value(nullptr) : json::value(v); };

  json::object header{{"now", iso_utc_seconds(r.now)},
                      {"date", shanghai_date(r.now)},
                      {"position", r.position.value()},
                      {"hash", storage::to_hex(r.head_hash)},
                      {"yellow_share", r.options.yellow_share},
                      {"unit", views::optional_json(r.options.unit)},
                      {"document", r.options.document ? json::value(r.options.document->str())
                                                      : json::value(nullptr)}};
  json::object totals{{"tasks", r.totals.tasks},
                      {"open", r.totals.open},
                      {"closed", r.totals.closed},
                      {"closed_on_time", r.totals.closed_on_time},
                      {"cancelled", r.totals.cancelled},
                      {"overdue", r.totals.overdue},
                      {"no_deadline", r.totals.no_deadline},
                      {"documents", r.totals.documents},
                      {"units", r.totals.units}};
  json::array units;
  for (const auto& u : r.units) {
    units.push_back(json::object{{"unit", u.unit.str()},
                                 {"name", u.name},
                                 {"led", u.led},
                                 {"joined", u.joined},
                                 {"acknowledged", u.acknowledged},
                                 {"closed", u.closed},
                                 {"closed_on_time", u.closed_on_time},
                                 {"overdue", u.overdue},
                                 {"returned", event_count(u.returned)},
                                 {"extensions", event_count(u.extensions)},
                                 {"urged", event_count(u.urged)},
                                 {"completion", share(u.completion())},
                                 {"on_time", share(u.on_time())},
                                 {"late_reports", u.late_reports},
                                 {"contributions", u.contributions}});
  }
  auto children_of = [](const ClauseRow& c) {
    json::array out;
    for (const TaskId& t : c.children) out.emplace_back(t.str());
    return out;
  };
  json::array documents;
  for (const auto& d : r.documents) {
    json::array clauses;
    for (const auto& c : d.clauses) {
      clauses.push_back(json::object{
          {"task", c.task.str()},
          {"label", c.label},
          {"heading", c.heading},
          {"line", c.line},
          {"status", task::to_string(c.status)},
          {"light", task::to_string(c.light)},
          {"deadline", views::optional_json(c.deadline)},
          {"leads", strings(c.leads)},
          {"participants", strings(c.participants)},
          {"acknowledged_units", c.acknowledged},
          {"closed_at",
           c.closed_at ? json::value(iso_utc_seconds(*c.closed_at)) : json::value(nullptr)},
          {"parent", c.parent.empty() ? json::value(nullptr) : json::value(c.parent.str())},
          {"children", children_of(c)},
          {"children_closed", c.children_closed},
          {"contributions", c.contributions}});
    }
    // The document's counts as everywhere else (views::document_row_json), then its clauses.
    json::object row = views::document_row_json(service::projections::DocumentProgressRow{
        d.document, d.number, d.title, d.version, d.tasks, d.by_status, d.by_light});
    row["clauses"] = std::move(clauses);
    documents.push_back(std::move(row));
  }
  json::array overdue;
  for (const auto& o : r.overdue) {
    overdue.push_back(json::object{{"task", o.task.str()},
                                   {"document", o.document.str()},
                                   {"label", o.label},
                                   {"heading", o.heading},
                                   {"deadline", o.deadline},
                                   {"days_overdue", o.days_overdue},
                                   {"status", task::to_string(o.status)},
                                   {"leads", strings(o.leads)},
                                   {"recorded", o.recorded}});
  }
  json::array deadlines;
  for (const auto& m : r.deadlines) {
    deadlines.push_back(json::object{{"month", m.month},
                                     {"tasks", m.total()},
                                     {"closed_on_time", m.closed_on_time},
                                     {"closed_late", m.closed_late},
                                     {"open_due_later", m.open_due_later},
                                     {"overdue", m.overdue}});
  }
  return json::serialize(json::object{{"report", std::move(header)},
                                      {"totals", std::move(totals)},
                                      {"units", std::move(units)},
                                      {"documents", std::move(documents)},
                                      {"overdue", std::move(overdue)},
                                      {"deadlines", std::move(deadlines)}}) +
         "\n";
}

}  // namespace duban::report
