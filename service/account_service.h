// AccountService: the accounts of the people who use duban. Projects the account streams of the
// log ("account/<login>", model/account/events.h) into the current state of every account, and
// runs account commands the way TaskService runs task commands: catch up, account::decide() as
// the actor at the clock's now, encode, append with the state's version as the expected version
// and the caller's command id, catch up again.
//
// The projection reads the whole log by position but decodes only account streams
// (service/stream_family.h), so it costs one pass over the envelopes at start-up and little after.
// It is kept apart from the task read model (service/projections/), whose views never show
// accounts.
//
// Errors are duban::Error values: the codes of model/task/error_codes.h for refused commands and
// of storage/store_errc.h for the store (a version_conflict means another process changed the
// account meanwhile: run the command again).
//
// Thread-safety: every member may be called concurrently. The store and clock are borrowed and
// must outlive the service.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "model/account/account.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/time.h"
#include "service/stream_family.h"
#include "storage/event_store.h"

namespace duban::service {

struct AccountOutcome {
  GlobalPosition last;                        // position of the last event appended (or recorded)
  bool duplicate = false;                     // the command id was already recorded
  std::vector<account::AccountEvent> events;  // what was appended now
};

class AccountService {
 public:
  AccountService(storage::EventStore& store, const Clock& clock);

  // Runs `command` as `actor` under `command_id` (non-empty).
  Result<AccountOutcome> execute(const account::AccountCommand& command, const task::Actor& actor,
                                 const CommandId& command_id);

  // Brings the projection up to the store's head (other processes' appends included).
  Result<GlobalPosition> refresh() { return family_.catch_up(); }
  // refresh() only when the log is known to have moved (service/stream_family.h): what lookups
  // on every request use. Another process's append is seen once observe()d.
  Result<GlobalPosition> refresh_if_moved() { return family_.catch_up_if_moved(); }
  // The log's head is at least `head` (the server's push dispatcher reports what it read).
  void observe(GlobalPosition head) { family_.observe(head); }
  // How many account events the projection has folded (the server re-checks its open WebSocket
  // connections when it grows: an account may have been disabled).
  std::uint64_t changes() const { return changes_.load(); }

  // The account as of the last refresh(); nullopt when there is none.
  std::optional<account::AccountState> account(const account::AccountId& id) const;
  // Every account as of the last refresh(), by login name.
  std::vector<account::AccountState> accounts() const;

 private:
  std::optional<Error> fold(std::vector<FamilyEvent>& found);

  storage::EventStore& store_;
  const Clock& clock_;
  std::mutex execute_mutex_;  // one command at a time: account commands are rare
  mutable std::shared_mutex mutex_;
  std::map<account::AccountId, account::AccountState> accounts_;
  std::atomic<std::uint64_t> changes_{0};
  StreamFamily family_;  // the account streams; last: its fold uses the members above
};

}  // namespace duban::service
