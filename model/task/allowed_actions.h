// What an actor may do to a task now: the task actions (task_actions.h, the HTTP action names of
// docs/api.md, "Commands") whose sample command decide() would not refuse for who asks or for
// the task's state. The page offers buttons for these only, so it never offers what the server
// then refuses.
//
// Each action is decided with representative fields. decide() checks the task, then the actor,
// then the state, and the fields last (decide.cpp), so a refusal for the fields alone
// (invalid_command) still means the action is open to this actor in this state: only the values
// the person will type decide it.
//
// Two actions depend on the unit directory, which decide() learns through the command and
// UnitRules: expanding a group (ExpandTask needs the group's members) and handing down (转办,
// DelegateTask needs units below the acting unit). Their samples are completed from
// DirectoryFacts, which the caller looks up exactly as the command path does
// (service::decision_facts()); with nothing to complete them from they are not open, and once
// complete only an accepted decision opens them.
//
// Thread-safety: pure.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "model/ids.h"
#include "model/task/actor.h"
#include "model/task/decide.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task {

// What the unit directory says about the actor and the task's units, as decide() is told it.
struct DirectoryFacts {
  // The acting unit's rules: `below` are the bodies it may hand down to (DelegateTask).
  UnitRules rules;
  // The task's assigned units that are groups with members in the directory, each with its
  // members (ExpandTask); a unit without members is absent.
  std::vector<std::pair<UnitId, std::vector<UnitId>>> groups;

  // The members of `group`, empty when it has none.
  const std::vector<UnitId>& members_of(const UnitId& group) const;
};

// In the order of task_actions(); empty for a task that does not exist.
std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now, const DirectoryFacts& facts);
// Without directory facts: no group to expand, no unit below the actor.
std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now);

}  // namespace duban::task
