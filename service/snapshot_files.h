// Snapshot files on disk: one directory per store, one file per snapshot, named after its
// position (snapshot_format.h), written atomically so a reader never sees half a file.
//
// Thread-safety: the functions are reentrant. Several processes may write snapshots into one
// directory: each writes a private temporary file and renames it into place.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "service/snapshot_codec.h"

namespace duban::service {

// Where snapshots of the store at `database` live unless told otherwise: "<database>.snapshots"
// next to a SQLite file. Empty for a PostgreSQL URL ("postgres://", "postgresql://"), which has
// no "next to": name a directory explicitly there.
std::filesystem::path default_snapshot_dir(std::string_view database);

// "snapshot-00000000000000000271.dbsnap".
std::string snapshot_file_name(GlobalPosition position);

struct SnapshotFile {
  std::filesystem::path path;
  GlobalPosition position;  // from the file name; the file's content is what counts
};

// The snapshot files of `dir`, lowest position first. Other files (temporary ones included) are
// ignored; a missing directory has none.
std::vector<SnapshotFile> list_snapshot_files(const std::filesystem::path& dir);

// Writes encode_snapshot(info, state) as dir/snapshot_file_name(info.position): a temporary file
// in `dir`, fsync, rename, fsync of the directory. Creates `dir` if needed. Replaces a snapshot
// of the same position. Errors: "io_error" with the path and the OS reason.
Result<std::filesystem::path> write_snapshot_file(const std::filesystem::path& dir,
                                                  const SnapshotInfo& info,
                                                  const projections::ReadModelState& state);

// The snapshot in `path`. Errors: io_error (unreadable), and decode_snapshot()'s.
Result<Snapshot> read_snapshot_file(const std::filesystem::path& path);
// Only its SnapshotInfo (decode_snapshot_info()).
Result<SnapshotInfo> read_snapshot_info(const std::filesystem::path& path);

// Removes all but the `keep` highest-position snapshot files of `dir`; returns those removed.
std::vector<std::filesystem::path> prune_snapshot_files(const std::filesystem::path& dir,
                                                        std::size_t keep);

}  // namespace duban::service
