#include "server/push/routing_index.h"

#include <algorithm>
#include <mutex>

#include "server/api/visibility.h"

namespace duban::server::push {
namespace {

bool contains(const std::vector<UnitId>& units, const UnitId& u) {
  return std::find(units.begin(), units.end(), u) != units.end();
}

// The units `event` makes leads of its task, and those it takes the lead from (a reassignment's
// old leads not among its new ones; they may stay on as participants).
std::pair<std::vector<UnitId>, std::vector<UnitId>> leads_changed_by(const task::Event& event) {
  std::vector<UnitId> assigned;
  std::vector<UnitId> removed;
  if (const auto* c = std::get_if<task::TaskCreated>(&event)) {
    assigned = c->leads;
  } else if (const auto* a = std::get_if<task::UnitAssigned>(&event)) {
    if (a->role == task::Role::kLead) assigned.push_back(a->unit);
  } else if (const auto* r = std::get_if<task::TaskReassigned>(&event)) {
    assigned = r->new_leads;
    for (const auto& u : r->old_leads) {
      if (!contains(r->new_leads, u)) removed.push_back(u);
    }
  }
  return {std::move(assigned), std::move(removed)};
}

}  // namespace

void RoutingIndex::fold(GlobalPosition position, const std::string& task,
                        const task::Event& event) {
  const auto* created = std::get_if<task::TaskCreated>(&event);
  auto assigned = units_assigned_by(event);
  const auto removed = units_removed_by(event);
  if (!created && assigned.empty() && removed.empty()) return;
  auto [leads_assigned, leads_removed] = leads_changed_by(event);
  std::unique_lock write(mutex_);
  TaskRoute& r = tasks_[task];
  if (created) {
    r.document = created->provenance.document.str();
    r.parent = created->parent.str();
  }
  auto update = [&](std::vector<Interval>& intervals, std::vector<UnitId>& in,
                    const std::vector<UnitId>& out) {
    auto open = [&](const UnitId& u) {
      return std::find_if(intervals.begin(), intervals.end(),
                          [&](const Interval& i) { return i.unit == u && !i.to; });
    };
    for (const auto& u : out) {
      if (auto it = open(u); it != intervals.end()) it->to = position;
    }
    for (auto& u : in) {
      if (open(u) == intervals.end()) {
        intervals.push_back(Interval{std::move(u), position, std::nullopt});
      }
    }
  };
  update(r.units, assigned, removed);
  update(r.leads, leads_assigned, leads_removed);
}

std::vector<UnitId> RoutingIndex::holding(const std::vector<Interval>& intervals,
                                          GlobalPosition position) {
  std::vector<UnitId> out;
  for (const auto& i : intervals) {
    if (i.from <= position && (!i.to || position <= *i.to) && !contains(out, i.unit)) {
      out.push_back(i.unit);
    }
  }
  return out;
}

RoutingIndex::Route RoutingIndex::route(const std::string& task, GlobalPosition position) const {
  std::shared_lock read(mutex_);
  Route out;
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return out;
  out.document = it->second.document;
  out.units = holding(it->second.units, position);
  out.parent = it->second.parent;
  if (!out.parent.empty()) {
    if (auto p = tasks_.find(out.parent); p != tasks_.end()) {
      out.parent_leads = holding(p->second.leads, position);
    }
  }
  return out;
}

bool RoutingIndex::ever_assigned(const std::string& task, const UnitId& unit) const {
  std::shared_lock read(mutex_);
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return false;
  auto among = [&](const std::vector<Interval>& intervals) {
    return std::any_of(intervals.begin(), intervals.end(),
                       [&](const Interval& i) { return i.unit == unit; });
  };
  if (among(it->second.units)) return true;
  // A child task's events reach its parent's leads (route()), so they may subscribe to it.
  if (it->second.parent.empty()) return false;
  auto parent = tasks_.find(it->second.parent);
  return parent != tasks_.end() && among(parent->second.leads);
}

}  // namespace duban::server::push
