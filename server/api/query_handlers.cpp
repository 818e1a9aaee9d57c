// GET handlers: units, inboxes, tasks with their history, documents, overdue, scorecards.
// What a unit may read: its own inbox, tasks it is or was assigned to, its own scorecard, and the
// overdue tasks it is assigned to; document progress is aggregate and open to every principal.
#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <tuple>

#include "model/task/allowed_actions.h"
#include "model/task/apply.h"
#include "model/task/deadline.h"
#include "model/task/streams.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "server/api/json_render.h"
#include "server/api/visibility.h"
#include "service/unit_rules.h"
#include "service/views/person_names.h"
#include "storage/event_codec.h"

namespace duban::server::detail {
namespace json = boost::json;
namespace proj = service::projections;

namespace {

proj::AsOf as_of(const Call& call) {
  return proj::AsOf{call.ctx.clock.now(), call.ctx.yellow_share};
}

Error forbidden(std::string message) {
  return make_error("forbidden", std::move(message));
}

// A page of `items` (already ordered by key(item) ascending): the items after page.after, at most
// page.limit, plus the cursor for the next page (null at the end).
template <class Item, class Key, class Render>
std::pair<json::array, json::value> paginate(const std::vector<Item>& items, const Page& page,
                                             Key key, Render render) {
  json::array out;
  json::value next = nullptr;
  auto it = items.begin();
  if (!page.after.empty()) {
    it = std::find_if(items.begin(), items.end(),
                      [&](const Item& i) { return std::string(key(i)) > page.after; });
  }
  for (; it != items.end(); ++it) {
    if (out.size() == page.limit) {
      next = json::value(std::string(key(*std::prev(it))));
      break;
    }
    out.push_back(render(*it));
  }
  return {std::move(out), std::move(next)};
}

}  // namespace

ApiResponse whoami(const Call& call) {
  json::object o{{"role", call.principal.is_supervisor() ? "supervisor" : "unit"},
                 {"unit", call.principal.is_supervisor() ? json::value(nullptr)
                                                         : json::value(call.principal.unit.str())}};
  if (call.principal.person) {
    json::array roles;
    for (account::Role r : call.principal.person->roles) roles.emplace_back(account::role_name(r));
    o["account"] = call.principal.person->person.str();
    o["roles"] = std::move(roles);
  }
  return json_response(200, o);
}

ApiResponse list_units(const Call& call) {
  auto page = page_of(call.target);
  if (!page) return error_response(page.error());
  std::vector<const gazette::Unit*> units;
  for (const auto& u : call.ctx.units.units()) units.push_back(&u);
  std::sort(units.begin(), units.end(), [](auto* a, auto* b) { return a->id < b->id; });
  auto [items, next] = paginate(
      units, *page, [](const gazette::Unit* u) { return u->id; },
      [](const gazette::Unit* u) { return unit_json(*u); });
  return json_response(200, json::object{{"units", std::move(items)}, {"next_after", next}});
}

ApiResponse get_unit(const Call& call, const std::string& unit) {
  const gazette::Unit* u = call.ctx.units.by_id(unit);
  if (!u) return error_response(make_error("not_found", "no unit '" + unit + "' in the directory"));
  return json_response(200, unit_json(*u));
}

ApiResponse get_inbox(const Call& call, const std::string& unit) {
  if (!call.principal.is_supervisor() && call.principal.unit.str() != unit) {
    return error_response(forbidden("a unit token reads only its own inbox (this token is for " +
                                    call.principal.unit.str() + ")"));
  }
  auto page = page_of(call.target);
  if (!page) return error_response(page.error());
  proj::InboxFilter filter = proj::InboxFilter::kOpen;
  if (auto it = call.target.query.find("status"); it != call.target.query.end()) {
    if (it->second == "all")
      filter = proj::InboxFilter::kAll;
    else if (it->second != "open") {
      return error_response(make_error(api_errc::kBadRequest, "status must be open or all"));
    }
  }
  const auto now = as_of(call);
  auto items = call.ctx.service.read_model().inbox(UnitId(unit), now, filter);
  if (items.empty() && !call.ctx.units.by_id(unit) &&
      call.ctx.service.read_model().inbox(UnitId(unit), now, proj::InboxFilter::kAll).empty()) {
    return error_response(
        make_error("not_found", "no unit '" + unit + "': not in the directory and never assigned"));
  }
  // Ordered as the read model gives them (document, clause line, task id); the cursor is the
  // last task's id, located again by its document and line so a task that left the inbox
  // meanwhile does not lose the place.
  std::size_t start = 0;
  if (!page->after.empty()) {
    auto t = call.ctx.service.read_model().task(TaskId(page->after));
    if (!t) {
      return error_response(
          make_error(api_errc::kBadRequest, "after must be the id of a task of the last page"));
    }
    const auto key = std::tuple(t->provenance.document.str(), t->provenance.line, page->after);
    while (start < items.size() && std::tuple(items[start].document.str(), items[start].line,
                                              items[start].task.str()) <= key) {
      ++start;
    }
  }
  json::array page_items;
  json::value next = nullptr;
  for (std::size_t i = start; i < items.size(); ++i) {
    if (page_items.size() == page->limit) {
      next = json::value(items[i - 1].task.str());
      break;
    }
    page_items.push_back(inbox_item_json(items[i]));
  }
  json::array lead, participant;
  for (auto& v : page_items) {
    if (v.as_object().at("role").as_string() == "lead")
      lead.push_back(std::move(v));
    else
      participant.push_back(std::move(v));
  }
  return json_response(200, json::object{{"unit", unit},
                                         {"as_of", iso_utc(now.now)},
                                         {"lead", std::move(lead)},
                                         {"participant", std::move(participant)},
                                         {"next_after", next}});
}

// The task's state is folded from the history read here (task::apply, as the read model does),
// not taken from the read model: state and history come from one read of the stream, so they
// agree even while this node's read model is still catching up with another node's command.
Result<TaskRead> read_task(const Call& call, const TaskId& id) {
  TaskRead out;
  auto recorded = call.ctx.store.read_stream(task::task_stream_id(id));
  if (!recorded) return recorded.error();
  out.recorded = std::move(*recorded);
  out.events.reserve(out.recorded.size());
  for (const auto& r : out.recorded) {
    auto e = storage::decode_event(r);
    if (!e) return e.error();
    out.state = task::apply(std::move(out.state), *e);
    out.events.push_back(std::move(*e));
  }
  if (!out.state.exists()) return make_error("not_found", "no task '" + id.str() + "'");
  out.visible.assign(out.events.size(), true);
  if (call.principal.is_supervisor()) return out;
  const UnitId& unit = call.principal.unit;
  if (ever_assigned(out.events, unit)) {
    out.visible = visible_to(out.events, unit);
    return out;
  }
  if (!out.state.parent.empty()) {
    auto parent = call.ctx.store.read_stream(task::task_stream_id(out.state.parent));
    if (!parent) return parent.error();
    task::TaskState p;
    for (const auto& r : *parent) {
      auto e = storage::decode_event(r);
      if (!e) return e.error();
      p = task::apply(std::move(p), *e);
    }
    if (p.is_lead(unit)) return out;
  }
  return forbidden("task '" + id.str() + "' was never assigned to " + unit.str());
}

ApiResponse get_task(const Call& call, const std::string& task) {
  auto read = read_task(call, TaskId(task));
  if (!read) return error_response(read.error());
  const auto& recorded = read->recorded;
  const auto& events = read->events;
  const auto& visible = read->visible;
  task::TaskState state = std::move(read->state);
  // A unit sees the events recorded while it was assigned (visibility.h), and the task's state
  // as of the last of them: a unit removed from the task sees it as it was at its removal.
  std::optional<std::size_t> removed_at;
  std::size_t last = events.size() - 1;
  while (last > 0 && !visible[last]) --last;
  if (last + 1 < events.size()) {
    removed_at = last;
    state = task::TaskState{};
    for (std::size_t i = 0; i <= last; ++i) state = task::apply(std::move(state), events[i]);
  }
  json::array history;
  service::views::PersonNames people(call.ctx.store);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!visible[i]) continue;
    json::object e = recorded_event_json(recorded[i], events[i]);
    // Who acted, by name: the person (their login and display name), null for machines.
    const std::string login = task::person_of(recorded[i].actor);
    e["person"] = login.empty() ? json::value(nullptr) : json::value(login);
    const std::string name = people.name_of(recorded[i].actor);
    e["person_name"] = name.empty() ? json::value(nullptr) : json::value(name);
    history.push_back(std::move(e));
  }
  const auto now = as_of(call);
  json::object body = task_state_json(state, task::light(state, now.now, now.yellow_share));
  // Child tasks (分解/转办) with their own status, and participants' contributions (docs/api.md).
  body["parent"] = state.parent.empty() ? json::value(nullptr) : json::value(state.parent.str());
  json::array children;
  for (const task::ChildTask& c : state.children) {
    const auto child = call.ctx.service.read_model().task(c.task);
    const task::Light light =
        child ? task::light(*child, now.now, now.yellow_share) : task::Light::kNone;
    children.push_back(service::views::child_json(c, child, light));
  }
  body["children"] = std::move(children);
  body["contributions"] = service::views::contributions_json(state.contributions);
  body["as_of"] = iso_utc(now.now);
  body["history"] = std::move(history);
  // What the caller may do now (model/task/allowed_actions.h): the page's buttons, with what
  // the unit directory says looked up as the command path does (service::decision_facts()).
  // Nothing for a unit no longer on the task.
  json::array allowed;
  if (!removed_at) {
    const task::Actor actor = actor_of(call.principal);
    std::vector<UnitId> assigned = state.leads;
    assigned.insert(assigned.end(), state.participants.begin(), state.participants.end());
    auto facts =
        service::decision_facts(call.ctx.store, call.ctx.service.directory(), actor, assigned);
    if (!facts) return error_response(facts.error());
    for (auto a : task::allowed_actions(state, actor, now.now, *facts)) allowed.emplace_back(a);
  }
  body["allowed_actions"] = std::move(allowed);
  if (removed_at) {
    body["removed_at_version"] = recorded[*removed_at].version.value();
  }
  return json_response(200, body);
}

