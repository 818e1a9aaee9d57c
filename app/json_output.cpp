#include "app/json_output.h"

#include <boost/json/array.hpp>

namespace duban::app {

boost::json::object to_json(const gazette::Clause& c) {
  boost::json::object o;
  o["doc"] = c.doc;
  o["part"] = c.part;
  o["label"] = c.label;
  o["heading"] = c.heading;
  o["text"] = c.text;
  o["mode"] = gazette::to_string(c.mode);
  o["kind"] = gazette::to_string(c.kind);
  boost::json::array assignments, lead, participants, guides;
  for (const auto& a : c.assignments) {
    assignments.push_back(boost::json::object{
        {"role", gazette::to_string(a.role)}, {"mention", a.mention}, {"unit", a.unit}});
    (a.role == gazette::Role::kLead          ? lead
     : a.role == gazette::Role::kParticipant ? participants
                                             : guides)
        .push_back(boost::json::string(a.mention));
  }
  o["assignments"] = std::move(assignments);
  // Convenience views of the assignments, in the shape of tests/data/sample_expected.jsonl.
  o["lead"] = std::move(lead);
  o["participants"] = std::move(participants);
  o["guides"] = std::move(guides);  // 指导: supervising units, neither lead nor participant
  boost::json::array deadlines, starts, relative;
  for (const auto& d : c.deadlines)
    deadlines.push_back(boost::json::object{{"text", d.text}, {"date", d.date}});
  for (const auto& s : c.starts)
    starts.push_back(boost::json::object{{"text", s.text}, {"date", s.date}});
  for (const auto& r : c.relative_deadlines) {
    boost::json::object span{
        {"text", r.text}, {"days", r.days}, {"business_days", r.business_days}};
    if (r.months > 0) span["months"] = r.months;  // 3个月内: a span in months, days 0
    relative.push_back(std::move(span));
  }
  o["deadlines"] = std::move(deadlines);
  o["starts"] = std::move(starts);
  o["relative_deadlines"] = std::move(relative);
  if (!c.standing.empty()) o["standing"] = c.standing;  // 长期坚持: no end date
  o["source"] = boost::json::object{{"line", c.source.line}, {"end_line", c.source.end_line}};
  o["note"] = c.note;
  o["confidence"] = static_cast<double>(static_cast<int>(c.confidence * 100 + 0.5)) / 100;
  boost::json::array why;
  for (const auto& w : c.why) why.push_back(boost::json::string(w));
  o["why"] = std::move(why);
  return o;
}

boost::json::object to_json(const gazette::Document& d, std::size_t clause_count) {
  boost::json::object o;
  o["id"] = d.id;
  o["number"] = d.number;
  o["title"] = d.title;
  o["issuer"] = d.issuer;
  o["signed"] = d.signed_text;
  o["date"] = d.signed_date;
  boost::json::array parts;
  for (const auto& p : d.parts) parts.push_back(boost::json::string(p));
  o["parts"] = std::move(parts);
  o["clauses"] = clause_count;
  o["source"] = boost::json::object{{"line", d.line}, {"end_line", d.end_line}};
  return o;
}

}  // namespace duban::app
