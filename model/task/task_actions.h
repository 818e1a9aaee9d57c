// The task actions: the `{action}` of POST /api/v1/tasks/{task}/{action} (docs/api.md,
// "Commands"), each with how to build a sample of its command. One table, used by the API
// (server/api/command_json.cpp parses the body of each action it names) and by
// allowed_actions() (which asks decide() about each action's sample), so an action the API
// accepts is never missing from the page's buttons.
//
// Adding an action: append it here (a name and its sample), parse its body in
// server/api/command_json.cpp, and list it in docs/api.md.
//
// Thread-safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

#include "model/task/commands.h"
#include "model/task/task_state.h"

namespace duban::task {

struct TaskAction {
  std::string_view name;  // "report-completion": the URL's {action}
  // The action's command for `state` with representative fields: what decide() is asked to
  // know whether the action is open (allowed_actions.h). Fields the person would type get
  // placeholders; a refusal for them alone (invalid_command) still means "open".
  Command (*sample)(const TaskState& state);
};

// Every task action, in docs/api.md order ("create" is not one: it has no task yet).
std::span<const TaskAction> task_actions();

// The action named `name`, or nullptr.
const TaskAction* find_task_action(std::string_view name);

}  // namespace duban::task
