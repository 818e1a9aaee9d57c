// Account events: the people who use duban, recorded in the same log as the tasks so the audit
// covers who could do what and when. Each account has its own stream, "account/<account id>"
// (account_stream_id()). The structs are plain facts; model/account/decide.h decides them and
// model/account/apply.h folds them. They are alternatives of task::Event (model/task/events.h),
// so the codec, the catalogue and every reader of the log know them.
//
// Passwords never appear here: only the encoded Argon2id hash (libsodium's crypto_pwhash_str
// string, "$argon2id$v=19$m=...,t=...,p=...$salt$hash"), which carries its own parameters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/time.h"

namespace duban::account {

// The login name, lower case; also the stream id's suffix. Never reused or renamed.
using AccountId = StringId<struct AccountIdTag>;

// What a person may do. A unit account holds kHandler and/or kUnitHead; an office account (no
// unit: the supervising office, 督查室) holds kInspector and/or kLeader.
enum class Role {
  kHandler,    // 承办人: handles the unit's tasks (acknowledge, report progress and completion)
  kUnitHead,   // 负责人: everything a handler does, and signs off the unit's completions
  kInspector,  // 督查员: chases, reviews, approves and returns completions
  kLeader,     // 领导: reads everything, approves reopen and cancel
};

// "handler", "unit_head", "inspector", "leader": the text in payloads, the CLI and the API.
std::string_view role_name(Role role);
// The role a name denotes; false when it names none.
bool parse_role(std::string_view name, Role& out);
// True for the roles an office account may hold.
inline bool is_office_role(Role r) {
  return r == Role::kInspector || r == Role::kLeader;
}

// An account was opened. Always the first event of its stream.
struct AccountCreated {
  static constexpr std::string_view kType = "AccountCreated";
  static constexpr int kSchemaVersion = 1;
  AccountId account;          // the login name
  std::string display_name;   // the person's name as the audit shows it
  UnitId unit;                // the unit the person acts for; empty for the supervising office
  std::vector<Role> roles;    // at least one, fitting the unit (see Role)
  std::string password_hash;  // crypto_pwhash_str encoding (Argon2id)
  Timestamp created_at{};
  bool operator==(const AccountCreated&) const = default;
};

// The account may no longer sign in; its sessions and tokens stop working at once.
struct AccountDisabled {
  static constexpr std::string_view kType = "AccountDisabled";
  static constexpr int kSchemaVersion = 1;
  std::string reason;  // required: the audit must say why
  Timestamp at{};
  bool operator==(const AccountDisabled&) const = default;
};

// The account's roles were replaced.
struct AccountRolesChanged {
  static constexpr std::string_view kType = "AccountRolesChanged";
  static constexpr int kSchemaVersion = 1;
  std::vector<Role> roles;  // the new roles, replacing the old ones
  Timestamp at{};
  bool operator==(const AccountRolesChanged&) const = default;
};

// The account's password was set anew (by an administrator); the old one no longer works.
struct PasswordReset {
  static constexpr std::string_view kType = "PasswordReset";
  static constexpr int kSchemaVersion = 1;
  std::string password_hash;  // crypto_pwhash_str encoding (Argon2id)
  Timestamp at{};
  bool operator==(const PasswordReset&) const = default;
};

// Too many failed sign-ins: the account refuses sign-in until `until`.
struct SignInLockedOut {
  static constexpr std::string_view kType = "SignInLockedOut";
  static constexpr int kSchemaVersion = 1;
  std::string address;  // the client address of the last failed attempt
  int failures = 0;     // failed attempts counted in the window
  Timestamp until{};    // sign-in refused until then
  Timestamp at{};
  bool operator==(const SignInLockedOut&) const = default;
};

// The supervising office set whether a unit's completions need its head's sign-off (负责人审核)
// before they reach the supervisor. Stream "unit-policy/<unit id>" (unit_policy_stream_id()).
// While `required`, a completion reported by a person who is only a handler (承办人) is recorded
// as CompletionSubmitted and reaches the supervisor (CompletionReported) only with the unit
// head's CompletionSignedOff (model/task/events.h).
struct UnitSignOffRequired {
  static constexpr std::string_view kType = "UnitSignOffRequired";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;            // the unit the rule is for
  bool required = false;  // true: sign-off needed from now on; false: no longer
  Timestamp at{};
  bool operator==(const UnitSignOffRequired&) const = default;
};

inline std::string account_stream_id(const AccountId& id) {
  return "account/" + id.str();
}
inline constexpr std::string_view kAccountStreamPrefix = "account/";
inline std::string unit_policy_stream_id(const UnitId& unit) {
  return "unit-policy/" + unit.str();
}

}  // namespace duban::account
