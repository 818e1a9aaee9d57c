// The supervisor's review of drafts (拟办 → 审核 → 交办) over HTTP: list, show, correct,
// publish, and the unit-name map (docs/api.md, "Drafts"). Units get 403 on every one of them:
// a draft is the office's working paper, not yet anyone's task. The handlers build a
// DraftService (service/drafts.h) over the context's store and task service per request, so the
// server's composition does not change; list() then scans the log for draft streams each time,
// which is fine for a supervisor's page. Every change runs as the caller (actor_of(): a signed-in
// person of the office, or the office's token), so the audit names who reviewed and published.
#include <boost/json.hpp>

#include "model/draft/commands.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "service/drafts.h"
#include "service/views/draft_json.h"

namespace duban::server::detail {
namespace json = boost::json;

namespace {

Error bad(std::string message) {
  return make_error(api_errc::kBadRequest, std::move(message));
}

std::optional<Error> supervisor_only(const Call& call) {
  if (call.principal.is_supervisor()) return std::nullopt;
  return make_error("forbidden", "only the supervisor reviews drafts");
}

const json::value* field(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

Result<std::string> text(const json::object& o, std::string_view name, bool required = true) {
  const json::value* v = field(o, name);
  if (!v) {
    if (required) return bad("\"" + std::string(name) + "\" is required");
    return std::string();
  }
  if (!v->is_string()) return bad("\"" + std::string(name) + "\" must be a string");
  return std::string(v->as_string());
}

// "units": [{"unit": "grain", "role": "lead"}, ...]; a unit is an id or a directory name.
Result<std::vector<task::DraftUnit>> units_of(const json::object& o,
                                              const gazette::UnitDirectory& dir) {
  const json::value* v = field(o, "units");
  if (!v || !v->is_array()) return bad("\"units\" must be an array of {unit, role}");
  std::vector<task::DraftUnit> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_object()) return bad("each unit is an object {unit, role}");
    auto unit = text(item.as_object(), "unit");
    if (!unit) return unit.error();
    auto role_text = text(item.as_object(), "role", false);
    if (!role_text) return role_text.error();
    auto role = task::parse_role(role_text->empty() ? "lead" : *role_text);
    if (!role) return bad("role must be lead or participant");
    const gazette::Unit* u = dir.by_id(*unit);
    if (!u) u = dir.find(*unit);
    if (!u) return bad("'" + *unit + "' is no unit of the directory (GET /api/v1/units)");
    out.push_back(task::DraftUnit{u->id == *unit ? u->name : *unit, UnitId(u->id), *role});
  }
  return out;
}

Result<draft::Command> command_of(const json::object& o, const gazette::UnitDirectory& dir) {
  auto kind_text = text(o, "kind");
  if (!kind_text) return kind_text.error();
  auto kind = task::parse_correction(*kind_text);
  auto reason = text(o, "reason", false);
  if (!reason) return reason.error();
  auto clause = text(o, "clause", kind != task::Correction::kAdd);
  if (!clause) return clause.error();
  if (!kind || *kind == task::Correction::kUnitName) {
    return bad(
        "kind must be units, mode, label, deadline, split, merge, drop or add (unit names: "
        "POST /api/v1/unit-names)");
  }
  switch (*kind) {
    case task::Correction::kUnits: {
      auto units = units_of(o, dir);
      if (!units) return units.error();
      return draft::Command{draft::ChangeUnits{*clause, *units, *reason}};
    }
    case task::Correction::kMode: {
      auto m = text(o, "mode");
      if (!m) return m.error();
      auto mode = task::parse_mode(*m);
      if (!mode) return bad("mode must be lead, separately or responsible");
      return draft::Command{draft::ChangeMode{*clause, *mode, *reason}};
    }
    case task::Correction::kLabel: {
      draft::ChangeLabel c{*clause, {}, {}, *reason};
      for (auto [name, out] : {std::pair{"label", &c.label}, std::pair{"heading", &c.heading}}) {
        if (!field(o, name)) continue;
        auto v = text(o, name);
        if (!v) return v.error();
        *out = *v;
      }
      return draft::Command{c};
    }
    case task::Correction::kDeadline: {
      auto d = text(o, "deadline", false);
      if (!d) return d.error();
      std::optional<std::string> date;
      if (!d->empty()) date = *d;
      return draft::Command{draft::SetClauseDeadline{*clause, date, *reason}};
    }
    case task::Correction::kSplit: {
      auto at = text(o, "at");
      if (!at) return at.error();
      draft::SplitClause c{*clause, *at, {}, *reason};
      if (field(o, "label")) {
        auto label = text(o, "label");
        if (!label) return label.error();
        c.label = *label;
      }
      return draft::Command{c};
    }
    case task::Correction::kMerge: {
      auto other = text(o, "other");
      if (!other) return other.error();
      return draft::Command{draft::MergeClauses{*clause, *other, *reason}};
    }
    case task::Correction::kDrop:
      return draft::Command{draft::DropClause{*clause, *reason}};
    case task::Correction::kAdd: {
      task::DraftClause c;
      for (auto [name, out] : {std::pair{"label", &c.label}, std::pair{"text", &c.text},
                               std::pair{"heading", &c.heading}, std::pair{"part", &c.part}}) {
        auto v = text(o, name, false);
        if (!v) return v.error();
        *out = *v;
      }
      const json::value* line = field(o, "line");
      const json::value* end = field(o, "end_line");
      if (!line || !line->is_int64() || (end && !end->is_int64())) {
        return bad("an added clause needs \"line\" (and may give \"end_line\") as numbers");
      }
      c.line = static_cast<int>(line->as_int64());
      c.end_line = end ? static_cast<int>(end->as_int64()) : c.line;
      auto m = text(o, "mode", false);
      if (!m) return m.error();
      auto mode = task::parse_mode(m->empty() ? "lead" : *m);
      if (!mode) return bad("mode must be lead, separately or responsible");
      c.mode = *mode;
      auto d = text(o, "deadline", false);
      if (!d) return d.error();
      if (!d->empty()) c.deadline = *d;
      auto units = units_of(o, dir);
      if (!units) return units.error();
      c.units = *units;
      return draft::Command{draft::AddClause{c, *reason}};
    }
    case task::Correction::kUnitName:
      break;
  }
  return bad("unknown kind");
}

Result<json::object> body_object(const Call& call) {
  boost::system::error_code ec;
  json::value v = json::parse(call.request.body, ec);
  if (ec || !v.is_object()) return bad("the body must be a JSON object");
  return v.as_object();
}

}  // namespace

