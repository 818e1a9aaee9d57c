#include "storage/detail/pg_append.h"

#include <pqxx/result>

#include <optional>
#include <unordered_map>

#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_head_lock.h"
#include "storage/detail/pg_text.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::storage::detail {
namespace {

constexpr const char* kLookup = "duban_lookup";
constexpr const char* kWriteBatch = "duban_write_batch";

// A command id known before or during the batch, with the result retries get back.
struct KnownCommand {
  std::string stream;
  AppendResult result;
};

// What the batch needs to know about the log before deciding.
struct Lookup {
  std::unordered_map<std::string, KnownCommand> commands;   // the batch's ids already recorded
  std::unordered_map<std::string, StreamVersion> versions;  // every stream of the batch
};

// The columns of the rows the batch writes, as array literals for the write statement.
struct BatchColumns {
  ArrayLiteral position, stream, version, type, schema_version, payload, recorded_at, actor,
      command_id, prev_hash, hash;
  ArrayLiteral cmd_id, cmd_stream, cmd_first, cmd_last, cmd_version;
};

// Both lookups in one statement (one snapshot, taken after the lock): rows of kind 'c' are
// recorded commands, rows of kind 's' stream versions (NULL: no such stream).
Lookup look_up(pqxx::transaction_base& tx, std::span<const PgAppend* const> batch) {
  Lookup out;
  ArrayLiteral ids, streams;
  for (const PgAppend* a : batch) {
    ids.add_text(a->command_id.str());
    if (out.versions.emplace(a->stream, StreamVersion(0)).second) streams.add_text(a->stream);
  }
  for (const pqxx::row& r : tx.exec_prepared(kLookup, ids.take(), streams.take())) {
    if (r[0].c_str()[0] == 'c') {
      out.commands.emplace(
          r[1].c_str(),
          KnownCommand{r[2].c_str(), AppendResult{GlobalPosition(r[3].as<std::int64_t>()),
                                                  GlobalPosition(r[4].as<std::int64_t>()),
                                                  StreamVersion(r[5].as<std::int64_t>()), true}});
    } else if (!r[5].is_null()) {
      out.versions[r[1].c_str()] = StreamVersion(r[5].as<std::int64_t>());
    }
  }
  return out;
}

// Decides one command against what the log (and the batch so far) holds; accepted events go
// into `cols`, and `head`, `lookup` advance past them.
Result<AppendResult> decide(const PgAppend& a, Timestamp now, Lookup& lookup, Head& head,
                            BatchColumns& cols) {
  const std::string& id = a.command_id.str();
  if (auto k = lookup.commands.find(id); k != lookup.commands.end()) {
    if (k->second.stream != a.stream) return command_id_reused(a.command_id, k->second.stream);
    return k->second.result;
  }
  StreamVersion& current = lookup.versions[a.stream];
  if (!a.expected.admits(current)) return version_conflict(a.stream, current, a.expected);

  AppendResult result{head.position.next(), head.position, current, false};
  for (const NewEvent& e : a.events) {
    const GlobalPosition position = head.position.next();
    result.version = result.version.next();
    const HashedFields fields{position, a.stream, result.version, e.type, e.schema_version, now,
                              e.actor,  id,       e.payload};
    std::string hash = chain_hash(head.hash, fields);
    cols.position.add_int(position.value());
    cols.stream.add_text(a.stream);
    cols.version.add_int(result.version.value());
    cols.type.add_text(e.type);
    cols.schema_version.add_int(e.schema_version);
    cols.payload.add_bytea(e.payload);
    cols.recorded_at.add_int(to_millis(now));
    cols.actor.add_text(e.actor);
    cols.command_id.add_text(id);
    cols.prev_hash.add_bytea(head.hash);
    cols.hash.add_bytea(hash);
    head = Head{position, std::move(hash)};
  }
  result.last = head.position;
  current = result.version;
  cols.cmd_id.add_text(id);
  cols.cmd_stream.add_text(a.stream);
  cols.cmd_first.add_int(result.first.value());
  cols.cmd_last.add_int(result.last.value());
  cols.cmd_version.add_int(result.version.value());
  // A later command in this batch with the same id is a retry of this one.
  lookup.commands.emplace(
      id, KnownCommand{a.stream, AppendResult{result.first, result.last, result.version, true}});
  return result;
}

void write(pqxx::transaction_base& tx, BatchColumns& cols, const Head& head) {
  tx.exec_prepared(kWriteBatch, cols.position.take(), cols.stream.take(), cols.version.take(),
                   cols.type.take(), cols.schema_version.take(), cols.payload.take(),
                   cols.recorded_at.take(), cols.actor.take(), cols.command_id.take(),
                   cols.prev_hash.take(), cols.hash.take(), cols.cmd_id.take(),
                   cols.cmd_stream.take(), cols.cmd_first.take(), cols.cmd_last.take(),
                   cols.cmd_version.take(), head.position.value(), bytea_hex(head.hash));
}

}  // namespace

void pg_prepare_append(pqxx::connection& conn) {
  // max() over the (stream, stream_version) unique index: one index probe per stream.
  pg_prepare_now(conn, kLookup,
                 "SELECT 'c', command_id, stream, first_position, last_position, stream_version "
                 "FROM commands WHERE command_id = ANY($1::text[]) "
                 "UNION ALL "
                 "SELECT 's', t.s COLLATE \"C\", NULL, NULL::bigint, NULL::bigint, "
                 "(SELECT max(stream_version) FROM events WHERE stream = t.s) "
                 "FROM unnest($2::text[]) AS t(s)");
  // Everything the batch writes, in one statement; pg_notify is delivered at commit, and only
  // if the transaction commits.
  pg_prepare_now(conn, kWriteBatch,
                 "WITH e AS (INSERT INTO events(position, stream, stream_version, type, "
                 "schema_version, payload, recorded_at_ms, actor, command_id, prev_hash, hash) "
                 "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], "
                 "$5::integer[], $6::bytea[], $7::bigint[], $8::text[], $9::text[], $10::bytea[], "
                 "$11::bytea[])), "
                 "c AS (INSERT INTO commands(command_id, stream, first_position, last_position, "
                 "stream_version) SELECT * FROM unnest($12::text[], $13::text[], $14::bigint[], "
                 "$15::bigint[], $16::bigint[])), "
                 "h AS (UPDATE log_head SET position = $17::bigint, hash = $18::bytea "
                 "WHERE id = 1) "
                 "SELECT pg_notify('duban_events', $17::bigint::text)");
}

PgBatchOutcome pg_write_batch(pqxx::connection& conn, std::span<const PgAppend* const> batch,
                              Timestamp now) {
  PgBatchOutcome out;
  pg_with_log_head_locked(conn, [&](pqxx::transaction_base& tx, const Head& head) {
    out.head = head;
    Lookup lookup = look_up(tx, batch);
    BatchColumns cols;
    out.results.reserve(batch.size());
    for (const PgAppend* a : batch) out.results.push_back(decide(*a, now, lookup, out.head, cols));
    if (cols.cmd_id.size() > 0) write(tx, cols, out.head);
    return true;
  });
  return out;
}

}  // namespace duban::storage::detail
