// POST handlers for lifecycle commands and the deadline sweep. Commands run through
// TaskService::execute(), which decides them as the principal's actor and appends with the
// client's command id and expected version; a unit acting on a task it is not assigned to is
// refused here, before anything is decided.
//
// A client's command id is its own: it is recorded as "client:<principal>:<id>" (scoped_command_id
// below), so it can never equal an id the system records under ("sweep:...", "ingest:...", see
// service/task_service.h), nor another principal's.
#include <boost/json.hpp>

#include "model/task/streams.h"
#include "model/task/task_actions.h"
#include "server/api/attachments.h"
#include "server/api/command_json.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "service/unit_rules.h"

namespace duban::server::detail {
namespace json = boost::json;

namespace {

// The types of the events `id` appended to `stream`, in order: what a duplicate's answer lists,
// so a retry gets the same body as the original apart from "duplicate".
Result<json::array> event_types_of(storage::EventStore& store, const std::string& stream,
                                   const CommandId& id) {
  auto events = store.read_stream(stream);
  if (!events) return events.error();
  json::array types;
  for (const auto& e : *events) {
    if (e.command_id == id) types.emplace_back(e.type);
  }
  return types;
}

// "client:supervisor:<id>" or "client:unit:<unit>:<id>" for machines, with ':' and '%' in the
// unit id percent-encoded, and "client:account:<login>:<id>" for a signed-in person, so no two
// (principal, id) pairs map to one recorded id.
CommandId scoped_command_id(const Principal& p, const CommandId& id) {
  std::string out = "client:";
  if (p.person) {
    // A person's ids are their own, not their unit's: logins hold no ':' (account::valid_login).
    out += "account:" + p.person->person.str() + ":";
  } else if (p.is_supervisor()) {
    out += "supervisor:";
  } else {
    out += "unit:";
    for (char c : p.unit.str()) {
      if (c == ':')
        out += "%3A";
      else if (c == '%')
        out += "%25";
      else
        out += c;
    }
    out += ':';
  }
  out += id.str();
  return CommandId(std::move(out));
}

}  // namespace

ApiResponse run_command(const Call& call, const std::string& action, const std::string& task) {
  if (action != "create" && task::find_task_action(action) == nullptr) {
    return error_response(
        make_error("not_found", "no task action '" + action + "' (docs/api.md lists them)"));
  }
  auto request = parse_command(action, TaskId(task), call.request.body);
  if (!request) return error_response(request.error());
  const task::Command& command = request->command;

  if (!call.principal.is_supervisor()) {
    if (auto id = task::task_of(command)) {
      auto& model = call.ctx.service.read_model();
      auto refused = [&] {
        auto state = model.task(*id);
        return state && !state->is_assigned(call.principal.unit);
      };
      // This node's read model may not have caught up yet with an assignment made a moment ago
      // (by another node): a refusal stands only once checked against the store's head.
      if (refused()) {
        if (auto caught = call.ctx.service.refresh(); !caught) {
          return error_response(caught.error());
        }
      }
      if (refused()) {
        call.ctx.metrics.count_command("forbidden");
        return error_response(
            make_error("forbidden",
                       "task '" + id->str() + "' is not assigned to " + call.principal.unit.str()));
      }
    }
  }

  // Evidence references get their size and type from the stored blobs (attachments.h).
  task::Attachments* attachments = nullptr;
  if (auto* c = std::get_if<task::ReportProgress>(&request->command)) attachments = &c->attachments;
  if (auto* c = std::get_if<task::ReportCompletion>(&request->command)) {
    attachments = &c->attachments;
  }
  if (auto* c = std::get_if<task::ReportContribution>(&request->command)) {
    attachments = &c->attachments;
  }
  if (attachments) {
    if (auto resolved = resolve_attachments(*attachments, call.ctx); !resolved) {
      call.ctx.metrics.count_command(resolved.error().code);
      return error_response(resolved.error());
    }
  }

  const CommandId recorded_id = scoped_command_id(call.principal, request->command_id);
  auto outcome =
      call.ctx.service.execute(command, actor_of(call.principal), recorded_id, request->expected);
  if (!outcome) {
    call.ctx.metrics.count_command(outcome.error().code);
    return error_response(outcome.error());
  }
  call.ctx.metrics.count_command(outcome->duplicate ? "duplicate" : "accepted");

  json::array types;
  if (outcome->duplicate) {
    auto recorded = event_types_of(call.ctx.store, outcome->stream, recorded_id);
    if (!recorded) return error_response(recorded.error());
    types = std::move(*recorded);
  } else {
    for (const auto& e : outcome->events) types.emplace_back(task::event_type_name(e));
  }
  json::array positions;
  if (outcome->first.value() > 0) {
    for (auto p = outcome->first.value(); p <= outcome->last.value(); ++p)
      positions.emplace_back(p);
  }
  const auto id = task::task_of(command);
  return json_response(200,
                       json::object{{"command_id", request->command_id.str()},
                                    {"command", task::command_name(command)},
                                    {"task", id ? json::value(id->str()) : json::value(nullptr)},
                                    {"stream", outcome->stream},
                                    {"positions", std::move(positions)},
                                    {"first_position", outcome->first.value()},
                                    {"last_position", outcome->last.value()},
                                    {"version", outcome->version.value()},
                                    {"duplicate", outcome->duplicate},
                                    {"events", std::move(types)}});
}

ApiResponse run_sweep(const Call& call) {
  if (!call.principal.is_supervisor()) {
    return error_response(make_error("forbidden", "only the supervisor runs the deadline sweep"));
  }
  auto swept = call.ctx.service.sweep(call.ctx.yellow_share);
  if (!swept) return error_response(swept.error());
  call.ctx.metrics.sweeps.fetch_add(1, std::memory_order_relaxed);
  return json_response(200, json::object{{"tasks_checked", swept->tasks_checked},
                                         {"approaching", swept->approaching},
                                         {"overdue", swept->overdue},
                                         {"reports_due", swept->reports_due},
                                         {"reports_late", swept->reports_late}});
}

// The unit's sign-off rule (负责人审核, service/unit_rules.h): GET answers {"unit", "required"};
// POST {"required": bool, "command_id"?: text} sets it as the caller (the office's inspector role:
// task::decide_sign_off_rule()), recorded as UnitSignOffRequired (nothing when already so).
ApiResponse sign_off_rule(const Call& call, const std::string& unit) {
  if (!call.ctx.units.by_id(unit)) {
    return error_response(
        make_error("not_found", "no unit '" + unit + "' in the directory (GET /api/v1/units)"));
  }
  if (call.request.method == "GET") {
    if (!call.principal.is_supervisor() && call.principal.unit.str() != unit) {
      return error_response(
          make_error("forbidden", "a unit reads only its own sign-off rule, not " + unit + "'s"));
    }
    auto rules = service::unit_rules(call.ctx.store, UnitId(unit));
    if (!rules) return error_response(rules.error());
    return json_response(200, json::object{{"unit", unit}, {"required", rules->sign_off_required}});
  }
  boost::system::error_code ec;
  json::value body = json::parse(call.request.body, ec);
  const json::object* o = ec ? nullptr : body.if_object();
  const json::value* required = o && o->contains("required") ? &o->at("required") : nullptr;
  const json::value* id = o && o->contains("command_id") ? &o->at("command_id") : nullptr;
  if (!required || !required->is_bool() || (id && !id->is_string())) {
    return error_response(
        make_error(api_errc::kBadRequest,
                   "the body must be {\"required\": true | false, \"command_id\"?: text}"));
  }
  const Timestamp now = call.ctx.clock.now();
  const CommandId command_id =
      id ? scoped_command_id(call.principal, CommandId(std::string(id->as_string())))
         : CommandId("sign-off-rule:" + unit + ":" + (required->as_bool() ? "yes" : "no") + "@" +
                     std::to_string(to_millis(now)));
  auto set = service::set_unit_sign_off(call.ctx.store, UnitId(unit), required->as_bool(),
                                        actor_of(call.principal), command_id, now);
  if (!set) return error_response(set.error());
  return json_response(200, json::object{{"unit", unit},
                                         {"required", required->as_bool()},
                                         {"position", set->position.value()},
                                         {"duplicate", set->duplicate}});
}

}  // namespace duban::server::detail