ApiResponse list_documents(const Call& call) {
  auto page = page_of(call.target);
  if (!page) return error_response(page.error());
  auto rows = call.ctx.service.read_model().document_progress(as_of(call));
  auto [items, next] = paginate(
      rows, *page,
      [](const proj::DocumentProgressRow& r) -> const std::string& { return r.document.str(); },
      [](const proj::DocumentProgressRow& r) { return document_row_json(r); });
  return json_response(200, json::object{{"documents", std::move(items)}, {"next_after", next}});
}

ApiResponse get_document(const Call& call, const std::string& document) {
  const DocumentId id(document);
  const auto& model = call.ctx.service.read_model();
  const auto now = as_of(call);
  auto row = model.document_row(id, now);
  if (!row) return error_response(make_error("not_found", "no document '" + document + "'"));
  const task::DocumentState state = model.document(id);
  json::object body = document_row_json(*row);
  body["issuer"] = state.issuer;
  body["signed_date"] = state.signed_date;
  json::array parts;
  for (const auto& p : state.parts) parts.emplace_back(p);
  body["parts"] = std::move(parts);
  json::array tasks;
  for (const task::TaskState& t : model.tasks_of_document(id)) {
    if (!call.principal.is_supervisor() && !t.is_assigned(call.principal.unit)) continue;
    json::array leads, participants;
    for (const auto& u : t.leads) leads.emplace_back(u.str());
    for (const auto& u : t.participants) participants.emplace_back(u.str());
    tasks.push_back(
        json::object{{"task", t.id.str()},
                     {"version", t.version.value()},
                     {"status", to_string(t.status)},
                     {"light", to_string(task::light(t, now.now, now.yellow_share))},
                     {"deadline", t.deadline ? json::value(*t.deadline) : json::value(nullptr)},
                     {"leads", std::move(leads)},
                     {"participants", std::move(participants)},
                     {"label", t.provenance.label},
                     {"heading", t.provenance.heading}});
  }
  body["task_list"] = std::move(tasks);
  return json_response(200, body);
}

