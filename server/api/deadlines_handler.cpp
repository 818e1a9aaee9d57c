// POST /api/v1/documents/{document}/deadlines: deadlines in bulk for a document's tasks
// (service/bulk_deadlines.h), the HTTP form of `duban deadlines set`. Supervisor only. Body:
//   {"default": "2016-12-31"} or {"working_days": 10}, and optionally "part", "only_missing"
//   (default true) and "reason".
// Answers 200 {"set": [{"task", "deadline"}...], "kept", "not_open"}; a malformed body is 400,
// a document without tasks 404. POST /api/v1/documents/{document}/reporting-cycle sets the
// reporting cycle of the same tasks (below).
#include <boost/json.hpp>

#include "model/task/reporting.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "service/bulk_deadlines.h"

namespace duban::server::detail {
namespace json = boost::json;

namespace {

Result<service::BulkDeadlines> parse_body(const std::string& document, const std::string& body) {
  auto bad = [](const std::string& m) { return make_error(api_errc::kBadRequest, m); };
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the body must be a JSON object");
  const json::object& o = v.as_object();
  service::BulkDeadlines r;
  r.document = DocumentId(document);
  for (const auto& [key, value] : o) {
    if (key == "default") {
      if (!value.is_string()) return bad("default must be a date string like 2016-12-31");
      r.date = std::string(value.as_string());
    } else if (key == "working_days") {
      if (!value.is_int64()) return bad("working_days must be a whole number");
      r.working_days = static_cast<int>(value.as_int64());
    } else if (key == "part") {
      if (!value.is_string()) return bad("part must be a string");
      r.part = std::string(value.as_string());
    } else if (key == "only_missing") {
      if (!value.is_bool()) return bad("only_missing must be true or false");
      r.only_missing = value.as_bool();
    } else if (key == "reason") {
      if (!value.is_string()) return bad("reason must be a string");
      r.reason = std::string(value.as_string());
    } else {
      return bad("unknown field '" + std::string(key) + "'");
    }
  }
  return r;
}

}  // namespace

ApiResponse set_document_deadlines(const Call& call, const std::string& document) {
  if (!call.principal.is_supervisor()) {
    return error_response(make_error("forbidden", "only the supervisor sets deadlines in bulk"));
  }
  auto request = parse_body(document, call.request.body);
  if (!request) return error_response(request.error());
  auto done = service::set_deadlines(call.ctx.service, *request, actor_of(call.principal),
                                     calendar::Calendar::builtin());
  if (!done) return error_response(done.error());
  json::array set;
  for (std::size_t i = 0; i < done->set.size(); ++i) {
    set.push_back(json::object{{"task", done->set[i].str()}, {"deadline", done->new_deadlines[i]}});
  }
  return json_response(
      200, json::object{{"set", std::move(set)},
                        {"kept", done->kept},
                        {"not_open", done->not_open},
                        {"position", call.ctx.service.read_model().checkpoint().value()}});
}

// POST /api/v1/documents/{document}/reporting-cycle: {"cycle": "monthly"|"quarterly"|"none",
// "part"?, "reason"?}; every open task of the document (or part) gets the cycle.
ApiResponse set_document_cycles(const Call& call, const std::string& document) {
  if (!call.principal.is_supervisor()) {
    return error_response(
        make_error("forbidden", "only the supervisor sets reporting cycles in bulk"));
  }
  auto bad = [](const std::string& m) {
    return error_response(make_error(api_errc::kBadRequest, m));
  };
  boost::system::error_code ec;
  json::value v = json::parse(call.request.body, ec);
  if (ec || !v.is_object()) return bad("the body must be a JSON object");
  service::BulkCycles request;
  request.document = DocumentId(document);
  bool has_cycle = false;
  for (const auto& [key, value] : v.as_object()) {
    if (key == "cycle") {
      auto named =
          value.is_string() ? task::reporting_cycle_named(value.as_string()) : std::nullopt;
      if (!named) return bad("cycle must be \"monthly\", \"quarterly\" or \"none\"");
      request.cycle = *named;
      has_cycle = true;
    } else if (key == "part" && value.is_string()) {
      request.part = std::string(value.as_string());
    } else if (key == "reason" && value.is_string()) {
      request.reason = std::string(value.as_string());
    } else {
      return bad("unknown or malformed field '" + std::string(key) + "'");
    }
  }
  if (!has_cycle) return bad("missing field 'cycle'");
  auto done = service::set_reporting_cycles(call.ctx.service, request, actor_of(call.principal));
  if (!done) return error_response(done.error());
  json::array set;
  for (const auto& id : done->set) set.emplace_back(id.str());
  return json_response(
      200, json::object{{"set", std::move(set)},
                        {"kept", done->kept},
                        {"not_open", done->not_open},
                        {"position", call.ctx.service.read_model().checkpoint().value()}});
}

}  // namespace duban::server::detail
