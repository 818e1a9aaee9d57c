#include "audit/state_compare.h"

#include <algorithm>
#include <vector>

#include "model/task/task_state.h"

namespace duban::audit {
namespace {

using service::projections::ReadModelState;

// The smallest key whose entries differ between two maps (present in one only, or unequal).
template <class Map>
std::optional<typename Map::key_type> first_difference(const Map& a, const Map& b) {
  std::vector<typename Map::key_type> keys;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || !(it->second == v)) keys.push_back(k);
  }
  for (const auto& [k, v] : b) {
    if (a.find(k) == a.end()) keys.push_back(k);
  }
  if (keys.empty()) return std::nullopt;
  return *std::min_element(keys.begin(), keys.end());
}

std::string side(bool present) {
  return present ? "present" : "absent";
}

}  // namespace

std::optional<std::string> describe_difference(const ReadModelState& a, const ReadModelState& b) {
  if (a == b) return std::nullopt;
  if (a.checkpoint() != b.checkpoint()) {
    return "the states stand at positions " + std::to_string(a.checkpoint().value()) + " and " +
           std::to_string(b.checkpoint().value());
  }
  if (!(a.tasks == b.tasks)) {
    if (auto k = first_difference(a.tasks.tasks(), b.tasks.tasks())) {
      const auto* x = a.tasks.task(*k);
      const auto* y = b.tasks.task(*k);
      std::string detail = x && y ? std::string(task::to_string(x->status)) + " v" +
                                        std::to_string(x->version.value()) + " vs " +
                                        std::string(task::to_string(y->status)) + " v" +
                                        std::to_string(y->version.value())
                                  : side(x) + " vs " + side(y);
      return "TaskTable: task " + k->str() + " differs (" + detail + ")";
    }
    if (auto k = first_difference(a.tasks.documents(), b.tasks.documents())) {
      return "TaskTable: document " + k->str() + " differs";
    }
    if (auto k = first_difference(a.tasks.tasks_by_document(), b.tasks.tasks_by_document())) {
      return "TaskTable: the task list of document " + k->str() + " differs";
    }
    return "TaskTable differs";
  }
  if (!(a.inbox == b.inbox)) {
    if (auto k = first_difference(a.inbox.units(), b.inbox.units())) {
      return "UnitInbox: the inbox of unit " + k->str() + " differs";
    }
    return "UnitInbox differs";
  }
  if (!(a.progress == b.progress)) {
    if (auto k = first_difference(a.progress.documents(), b.progress.documents())) {
      return "DocumentProgress: the counts of document " + k->str() + " differ";
    }
    return "DocumentProgress differs";
  }
  if (!(a.overdue == b.overdue)) return "OverdueIndex differs";
  if (!(a.scorecards == b.scorecards)) {
    if (auto k = first_difference(a.scorecards.units(), b.scorecards.units())) {
      return "UnitScorecards: the scorecard of unit " + k->str() + " differs";
    }
    return "UnitScorecards differs";
  }
  return "the states differ";
}

}  // namespace duban::audit
