#include "storage/detail/pg_append.h"

#include <pqxx/result>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "storage/detail/pg_batch_write.h"
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
  std::optional<std::int64_t> last_recorded_ms;  // recorded_at_ms of the log's last event
};

// Every lookup in one statement (one snapshot, taken after the lock): rows of kind 'c' are
// recorded commands, rows of kind 's' stream versions (NULL: no such stream), and the one row
// of kind 'r' the last event's recorded_at_ms (NULL: empty log).
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
    } else if (r[0].c_str()[0] == 'r') {
      if (!r[5].is_null()) out.last_recorded_ms = r[5].as<std::int64_t>();
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
    cols.add_event(fields, head.hash, hash);
    head = Head{position, std::move(hash)};
  }
  result.last = head.position;
  current = result.version;
  cols.add_command(id, a.stream, result.first.value(), result.last.value(), result.version.value());
  // A later command in this batch with the same id is a retry of this one.
  lookup.commands.emplace(
      id, KnownCommand{a.stream, AppendResult{result.first, result.last, result.version, true}});
  return result;
}

}  // namespace

void pg_prepare_append(pqxx::connection& conn) {
  // A recorded command's row carries the stream version its retries get back.
  // The extra row: the last event's recorded_at_ms, so the batch is never stamped earlier.
  pg_prepare_now(conn, kLookup,
                 batch_lookup_sql("stream_version") +
                     " UNION ALL SELECT 'r', NULL, NULL, NULL::bigint, NULL::bigint, "
                     "(SELECT recorded_at_ms FROM events ORDER BY position DESC LIMIT 1)");
  // Everything the batch writes, in one statement.
  pg_prepare_now(conn, kWriteBatch, batch_write_sql(""));
}

PgBatchOutcome pg_write_batch(pqxx::connection& conn, std::span<const PgAppend* const> batch,
                              const Clock& clock) {
  PgBatchOutcome out;
  pg_with_log_head_locked(conn, [&](pqxx::transaction_base& tx, const Head& head) {
    out.head = head;
    Lookup lookup = look_up(tx, batch);
    // Stamped under the lock, after every earlier append committed, and never before the last
    // event: clocks of different nodes disagree, and recorded_at must not go backwards.
    std::int64_t now_ms = to_millis(clock.now());
    if (lookup.last_recorded_ms) now_ms = std::max(now_ms, *lookup.last_recorded_ms);
    const Timestamp now = from_millis(now_ms);
    BatchColumns cols;
    out.results.reserve(batch.size());
    for (const PgAppend* a : batch) out.results.push_back(decide(*a, now, lookup, out.head, cols));
    if (cols.cmd_id.size() > 0) write_batch(tx, kWriteBatch, cols, out.head);
    return true;
  });
  return out;
}

}  // namespace duban::storage::detail
