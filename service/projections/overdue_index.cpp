#include "service/projections/overdue_index.h"

#include <optional>

#include "model/task/deadline.h"

namespace duban::service::projections {
namespace {

// Only these events can open or finish a task or move its deadline; the rest leave the index
// alone, which spares a date parse per event during a rebuild.
bool may_move(const task::Event& e) {
  return std::holds_alternative<task::TaskCreated>(e) ||
         std::holds_alternative<task::DeadlineSet>(e) ||
         std::holds_alternative<task::ExtensionApproved>(e) ||
         std::holds_alternative<task::TaskClosed>(e) ||
         std::holds_alternative<task::TaskCancelled>(e) ||
         std::holds_alternative<task::TaskReopened>(e) ||
         std::holds_alternative<task::TaskReassigned>(e);
}

}  // namespace

void OverdueIndex::apply(const TaskChange& c) {
  checkpoint_ = c.position;
  if (!may_move(c.event)) return;
  std::optional<Timestamp> wanted;
  if (c.after.is_open() && c.after.deadline) wanted = task::deadline_instant(*c.after.deadline);

  auto it = instant_of_.find(c.task);
  if (it != instant_of_.end()) {
    if (wanted && *wanted == it->second) return;
    by_deadline_.erase(Entry{it->second, c.task});
    instant_of_.erase(it);
  }
  if (wanted) {
    by_deadline_.emplace(*wanted, c.task);
    instant_of_.emplace(c.task, *wanted);
  }
}

}  // namespace duban::service::projections
