#include "service/views/draft_json.h"

#include "service/views/json_views.h"

namespace duban::service::views {
namespace json = boost::json;

json::object draft_clause_json(const task::DraftClause& c) {
  json::array units;
  for (const auto& u : c.units) {
    units.push_back(json::object{{"mention", u.mention},
                                 {"unit", u.unit.str()},
                                 {"role", std::string(task::to_string(u.role))}});
  }
  json::array why;
  for (const auto& w : c.why) why.emplace_back(w);
  return {{"key", c.key},
          {"part", c.part},
          {"label", c.label},
          {"heading", c.heading},
          {"text", c.text},
          {"mode", std::string(task::to_string(c.mode))},
          {"units", std::move(units)},
          {"deadline", optional_json(c.deadline)},
          {"deadline_text", c.deadline_text},
          {"line", c.line},
          {"end_line", c.end_line},
          {"confidence", c.confidence},
          {"why", std::move(why)}};
}

json::array draft_clauses_json(const std::vector<task::DraftClause>& clauses) {
  json::array out;
  for (const auto& c : clauses) out.push_back(draft_clause_json(c));
  return out;
}

boost::json::object draft_summary_json(const DraftSummary& r) {
  return {{"document", r.document.str()},
          {"title", r.title},
          {"version", r.version},
          {"clauses", r.clauses},
          {"doubtful", r.doubtful},
          {"corrections", r.corrections},
          {"published", r.published},
          {"tasks", r.tasks},
          {"evidence_required", r.evidence_required}};
}

}  // namespace duban::service::views
