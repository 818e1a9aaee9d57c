#include "storage/store_factory.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_schema.h"
#include "storage/postgres_event_store.h"
#include "storage/postgres_token_store.h"
#include "storage/sqlite_event_store.h"
#include "storage/sqlite_token_store.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

// `message` with every copy of the raw `db` replaced by its redacted form. The backends' own
// messages do not quote the URL, but a driver message might one day: belt and braces.
std::string scrubbed(std::string message, const std::string& db) {
  const std::string shown = redact_db(db);
  if (db.empty() || shown == db) return message;
  for (std::size_t at = message.find(db); at != std::string::npos;
       at = message.find(db, at + shown.size())) {
    message.replace(at, db.size(), shown);
  }
  return message;
}

Error cannot_open(const std::string& db, const Error& e) {
  return make_error(e.code,
                    "cannot open database " + redact_db(db) + ": " + scrubbed(e.message, db));
}

Error no_database(const std::string& what, const std::string& db) {
  const std::string shown = redact_db(db);
  return make_error("no_database", what + " (create one with `duban ingest GAZETTE --db " + shown +
                                       "`, or name another with --db)");
}

Result<std::unique_ptr<EventStore>> open_sqlite(const std::string& path, StoreAccess access,
                                                const Clock& clock, Writers writers) {
  std::error_code ec;
  if (access != StoreAccess::create && !std::filesystem::exists(path, ec)) {
    return no_database("no database at " + path, path);
  }
  SqliteOptions options;
  options.path = path;
  options.mode = access == StoreAccess::read_only ? SqliteOptions::Mode::read_only
                                                  : SqliteOptions::Mode::read_write;
  options.exclusive = access != StoreAccess::read_only && writers == Writers::exclusive;
  auto store = SqliteEventStore::open(options, clock);
  if (!store) return cannot_open(path, store.error());
  return std::unique_ptr<EventStore>(std::move(*store));
}

// Whether the PostgreSQL database at `url` holds an event store, without writing anything: a
// read-write open would create one, which a command that needs an existing store must not do.
Result<bool> pg_has_store(const std::string& url) {
  try {
    auto conn = detail::pg_connect(url, {.role = detail::PgRole::reader, .read_only = true});
    auto version = detail::pg_check_schema(*conn);
    if (version) return true;
    if (is(version.error(), StoreErrc::not_found)) return false;
    return version.error();
  } catch (...) {
    return detail::classify_current_exception("open the PostgreSQL event store").error;
  }
}

Result<std::unique_ptr<EventStore>> open_postgres(const std::string& url, StoreAccess access,
                                                  const Clock& clock) {
  const std::string missing = "no duban event store in the PostgreSQL database " + redact_db(url);
  if (access == StoreAccess::read_write) {
    auto has = pg_has_store(url);
    if (!has) return cannot_open(url, has.error());
    if (!*has) return no_database(missing, url);
  }
  PostgresOptions options;
  options.url = url;
  options.mode = access == StoreAccess::read_only ? PostgresOptions::Mode::read_only
                                                  : PostgresOptions::Mode::read_write;
  auto store = PostgresEventStore::open(options, clock);
  if (!store) {
    if (access == StoreAccess::read_only && is(store.error(), StoreErrc::not_found)) {
      return no_database(missing, url);
    }
    return cannot_open(url, store.error());
  }
  return std::unique_ptr<EventStore>(std::move(*store));
}

// The end of a PostgreSQL URL's user info ('@'), or npos when it has none. libpq reads the
// authority up to the first '@' or '/', so a password cannot hold either unencoded.
std::size_t userinfo_end(std::string_view url, std::size_t start) {
  const std::size_t stop = url.find_first_of("@/", start);
  return stop != std::string_view::npos && url[stop] == '@' ? stop : std::string_view::npos;
}

}  // namespace

std::string redact_db(std::string_view db) {
  if (!is_postgres_url(db)) return std::string(db);
  const std::size_t start = db.find("://") + 3;
  std::string out(db.substr(0, start));
  std::size_t rest = start;
  if (const std::size_t at = userinfo_end(db, start); at != std::string_view::npos) {
    const std::string_view userinfo = db.substr(start, at - start);
    const std::size_t colon = userinfo.find(':');
    out += colon == std::string_view::npos ? userinfo : userinfo.substr(0, colon + 1);
    if (colon != std::string_view::npos) out += "***";
    rest = at;
  }
  // Query parameters: "?a=1&password=x&b=2" -> "?a=1&password=***&b=2".
  const std::size_t query = db.find('?', rest);
  out += db.substr(rest, query == std::string_view::npos ? std::string_view::npos : query - rest);
  if (query == std::string_view::npos) return out;
  std::size_t p = query;
  while (p != std::string_view::npos && p < db.size()) {
    const std::size_t next = db.find('&', p + 1);
    const std::string_view param =
        db.substr(p, next == std::string_view::npos ? std::string_view::npos : next - p);
    // param includes its leading '?' or '&'.
    if (param.substr(1).starts_with("password=")) {
      out += param.substr(0, 1 + std::string_view("password=").size());
      out += "***";
    } else {
      out += param;
    }
    p = next;
  }
  return out;
}

Result<std::unique_ptr<EventStore>> open_event_store(const std::string& db, StoreAccess access,
                                                     const Clock& clock, Writers writers) {
  return is_postgres_url(db) ? open_postgres(db, access, clock)
                             : open_sqlite(db, access, clock, writers);
}

Result<std::unique_ptr<TokenStore>> open_token_store(const std::string& db) {
  if (is_postgres_url(db)) {
    auto tokens = PostgresTokenStore::open(db);
    if (!tokens) {
      return make_error(tokens.error().code, "cannot open the token table in " + redact_db(db) +
                                                 ": " + scrubbed(tokens.error().message, db));
    }
    return std::unique_ptr<TokenStore>(std::move(*tokens));
  }
  auto tokens = SqliteTokenStore::open(db);
  if (!tokens) {
    return make_error(tokens.error().code,
                      "cannot open the token table in " + db + ": " + tokens.error().message);
  }
  return std::unique_ptr<TokenStore>(std::move(*tokens));
}

}  // namespace duban::storage
