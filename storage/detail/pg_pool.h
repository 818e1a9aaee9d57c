// Private to storage/: a pool of idle PostgreSQL connections for calls that each take one, run
// their statements on it and give it back (PostgresEventStore's reads, PostgresTokenStore).
// A call that finds the pool empty opens a connection with the pool's `connect`; a connection
// lost during a call is dropped, so the next call opens a fresh one. pqxx exceptions end here:
// with() returns them as errors (classify_current_exception).
//
// Thread-safety: every member may be called concurrently; a connection is used by one call at a
// time.
#pragma once

#include <pqxx/connection>

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"
#include "storage/detail/pg_conn.h"

namespace duban::storage::detail {

class PgPool {
 public:
  // Opens a connection ready for the pool's calls (statements prepared); may throw pqxx errors.
  using Connect = std::function<std::unique_ptr<pqxx::connection>()>;

  explicit PgPool(Connect connect) : connect_(std::move(connect)) {}

  // Adds an idle connection (e.g. the one a store's open() checked the schema with).
  void add(std::unique_ptr<pqxx::connection> conn) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }

  // Runs f(pqxx::connection&) on a pooled connection; `context` opens an error's message.
  template <class F>
  auto with(std::string_view context, F&& f)
      -> Result<decltype(f(std::declval<pqxx::connection&>()))> {
    std::unique_ptr<pqxx::connection> conn;
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    try {
      if (!conn) conn = connect_();
      auto result = f(*conn);
      add(std::move(conn));
      return result;
    } catch (...) {
      auto failure = classify_current_exception(context);
      if (conn && !failure.connection_lost && conn->is_open()) add(std::move(conn));
      return failure.error;
    }
  }

 private:
  const Connect connect_;
  std::mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // guarded by mu_
};

}  // namespace duban::storage::detail