ApiResponse list_overdue(const Call& call) {
  auto page = page_of(call.target);
  if (!page) return error_response(page.error());
  const auto& model = call.ctx.service.read_model();
  const Timestamp now = call.ctx.clock.now();
  std::function<bool(const task::TaskState&)> keep;  // a unit sees its own tasks only
  if (!call.principal.is_supervisor()) {
    keep = [&](const task::TaskState& t) { return t.is_assigned(call.principal.unit); };
  }
  // Ordered longest overdue first (deadline, then task id); the cursor is the last task's id,
  // located again by its deadline so a task closed meanwhile does not lose the place.
  std::optional<std::pair<Timestamp, TaskId>> after;
  if (!page->after.empty()) {
    auto t = model.task(TaskId(page->after));
    const auto after_instant =
        t && t->deadline ? task::deadline_instant(*t->deadline) : std::optional<Timestamp>();
    if (!after_instant) {
      return error_response(make_error(api_errc::kBadRequest,
                                       "after must be the id of an overdue task of the last page"));
    }
    after.emplace(*after_instant, TaskId(page->after));
  }
  auto found = model.overdue_page(now, after, page->limit, keep);
  json::array out;
  for (const auto& item : found.items) out.push_back(overdue_item_json(item));
  json::value next = nullptr;
  if (found.more && !found.items.empty()) next = json::value(found.items.back().task.str());
  return json_response(
      200,
      json::object{{"as_of", iso_utc(now)}, {"overdue", std::move(out)}, {"next_after", next}});
}

ApiResponse list_scorecards(const Call& call) {
  auto page = page_of(call.target);
  if (!page) return error_response(page.error());
  auto rows = call.ctx.service.read_model().scorecards(as_of(call));
  if (!call.principal.is_supervisor()) {
    std::erase_if(rows, [&](const proj::ScorecardRow& r) { return r.unit != call.principal.unit; });
  }
  auto [items, next] = paginate(
      rows, *page, [](const proj::ScorecardRow& r) -> const std::string& { return r.unit.str(); },
      [](const proj::ScorecardRow& r) { return scorecard_json(r); });
  return json_response(200, json::object{{"scorecards", std::move(items)}, {"next_after", next}});
}

}  // namespace duban::server::detail
