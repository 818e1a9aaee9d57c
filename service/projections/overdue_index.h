// OverdueIndex: every open task that has a deadline, ordered by the instant its deadline ends
// (task::deadline_instant). Whether a task is overdue depends on `now`, so nothing here says
// "overdue": ReadModel::overdue(now) walks the index from the earliest deadline and stops at the
// first one not yet passed, which makes the overdue list cheap however many tasks are open. The
// deadline sweep uses the same index to find the tasks worth checking.
//
// A plain value: not thread-safe by itself (ReadModel guards it). Comparable.
#pragma once

#include <set>
#include <unordered_map>
#include <utility>

#include "model/ids.h"
#include "model/time.h"
#include "service/projections/change.h"

namespace duban::service::projections {

class OverdueIndex {
 public:
  using Entry = std::pair<Timestamp, TaskId>;  // (deadline instant, task)

  void apply(const TaskChange& change);
  void skip(GlobalPosition position) { checkpoint_ = position; }

  // Open tasks with a deadline, earliest deadline first.
  const std::set<Entry>& by_deadline() const { return by_deadline_; }

  // A projection with exactly these entries, as a snapshot stored them (one entry per task).
  static OverdueIndex restore(std::set<Entry> by_deadline, GlobalPosition checkpoint) {
    OverdueIndex p;
    for (const auto& [instant, task] : by_deadline) p.instant_of_.emplace(task, instant);
    p.by_deadline_ = std::move(by_deadline);
    p.checkpoint_ = checkpoint;
    return p;
  }

  GlobalPosition checkpoint() const { return checkpoint_; }
  bool operator==(const OverdueIndex&) const = default;

 private:
  std::set<Entry> by_deadline_;
  std::unordered_map<TaskId, Timestamp> instant_of_;  // the task's entry in by_deadline_
  GlobalPosition checkpoint_;
};

}  // namespace duban::service::projections
