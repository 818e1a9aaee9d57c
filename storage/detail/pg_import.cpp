#include "storage/detail/pg_import.h"

#include <pqxx/result>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/detail/pg_batch_write.h"
#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_head_lock.h"
#include "storage/detail/pg_text.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::storage::detail {
namespace {

constexpr const char* kLookup = "duban_import_lookup";
constexpr const char* kWrite = "duban_import_write";

// A command id the target already holds.
struct KnownCommand {
  std::string stream;
  std::int64_t first = 0;
  std::int64_t last = 0;
};

struct Lookup {
  std::unordered_map<std::string, KnownCommand> commands;  // the batch's ids already recorded
  std::unordered_map<std::string, std::int64_t> versions;  // every stream of the batch (0: new)
};

// One command: a maximal run of consecutive events with the same command id.
struct Run {
  std::string id;
  std::string stream;
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t version = 0;
};

Lookup look_up(pqxx::transaction_base& tx, std::span<const RecordedEvent> events) {
  Lookup out;
  ArrayLiteral ids, streams;
  std::unordered_map<std::string, bool> seen_ids;
  for (const RecordedEvent& e : events) {
    if (seen_ids.emplace(e.command_id.str(), true).second) ids.add_text(e.command_id.str());
    if (out.versions.emplace(e.stream, 0).second) streams.add_text(e.stream);
  }
  for (const pqxx::row& r : tx.exec_prepared(kLookup, ids.take(), streams.take())) {
    if (r[0].c_str()[0] == 'c') {
      out.commands.emplace(r[1].c_str(), KnownCommand{r[2].c_str(), r[3].as<std::int64_t>(),
                                                      r[4].as<std::int64_t>()});
    } else if (!r[5].is_null()) {
      out.versions[r[1].c_str()] = r[5].as<std::int64_t>();
    }
  }
  return out;
}

Error refuse(StoreErrc code, GlobalPosition p, const std::string& why) {
  return store_error(
      code, "cannot import the event at position " + std::to_string(p.value()) + ": " + why);
}

std::optional<Error> check_text(GlobalPosition p, const char* what, std::string_view s) {
  if (s.empty()) return refuse(StoreErrc::invalid_argument, p, std::string("empty ") + what);
  if (!fits_pg_text(s)) {
    return refuse(StoreErrc::invalid_argument, p,
                  std::string("its ") + what +
                      " is not valid UTF-8 or contains a NUL byte, which PostgreSQL text "
                      "cannot store");
  }
  return std::nullopt;
}

void add_command(BatchColumns& cols, const Run& run) {
  cols.add_command(run.id, run.stream, run.first, run.last, run.version);
}

// What can be checked without the log: consecutive positions, text PostgreSQL can store (the
// lookup would fail on anything else), hashes of the right size.
std::optional<Error> check_shape(std::span<const RecordedEvent> events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const RecordedEvent& e = events[i];
    const GlobalPosition p = e.position;
    if (i > 0 && p != events[i - 1].position.next()) {
      return refuse(StoreErrc::invalid_argument, p,
                    "the events to import are not consecutive (expected position " +
                        std::to_string(events[i - 1].position.next().value()) + " here)");
    }
    if (auto err = check_text(p, "stream id", e.stream)) return err;
    if (auto err = check_text(p, "type", e.type)) return err;
    if (auto err = check_text(p, "command id", e.command_id.str())) return err;
    if (!fits_pg_text(e.actor)) {
      return refuse(StoreErrc::invalid_argument, p,
                    "its actor is not valid UTF-8 or contains a NUL byte, which PostgreSQL text "
                    "cannot store");
    }
    if (e.hash.size() != kHashSize) {
      return refuse(StoreErrc::invalid_argument, p,
                    "its hash has " + std::to_string(e.hash.size()) + " bytes, not " +
                        std::to_string(kHashSize));
    }
  }
  return std::nullopt;
}

