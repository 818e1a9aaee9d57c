#include "service/task_service.h"

#include <chrono>
#include <functional>
#include <utility>

#include "model/task/deadline.h"
#include "model/task/decide.h"
#include "model/task/streams.h"
#include "service/unit_rules.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {
namespace {

// The outcome of a command id already recorded on `stream`, read back from the stream itself
// (streams are short); nullopt when it is not there.
Result<std::optional<CommandOutcome>> recorded_outcome(storage::EventStore& store,
                                                       const std::string& stream,
                                                       const CommandId& id) {
  auto events = store.read_stream(stream);
  if (!events) return events.error();
  std::optional<CommandOutcome> found;
  for (const storage::RecordedEvent& e : *events) {
    if (e.command_id != id) continue;
    if (!found) found = CommandOutcome{stream, e.position, e.position, e.version, true, {}};
    found->last = e.position;
    found->version = e.version;
  }
  return found;
}

// One stream's decide-append loop, shared by execute() and sweep(). `load` reads the state from
// the read model, `decide` turns it into events (or an error), `id_for` names the command.
template <class Load, class Decide, class IdFor>
Result<CommandOutcome> run(storage::EventStore& store, projections::ReadModel& model,
                           const Clock& clock, const std::string& stream, const task::Actor& actor,
                           std::optional<StreamVersion> expected, Load load, Decide decide,
                           IdFor id_for) {
  // A refusal may be a retry of a command that already went through: answer it as the store
  // would have, with the original result.
  auto refuse = [&](const CommandId& id, Error error) -> Result<CommandOutcome> {
    auto recorded = recorded_outcome(store, stream, id);
    if (!recorded) return recorded.error();
    if (!*recorded) return error;
    if (auto caught = model.catch_up(store, (*recorded)->last); !caught) return caught.error();
    return std::move(**recorded);
  };

  for (int attempt = 1;; ++attempt) {
    auto state = load();
    if (expected && state.version < *expected) {
      // The read model may lag behind another process's appends: look again before judging.
      if (auto caught = model.catch_up(store); !caught) return caught.error();
      state = load();
    }
    const CommandId id = id_for(state);
    if (expected && state.version != *expected) {
      return refuse(
          id, storage::store_error(storage::StoreErrc::version_conflict,
                                   "stream '" + stream + "' is at version " +
                                       std::to_string(state.version.value()) +
                                       ", not the expected " + std::to_string(expected->value()) +
                                       ": reload it and decide again"));
    }
    Result<std::vector<task::Event>> decided = decide(state, clock.now());
    if (!decided) {
      // The read model may lag behind another process's appends (a second CLI, a server): a
      // refusal stands only once decided against everything the store holds.
      const GlobalPosition seen = model.checkpoint();
      auto caught = model.catch_up(store);
      if (!caught) return caught.error();
      if (*caught != seen && attempt < TaskService::kMaxAttempts) continue;
      return refuse(id, decided.error());
    }
    if (decided->empty()) {
      return CommandOutcome{stream, GlobalPosition(), GlobalPosition(), state.version, false, {}};
    }
    std::vector<storage::NewEvent> encoded;
    encoded.reserve(decided->size());
    for (const task::Event& e : *decided) encoded.push_back(storage::encode_event(e, actor));

    auto appended =
        store.append(stream, storage::ExpectedVersion::exactly(state.version), encoded, id);
    if (appended) {
      if (auto caught = model.catch_up(store, appended->last); !caught) return caught.error();
      CommandOutcome out{
          stream, appended->first, appended->last, appended->version, appended->duplicate, {}};
      if (!appended->duplicate) out.events = std::move(*decided);
      return out;
    }
    if (!is(appended.error(), storage::StoreErrc::version_conflict) || expected ||
        attempt >= TaskService::kMaxAttempts) {
      return appended.error();
    }
    // Lost a race: see what the winner wrote, then decide again.
    if (auto caught = model.catch_up(store); !caught) return caught.error();
  }
}

}  // namespace

