// The account aggregate: its state, the commands that change it, and the two pure functions
// decide(state, command, actor, now) -> events | error and apply(state, event) -> state, as for
// tasks (model/task/decide.h). Events are in events.h; the service (service/account_service.h)
// loads the state, decides, appends to the account's stream and projects.
//
// Who may issue account commands: the supervising office (Actor::supervisor(); the CLI on the
// database acts as it). RecordLockOut is the server's own bookkeeping, issued as
// Actor::system(). Units never manage accounts.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/account/events.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/time.h"

namespace duban::account {

using AccountEvent = std::variant<AccountCreated, AccountDisabled, AccountRolesChanged,
                                  PasswordReset, SignInLockedOut>;

struct AccountState {
  AccountId id;               // empty until AccountCreated
  std::string display_name;   //
  UnitId unit;                // empty: the supervising office
  std::vector<Role> roles;    //
  std::string password_hash;  // current crypto_pwhash_str encoding
  bool disabled = false;      //
  std::string disabled_reason;
  Timestamp created_at{};
  Timestamp locked_until{};  // sign-in refused before this (SignInLockedOut)
  StreamVersion version;     // events applied so far; 0: no such account

  bool exists() const { return version.value() > 0; }
  bool is_office() const { return unit.empty(); }
  bool has_role(Role r) const;
};

struct CreateAccount {
  AccountId account;
  std::string display_name;
  UnitId unit;  // empty for the supervising office
  std::vector<Role> roles;
  std::string password_hash;
};
struct DisableAccount {
  AccountId account;
  std::string reason;
};
struct ChangeAccountRoles {
  AccountId account;
  std::vector<Role> roles;
};
struct ResetPassword {
  AccountId account;
  std::string password_hash;
};
struct RecordLockOut {
  AccountId account;
  std::string address;
  int failures = 0;
  Timestamp until{};
};
using AccountCommand =
    std::variant<CreateAccount, DisableAccount, ChangeAccountRoles, ResetPassword, RecordLockOut>;

// The account a command addresses.
const AccountId& account_of(const AccountCommand& command);

// True when `login` is a valid login name: 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a
// letter or digit.
bool valid_login(std::string_view login);

// The events `command` records, or an error with a code of model/task/error_codes.h
// (forbidden, not_found, already_exists, invalid_command, illegal_transition).
Result<std::vector<AccountEvent>> decide(const AccountState& state, const AccountCommand& command,
                                         const task::Actor& actor, Timestamp now);

AccountState apply(AccountState state, const AccountEvent& event);

// The actor a person acts as once signed in (by session, or by a token scoped to the account):
// the unit they act for (or the supervising office), their account id and their current roles.
// decide() authorises from those roles (task::Actor::may()). Call it with the account's current
// state: a disabled account must be refused before (it then has no actor).
task::Actor actor_for(const AccountState& account);

}  // namespace duban::account
