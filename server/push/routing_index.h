// RoutingIndex: for every task, its document and the position at which each unit was first
// assigned to it. Folded from the log in order (the dispatcher does it as it tails), so the
// units that see an event at position p are those first assigned at or before p, whether the
// event is pushed live or replayed from the store later: live and replay agree exactly.
//
// Thread-safety: fold() from one thread at a time (the dispatcher); the queries may run
// concurrently with it and with each other.
#pragma once

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
  // The task's document and the units first assigned at or before `position`.
  Route route(const std::string& task, GlobalPosition position) const;

  // True when `unit` has ever been assigned to `task` (as far as the index has read).
  bool ever_assigned(const std::string& task, const UnitId& unit) const;

 private:
  struct TaskRoute {
    std::string document;
    std::vector<std::pair<UnitId, GlobalPosition>> units;  // first assignment, in order
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, TaskRoute> tasks_;
};

}  // namespace duban::server::push
