#include "model/task/task_state.h"

#include <algorithm>

namespace duban::task {

bool TaskState::is_lead(const UnitId& unit) const {
  return std::find(leads.begin(), leads.end(), unit) != leads.end();
}

bool TaskState::is_participant(const UnitId& unit) const {
  return std::find(participants.begin(), participants.end(), unit) != participants.end();
}

bool TaskState::has_acknowledged(const UnitId& unit) const {
  return std::find(acknowledged.begin(), acknowledged.end(), unit) != acknowledged.end();
}

const ChildTask* TaskState::child_for(const UnitId& unit) const {
  for (const ChildTask& c : children) {
    if (c.unit == unit) return &c;
  }
  return nullptr;
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kAssigned:
      return "assigned";
    case Status::kInProgress:
      return "in_progress";
    case Status::kCompletionReported:
      return "completion_reported";
    case Status::kClosed:
      return "closed";
    case Status::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view to_string(PartStatus status) {
  switch (status) {
    case PartStatus::kOpen:
      return "open";
    case PartStatus::kReported:
      return "reported";
    case PartStatus::kApproved:
      return "approved";
    case PartStatus::kAwaitingSignOff:
      return "awaiting_sign_off";
  }
  return "unknown";
}

}  // namespace duban::task