Result<CommandOutcome> TaskService::execute(const task::Command& command, const task::Actor& actor,
                                            const CommandId& command_id,
                                            std::optional<StreamVersion> expected) {
  if (command_id.empty()) {
    return storage::store_error(storage::StoreErrc::invalid_argument,
                                "a command needs a command id (the key that makes retries safe)");
  }
  auto fixed_id = [&](const auto&) { return command_id; };
  if (const auto* reg = std::get_if<task::RegisterDocument>(&command)) {
    const DocumentId document = reg->document;
    const std::string stream = task::document_stream_id(document);
    std::lock_guard one_at_a_time(lock_for(stream));
    return run(
        store_, read_model_, clock_, stream, actor, expected,
        [&] { return read_model_.document(document); },
        [&](const task::DocumentState& s, Timestamp now) {
          return task::decide(s, command, actor, now);
        },
        fixed_id);
  }
  const TaskId id = *task::task_of(command);
  const std::string stream = task::task_stream_id(id);
  // What the directory says (service::decision_facts(), the same lookup as the page's allowed
  // actions): a unit's completion may need its head's sign-off (the office's rule for the
  // unit); child tasks go to a group's members or the units below the acting one.
  task::UnitRules rules;
  const bool creates_children = std::holds_alternative<task::ExpandTask>(command) ||
                                std::holds_alternative<task::DelegateTask>(command);
  task::Command decided_command = command;
  if (creates_children || (actor.kind == task::Actor::Kind::kUnit &&
                           std::holds_alternative<task::ReportCompletion>(command))) {
    auto* expand = std::get_if<task::ExpandTask>(&decided_command);
    std::vector<UnitId> groups;
    if (expand != nullptr && expand->members.empty()) groups.push_back(expand->group);
    auto facts = decision_facts(store_, directory_, actor, groups);
    if (!facts) return facts.error();
    if (expand != nullptr && expand->members.empty()) {
      expand->members = facts->members_of(expand->group);
    }
    rules = std::move(facts->rules);
  }
  Result<CommandOutcome> outcome = [&] {
    std::lock_guard one_at_a_time(lock_for(stream));
    return run(
        store_, read_model_, clock_, stream, actor, expected,
        [&] { return read_model_.task(id).value_or(task::TaskState{}); },
        [&](const task::TaskState& s, Timestamp now) {
          return task::decide(s, decided_command, actor, now, rules);
        },
        fixed_id);
  }();
  if (outcome && creates_children) {
    if (auto failed = create_children(id, actor, command_id)) return *failed;
  }
  return outcome;
}

std::optional<Error> TaskService::create_children(const TaskId& parent, const task::Actor& actor,
                                                  const CommandId& command_id) {
  const std::optional<task::TaskState> parent_state = read_model_.task(parent);
  if (!parent_state) return std::nullopt;
  for (const task::ChildTask& child : parent_state->children) {
    const std::string stream = task::task_stream_id(child.task);
    std::lock_guard one_at_a_time(lock_for(stream));
    auto done = run(
        store_, read_model_, clock_, stream, actor, std::nullopt,
        [&] { return read_model_.task(child.task).value_or(task::TaskState{}); },
        [&](const task::TaskState& s, Timestamp now) -> Result<std::vector<task::Event>> {
          if (s.exists()) return std::vector<task::Event>{};  // created by an earlier run
          return task::child_task_events(*parent_state, task::ChildTaskCreated{child.task,
                                                                               child.unit,
                                                                               child.deadline,
                                                                               child.delegated_by,
                                                                               child.group,
                                                                               {},
                                                                               now});
        },
        [&](const task::TaskState&) {
          return CommandId(command_id.str() + ":child:" + child.task.str());
        });
    if (!done) return done.error();
  }
  return std::nullopt;
}

Result<SweepOutcome> TaskService::sweep(double yellow_share) {
  if (auto caught = refresh(); !caught) return caught.error();
  SweepOutcome outcome;
  const task::Actor system = task::Actor::system();
  std::vector<TaskId> ids = read_model_.open_tasks_with_deadline();
  for (TaskId& id : read_model_.open_tasks_with_cycle_only()) ids.push_back(std::move(id));
  for (const TaskId& id : ids) {
    ++outcome.tasks_checked;
    const std::string stream = task::task_stream_id(id);
    std::lock_guard one_at_a_time(lock_for(stream));
    auto done = run(
        store_, read_model_, clock_, stream, system, std::nullopt,
        [&] { return read_model_.task(id).value_or(task::TaskState{}); },
        [&](const task::TaskState& s, Timestamp now) -> Result<std::vector<task::Event>> {
          return task::sweep(s, now, yellow_share);
        },
        [&](const task::TaskState& s) {
          return CommandId("sweep:" + id.str() + "@" + std::to_string(s.version.value()));
        });
    if (!done) return done.error();
    for (const task::Event& e : done->events) {
      if (std::holds_alternative<task::DeadlineApproaching>(e)) ++outcome.approaching;
      if (std::holds_alternative<task::TaskOverdue>(e)) ++outcome.overdue;
      if (std::holds_alternative<task::ProgressReportDue>(e)) ++outcome.reports_due;
      if (std::holds_alternative<task::ProgressReportOverdue>(e)) ++outcome.reports_late;
    }
  }
  return outcome;
}

std::mutex& TaskService::lock_for(const std::string& stream) {
  return stream_locks_[std::hash<std::string>{}(stream) % kStreamLockStripes];
}

Result<GlobalPosition> TaskService::refresh() {
  if (!store_.shared_with_other_writers()) {
    // This process's store is the log's only writer: its last commit, known in memory, is the
    // head. Commands caught the model up before they answered, but other in-process appenders
    // may not have, so catch up to it (nothing is read when the model is level).
    return read_model_.catch_up(
        store_, store_.wait_for_position(GlobalPosition(0), std::chrono::milliseconds(0)));
  }
  auto head = store_.head();
  if (!head) return head.error();
  return read_model_.catch_up(store_, head->position);
}

}  // namespace duban::service
