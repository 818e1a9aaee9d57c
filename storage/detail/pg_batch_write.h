// Private to storage/: what an append batch (pg_append) and an import batch (pg_import) write to
// PostgreSQL, and how they look up the log first. Both lock the log head, look up the batch's
// command ids and streams in one statement, decide in memory, then write every row in one
// statement that also moves log_head and NOTIFYs; they differ only in how they decide.
//
// Thread-safety: plain values and functions; a BatchColumns belongs to one batch.
#pragma once

#include <pqxx/transaction_base>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/detail/pg_text.h"
#include "storage/event_store.h"
#include "storage/hash_chain.h"

namespace duban::storage::detail {

// The rows one batch writes, one array literal per column.
struct BatchColumns {
  ArrayLiteral position, stream, version, type, schema_version, payload, recorded_at, actor,
      command_id, prev_hash, hash;
  ArrayLiteral cmd_id, cmd_stream, cmd_first, cmd_last, cmd_version;

  // One `events` row: the event's fields, the hash of the event before it and its own.
  void add_event(const HashedFields& e, std::string_view prev, std::string_view own) {
    position.add_int(e.position.value());
    stream.add_text(e.stream);
    version.add_int(e.version.value());
    type.add_text(e.type);
    schema_version.add_int(e.schema_version);
    payload.add_bytea(e.payload);
    recorded_at.add_int(to_millis(e.recorded_at));
    actor.add_text(e.actor);
    command_id.add_text(e.command_id);
    prev_hash.add_bytea(prev);
    hash.add_bytea(own);
  }

  // One `commands` row.
  void add_command(std::string_view id, std::string_view on_stream, std::int64_t first,
                   std::int64_t last, std::int64_t stream_version) {
    cmd_id.add_text(id);
    cmd_stream.add_text(on_stream);
    cmd_first.add_int(first);
    cmd_last.add_int(last);
    cmd_version.add_int(stream_version);
  }
};

// The lookup statement, with parameters $1 (the batch's command ids) and $2 (its streams), in
// one snapshot: rows ('c', command_id, stream, first_position, last_position, COLUMN) for the
// recorded commands, where `command_column` is "stream_version" or "NULL::bigint", and rows
// ('s', stream, NULL, NULL, NULL, max stream_version or NULL: no such stream) for the streams.
// max() over the (stream, stream_version) unique index: one index probe per stream.
inline std::string batch_lookup_sql(std::string_view command_column) {
  return "SELECT 'c', command_id, stream, first_position, last_position, " +
         std::string(command_column) +
         " FROM commands WHERE command_id = ANY($1::text[]) "
         "UNION ALL "
         "SELECT 's', t.s COLLATE \"C\", NULL, NULL::bigint, NULL::bigint, "
         "(SELECT max(stream_version) FROM events WHERE stream = t.s) "
         "FROM unnest($2::text[]) AS t(s)";
}

// The write statement: every row of a BatchColumns, the new head, and pg_notify (delivered at
// commit, and only if the transaction commits). `on_command_conflict` follows the commands
// INSERT ("" or an ON CONFLICT clause).
inline std::string batch_write_sql(std::string_view on_command_conflict) {
  return "WITH e AS (INSERT INTO events(position, stream, stream_version, type, "
         "schema_version, payload, recorded_at_ms, actor, command_id, prev_hash, hash) "
         "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], "
         "$5::integer[], $6::bytea[], $7::bigint[], $8::text[], $9::text[], $10::bytea[], "
         "$11::bytea[])), "
         "c AS (INSERT INTO commands(command_id, stream, first_position, last_position, "
         "stream_version) SELECT * FROM unnest($12::text[], $13::text[], $14::bigint[], "
         "$15::bigint[], $16::bigint[])" +
         std::string(on_command_conflict) +
         "), "
         "h AS (UPDATE log_head SET position = $17::bigint, hash = $18::bytea "
         "WHERE id = 1) "
         "SELECT pg_notify('duban_events', $17::bigint::text)";
}

// Runs the prepared write statement `name` (batch_write_sql) with `cols` (spent afterwards) and
// the batch's last event as the new head.
inline void write_batch(pqxx::transaction_base& tx, const char* name, BatchColumns& cols,
                        const Head& head) {
  tx.exec_prepared(name, cols.position.take(), cols.stream.take(), cols.version.take(),
                   cols.type.take(), cols.schema_version.take(), cols.payload.take(),
                   cols.recorded_at.take(), cols.actor.take(), cols.command_id.take(),
                   cols.prev_hash.take(), cols.hash.take(), cols.cmd_id.take(),
                   cols.cmd_stream.take(), cols.cmd_first.take(), cols.cmd_last.take(),
                   cols.cmd_version.take(), head.position.value(), bytea_hex(head.hash));
}

}  // namespace duban::storage::detail
