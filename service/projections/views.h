// The rows ReadModel's queries return: plain values copied out under the read lock, so callers
// (the CLI, later the HTTP server) may keep and print them without holding anything.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/deadline.h"
#include "model/task/mode.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "service/projections/document_progress.h"
#include "service/projections/unit_scorecard.h"

namespace duban::service::projections {

// The share of a task's time window under which its light turns yellow, when the caller has no
// configuration of its own (`duban tasks --yellow-share`, the server's config): 0.2.
inline constexpr double kDefaultYellowShare = 0.2;

// The instant and threshold lights are computed against. Queries never read a clock.
struct AsOf {
  Timestamp now;
  double yellow_share = kDefaultYellowShare;
};

// Index by static_cast<std::size_t>(task::Light).
inline constexpr std::size_t kLightCount = 5;
using LightCounts = std::array<int, kLightCount>;

// One task in a unit's inbox.
struct InboxItem {
  TaskId task;
  task::Role role = task::Role::kLead;  // the unit's role on it
  task::Status status = task::Status::kAssigned;
  task::Light light = task::Light::kNone;
  task::Deadline deadline;
  bool acknowledged = false;  // the unit has signed for it
  DocumentId document;
  std::string label;    // clause numbering
  int line = 0;         // the clause's first source line, for document order
  std::string heading;  // clause heading
  bool operator==(const InboxItem&) const = default;
};

// Which of a unit's tasks an inbox query returns.
enum class InboxFilter {
  kOpen,  // default: neither closed nor cancelled
  kAll,   // finished tasks too
};

// One document's tasks, counted.
struct DocumentProgressRow {
  DocumentId document;
  std::string number;  // issuing number; empty when none is printed
  std::string title;
  int version = 0;  // registered document version; 0 when tasks exist but the registration
                    // has not been appended yet (an ingest in progress)
  int tasks = 0;
  StatusCounts by_status{};
  LightCounts by_light{};
  bool operator==(const DocumentProgressRow&) const = default;
};

// One open task past its deadline.
struct OverdueItem {
  TaskId task;
  DocumentId document;
  std::string label;              // clause numbering
  std::string deadline;           // ISO date
  Timestamp deadline_instant;     // when it ended (task::deadline_instant)
  std::int64_t days_overdue = 0;  // calendar days late: 1 on the day after the deadline day
  task::Status status = task::Status::kAssigned;
  std::vector<UnitId> leads;
  bool recorded = false;  // the sweep has recorded TaskOverdue for this deadline
  std::string heading;
  bool operator==(const OverdueItem&) const = default;
};

// One unit's scorecard with the figures that depend on `now`.
struct ScorecardRow {
  UnitId unit;
  Scorecard counts;  // from the log
  int open_now = 0;  // open tasks in its inbox
  int red_now = 0;   // of those, past their deadline
  bool operator==(const ScorecardRow&) const = default;
};

}  // namespace duban::service::projections