// Checks every event against the log (`start`, `lookup`) and the events before it, and adds the
// rows to write to `cols`. Returns the new head, or the first reason to refuse the batch.
Result<Head> check_batch(std::span<const RecordedEvent> events, const Head& start, Lookup& lookup,
                         BatchColumns& cols) {
  if (events.front().position != start.position.next()) {
    return store_error(
        StoreErrc::version_conflict,
        "the log ends at position " + std::to_string(start.position.value()) +
            " but the events to import start at position " +
            std::to_string(events.front().position.value()) +
            "; an import must continue the log exactly at its head (resume after position " +
            std::to_string(start.position.value()) + ")");
  }
  Head head = start;
  std::optional<Run> run;
  for (const RecordedEvent& e : events) {
    const GlobalPosition p = e.position;  // == head.position.next(): check_shape()
    // The chain first: a link that does not follow is the clearest statement of what is wrong.
    const HashedFields fields = hashed_fields(e);
    const std::string expected = chain_hash(head.hash, fields);
    if (expected != e.hash) {
      return refuse(StoreErrc::corrupt, p,
                    "its stored hash " + to_hex(e.hash) +
                        " does not follow from the hash of position " +
                        std::to_string(head.position.value()) + " (recomputed " + to_hex(expected) +
                        "): the event or one before it was altered, or it is not the same log; "
                        "nothing of this batch was written");
    }

    const std::string& id = e.command_id.str();
    if (run && run->id == id) {
      if (run->stream != e.stream) {
        return refuse(StoreErrc::corrupt, p,
                      "command id '" + id + "' wrote stream '" + run->stream +
                          "' and then stream '" + e.stream +
                          "'; one command appends to one stream (the source log is damaged)");
      }
    } else {
      if (run) {
        add_command(cols, *run);
        lookup.commands.emplace(run->id, KnownCommand{run->stream, run->first, run->last});
      }
      run = Run{id, e.stream, p.value(), p.value(), 0};
      if (auto k = lookup.commands.find(id); k != lookup.commands.end()) {
        // Allowed only for the first event of the batch continuing the command that ends the
        // log (the previous batch was cut inside it): its row is then extended.
        const bool continues = p == start.position.next() &&
                               k->second.last == start.position.value() &&
                               k->second.stream == e.stream;
        if (!continues) {
          return refuse(StoreErrc::corrupt, p,
                        "command id '" + id + "' was already recorded at positions " +
                            std::to_string(k->second.first) + ".." +
                            std::to_string(k->second.last) +
                            "; a log never reuses a command id (the source log is damaged)");
        }
        run->first = k->second.first;
      }
    }

    std::int64_t& version = lookup.versions[e.stream];
    if (e.version.value() != version + 1) {
      return refuse(StoreErrc::corrupt, p,
                    "stream '" + e.stream + "' is at version " + std::to_string(version) +
                        " but the event has version " + std::to_string(e.version.value()) +
                        "; stream versions are gap-free (the source log is damaged)");
    }
    version = e.version.value();

    cols.add_event(fields, head.hash, e.hash);
    run->last = p.value();
    run->version = version;
    head = Head{p, e.hash};
  }
  add_command(cols, *run);
  return head;
}

}  // namespace

void pg_prepare_import(pqxx::connection& conn) {
  pg_prepare_now(conn, kLookup, batch_lookup_sql("NULL::bigint"));
  // As append's write statement, except that a command continued from the previous batch
  // extends its row (the checks above allow that for the log's last command only).
  pg_prepare_now(conn, kWrite,
                 batch_write_sql(" ON CONFLICT (command_id) DO UPDATE SET last_position = "
                                 "excluded.last_position, stream_version = "
                                 "excluded.stream_version"));
}

Result<Head> pg_import_batch(pqxx::connection& conn, std::span<const RecordedEvent> events) {
  if (events.empty()) {
    return store_error(StoreErrc::invalid_argument, "an import needs at least one event");
  }
  if (auto err = check_shape(events)) return *err;
  Head head;
  std::optional<Error> refused;
  pg_with_log_head_locked(conn, [&](pqxx::transaction_base& tx, const Head& start) {
    Lookup lookup = look_up(tx, events);
    BatchColumns cols;
    auto checked = check_batch(events, start, lookup, cols);
    if (!checked) {
      refused = checked.error();
      return false;
    }
    head = std::move(*checked);
    write_batch(tx, kWrite, cols, head);
    return true;
  });
  if (refused) return *refused;
  return head;
}

}  // namespace duban::storage::detail
