// ReadModel: every projection of the event log, kept in memory and current by catching up from
// the store, and the queries the CLI and (next) the server answer from them.
//
// Projections (service/projections/, each with its own checkpoint = last applied position):
//   TaskTable         every task's and document's state (task::apply), decide() runs against it
//   UnitInbox         per unit: the tasks it leads or takes part in, with its role
//   DocumentProgress  per document: tasks by status
//   OverdueIndex      open tasks with a deadline, by deadline instant
//   UnitScorecards    per unit: assigned, acknowledged, closed (on time), overdue, returned, ...
// All of them are folded from the same decoded events in log order, so a full rebuild from
// position 1 equals the incrementally maintained state (ReadModelState is comparable), and
// snapshots (a later issue) can serialize a ReadModelState together with its checkpoint.
//
// Lights, "overdue" and "red" depend on time: queries take an AsOf and never read a clock.
//
// Thread-safety: every member may be called concurrently. Queries take a shared lock and copy
// their rows out; catch_up() applies each page under an exclusive lock (reading and decoding the
// page happen before, outside it) and runs one at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/document_state.h"
#include "model/task/task_state.h"
#include "service/projections/document_progress.h"
#include "service/projections/overdue_index.h"
#include "service/projections/task_table.h"
#include "service/projections/unit_inbox.h"
#include "service/projections/unit_scorecard.h"
#include "service/projections/views.h"
#include "storage/event_store.h"

namespace duban::service::projections {

// All projections as one comparable, copyable value.
struct ReadModelState {
  TaskTable tasks;
  UnitInbox inbox;
  DocumentProgress progress;
  OverdueIndex overdue;
  UnitScorecards scorecards;

  // Folds one recorded event, already decoded. Errors (code corrupt) when the event does not
  // fit the table (wrong stream kind, a stream version out of step); nothing is applied then.
  Result<GlobalPosition> apply(const storage::RecordedEvent& recorded, const task::Event& event);
  // The same, given only what the fold reads of the recorded event.
  Result<GlobalPosition> apply(GlobalPosition position, std::string_view stream,
                               StreamVersion version, const task::Event& event);

  // The position every projection has reached (they advance together).
  GlobalPosition checkpoint() const { return tasks.checkpoint(); }

  bool operator==(const ReadModelState&) const = default;
};

class ReadModel {
 public:
  // Events read per read_all() call while catching up. Default 4096.
  static constexpr std::size_t kDefaultPageSize = 4096;

  ReadModel() = default;
  ReadModel(const ReadModel&) = delete;
  ReadModel& operator=(const ReadModel&) = delete;

  // Reads the log after the checkpoint and applies it, page by page, until the log ends or the
  // checkpoint reaches `until`. Returns the checkpoint reached. While a full page is applied,
  // the next one is read and decoded on a second thread (a rebuild overlaps the store's reads
  // with folding); a catch-up that fits in one page starts no thread. A page that fails to read or
  // decode stops the catch-up after the events before it were applied; the error comes back
  // (bad_payload for a payload this build cannot decode, corrupt, or the store's error).
  Result<GlobalPosition> catch_up(
      storage::EventStore& store,
      GlobalPosition until = GlobalPosition(std::numeric_limits<std::int64_t>::max()),
      std::size_t page_size = kDefaultPageSize);

  GlobalPosition checkpoint() const;

  // A copy of every projection, for comparisons and snapshots.
  ReadModelState state() const;

  // Replaces every projection with `state` (a snapshot being loaded, service/snapshot_loader.h);
  // later catch-ups continue from state.checkpoint(). Waits for a catch-up in progress.
  void reset(ReadModelState state);

  // --- Queries. Each returns copies, consistent as of one checkpoint. ---

  std::optional<task::TaskState> task(const TaskId& id) const;
  // Default-constructed (exists() false) when the document was never registered.
  task::DocumentState document(const DocumentId& id) const;
  // The document's tasks in creation order.
  std::vector<task::TaskState> tasks_of_document(const DocumentId& id) const;
  // Open tasks that have a deadline, earliest deadline first: what a deadline sweep checks.
  std::vector<TaskId> open_tasks_with_deadline() const;
  // Open tasks with a reporting cycle and no deadline, by id: the rest of what the sweep checks.
  std::vector<TaskId> open_tasks_with_cycle_only() const;

  // The unit's tasks in document order (document id, then the clause's source line).
  std::vector<InboxItem> inbox(const UnitId& unit, AsOf as_of,
                               InboxFilter filter = InboxFilter::kOpen) const;
  // Every document with tasks or a registration, ordered by document id.
  std::vector<DocumentProgressRow> document_progress(AsOf as_of) const;
  // Open tasks whose deadline ended before as_of.now, longest overdue first.
  std::vector<OverdueItem> overdue(Timestamp now) const;
  // One page of that list: up to `limit` items after the item `after` (its deadline instant and
  // task; none: from the start) whose task `keep` accepts (null: every task), and whether more
  // would follow. Costs the page, not the whole list, however many tasks are overdue.
  struct OverduePage {
    std::vector<OverdueItem> items;
    bool more = false;
  };
  OverduePage overdue_page(Timestamp now, const std::optional<std::pair<Timestamp, TaskId>>& after,
                           std::size_t limit,
                           const std::function<bool(const task::TaskState&)>& keep) const;
  // One document's row of document_progress(); nullopt when it has neither tasks nor a
  // registration. Costs that document's tasks only.
  std::optional<DocumentProgressRow> document_row(const DocumentId& id, AsOf as_of) const;
  // Every unit that was ever assigned a task, ordered by unit id.
  std::vector<ScorecardRow> scorecards(AsOf as_of) const;

 private:
  DocumentProgressRow document_row_locked(const DocumentId& id, AsOf as_of) const;

  mutable std::shared_mutex mutex_;  // guards state_
  std::mutex catch_up_mutex_;        // one catch-up at a time; taken before mutex_
  ReadModelState state_;
};

}  // namespace duban::service::projections
