// Starting a ReadModel from a snapshot: what `duban serve` calls on start, and what
// `duban audit asof` uses to rebuild a past state quickly.
//
//   ReadModel model;
//   auto loaded = storage::load_read_model(store, snapshot_dir, model);
//   if (!loaded) return fail(loaded.error());           // the store's error: the log is unreadable
//   for (const auto& why : loaded->refused) log(why);   // snapshots skipped, and why
//   // model now equals a full replay of the log; TaskService(store, model, clock) as before.
//
// The loader tries the snapshot files of `snapshot_dir` from the highest position down and takes
// the first that is valid for this log, then catches up with the events after it. A snapshot is
// refused (with a message in LoadReport::refused) when its file is damaged (checksum, format),
// was written by a duban with other projection rules (version), lies beyond the end of the log,
// or records a chain hash other than the log's at its position (the log was rewritten since, or
// the snapshot belongs to another store). With no usable snapshot it replays the whole log, so a
// bad snapshot costs time, never correctness.
//
// What a snapshot is trusted for: that its projections are what replaying events 1..position
// gives. The checksum is not a signature; keep the directory as safe as the database, and let
// `duban audit verify` compare every snapshot with a rebuild (docs/audit.md).
//
// Thread-safety: reentrant; `model` must not be used by others until the call returns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "service/projections/read_model.h"
#include "service/snapshot_codec.h"
#include "storage/event_store.h"

namespace duban::service {

// Why a snapshot does not fit `store`: nullopt when it does. The event at info.position must
// exist and have info.chain_hash as its stored hash. Errors are the store's (unreadable log).
Result<std::optional<std::string>> check_snapshot_against_log(storage::EventStore& store,
                                                              const SnapshotInfo& info);

struct LoadReport {
  std::optional<std::filesystem::path> snapshot;  // the snapshot used; nullopt: full replay
  GlobalPosition snapshot_position;               // its position; 0 for a full replay
  GlobalPosition position;                        // where the model stands now
  std::vector<std::string> refused;               // one line per snapshot refused, with why
};

inline constexpr GlobalPosition kEndOfLog{std::numeric_limits<std::int64_t>::max()};

// ReadModel::catch_up() that stops exactly at `until` (or at the end of the log, if sooner):
// catch_up() applies whole pages and may pass `until` by up to a page, which a state "as of
// position N" must not. Returns the checkpoint reached.
Result<GlobalPosition> catch_up_to(
    projections::ReadModel& model, storage::EventStore& store, GlobalPosition until,
    std::size_t page_size = projections::ReadModel::kDefaultPageSize);

// Fills `model`, which must be freshly constructed (checkpoint 0; invalid_argument otherwise),
// from the newest valid snapshot in `snapshot_dir` at or before `until`, then catches up to
// `until` (default: the end of the log). An empty or missing directory means a full replay.
// Errors: the store's, or ReadModel::catch_up's (bad_payload, corrupt) while replaying.
Result<LoadReport> load_read_model(storage::EventStore& store,
                                   const std::filesystem::path& snapshot_dir,
                                   projections::ReadModel& model, GlobalPosition until = kEndOfLog);

}  // namespace duban::service
