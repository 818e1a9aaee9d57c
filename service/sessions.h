// SessionManager: sign-in with a password, and the sessions it opens. A session is a random
// secret the browser keeps in an HttpOnly cookie (server/api/sign_in.cpp sets it); it stands for
// one account until it is signed out, ended by an administrator, idle for `idle` or older than
// `absolute`, or its account is disabled (checked against the log on every use: at once when the
// account was disabled through this process, and on every other node once its push dispatcher
// read the event, AccountService::refresh_if_moved()).
//
// Failed sign-ins are counted per account and per client address in a sliding window. At
// `max_failures` failures of an account, the account is locked out for `lockout` and the
// lock-out is recorded in the log (SignInLockedOut, actor system), so the audit shows it and
// every node refuses it; an address past `max_failures_per_address` is refused (rate_limited)
// until its window passes, whatever account it tries.
//
// Sessions live in this process's memory (keyed by a SHA-256 of the secret, never the secret
// itself): a restart signs everyone out, and with several nodes a load balancer must keep a
// browser on its node. Lock-outs are in the log and hold on every node.
//
// Thread-safety: every member may be called concurrently. The account service and clock are
// borrowed and must outlive the manager.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/account/account.h"
#include "model/result.h"
#include "model/time.h"
#include "service/account_service.h"

namespace duban::service {

struct SessionLimits {
  // A session unused this long ends. Default 30 min.
  std::chrono::milliseconds idle{30 * 60 * 1000};
  // A session ends this long after sign-in, however busy. Default 12 h.
  std::chrono::milliseconds absolute{12 * 60 * 60 * 1000};
  // Failed sign-ins of one account within `window` that lock it out, and for how long.
  // Defaults 5, 15 min and 15 min.
  int max_failures = 5;
  std::chrono::milliseconds window{15 * 60 * 1000};
  std::chrono::milliseconds lockout{15 * 60 * 1000};
  // Failed sign-ins from one address within `window` after which it is refused. Default 20.
  int max_failures_per_address = 20;
};

// Error codes beyond model/task/error_codes.h.
namespace session_errc {
inline constexpr const char* kUnauthorized = "unauthorized";  // bad login or password, no session
inline constexpr const char* kLockedOut = "locked_out";       // too many failures: wait
inline constexpr const char* kRateLimited = "rate_limited";   // this address failed too often
}  // namespace session_errc

struct SignedIn {
  std::string secret;             // the cookie value; shown to the browser only
  account::AccountState account;  // who signed in
  Timestamp expires_at{};         // the absolute limit
};

class SessionManager {
 public:
  SessionManager(AccountService& accounts, const Clock& clock, SessionLimits limits = {})
      : accounts_(accounts), clock_(clock), limits_(limits) {}

  // Checks `password` for `login`, from client `address`. Errors: unauthorized (no such account,
  // wrong password, disabled: one message for all, so it tells an attacker nothing), locked_out,
  // rate_limited; store errors while recording a lock-out.
  Result<SignedIn> sign_in(std::string_view login, std::string_view password,
                           const std::string& address);

  // The account a session secret stands for, touching the session (idle timer). Error
  // unauthorized when the secret is unknown, expired, signed out, or its account is disabled.
  Result<account::AccountState> resolve(std::string_view secret);

  // Whether a session secret still stands for an enabled account, without touching the session
  // (an open WebSocket is not use): what the server re-checks for open WebSocket connections.
  // Errors as resolve().
  Result<account::AccountState> check(std::string_view secret);

  // Ends the session; false when there was none.
  bool sign_out(std::string_view secret);
  // Ends every session of `id` (an administrator's action); returns how many.
  int end_sessions_of(const account::AccountId& id);
  // Open sessions of `id`.
  int open_sessions_of(const account::AccountId& id);

  const SessionLimits& limits() const { return limits_; }

  // For the server's WebSocket re-checks: the log's head is at least `head` (the push dispatcher
  // reports what it read); catch the accounts up when the log moved; and a count that grows
  // whenever a session may have stopped standing for its account (signed out, ended by an
  // administrator, an account event read).
  void observe(GlobalPosition head) { accounts_.observe(head); }
  Result<GlobalPosition> refresh_if_moved() { return accounts_.refresh_if_moved(); }
  std::uint64_t endings() const { return ended_.load() + accounts_.changes(); }

 private:
  struct Session {
    account::AccountId account;
    Timestamp created{};
    Timestamp last_used{};
  };
  // The session under `key` (the secret's SHA-256) when it is neither idle nor past its absolute
  // limit, else nullptr (an expired one is dropped). Needs `mutex_`.
  Session* find_live(const std::string& key, Timestamp now);
  // resolve() (`touch`: the idle timer restarts) and check().
  Result<account::AccountState> lookup(std::string_view secret, bool touch);
  void prune(std::deque<Timestamp>& failures, Timestamp now) const;
  Result<SignedIn> fail(const account::AccountState* who, const std::string& address,
                        Timestamp now);

  AccountService& accounts_;
  const Clock& clock_;
  const SessionLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // by SHA-256 of the secret
  std::map<std::string, std::deque<Timestamp>> failures_by_account_;
  std::map<std::string, std::deque<Timestamp>> failures_by_address_;
  std::atomic<std::uint64_t> ended_{0};  // sessions signed out or ended by an administrator
};

}  // namespace duban::service
