// copy_log: moves an event log into a PostgreSQL store verbatim (positions, recorded_at, actors,
// command ids and hashes), so the copy verifies with the same hash chain and the same head hash
// as the source. `duban migrate` runs it; docs/operations.md ("Moving from SQLite to
// PostgreSQL") has the operator's steps.
//
// Resumable and safe:
//   - an empty target gets the whole log;
//   - a target that already holds a prefix of the same log (its head hash equals the source's
//     hash at that position) gets the rest: an interrupted copy is finished by running it again;
//   - a target whose log is not a prefix of the source's (another hash at its head position, or
//     more events than the source) is refused before anything is written.
// The copy goes in batches, each one PostgresEventStore::import() transaction, each ending at a
// command boundary (a command larger than a batch goes alone), so an interrupted copy leaves
// whole commands only. Every copied event's stored hash is checked against the chain as it is
// imported; nothing that breaks the chain is ever written.
//
// The source is only read. It is copied up to its head as found at the start; events appended
// to it meanwhile are left for the next run (stop the writers first).
//
// Thread-safety: one call at a time per target; `source` and `target` are used from the calling
// thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "model/result.h"
#include "storage/event_store.h"
#include "storage/postgres_event_store.h"

namespace duban::storage {

// Where a copy stands.
struct LogCopyProgress {
  Head source_head;              // the source's head at the start: the copy ends there
  GlobalPosition resumed_after;  // the target's head at the start (0: it was empty)
  std::int64_t copied = 0;       // events this copy has written so far
  std::int64_t total = 0;        // events this copy writes in all
  Head target_head;              // the target's head now
};

struct LogCopyOptions {
  // Most events in one import transaction (a single larger command still goes alone).
  // Default: 5000.
  std::size_t batch_events = 5000;
  // Called on the calling thread once before the first batch (copied = 0; also when there is
  // nothing to copy) and after each committed batch. Default: none.
  std::function<void(const LogCopyProgress&)> on_progress = nullptr;
};

// Checks that `target` holds a prefix of `source`'s log (see above) and returns where the copy
// would start, writing nothing. Errors: version_conflict (the target holds another log, or a
// longer one; the message says which position differs and what to do), and the stores' read
// errors.
Result<LogCopyProgress> plan_log_copy(EventStore& source, EventStore& target);

// plan_log_copy(), then copies the rest. Returns the final progress (copied == total,
// target_head == source_head). Errors: those of plan_log_copy() (nothing written), of
// PostgresEventStore::import() (that batch not written, the earlier ones committed: fix the
// cause and run again), and the stores' read errors.
Result<LogCopyProgress> copy_log(EventStore& source, PostgresEventStore& target,
                                 const LogCopyOptions& options = {});

}  // namespace duban::storage
