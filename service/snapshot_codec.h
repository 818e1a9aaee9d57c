// The snapshot codec: every projection of a ReadModelState, with the log position and chain hash
// it was taken at, to and from the bytes of one snapshot file (layout in snapshot_format.h,
// message in service/schema/snapshot.capnp).
//
// Decoding checks only the file itself (magic, versions, length, checksum, a well-formed
// message whose projections all stand at the recorded position). Whether the snapshot belongs
// to a given log is the loader's question (snapshot_loader.h: check_snapshot_against_log).
//
// Thread-safety: both functions are reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"
#include "service/projections/read_model.h"

namespace duban::service {

// Error codes of snapshot functions (duban::Error::code).
inline constexpr std::string_view kSnapshotCorrupt = "snapshot_corrupt";    // damaged file
inline constexpr std::string_view kSnapshotVersion = "snapshot_version";    // other duban's
inline constexpr std::string_view kSnapshotMismatch = "snapshot_mismatch";  // not this log's

// What a snapshot says about itself.
struct SnapshotInfo {
  GlobalPosition position;     // the last event every projection applied (>= 1)
  std::string chain_hash;      // kHashSize raw bytes: that event's stored hash
  Timestamp taken_at;          // when it was written (informational)
  Timestamp last_recorded_at;  // recorded_at of the event at `position`
  Timestamp max_recorded_at;   // the largest recorded_at among events 1..position
  bool operator==(const SnapshotInfo&) const = default;
};

struct Snapshot {
  SnapshotInfo info;
  projections::ReadModelState state;  // state.checkpoint() == info.position
};

// The whole file: header, checksum and message. `state.checkpoint()` must equal
// `info.position` (a bug otherwise: throws std::invalid_argument). The same state and info
// always give the same bytes (maps are written sorted by key).
std::string encode_snapshot(const SnapshotInfo& info, const projections::ReadModelState& state);

// The snapshot a file holds. Errors: snapshot_corrupt (not a snapshot, truncated, checksum
// mismatch, malformed message, projections at different positions), snapshot_version (written
// with another kSnapshotFileVersion, kSnapshotFormatVersion or kProjectionsVersion: rebuild it).
Result<Snapshot> decode_snapshot(std::string_view file_bytes);

// Only the SnapshotInfo, after the same checks of the header and checksum; skips building the
// projections, for choosing among many snapshots.
Result<SnapshotInfo> decode_snapshot_info(std::string_view file_bytes);

}  // namespace duban::service
