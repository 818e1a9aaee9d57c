// TaskService: the application layer. Runs a command the way every caller must (CLI today, the
// server next): load the stream's state from the read model, task::decide() it as the actor at
// the injected clock's `now`, encode the events, append them to the store with the state's
// version as the expected version and the caller's command id, then bring the read model up to
// the appended position before answering, so a read after an acknowledged command reflects it.
//
// A unit's ReportCompletion is decided with the rules the office set for the unit
// (service/unit_rules.h: whether a handler's completion needs the unit head's sign-off).
//
// Child tasks (docs/lifecycle.md, "Child tasks"): ExpandTask without members gets the group's
// members from the log's unit directory (service/unit_directory_log.h), DelegateTask is decided
// with the units the directory puts below the acting unit; once the parent's ChildTaskCreated
// events are appended, each child's stream is started (TaskCreated + UnitAssigned) as the same
// actor. The parent and its children are separate appends: a crash in between leaves children
// missing, and retrying the command (same command id) creates them.
//
// Retries and races:
//   - A command id already recorded on the stream returns the original positions with
//     duplicate = true and appends nothing, even when deciding the command again against today's
//     state would refuse it (an acknowledgement retried after its reply was lost).
//   - Commands on one stream run one at a time within a service (a striped lock, held from
//     loading the state to catching up after the append), so callers in one process never race
//     each other into version conflicts; commands on different streams run concurrently and
//     share the store's group commit.
//   - Without an explicit expected version, a version conflict (another process got there
//     first) makes the service catch up and decide again, a few times; decide() sees the new
//     state, so a command that no longer makes sense is refused with its domain error.
//   - With an explicit expected version (an HTTP If-Match, a test), a stream at any other version
//     is a version_conflict and nothing is retried: of two writers expecting the same version,
//     exactly one wins.
//
// Errors are duban::Error values: the codes of model/task/error_codes.h for refused commands
// (forbidden, illegal_transition, not_found, invalid_command, already_exists) and of
// storage/store_errc.h for the store (version_conflict, command_id_reused, read_only, busy,
// io_error, bad_payload, corrupt, ...).
//
// Thread-safety: every member may be called concurrently from any number of threads. The store,
// read model and clock are borrowed and must outlive the service.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/task/commands.h"
#include "model/task/events.h"
#include "model/time.h"
#include "service/projections/read_model.h"
#include "service/unit_directory_log.h"
#include "storage/event_store.h"

namespace duban::service {

struct CommandOutcome {
  std::string stream;               // where the events went
  GlobalPosition first;             // position of the command's first event
  GlobalPosition last;              // and of its last
  StreamVersion version;            // the stream's version after them
  bool duplicate = false;           // the command id was already recorded: nothing appended now
  std::vector<task::Event> events;  // what was appended now; empty for a duplicate
};

struct SweepOutcome {
  int tasks_checked = 0;  // open tasks with a deadline or a reporting cycle
  int approaching = 0;    // DeadlineApproaching recorded now
  int overdue = 0;        // TaskOverdue recorded now
  int reports_due = 0;    // ProgressReportDue recorded now
  int reports_late = 0;   // ProgressReportOverdue recorded now
};

class TaskService {
 public:
  // How many times a command is decided again after losing a race (no explicit expected
  // version). Default 8.
  static constexpr int kMaxAttempts = 8;
  // Stripes of the per-stream lock; streams hashing to one stripe wait for each other.
  static constexpr std::size_t kStreamLockStripes = 256;

  TaskService(storage::EventStore& store, projections::ReadModel& read_model, const Clock& clock)
      : store_(store), read_model_(read_model), clock_(clock) {}

  // Runs `command` as `actor` under `command_id` (non-empty; the caller's idempotency key).
  // `expected`, when given, is the version the caller saw the stream at.
  Result<CommandOutcome> execute(const task::Command& command, const task::Actor& actor,
                                 const CommandId& command_id,
                                 std::optional<StreamVersion> expected = std::nullopt);

  // The deadline sweep: for every open task with a deadline or a reporting cycle, appends what
  // task::sweep() says is due at the clock's now (DeadlineApproaching, TaskOverdue,
  // ProgressReportDue, ProgressReportOverdue) as actor system. Idempotent: each reminder is
  // recorded once per deadline (once per reporting period), and two sweeps racing on a task append
  // it once (the command id is "sweep:<task>@<stream version>"). Stops at the first task that
  // fails; running it again completes the rest.
  Result<SweepOutcome> sweep(double yellow_share);

  // Catches the read model up with everything the store held when called, including other
  // processes' and nodes' appends, so a query answered after it reflects every command
  // acknowledged before it (on any node). Costs one head() read when nothing is new; when the
  // model is behind, catches up to that head only (a busy log cannot keep it chasing). A store
  // that is the log's only writer (!shared_with_other_writers()) is asked for its last commit
  // from memory instead of head(): no database read when nothing is new.
  Result<GlobalPosition> refresh();

  projections::ReadModel& read_model() { return read_model_; }
  // The log's unit directory, parsed once per directory recorded (decision_facts()).
  LogDirectory& directory() { return directory_; }

 private:
  std::mutex& lock_for(const std::string& stream);
  // After ExpandTask or DelegateTask: starts the stream of every child of `parent` that has none
  // yet (task::child_task_events()), each under "<command id>:child:<child id>". Running it
  // again (a retried command) creates only what a crash left out.
  std::optional<Error> create_children(const TaskId& parent, const task::Actor& actor,
                                       const CommandId& command_id);

  storage::EventStore& store_;
  projections::ReadModel& read_model_;
  const Clock& clock_;
  std::array<std::mutex, kStreamLockStripes> stream_locks_;
  LogDirectory directory_{store_};
};

}  // namespace duban::service
