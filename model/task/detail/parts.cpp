#include "model/task/detail/parts.h"

#include <algorithm>

namespace duban::task::detail {

std::vector<Part> make_parts(Mode mode, const std::vector<UnitId>& leads) {
  std::vector<Part> parts;
  if (mode == Mode::kSeparately) {
    for (const UnitId& lead : leads) parts.push_back(Part{lead, PartStatus::kOpen, {}, {}});
  } else {
    parts.push_back(Part{});
  }
  return parts;
}

const Part* part_of(const TaskState& state, const UnitId& lead) {
  if (state.mode != Mode::kSeparately) {
    return state.parts.empty() ? nullptr : &state.parts.front();
  }
  auto it = std::find_if(state.parts.begin(), state.parts.end(),
                         [&](const Part& p) { return p.lead == lead; });
  return it == state.parts.end() ? nullptr : &*it;
}

Part* part_of(TaskState& state, const UnitId& lead) {
  return const_cast<Part*>(part_of(static_cast<const TaskState&>(state), lead));
}

const UnitId& part_unit(const Part& part) {
  return part.lead.empty() ? part.reported_by : part.lead;
}

bool all_parts_approved(const TaskState& state) {
  return !state.parts.empty() &&
         std::all_of(state.parts.begin(), state.parts.end(),
                     [](const Part& p) { return p.status == PartStatus::kApproved; });
}

}  // namespace duban::task::detail
