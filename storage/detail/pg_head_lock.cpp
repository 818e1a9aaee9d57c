#include "storage/detail/pg_head_lock.h"

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include <cstdint>
#include <string>

#include "storage/detail/pg_text.h"

namespace duban::storage::detail {
namespace {

// BEGIN and the head lock travel as ONE simple-protocol query: one round trip saved per batch.
// The isolation level is explicit because the whole design depends on read committed: each
// later statement takes a fresh snapshot, so after the lock it sees every append committed
// before the lock was granted. (Under repeatable read the snapshot would predate the wait.)
constexpr const char* kBeginAndLockHead =
    "BEGIN ISOLATION LEVEL READ COMMITTED; "
    "SELECT position, hash FROM log_head WHERE id = 1 FOR UPDATE";

}  // namespace

// The transaction is driven by hand on a pqxx::nontransaction: pqxx::work would spend a round
// trip on its own BEGIN.
bool pg_with_log_head_locked(
    pqxx::connection& conn,
    const std::function<bool(pqxx::transaction_base& tx, const Head& head)>& body) {
  pqxx::nontransaction tx(conn);
  try {
    const pqxx::row h = tx.exec1(kBeginAndLockHead);
    const Head head{GlobalPosition(h[0].as<std::int64_t>()), bytea_from_hex(h[1].c_str())};
    if (!body(tx, head)) {
      tx.exec("ROLLBACK");
      return false;
    }
  } catch (...) {
    if (conn.is_open()) {
      try {
        tx.exec("ROLLBACK");
      } catch (const std::exception&) {
        // The original failure is the one to report; a broken connection is replaced anyway.
      }
    }
    throw;
  }
  try {
    tx.exec("COMMIT");
  } catch (const std::exception& e) {
    // COMMIT may have been applied before the connection died: nobody can tell from here.
    if (!conn.is_open()) {
      throw pqxx::in_doubt_error(std::string("connection lost during COMMIT: ") + e.what());
    }
    throw;
  }
  return true;
}

}  // namespace duban::storage::detail