ApiResponse list_drafts(const Call& call) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto rows = drafts.list();
  if (!rows) return error_response(rows.error());
  json::array out;
  for (const auto& r : *rows) out.push_back(service::views::draft_summary_json(r));
  return json_response(200, json::object{{"drafts", std::move(out)}});
}

ApiResponse get_draft(const Call& call, const std::string& document) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto d = drafts.draft(DocumentId(document));
  if (!d) return error_response(d.error());
  json::array clauses;
  json::array review_order;  // doubtful first (least sure first), then document order
  std::vector<const task::DraftClause*> doubtful;
  for (const auto& c : d->clauses) {
    auto o = service::views::draft_clause_json(c);
    o["doubtful"] = draft::is_doubtful(*d, c);
    o["corrected"] = d->corrected.count(c.key) > 0;
    clauses.push_back(std::move(o));
    if (draft::is_doubtful(*d, c)) doubtful.push_back(&c);
  }
  std::stable_sort(doubtful.begin(), doubtful.end(),
                   [](const auto* a, const auto* b) { return a->confidence < b->confidence; });
  for (const auto* c : doubtful) review_order.emplace_back(c->key);
  for (const auto& c : d->clauses)
    if (!draft::is_doubtful(*d, c)) review_order.emplace_back(c.key);
  json::array tasks;
  for (const auto& t : d->tasks) tasks.emplace_back(t.str());
  json::array parts;
  for (const auto& p : d->parts) parts.emplace_back(p);
  return json_response(200, json::object{{"document", d->document.str()},
                                         {"number", d->number},
                                         {"title", d->title},
                                         {"issuer", d->issuer},
                                         {"signed_date", d->signed_date},
                                         {"parts", std::move(parts)},
                                         {"version", d->document_version},
                                         {"stream_version", d->version.value()},
                                         {"corrections", d->corrections},
                                         {"published", d->published},
                                         {"evidence_required", d->evidence_required},
                                         {"tasks", std::move(tasks)},
                                         {"review_order", std::move(review_order)},
                                         {"clauses", std::move(clauses)}});
}

