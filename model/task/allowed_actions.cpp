#include "model/task/allowed_actions.h"

#include "model/task/decide.h"
#include "model/task/error_codes.h"
#include "model/task/task_actions.h"

namespace duban::task {

std::vector<std::string_view> allowed_actions(const TaskState& state, const Actor& actor,
                                              Timestamp now) {
  std::vector<std::string_view> allowed;
  if (!state.exists()) return allowed;
  for (const TaskAction& action : task_actions()) {
    const auto decided = decide(state, action.sample(state), actor, now);
    if (decided.ok() || decided.error().code == errc::kInvalidCommand) {
      allowed.push_back(action.name);
    }
  }
  return allowed;
}

}  // namespace duban::task
