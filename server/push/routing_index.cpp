#include "server/push/routing_index.h"

#include <algorithm>
#include <mutex>

#include "server/api/visibility.h"

namespace duban::server::push {

void RoutingIndex::fold(GlobalPosition position, const std::string& task,
                        const task::Event& event) {
  const auto* created = std::get_if<task::TaskCreated>(&event);
  auto assigned = units_assigned_by(event);
  if (!created && assigned.empty()) return;
  std::unique_lock write(mutex_);
  TaskRoute& r = tasks_[task];
  if (created) r.document = created->provenance.document.str();
  for (auto& u : assigned) {
    const bool known = std::any_of(r.units.begin(), r.units.end(),
                                   [&](const auto& entry) { return entry.first == u; });
    if (!known) r.units.emplace_back(std::move(u), position);
  }
}

RoutingIndex::Route RoutingIndex::route(const std::string& task, GlobalPosition position) const {
  std::shared_lock read(mutex_);
  Route out;
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return out;
  out.document = it->second.document;
  for (const auto& [unit, first] : it->second.units) {
    if (first <= position) out.units.push_back(unit);
  }
  return out;
}

bool RoutingIndex::ever_assigned(const std::string& task, const UnitId& unit) const {
  std::shared_lock read(mutex_);
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return false;
  return std::any_of(it->second.units.begin(), it->second.units.end(),
                     [&](const auto& entry) { return entry.first == unit; });
}

}  // namespace duban::server::push
