// decide(): the supervision rules. Given the current state, a command, who issues it and the
// time, returns the events that record it, or an Error saying why it is refused.
//
// Pure: no IO, no clock (callers pass `now`), no mutation. Appending the returned events and
// folding them with apply() yields the new state. The lifecycle these rules implement is drawn
// in docs/lifecycle.md.
//
// Error codes (model/task/error_codes.h): forbidden (wrong actor for the command),
// illegal_transition (right actor, wrong state), not_found (no such task), already_exists
// (creating a task or document version twice), invalid_command (missing or malformed fields).
#pragma once

#include <vector>

#include "model/result.h"
#include "model/task/actor.h"
#include "model/task/commands.h"
#include "model/task/document_state.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task {

// For every task command. RegisterDocument is refused (invalid_command): it belongs to a
// document stream, see the overload below.
Result<std::vector<Event>> decide(const TaskState& state, const Command& command,
                                  const Actor& actor, Timestamp now);

// For RegisterDocument only; task commands are refused (invalid_command).
Result<std::vector<Event>> decide(const DocumentState& state, const Command& command,
                                  const Actor& actor, Timestamp now);

}  // namespace duban::task
