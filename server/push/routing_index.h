// RoutingIndex: for every task, its document and the intervals during which each unit was
// assigned to it (server/api/visibility.h: from the assigning event up to and including the
// removing one). Folded from the log in order (the dispatcher does it as it tails), so the units
// that see an event at position p are those whose interval holds p, whether the event is pushed
// live or replayed from the store later: live and replay agree exactly, and a unit removed from a
// task receives nothing of it recorded after its removal.
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
  };
  // The task's document and the units assigned to it at `position` (an interval holds it).
  Route route(const std::string& task, GlobalPosition position) const;

  // True when `unit` has ever been assigned to `task` (as far as the index has read).
  bool ever_assigned(const std::string& task, const UnitId& unit) const;

 private:
  struct Interval {
    UnitId unit;
    GlobalPosition from;               // the assigning event
    std::optional<GlobalPosition> to;  // the removing event (seen by the unit); none while open
  };
  struct TaskRoute {
    std::string document;
    std::vector<Interval> units;  // in order of assignment; a unit may have several
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, TaskRoute> tasks_;
};

}  // namespace duban::server::push
