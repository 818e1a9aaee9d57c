// draft::decide(): what a command on a draft or on the unit-name map records, or why it is
// refused. Pure: `now` comes from the caller. Errors use the codes of
// model/task/error_codes.h: forbidden (not the supervisor), not_found (no draft, no such
// clause), illegal_transition (the draft is already published), invalid_command (a field).
// An empty vector means nothing to record (the same reading again, a mapping already known).
#pragma once

#include <vector>

#include "model/draft/commands.h"
#include "model/draft/draft_state.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/time.h"

namespace duban::draft {

Result<std::vector<task::Event>> decide(const DraftState& state, const Command& command,
                                        const task::Actor& actor, Timestamp now);

Result<std::vector<task::Event>> decide(const UnitNames& state, const MapUnitName& command,
                                        const task::Actor& actor);

}  // namespace duban::draft
