// check_log(): the work behind `duban audit verify`. One pass over the log from position 1:
//
//   for each event, in position order:
//     position      = the previous one + 1 (gap-free from 1)
//     hash          = SHA-256(previous hash ‖ canonical envelope ‖ payload) (storage/hash_chain.h)
//     stream version = the stream's previous version + 1 (every stream from 1)
//     payload       decodes under its type and schema version (storage/event_codec.h)
//     projections   accept it (ReadModelState::apply: right stream kind, in step)
//   attachments   each blob an event references (model/task/attachment.h) is in the blob store
//                 and its bytes hash to the reference (when LogCheckOptions::blobs is set)
//   at each kept head's position: the stored hash equals the kept one
//   at each snapshot's position: the chain hash it recorded equals the log's, and its projections
//                  equal the rebuild at that point
//   at the end: the kept head lies within the log; an incremental catch-up (ReadModel::catch_up
//                  in small, uneven steps, as a running server advances) equals the one-shot
//                  rebuild of this pass
//
// The pass stops at the first problem, which names its position: the first position at which
// the log stops being what was written. What "projection equals rebuild" can and cannot mean
// for in-memory projections is in docs/audit.md.
//
// Thread-safety: reentrant. Works on a read-only store and while another process appends (the
// check covers the log up to the end it reaches).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/head_ref.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"
#include "service/projections/read_model.h"
#include "storage/blob_store.h"
#include "storage/event_store.h"

namespace duban::audit {

// What is wrong with the log, at the first position where anything is.
struct LogProblem {
  enum class Kind {
    kGap,            // a position is missing (events deleted, or renumbered)
    kHash,           // the stored hash is not the recomputed one (the event, or one before it,
                     // was edited, moved or replaced)
    kStreamVersion,  // a stream skips or repeats a version
    kPayload,        // the payload does not decode although its hash is intact (a writer bug)
    kProjection,     // the projections refuse the event, or a rebuild differs from a catch-up
    kHead,           // the log does not extend a kept head
    kSnapshot,       // a snapshot that passes the loader's checks differs from the log
    kAttachment,     // a referenced attachment is missing, or its stored bytes changed
  };
  Kind kind = Kind::kHash;
  GlobalPosition position;  // the first bad position
  std::string message;      // what is wrong there, for people
};

// "gap" | "hash" | "stream_version" | "payload" | "projection" | "head" | "snapshot" |
// "attachment".
std::string_view to_string(LogProblem::Kind kind);

// One snapshot file and what the check made of it.
struct SnapshotVerdict {
  std::filesystem::path path;
  GlobalPosition position;  // from its content; from its name when unreadable
  enum class Outcome {
    kMatches,    // fits the log and equals the rebuild at its position
    kRefused,    // damaged or of another duban version: a loader would skip it (a warning)
    kMismatch,   // passes its own checks but contradicts the log (a problem)
    kUnreached,  // the check stopped before its position
  } outcome = Outcome::kUnreached;
  std::string detail;
};

struct LogCheckOptions {
  std::vector<HeadRef> expected_heads;  // --head (repeatable): the log must extend each
  std::filesystem::path snapshot_dir;   // snapshots to compare with the log; empty: none
  bool compare_catch_up = true;         // the incremental catch-up comparison (a second replay)
  std::size_t page_size = 4096;         // events per read
  // The attachments beside the log: every referenced blob is read back and hashed. nullptr:
  // attachments are not checked. Not owned; must outlive the check.
  storage::BlobStore* blobs = nullptr;
};

struct LogCheck {
  std::int64_t events = 0;  // events that passed every check
  storage::Head head;       // the last of them and its hash
  std::int64_t task_streams = 0;
  std::int64_t document_streams = 0;
  std::map<std::string, std::int64_t> by_type;  // events per type
  Timestamp first_recorded_at{};                // of position 1
  Timestamp last_recorded_at{};                 // of the head
  Timestamp max_recorded_at{};                  // the largest recorded_at seen
  int heads_matched = 0;                        // expected heads found in the log, hash equal
  bool catch_up_compared = false;               // the incremental catch-up equalled the rebuild
  std::vector<SnapshotVerdict> snapshots;
  std::int64_t attachments_verified = 0;  // distinct blobs read back with their hash intact
  std::optional<LogProblem> problem;      // the first problem; nullopt: the log verified
  std::vector<std::string> warnings;      // refused snapshots and the like
  // The projections rebuilt from events 1..head (what a snapshot of the head holds).
  service::projections::ReadModelState state;
};

// Errors (the log could not be checked at all): the store's errors (io_error, busy, corrupt
// SQLite file), and "unsupported" for an event whose type or schema version this duban does not
// know (written by a newer duban: upgrade to check it).
Result<LogCheck> check_log(storage::EventStore& store, const LogCheckOptions& options = {});

}  // namespace duban::audit