ApiResponse correct_draft(const Call& call, const std::string& document) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  auto body = body_object(call);
  if (!body) return error_response(body.error());
  auto command = command_of(*body, call.ctx.units);
  if (!command) return error_response(command.error());
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto command_id = text(*body, "command_id", false);  // optional: makes a retry idempotent
  if (!command_id) return error_response(command_id.error());
  CommandId id(*command_id);
  auto done = drafts.correct(DocumentId(document), *command, actor_of(call.principal), id);
  if (!done) return error_response(done.error());
  json::array events;
  for (const auto& e : done->events) {
    const auto& c = std::get<task::DraftCorrected>(e);
    events.push_back(json::object{{"kind", std::string(task::to_string(c.kind))},
                                  {"before", service::views::draft_clauses_json(c.before)},
                                  {"after", service::views::draft_clauses_json(c.after)},
                                  {"reason", c.reason}});
  }
  return json_response(200, json::object{{"document", document},
                                         {"stream_version", done->version.value()},
                                         {"corrections", std::move(events)}});
}

ApiResponse publish_draft(const Call& call, const std::string& document) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  std::lock_guard one_ingest(call.ctx.ingest_mutex);  // publishing is an ingest
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto done = drafts.publish(DocumentId(document), actor_of(call.principal));
  if (!done) return error_response(done.error());
  json::array tasks;
  for (const auto& t : done->tasks) tasks.emplace_back(t.str());
  return json_response(200, json::object{{"document", document},
                                         {"version", done->version},
                                         {"tasks", std::move(tasks)},
                                         {"tasks_created", done->counts.created},
                                         {"events_appended", done->counts.events},
                                         {"already_published", done->already_published}});
}

ApiResponse set_draft_evidence(const Call& call, const std::string& document) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  auto body = body_object(call);
  if (!body) return error_response(body.error());
  const json::value* required = field(*body, "required");
  if (!required || !required->is_bool()) {
    return error_response(bad("\"required\" must be true or false"));
  }
  auto reason = text(*body, "reason", false);
  if (!reason) return error_response(reason.error());
  auto command_id = text(*body, "command_id", false);  // optional: makes a retry idempotent
  if (!command_id) return error_response(command_id.error());
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto done =
      drafts.correct(DocumentId(document), draft::RequireEvidence{required->as_bool(), *reason},
                     actor_of(call.principal), CommandId(*command_id));
  if (!done) return error_response(done.error());
  return json_response(200, json::object{{"document", document},
                                         {"evidence_required", required->as_bool()},
                                         {"changed", !done->events.empty()},
                                         {"stream_version", done->version.value()}});
}

ApiResponse map_unit_name(const Call& call) {
  if (auto no = supervisor_only(call)) return error_response(*no);
  auto body = body_object(call);
  if (!body) return error_response(body.error());
  auto name = text(*body, "name");
  if (!name) return error_response(name.error());
  auto unit = text(*body, "unit");
  if (!unit) return error_response(unit.error());
  auto doc = text(*body, "draft", false);
  if (!doc) return error_response(doc.error());
  const gazette::Unit* u = call.ctx.units.by_id(*unit);
  if (!u) u = call.ctx.units.find(*unit);
  if (!u) return error_response(bad("'" + *unit + "' is no unit of the directory"));
  std::optional<DocumentId> draft;
  if (!doc->empty()) draft = DocumentId(*doc);
  service::DraftService drafts(call.ctx.store, call.ctx.service, call.ctx.clock);
  auto done = drafts.map_unit_name(*name, UnitId(u->id), draft, actor_of(call.principal));
  if (!done) return error_response(done.error());
  return json_response(
      200, json::object{{"name", *name}, {"unit", u->id}, {"clauses_reread", done->events.size()}});
}

}  // namespace duban::server::detail
