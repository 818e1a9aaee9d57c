// Saying where two ReadModelStates differ, for the messages of `duban audit verify` when a
// snapshot or an incremental catch-up disagrees with a rebuild from the log.
#pragma once

#include <optional>
#include <string>

#include "service/projections/read_model.h"

namespace duban::audit {

// nullopt when a == b; otherwise the first projection that differs and, where it can name one,
// the first task, document or unit whose entry differs ("TaskTable: task QH-1 differs (status
// closed vs in_progress)").
std::optional<std::string> describe_difference(const service::projections::ReadModelState& a,
                                               const service::projections::ReadModelState& b);

}  // namespace duban::audit
