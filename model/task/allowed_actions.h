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
// Thread-safety: pure.
#pragma once

#include <string_view>
#include <vector>

#include "model/task/actor.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task {

// In the order of task_actions(); empty for a task that does not exist.
std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now);

}  // namespace duban::task
