// RoutingIndex: for every task, its document and the intervals during which each unit was
// assigned to it (server/api/visibility.h: from the assigning event up to and including the
// removing one). Folded from the log in order (the dispatcher does it as it tails), so the units
// that see an event at position p are those whose interval holds p, whether the event is pushed
// live or replayed from the store later: live and replay agree exactly, and a unit removed from a
// task receives nothing of it recorded after its removal.
//
// A child task (分解/转办, TaskCreated.parent set) also routes to its parent's lead units: the
// leads of the parent at the child event's position (the same intervals, kept for leads only)
// follow their children's progress live (docs/api.md, "WebSocket"). One level: a grandchild's
// events reach its own parent's leads, not the grandparent's.
//
// Thread-safety: fold() from one thread at a time (the dispatcher); the queries may run
// concurrently with it and with each other.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/ids.h"
#include "model/task/events.h"

namespace duban::server::push {

class RoutingIndex {
 public:
  // Folds the event at `position` of `task`'s stream (call in log order, every task event).
  void fold(GlobalPosition position, const std::string& task, const task::Event& event);

  struct Route {
    std::string document;
    std::vector<UnitId> units;
    std::string parent;                // the parent task of a child task; empty otherwise
    std::vector<UnitId> parent_leads;  // the parent's lead units at the position
  };
  // The task's document and the units assigned to it at `position` (an interval holds it); for a
  // child task also its parent and the parent's leads at `position`.
  Route route(const std::string& task, GlobalPosition position) const;

  // True when `unit` has ever been assigned to `task`, or led the parent of a child task (as far
  // as the index has read).
  bool ever_assigned(const std::string& task, const UnitId& unit) const;

 private:
  struct Interval {
    UnitId unit;
    GlobalPosition from;               // the assigning event
    std::optional<GlobalPosition> to;  // the removing event (seen by the unit); none while open
  };
  struct TaskRoute {
    std::string document;
    std::string parent;           // TaskCreated.parent; empty for a task of a document's clause
    std::vector<Interval> units;  // in order of assignment; a unit may have several
    std::vector<Interval> leads;  // the same for the lead role alone
  };
  // The units of `intervals` that hold `position`, each once.
  static std::vector<UnitId> holding(const std::vector<Interval>& intervals,
                                     GlobalPosition position);
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, TaskRoute> tasks_;
};

}  // namespace duban::server::push
