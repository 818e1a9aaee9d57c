// The one transaction shape every write to the PostgreSQL log takes (appends and imports): lock
// the log_head row first, decide against the head it holds, write, move the head, commit.
// Holding that lock is what hands out positions in commit order (docs/storage.md, "Gap-free
// order"), so nothing may write events without going through here.
#pragma once

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <functional>

#include "storage/event_store.h"

namespace duban::storage::detail {

// Runs body(tx, head) inside one transaction on `conn` that has locked log_head and read `head`
// from it. body returns true to COMMIT, false to ROLL BACK; so does this function. Whatever
// body throws is rethrown after a rollback; a connection lost during COMMIT (which may or may
// not have been applied) becomes pqxx::in_doubt_error, as pqxx::work would report it.
bool pg_with_log_head_locked(
    pqxx::connection& conn,
    const std::function<bool(pqxx::transaction_base& tx, const Head& head)>& body);

}  // namespace duban::storage::detail
