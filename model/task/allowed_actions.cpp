#include "model/task/allowed_actions.h"

#include <optional>
#include <variant>

#include "model/task/error_codes.h"
#include "model/task/task_actions.h"

namespace duban::task {
namespace {

// The units of `units` that have no child task of `state` yet.
std::vector<UnitId> without_child(const TaskState& state, const std::vector<UnitId>& units) {
  std::vector<UnitId> out;
  for (const UnitId& u : units) {
    if (state.child_for(u) == nullptr) out.push_back(u);
  }
  return out;
}

// `sample` with what the directory gives: the first assigned group with members that have no
// child task yet for ExpandTask, the units below the actor without one for DelegateTask.
// nullopt: the directory leaves nothing to act on. Other commands are returned as they are.
std::optional<Command> completed(Command sample, const TaskState& state,
                                 const DirectoryFacts& facts) {
  if (auto* expand = std::get_if<ExpandTask>(&sample)) {
    for (const auto& [group, members] : facts.groups) {
      std::vector<UnitId> open = without_child(state, members);
      if (!open.empty() && state.is_assigned(group)) {
        expand->group = group;
        expand->members = std::move(open);
        return sample;
      }
    }
    return std::nullopt;
  }
  if (auto* delegate = std::get_if<DelegateTask>(&sample)) {
    delegate->units = without_child(state, facts.rules.below);
    if (delegate->units.empty()) return std::nullopt;
    return sample;
  }
  return sample;
}

bool from_directory(const Command& command) {
  return std::holds_alternative<ExpandTask>(command) ||
         std::holds_alternative<DelegateTask>(command);
}

}  // namespace

const std::vector<UnitId>& DirectoryFacts::members_of(const UnitId& group) const {
  static const std::vector<UnitId> kNone;
  for (const auto& [g, members] : groups) {
    if (g == group) return members;
  }
  return kNone;
}

std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now, const DirectoryFacts& facts) {
  std::vector<std::string_view> allowed;
  if (!state.exists()) return allowed;
  for (const TaskAction& action : task_actions()) {
    const std::optional<Command> command = completed(action.sample(state), state, facts);
    if (!command) continue;
    const auto decided = decide(state, *command, actor, now, facts.rules);
    // A sample completed from the directory has every field the directory decides, so only an
    // accepted decision opens it (a refused deadline is the person's to fix: it has none).
    if (decided.ok() ||
        (!from_directory(*command) && decided.error().code == errc::kInvalidCommand)) {
      allowed.push_back(action.name);
    }
  }
  return allowed;
}

std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now) {
  return allowed_actions(state, actor, now, DirectoryFacts{});
}

}  // namespace duban::task
