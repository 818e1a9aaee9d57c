#include "storage/detail/pg_conn.h"

#include <pqxx/except>
#include <pqxx/nontransaction>

#include <exception>

namespace duban::storage::detail {
namespace {

const char* role_name(PgRole role) {
  switch (role) {
    case PgRole::writer:
      return "writer";
    case PgRole::reader:
      return "reader";
    case PgRole::listener:
      return "listener";
    case PgRole::tokens:
      return "tokens";
    case PgRole::importer:
      return "importer";
    case PgRole::notify:
      return "notify";
    case PgRole::blobs:
      return "blobs";
  }
  return "?";
}

bool has_class(std::string_view sqlstate, std::string_view cls) {
  return sqlstate.substr(0, 2) == cls;
}

// Server messages end in a newline ("ERROR:  ...\n"); drop it so messages compose.
std::string trimmed(const char* what) {
  std::string s(what);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::unique_ptr<pqxx::connection> pg_connect(const std::string& url,
                                             const PgSessionOptions& options) {
  auto conn = std::make_unique<pqxx::connection>(url);
  {
    pqxx::nontransaction tx(*conn);
    // set_config() takes the name as a parameter: no quoting of an operator-chosen name. A name
    // the connection already has came from the URL (?application_name=) or PGAPPNAME: the
    // operator's choice for this node, so it replaces the store's.
    tx.exec_params(
        "SELECT set_config('application_name',"
        " coalesce(nullif(current_setting('application_name'), ''), $1) || ' ' || $2, false)",
        options.application_name, std::string(role_name(options.role)));
    std::string sql =
        "SET client_encoding = 'UTF8'; SET bytea_output = 'hex';"
        " SET default_transaction_isolation = 'read committed';"
        // The store's statements are index lookups whose plan never depends on the values;
        // without this the server re-plans the lookup statement on every call (about 100 us).
        " SET plan_cache_mode = force_generic_plan;";
    if (options.read_only) sql += " SET default_transaction_read_only = on;";
    if (options.lock_timeout.count() > 0) {
      sql += " SET lock_timeout = '" + std::to_string(options.lock_timeout.count()) + "ms';";
    }
    tx.exec(sql);
  }
  return conn;
}

void pg_prepare_now(pqxx::connection& conn, const std::string& name, const std::string& sql) {
  conn.prepare(name, sql);
  conn.prepare_now(name);
}

StoreErrc errc_for_sqlstate(std::string_view s) {
  // Waiting on others: retrying later may succeed.
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "55006" || s == "57014") {
    return StoreErrc::busy;
  }
  if (s == "25006" || s == "42501") return StoreErrc::read_only;  // read-only txn, no privilege
  if (s == "23505") return StoreErrc::version_conflict;         // another writer took the key first
  if (s == "XX001" || s == "XX002") return StoreErrc::corrupt;  // data or index corrupted
  if (s == "42P01") return StoreErrc::corrupt;    // a store table vanished behind our back
  if (s == "3D000") return StoreErrc::not_found;  // no such database
  // Connection trouble, server shutting down, out of disk or memory, OS-level I/O errors.
  if (has_class(s, "08") || s == "57P01" || s == "57P02" || s == "57P03" || has_class(s, "53") ||
      has_class(s, "58")) {
    return StoreErrc::io_error;
  }
  if (has_class(s, "22")) return StoreErrc::invalid_argument;  // a value the server refused
  return StoreErrc::internal;
}

PgFailure classify_current_exception(std::string_view context) {
  const std::string prefix = std::string(context) + ": ";
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    return {store_error(StoreErrc::io_error,
                        prefix +
                            "the connection to PostgreSQL was lost while committing, so the "
                            "outcome is unknown; retry with the same command id (a command "
                            "that did commit comes back as a duplicate): " +
                            trimmed(e.what())),
            true};
  } catch (const pqxx::broken_connection& e) {
    return {
        store_error(StoreErrc::io_error,
                    prefix + "no connection to PostgreSQL (lost or refused): " + trimmed(e.what())),
        true};
  } catch (const pqxx::statement_completion_unknown& e) {
    return {store_error(StoreErrc::io_error,
                        prefix + "connection lost mid-statement: " + trimmed(e.what())),
            true};
  } catch (const pqxx::transaction_rollback& e) {
    // Serialization failures and deadlocks: the server rolled back; a retry may succeed.
    return {store_error(StoreErrc::busy, prefix + trimmed(e.what())), false};
  } catch (const pqxx::insufficient_privilege& e) {
    // libpqxx 6 throws this one without its SQLSTATE (42501), so it is matched by type.
    return {store_error(
                StoreErrc::read_only,
                prefix + "this database role may not write the event store: " + trimmed(e.what())),
            false};
  } catch (const pqxx::sql_error& e) {
    const StoreErrc code = errc_for_sqlstate(e.sqlstate());
    return {store_error(code, prefix + trimmed(e.what()) + " (SQLSTATE " + e.sqlstate() + ")"),
            code == StoreErrc::io_error};
  } catch (const std::exception& e) {
    return {store_error(StoreErrc::internal, prefix + trimmed(e.what())), false};
  } catch (...) {
    return {store_error(StoreErrc::internal, prefix + "unknown exception"), false};
  }
}

}  // namespace duban::storage::detail
