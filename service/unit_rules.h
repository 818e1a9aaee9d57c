// The rules the supervising office sets for a unit, kept in the unit's own stream
// "unit-policy/<unit id>" (account::unit_policy_stream_id()): today whether the unit's
// completions need its head's sign-off (account::UnitSignOffRequired). TaskService reads them
// when it decides a unit's ReportCompletion; `duban account sign-off` sets them.
//
// The stream is short and read straight from the store (no projection keeps it); the task
// projections skip its events (task::is_account_event()).
//
// Thread-safety: reentrant; the store is borrowed. Two writers racing on one unit's rule are
// serialised by the stream's expected version (the loser decides again).
#pragma once

#include <span>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/task/allowed_actions.h"
#include "model/task/decide.h"
#include "model/time.h"
#include "service/unit_directory_log.h"
#include "storage/event_store.h"

namespace duban::service {

// The rules in force for `unit` now (the last UnitSignOffRequired; none: no sign-off).
Result<task::UnitRules> unit_rules(storage::EventStore& store, const UnitId& unit);

// What decide() is told about `actor` and the unit directory, looked up once for both the
// command path (TaskService::execute: ReportCompletion, ExpandTask, DelegateTask) and the page's
// allowed actions (GET /api/v1/tasks/{task}): for a unit actor its rules (unit_rules()) and the
// units whose directory parent it is (UnitRules::below, 转办); for each of `groups` that has
// members in the log's unit directory (`directory`), those members (ExpandTask).
Result<task::DirectoryFacts> decision_facts(storage::EventStore& store, LogDirectory& directory,
                                            const task::Actor& actor,
                                            std::span<const UnitId> groups);

struct RuleOutcome {
  GlobalPosition position;  // of the event recorded; 0 when the rule was already so
  bool duplicate = false;   // `command_id` was recorded before: nothing appended now
};

// Sets whether `unit`'s completions need its head's sign-off, as `actor` (the office's
// inspector role, task::decide_sign_off_rule()) under `command_id` (non-empty) at `now`.
Result<RuleOutcome> set_unit_sign_off(storage::EventStore& store, const UnitId& unit, bool required,
                                      const task::Actor& actor, const CommandId& command_id,
                                      Timestamp now);

}  // namespace duban::service
