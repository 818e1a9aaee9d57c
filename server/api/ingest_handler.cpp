// POST /api/v1/documents: a gazette (text, HTML, .docx or .pdf) in the body, ingested through the
// same path as `duban ingest` (service/gazette_ingest.h). Supervisor only, and run as the caller
// (a signed-in person of the office is named in the audit); one ingest at a time. A
// text that would cancel many tasks is refused with 409 too_many_cancellations, nothing written,
// unless ?allow_cancel=N allows that many. Relative deadlines (7个工作日内) count from the server's
// clock at the request, with the built-in working-day calendar.
#include <boost/json.hpp>

#include "formats/input_document.h"
#include "model/gazette/parser.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "service/drafts.h"
#include "service/gazette_ingest.h"
#include "service/unit_directory_log.h"

namespace duban::server::detail {
namespace json = boost::json;

namespace {

// The kind named by ?format=, else by the Content-Type, else by the extension of ?filename=;
// nullopt lets the content decide (formats/input_document.h sniffs .docx and .pdf).
Result<std::optional<formats::Kind>> kind_of(const Call& call) {
  using Kind = formats::Kind;
  if (auto it = call.target.query.find("format"); it != call.target.query.end()) {
    if (auto kind = formats::kind_named(it->second)) return std::optional(*kind);
    return make_error(api_errc::kBadRequest, "format must be markdown, text, html, docx or pdf");
  }
  std::string type = call.request.content_type.substr(0, call.request.content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type.empty() || type == "application/octet-stream") {
    if (auto it = call.target.query.find("filename"); it != call.target.query.end()) {
      // An extension the formats know decides; any other leaves the decision to the content.
      const std::string& name = it->second;
      const Kind by_name = formats::detect_kind(name, {});
      const bool markdown = name.ends_with(".md") || name.ends_with(".markdown");
      if (by_name != Kind::kMarkdown || markdown) return std::optional(by_name);
    }
    return std::optional<Kind>();
  }
  if (type == "text/markdown") return std::optional(Kind::kMarkdown);
  if (type == "text/plain") return std::optional(Kind::kText);
  if (type == "text/html" || type == "application/xhtml+xml") return std::optional(Kind::kHtml);
  if (type == "application/pdf") return std::optional(Kind::kPdf);
  if (type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return std::optional(Kind::kDocx);
  return make_error(api_errc::kUnsupportedMedia,
                    "send the gazette as text/markdown, text/plain, text/html, application/pdf or "
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document (or "
                    "name it with ?format=markdown|text|html|docx|pdf), not " +
                        type);
}

json::object step_json(const service::IngestStep& s) {
  const auto task = task::task_of(s.command);
  return json::object{{"command", task::command_name(s.command)},
                      {"task", task ? json::value(task->str()) : json::value(nullptr)},
                      {"first_position", s.outcome.first.value()},
                      {"last_position", s.outcome.last.value()},
                      {"version", s.outcome.version.value()},
                      {"duplicate", s.outcome.duplicate}};
}

}  // namespace

ApiResponse ingest_document(const Call& call) {
  if (!call.principal.is_supervisor()) {
    return error_response(make_error("forbidden", "only the supervisor ingests documents"));
  }
  auto kind = kind_of(call);
  if (!kind) return error_response(kind.error());
  const std::string& bytes = call.request.body;
  auto input = formats::prepare(bytes, kind->value_or(formats::detect_kind("", bytes)));
  if (!input) {
    // A document the converters cannot read (damaged, encrypted, a scan without text) is the
    // client's to fix: 400 with the converter's code, never a 500.
    ApiResponse refused = error_response(input.error());
    refused.status = 400;
    return refused;
  }
  const std::string_view text = input->text(bytes);
  auto parsed = gazette::parse_gazette(text, input->format, call.ctx.units);
  if (!parsed) return error_response(parsed.error());
  const std::size_t warnings = parsed->warnings.size();
  // The parser's line numbers refer to the text it read: for a .docx or .pdf, the Markdown.
  std::vector<service::IngestSource> sources{
      service::IngestSource{"request body", std::string(text), std::move(*parsed)}};

  std::optional<int> allowed;
  if (auto it = call.target.query.find("allow_cancel"); it != call.target.query.end()) {
    const std::string& n = it->second;
    if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos) {
      return error_response(
          make_error(api_errc::kBadRequest, "allow_cancel must be a number of tasks (0 or more)"));
    }
    allowed = std::stoi(n);
  }

  std::lock_guard one_ingest(call.ctx.ingest_mutex);
  service::TaskService& service = call.ctx.service;
  if (auto caught = service.refresh(); !caught) return error_response(caught.error());
  service::DraftService drafts(call.ctx.store, service, call.ctx.clock);
  // The unit ids come from the server's directory: the log keeps it (service/unit_directory_log.h).
  auto record_units = [&]() -> Result<bool> {
    return service::record_directory(
        call.ctx.store,
        call.ctx.units_text ? *call.ctx.units_text : service::builtin_directory_text(),
        actor_of(call.principal));
  };
  if (auto it = call.target.query.find("review"); it != call.target.query.end()) {
    if (it->second != "true" && it->second != "false") {
      return error_response(make_error(api_errc::kBadRequest, "review must be true or false"));
    }
    if (it->second == "true") {
      // 拟办: the reading becomes a draft for the supervisor; no task, nothing a unit sees.
      if (auto recorded = record_units(); !recorded) return error_response(recorded.error());
      auto recorded = drafts.record(sources.front(), actor_of(call.principal));
      if (!recorded) return error_response(recorded.error());
      json::array out;
      for (const auto& d : *recorded) {
        out.push_back(json::object{{"document", d.document.str()},
                                   {"clauses", d.clauses},
                                   {"doubtful", d.doubtful},
                                   {"unchanged", d.unchanged}});
      }
      return json_response(200, json::object{{"drafts", std::move(out)},
                                             {"tasks_created", json::array()},
                                             {"warnings", warnings}});
    }
  }
  // Names the supervisor mapped to directory units hold for every later reading.
  auto names = drafts.unit_names();
  if (!names) return error_response(names.error());
  service::apply_unit_names(sources.front().parsed, *names);
  std::vector<std::string> problems;
  const auto planned = service::plan_documents(
      sources, service.read_model(), problems,
      service::AssignedAt{call.ctx.clock.now(), calendar::Calendar::builtin()});
  if (auto refused = service::check_cancellations(planned, allowed, "?allow_cancel=")) {
    return error_response(*refused);
  }

  const task::Actor actor = actor_of(call.principal);
  for (const auto& d : planned) {
    if (auto refused = service::check_plan_roles(d, actor)) return error_response(*refused);
  }
  bool writes = false;
  for (const auto& d : planned) writes = writes || !d.plan.empty();
  if (writes) {
    if (auto recorded = record_units(); !recorded) return error_response(recorded.error());
  }
  json::array documents;
  json::array created;
  for (const service::PlannedDocument& d : planned) {
    std::vector<service::IngestStep> steps;
    auto ran = service::run_plan(service, d, {}, &steps, actor);
    if (!ran) {
      return error_response(
          Error{ran.error().code, d.document.id + ": " + ran.error().message +
                                      " (the document stays unregistered; send it again to "
                                      "finish the ingest)"});
    }
    json::array commands;
    for (const auto& s : steps) {
      if (std::holds_alternative<task::CreateTask>(s.command)) {
        created.emplace_back(task::task_of(s.command)->str());
      }
      commands.push_back(step_json(s));
    }
    json::array notes;
    for (const auto& n : d.plan.notes) notes.emplace_back(n);
    documents.push_back(json::object{{"document", d.document.id},
                                     {"version", d.plan.empty() ? d.version - 1 : d.version},
                                     {"unchanged", d.plan.empty()},
                                     {"commands", std::move(commands)},
                                     {"notes", std::move(notes)}});
  }
  json::array problem_list;
  for (const auto& p : problems) problem_list.emplace_back(p);
  return json_response(200, json::object{{"documents", std::move(documents)},
                                         {"tasks_created", std::move(created)},
                                         {"problems", std::move(problem_list)},
                                         {"warnings", warnings},
                                         {"position", service.read_model().checkpoint().value()}});
}

}  // namespace duban::server::detail
