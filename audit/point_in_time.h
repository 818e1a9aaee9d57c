// The state of the projections at a past point of the log: the work behind `duban audit asof`
// and `duban audit diff`.
//
// A point is a position (events 1..N) or a time. "The log at time T" is the longest prefix of
// the log whose events were all recorded at or before T: the pass stops at the first event
// recorded after T. Positions follow commit order, so with the store's clock moving forward this
// is simply "every event recorded by T"; if the clock ever stepped back, an event recorded
// before T but committed after a later-stamped one is left out, and the answer still names the
// exact position it stands for.
//
// Rebuilding starts from the newest valid snapshot at or before the point (snapshot_loader.h)
// and replays the events after it, up to the point.
//
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "service/projections/read_model.h"
#include "service/snapshot_loader.h"
#include "storage/event_store.h"

namespace duban::audit {

// Events 1..position, or the log as it stood at a time.
using Point = std::variant<GlobalPosition, Timestamp>;

struct PointInTime {
  GlobalPosition position;   // the last event included; 0 when the point precedes the log
  Timestamp recorded_at{};   // that event's recorded_at (the epoch for position 0)
  std::string hash;          // its chain hash (storage::genesis_hash() for position 0)
  Timestamp as_of{};         // the instant lights are computed at: the time asked for, or
                             // recorded_at for a position
  service::LoadReport load;  // the snapshot used, if any, and those refused
  std::unique_ptr<service::projections::ReadModel> model;  // the projections at `position`
};

// The last position of the log as it stood at `time` (see the top). Uses a snapshot whose
// events were all recorded by `time` to skip scanning from position 1. Errors: the store's.
Result<GlobalPosition> position_at_time(storage::EventStore& store,
                                        const std::filesystem::path& snapshot_dir, Timestamp time);

// The projections at `point`. Errors: "out_of_range" for a position past the end of the log
// (the message says where it ends), and the store's or replay's errors.
Result<PointInTime> state_at(storage::EventStore& store, const std::filesystem::path& snapshot_dir,
                             const Point& point);

// Events per type at positions after..through (after < p <= through). Errors: the store's.
Result<std::map<std::string, std::int64_t>> count_events(storage::EventStore& store,
                                                         GlobalPosition after,
                                                         GlobalPosition through);

// Every task of `state`, by document, then clause line, then id: the order `duban audit asof`
// lists them in. The pointers point into `state`, which must outlive them.
std::vector<const task::TaskState*> tasks_in_document_order(
    const service::projections::ReadModelState& state);

}  // namespace duban::audit
