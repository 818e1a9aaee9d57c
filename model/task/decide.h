// decide(): the supervision rules. Given the current state, a command, who issues it and the
// time, returns the events that record it, or an Error saying why it is refused.
//
// Pure: no IO, no clock (callers pass `now`), no mutation. Appending the returned events and
// folding them with apply() yields the new state. The lifecycle these rules implement is drawn
// in docs/lifecycle.md.
//
// Authorisation comes from the actor's roles (Actor::may(), docs/api.md "Roles"): the office's
// inspector (督查员) creates, assigns, urges, reviews, approves and returns; its leader (领导)
// reopens and cancels; a unit's handler (承办人) acknowledges, reports progress and completion
// and asks for extensions; its head (负责人) also signs off or refuses the completions handlers
// submitted when the unit requires it (UnitRules). Machines hold every role of their kind.
//
// Error codes (model/task/error_codes.h): forbidden (wrong actor or role for the command),
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

// What decide() needs to know about the acting unit beyond the task: the rules its office set
// (account::UnitSignOffRequired on the stream "unit-policy/<unit>").
struct UnitRules {
  bool sign_off_required = false;  // a handler's completion needs the unit head's sign-off
  // The directory units whose parent is the acting unit: the bodies it may hand a task down to
  // (DelegateTask, 转办). The caller looks them up for DelegateTask only.
  std::vector<UnitId> below;
};

// For every task command. RegisterDocument is refused (invalid_command): it belongs to a
// document stream, see the overload below. `rules` are the acting unit's (the caller looks them
// up for unit actors; the four-argument form assumes none).
Result<std::vector<Event>> decide(const TaskState& state, const Command& command,
                                  const Actor& actor, Timestamp now, const UnitRules& rules);
Result<std::vector<Event>> decide(const TaskState& state, const Command& command,
                                  const Actor& actor, Timestamp now);

// The first events of the child task a ChildTaskCreated (decided on `parent`, applied or not)
// announces: TaskCreated (the parent's provenance, mode lead, the child's unit as its one lead,
// the child's deadline, `parent` set) and UnitAssigned, then EvidenceRequirementSet when the
// parent requires evidence. The service appends them to the child's stream right after the
// parent's events (docs/lifecycle.md, "Child tasks").
std::vector<Event> child_task_events(const TaskState& parent, const ChildTaskCreated& created);

// Whether `unit`'s completions need its head's sign-off, set to `required` (the unit's rule is
// `current` now): the event that records the change, none when nothing changes, or forbidden
// unless the actor holds the office's inspector role.
Result<std::vector<account::UnitSignOffRequired>> decide_sign_off_rule(
    bool current, const UnitId& unit, bool required, const Actor& actor, Timestamp now);

// For RegisterDocument only; task commands are refused (invalid_command).
Result<std::vector<Event>> decide(const DocumentState& state, const Command& command,
                                  const Actor& actor, Timestamp now);

}  // namespace duban::task
