// Internal helpers shared by apply.cpp and decide.cpp for the completion parts of a task (see
// task_state.h). Not part of the public API.
#pragma once

#include <vector>

#include "model/task/task_state.h"

namespace duban::task::detail {

// Fresh, open parts for a mode and its leads: one per lead in separately mode, else one shared.
std::vector<Part> make_parts(Mode mode, const std::vector<UnitId>& leads);

// The part a lead's completion belongs to: its own in separately mode, the shared one otherwise.
// Does not check that `lead` is a lead in shared mode (decide() does); nullptr when there is no
// such part.
const Part* part_of(const TaskState& state, const UnitId& lead);
Part* part_of(TaskState& state, const UnitId& lead);

// The unit a part's approval or return is recorded for: the owner in separately mode, else the
// lead that reported it.
const UnitId& part_unit(const Part& part);

bool all_parts_approved(const TaskState& state);

}  // namespace duban::task::detail
