// UnitInbox: for every unit, the tasks it currently leads or takes part in, with its role. Status
// and light are not stored here: ReadModel::inbox() joins them from TaskTable at query time, the
// light against the `now` it is given.
//
// Kept from TaskCreated (every unit), UnitAssigned (the unit's current role) and TaskReassigned
// (units dropped leave the inbox). A finished (closed or cancelled) task stays in its units'
// inboxes; queries filter it out unless asked.
//
// A plain value: not thread-safe by itself (ReadModel guards it). Comparable.
#pragma once

#include <unordered_map>
#include <utility>

#include "model/ids.h"
#include "model/task/mode.h"
#include "service/projections/change.h"

namespace duban::service::projections {

class UnitInbox {
 public:
  // Unordered: a unit leads thousands of tasks at national scale, and an ordered map paid a
  // string comparison per level on every assignment during a replay. Listings sort their rows
  // (ReadModel::inbox) and snapshots write entries in task order.
  using Entries = std::unordered_map<TaskId, task::Role>;

  void apply(const TaskChange& change);
  void skip(GlobalPosition position) { checkpoint_ = position; }  // an event of no interest

  // The unit's tasks and roles; empty when it has none.
  const Entries& of(const UnitId& unit) const;
  const std::unordered_map<UnitId, Entries>& units() const { return units_; }

  // A projection with exactly these contents, as a snapshot stored them.
  static UnitInbox restore(std::unordered_map<UnitId, Entries> units, GlobalPosition checkpoint) {
    UnitInbox p;
    p.units_ = std::move(units);
    p.checkpoint_ = checkpoint;
    return p;
  }

  GlobalPosition checkpoint() const { return checkpoint_; }
  bool operator==(const UnitInbox&) const = default;

 private:
  void put(const UnitId& unit, const TaskId& task, task::Role role);
  void drop(const UnitId& unit, const TaskId& task);

  std::unordered_map<UnitId, Entries> units_;
  GlobalPosition checkpoint_;
};

}  // namespace duban::service::projections
