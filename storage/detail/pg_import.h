// Private to storage/: the PostgreSQL store's import transaction, which writes events another
// store already recorded (a log being migrated) verbatim: same positions, recorded_at, actors,
// command ids and hashes. PostgresEventStore::import() runs it; storage/log_copy.h drives it.
//
//   BEGIN ISOLATION LEVEL READ COMMITTED;
//   SELECT position, hash FROM log_head FOR UPDATE        -- the lock every append takes
//   look up the batch's command ids and its streams' versions (one statement)
//   check every event in memory: it continues the head (position head+1, its stream's next
//     version, a command id not used before) and its stored hash equals
//     chain_hash(previous hash, event); the first failure refuses the whole batch
//   one statement: INSERT events, INSERT (or extend) commands, UPDATE log_head, pg_notify
//   COMMIT
//
// Holding the log_head row lock from the head read to the commit makes an import exactly as
// safe as an append against concurrent writers (they wait) and tailing readers (the visible
// log stays a gap-free prefix); see docs/storage.md, "Gap-free order".
//
// The `commands` rows are the ones append() would have written: one per command (a maximal
// run of consecutive events with the same command id), with its first and last position and
// the stream's version after it. A command whose events continue from the previous import
// (a batch cut inside it) extends its existing row.
//
// Thread-safety: uses only `conn`, which the caller owns exclusively.
#pragma once

#include <pqxx/connection>

#include <span>

#include "model/result.h"
#include "storage/event_store.h"

namespace duban::storage::detail {

// Prepares the statements pg_import_batch() runs; once per new connection.
void pg_prepare_import(pqxx::connection& conn);

// Imports `events` (at least one) in one transaction and returns the new head. A batch that
// does not continue the log is refused as a value and nothing is written: version_conflict
// (it does not start at head + 1), corrupt (a stored hash that does not follow from the
// previous one, a stream version gap, a reused command id; the message names the position),
// invalid_argument (positions not consecutive, text PostgreSQL cannot store, a hash that is
// not kHashSize bytes). A failure of the transaction itself throws the pqxx exception
// (pqxx::in_doubt_error when the connection was lost during COMMIT).
Result<Head> pg_import_batch(pqxx::connection& conn, std::span<const RecordedEvent> events);

}  // namespace duban::storage::detail
