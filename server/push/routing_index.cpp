#include "server/push/routing_index.h"

#include <algorithm>
#include <mutex>

#include "server/api/visibility.h"

namespace duban::server::push {

void RoutingIndex::fold(GlobalPosition position, const std::string& task,
                        const task::Event& event) {
  const auto* created = std::get_if<task::TaskCreated>(&event);
  auto assigned = units_assigned_by(event);
  const auto removed = units_removed_by(event);
  if (!created && assigned.empty() && removed.empty()) return;
  std::unique_lock write(mutex_);
  TaskRoute& r = tasks_[task];
  if (created) r.document = created->provenance.document.str();
  auto open = [&](const UnitId& u) {
    return std::find_if(r.units.begin(), r.units.end(),
                        [&](const Interval& i) { return i.unit == u && !i.to; });
  };
  for (const auto& u : removed) {
    if (auto it = open(u); it != r.units.end()) it->to = position;
  }
  for (auto& u : assigned) {
    if (open(u) == r.units.end()) r.units.push_back(Interval{std::move(u), position, std::nullopt});
  }
}

RoutingIndex::Route RoutingIndex::route(const std::string& task, GlobalPosition position) const {
  std::shared_lock read(mutex_);
  Route out;
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return out;
  out.document = it->second.document;
  for (const auto& i : it->second.units) {
    if (i.from <= position && (!i.to || position <= *i.to) &&
        std::find(out.units.begin(), out.units.end(), i.unit) == out.units.end()) {
      out.units.push_back(i.unit);
    }
  }
  return out;
}

bool RoutingIndex::ever_assigned(const std::string& task, const UnitId& unit) const {
  std::shared_lock read(mutex_);
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return false;
  return std::any_of(it->second.units.begin(), it->second.units.end(),
                     [&](const Interval& i) { return i.unit == unit; });
}

}  // namespace duban::server::push
