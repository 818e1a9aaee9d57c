// TokenService: the API tokens machines use, as events in the log (model/account/token_events.h).
// Issuing appends TokenIssued (the SHA-256 of the secret, never the secret) to the stream
// "token/<token id>"; revoking appends TokenRevoked. The service projects the token streams, so a
// token issued or revoked on one node is accepted or refused on every node once it has read the
// log: find() catches up when the log moved (service/stream_family.h): at once for this
// process's appends, within the push dispatcher's poll for another process's (a token unknown
// here makes it read the log at once, so one just issued by the CLI works right away).
//
// Tokens created before tokens were events sit in the `tokens` table (storage/token_store.h,
// "legacy"): they keep working as unnamed tokens without expiry; find() falls back to the table
// when the log does not know a token, and a legacy token is revoked by a TokenRevoked on the
// stream "token/legacy-<16 hex of its hash>" (revoke() with the token text, or that id).
// They are not listed (the table is not read whole). create() still writes the table (tests and
// benches make tokens with it); everything new goes through issue().
//
// A token acts as the supervising office, one unit, or one account (as that person, through
// grant_of_account(): its events record the person; refused once the account is disabled).
//
// Errors are duban::Error values: unauthorized (with a message saying why: unknown, revoked,
// expired, account disabled), not_found, already_exists, invalid_command, forbidden, and the
// store's errors.
//
// Thread-safety: every member may be called concurrently. The store, clock, legacy table and
// account service are borrowed and must outlive the service.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/account/account.h"
#include "model/account/token_events.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/time.h"
#include "service/account_service.h"
#include "service/stream_family.h"
#include "storage/event_store.h"
#include "storage/token_store.h"

namespace duban::service {

// What an account acts as: the grant of its side (the supervising office for an office account,
// its unit for a unit account) and the person (account::actor_for(): the account id and its
// roles), so commands are decided with the person's roles and events name them. THE ONE PLACE a
// signed-in person (session or account token) becomes the principal of a request. The account
// must be enabled (callers refuse a disabled one first).
struct AccountGrant {
  storage::TokenGrant grant;
  task::Actor person;
};
AccountGrant grant_of_account(const account::AccountState& account);

// Default lifetime of a new token: 90 days.
inline constexpr std::chrono::milliseconds kDefaultTokenLifetime{90LL * 24 * 60 * 60 * 1000};

// One token as the log tells it.
struct TokenInfo {
  std::string id;  // "tok-…", or "legacy-…" for a revoked legacy token
  std::string name;
  account::TokenScope scope = account::TokenScope::kOffice;
  UnitId unit;
  account::AccountId account;
  std::string secret_hash;
  Timestamp expires_at{};  // 0: never
  Timestamp issued_at{};
  bool revoked = false;
  Timestamp revoked_at{};
  std::string revoke_reason;

  bool legacy() const { return id.rfind("legacy-", 0) == 0; }
  bool expired(Timestamp now) const { return expires_at != Timestamp{} && expires_at <= now; }
  bool live(Timestamp now) const { return !revoked && !expired(now); }
};

struct IssueToken {
  std::string name;  // required; 1 to 64 characters, no control characters
  account::TokenScope scope = account::TokenScope::kOffice;
  UnitId unit;                 // for kUnit
  account::AccountId account;  // for kAccount: must exist and be enabled
  Timestamp expires_at{};      // 0: never (the CLI defaults to now + kDefaultTokenLifetime)
};

struct IssuedToken {
  std::string secret;  // the token text: shown once, never stored
  TokenInfo info;
};

// A presented token's grant and who it is, for logs ("token:<name>"). `person` is set for a
// token scoped to an account: the commands it sends act as that person (grant_of_account()).
struct TokenCheck {
  storage::TokenGrant grant;
  std::string log_name;
  std::optional<task::Actor> person;
};

class TokenService final : public storage::TokenStore {
 public:
  // `legacy`: the `tokens` table, or nullptr. `accounts`: checks account-scoped tokens; nullptr
  // refuses them.
  TokenService(storage::EventStore& store, const Clock& clock, storage::TokenStore* legacy,
               AccountService* accounts);

  // Issues a token as `actor`: the supervising office (any scope), or a signed-in person for a
  // token scoped to their own account. Errors: forbidden (anyone else),
  // invalid_command (no name, a unit scope without unit, an expiry in the past, …), not_found
  // (no such account), already_exists (a live token has that name).
  Result<IssuedToken> issue(const IssueToken& request, const task::Actor& actor);

  // Revokes the token a token id, a live token's name or the token text names. Errors:
  // forbidden, not_found, illegal_transition (already revoked).
  Result<TokenInfo> revoke(std::string_view which, const std::string& reason,
                           const task::Actor& actor);

  // Brings the projection up to the store's head.
  Result<GlobalPosition> refresh() { return family_.catch_up(); }
  // The log's head is at least `head` (the server's push dispatcher reports what it read): the
  // next check() catches up (and the account service's lookups too).
  void observe(GlobalPosition head);
  // Catches up when the log moved (as check() does).
  Result<GlobalPosition> refresh_if_moved() { return family_.catch_up_if_moved(); }
  // How many TokenRevoked events the projection has folded: the server re-checks its open
  // WebSocket connections when it grows.
  std::uint64_t revocations() const { return revocations_.load(); }

  // Every token of the log as of the last refresh(), by issue time (revoked ones included).
  std::vector<TokenInfo> tokens() const;

  // What a presented token text acts as, after catching up with the log when it moved
  // (StreamFamily::catch_up_if_moved(): this process's appends at once, other processes' once
  // observe()d). Errors unauthorized
  // (unknown, revoked, expired, account disabled: the message says which).
  Result<TokenCheck> check(std::string_view secret);

  // storage::TokenStore: create() writes a legacy table token (tests, benches); find() is
  // check() (an error rather than nullopt for revoked and expired tokens).
  Result<std::string> create(const storage::TokenGrant& grant, Timestamp now) override;
  Result<std::optional<storage::TokenGrant>> find(std::string_view token) override;

 private:
  std::optional<TokenInfo> by_hash(const std::string& hash) const;
  std::optional<TokenInfo> by_id_or_name(std::string_view which, Timestamp now) const;

  std::optional<Error> fold(std::vector<FamilyEvent>& found);

  storage::EventStore& store_;
  const Clock& clock_;
  storage::TokenStore* legacy_;
  AccountService* accounts_;
  std::mutex execute_mutex_;  // one issue/revoke at a time
  mutable std::shared_mutex mutex_;
  std::map<std::string, TokenInfo> tokens_;     // by token id
  std::map<std::string, std::string> by_hash_;  // secret hash -> token id
  std::atomic<std::uint64_t> revocations_{0};
  StreamFamily family_;  // the token streams; last: its fold uses the members above
};

}  // namespace duban::service
