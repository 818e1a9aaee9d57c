// Lifecycle commands as JSON bodies: POST /api/v1/tasks (create) and
// POST /api/v1/tasks/{task}/{action} (everything else). docs/api.md lists each action's fields.
//
// Every body carries "command_id" (the client's idempotency key, 1..200 characters) and
// "expected_version" (the task's stream version the client decided on; 0 to create). Unknown
// fields are refused, so a misspelt optional field is not silently ignored.
//
// Thread-safety: reentrant.
#pragma once

#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/commands.h"

namespace duban::server {

struct CommandRequest {
  task::Command command;
  CommandId command_id;
  StreamVersion expected;
};

// `action` is "create" for POST /api/v1/tasks (the task id then comes from the body) or one of
// task::task_actions() (model/task/task_actions.h; the task id is the path's). Errors: bad_request
// (not JSON, wrong types, unknown or missing fields), not_found (unknown action).
Result<CommandRequest> parse_command(std::string_view action, const TaskId& task,
                                     std::string_view body);

}  // namespace duban::server
