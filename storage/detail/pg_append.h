// Private to storage/: the PostgreSQL store's append transaction, one per group-commit batch.
//
//   BEGIN ISOLATION LEVEL READ COMMITTED;                 -- one round trip for both
//   SELECT position, hash FROM log_head FOR UPDATE        -- waits for any other writer's commit
//   look up the batch's command ids and its streams' versions (one statement)
//   decide every command in memory, in queue order: duplicate / command_id_reused /
//     version_conflict / accepted (positions head+1..., hash chained, recorded_at =
//     max(clock now, the last event's recorded_at), read under the lock)
//   one statement: INSERT events, INSERT commands, UPDATE log_head, pg_notify(new head)
//   COMMIT
//
// Four round trips however many commands the batch holds. Deciding in memory is safe because
// the log_head row lock is held from the head read to the commit: no other writer, in this
// process or another, can append in between. Commands in one batch see each other (a second
// command on the same stream sees the first one's version; a repeated command id is a
// duplicate of the first), exactly as if they had run one by one.
//
// Thread-safety: uses only `conn`, which the caller owns exclusively.
#pragma once

#include <pqxx/connection>

#include <span>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"
#include "storage/detail/group_commit.h"
#include "storage/event_store.h"

namespace duban::storage::detail {

// One command to append; views valid for the duration of pg_write_batch().
using PgAppend = AppendCommand;

// Prepares the statements pg_write_batch() runs; once per new connection.
void pg_prepare_append(pqxx::connection& conn);

struct PgBatchOutcome {
  std::vector<Result<AppendResult>> results;  // one per command, in batch order
  Head head;                                  // the log's head after the commit
};

// Runs the whole batch in one transaction and commits it. Per-command outcomes (duplicates,
// conflicts, reused command ids) are values in `results`; a failure of the transaction itself
// throws the pqxx exception (nothing was committed, or for pqxx::in_doubt_error: unknown).
// Every event is stamped with max(clock.now(), the log's last recorded_at), read after the
// lock is held, so recorded_at never decreases with position across writers.
PgBatchOutcome pg_write_batch(pqxx::connection& conn, std::span<const PgAppend* const> batch,
                              const Clock& clock);

}  // namespace duban::storage::detail
