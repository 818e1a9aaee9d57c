// Private to storage/: opening the PostgreSQL store's libpqxx connections with the session
// settings it relies on, and turning libpqxx exceptions into StoreErrc values. libpqxx throws;
// PostgresEventStore catches at its public boundary and calls classify_current_exception(), so
// no pqxx type escapes storage/.
//
// Thread-safety: a pqxx::connection belongs to one thread at a time; the functions are pure.
#pragma once

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "model/result.h"
#include "storage/store_errc.h"

namespace duban::storage::detail {

// What a connection is for; appended to the application_name shown in pg_stat_activity
// ("duban writer"), which is how operators (and the tests) tell connections apart. `tokens`:
// the PostgresTokenStore's lookups; `importer`: the connection PostgresEventStore::import()
// writes copied events with.
// `blobs`: the attachment tables (storage/blob_store.h).
enum class PgRole { writer, reader, listener, tokens, importer, notify, blobs };

struct PgSessionOptions {
  std::string application_name = "duban";  // the store's name; the role is appended
  PgRole role = PgRole::reader;
  bool read_only = false;                     // default_transaction_read_only = on
  std::chrono::milliseconds lock_timeout{0};  // 0: the server's setting
};

// Connects to `url` and sets: application_name ("<name> <role>"; <name> is the URL's
// application_name parameter or $PGAPPNAME when either is set, else options.application_name),
// client_encoding UTF8, bytea_output hex (the store decodes that form),
// default_transaction_isolation read committed (the append transaction depends on it, see
// docs/storage.md), and per `options` read-only mode and lock_timeout. Throws pqxx exceptions
// (broken_connection when the server is unreachable).
std::unique_ptr<pqxx::connection> pg_connect(const std::string& url,
                                             const PgSessionOptions& options);

// Prepares `sql` as `name` on the server now. libpqxx 6 otherwise prepares lazily on first
// use, and a connection lost during that hidden PREPARE leaks libpq's result inside libpqxx;
// preparing right after connecting keeps every later call an EXECUTE.
void pg_prepare_now(pqxx::connection& conn, const std::string& name, const std::string& sql);

// The StoreErrc for a SQLSTATE (e.g. "40P01" -> busy, "25006" -> read_only).
StoreErrc errc_for_sqlstate(std::string_view sqlstate);

struct PgFailure {
  Error error;
  // The connection is gone (or its last commit's outcome unknown): discard it; the next call
  // opens a new one.
  bool connection_lost = false;
};

// Classifies the exception being handled; call only inside a catch block. `context` opens the
// message ("append to stream 'x'").
PgFailure classify_current_exception(std::string_view context);

}  // namespace duban::storage::detail
