#include "model/account/account.h"

#include <algorithm>
#include <type_traits>

#include "model/task/error_codes.h"

namespace duban::account {

namespace errc = task::errc;

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kHandler:
      return "handler";
    case Role::kUnitHead:
      return "unit_head";
    case Role::kInspector:
      return "inspector";
    case Role::kLeader:
      return "leader";
  }
  return "unknown";
}

bool parse_role(std::string_view name, Role& out) {
  for (Role r : {Role::kHandler, Role::kUnitHead, Role::kInspector, Role::kLeader}) {
    if (role_name(r) == name) {
      out = r;
      return true;
    }
  }
  return false;
}

bool AccountState::has_role(Role r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

const AccountId& account_of(const AccountCommand& command) {
  return std::visit([](const auto& c) -> const AccountId& { return c.account; }, command);
}

bool valid_login(std::string_view login) {
  if (login.size() < 2 || login.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(login.front())) return false;
  return std::all_of(login.begin(), login.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

namespace {

std::optional<Error> check_roles(const UnitId& unit, const std::vector<Role>& roles) {
  if (roles.empty()) return make_error(errc::kInvalidCommand, "an account needs at least one role");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (std::find(roles.begin(), roles.begin() + static_cast<std::ptrdiff_t>(i), roles[i]) !=
        roles.begin() + static_cast<std::ptrdiff_t>(i)) {
      return make_error(errc::kInvalidCommand,
                        "role " + std::string(role_name(roles[i])) + " is given twice");
    }
    if (unit.empty() != is_office_role(roles[i])) {
      return make_error(errc::kInvalidCommand,
                        "role " + std::string(role_name(roles[i])) +
                            (unit.empty() ? " belongs to a unit account (give --unit)"
                                          : " belongs to an office account (no unit)"));
    }
  }
  return std::nullopt;
}

std::optional<Error> check_hash(const std::string& hash) {
  if (hash.rfind("$argon2id$", 0) != 0) {
    return make_error(errc::kInvalidCommand, "a password hash must be an Argon2id encoding");
  }
  return std::nullopt;
}

Error missing(const AccountId& id) {
  return make_error(errc::kNotFound, "no account '" + id.str() + "'");
}

using Events = Result<std::vector<AccountEvent>>;

Events decide_one(const AccountState& s, const CreateAccount& c, Timestamp now) {
  if (!valid_login(c.account.str())) {
    return make_error(errc::kInvalidCommand,
                      "login name '" + c.account.str() +
                          "' must be 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter "
                          "or digit");
  }
  if (s.exists()) {
    return make_error(errc::kAlreadyExists, "account '" + c.account.str() + "' already exists");
  }
  if (c.display_name.empty()) {
    return make_error(errc::kInvalidCommand, "an account needs a display name");
  }
  if (auto e = check_roles(c.unit, c.roles)) return *e;
  if (auto e = check_hash(c.password_hash)) return *e;
  return std::vector<AccountEvent>{
      AccountCreated{c.account, c.display_name, c.unit, c.roles, c.password_hash, now}};
}

Events decide_one(const AccountState& s, const DisableAccount& c, Timestamp now) {
  if (!s.exists()) return missing(c.account);
  if (s.disabled) {
    return make_error(errc::kIllegalTransition,
                      "account '" + c.account.str() + "' is already disabled");
  }
  if (c.reason.empty()) {
    return make_error(errc::kInvalidCommand, "disabling an account needs a reason");
  }
  return std::vector<AccountEvent>{AccountDisabled{c.reason, now}};
}

Events decide_one(const AccountState& s, const ChangeAccountRoles& c, Timestamp now) {
  if (!s.exists()) return missing(c.account);
  if (auto e = check_roles(s.unit, c.roles)) return *e;
  if (c.roles == s.roles) return std::vector<AccountEvent>{};
  return std::vector<AccountEvent>{AccountRolesChanged{c.roles, now}};
}

Events decide_one(const AccountState& s, const ResetPassword& c, Timestamp now) {
  if (!s.exists()) return missing(c.account);
  if (auto e = check_hash(c.password_hash)) return *e;
  return std::vector<AccountEvent>{PasswordReset{c.password_hash, now}};
}

Events decide_one(const AccountState& s, const RecordLockOut& c, Timestamp now) {
  if (!s.exists()) return missing(c.account);
  if (c.until <= now) {
    return make_error(errc::kInvalidCommand, "a lock-out must end after it starts");
  }
  return std::vector<AccountEvent>{SignInLockedOut{c.address, c.failures, c.until, now}};
}

}  // namespace

Result<std::vector<AccountEvent>> decide(const AccountState& state, const AccountCommand& command,
                                         const task::Actor& actor, Timestamp now) {
  const bool lock_out = std::holds_alternative<RecordLockOut>(command);
  const task::Actor::Kind needed =
      lock_out ? task::Actor::Kind::kSystem : task::Actor::Kind::kSupervisor;
  if (actor.kind != needed) {
    return make_error(errc::kForbidden, lock_out ? "only duban itself records a lock-out"
                                                 : "only the supervising office manages accounts");
  }
  if (state.exists() && state.id != account_of(command)) {
    return make_error(errc::kInvalidCommand, "the command names another account than the state");
  }
  return std::visit([&](const auto& c) { return decide_one(state, c, now); }, command);
}

AccountState apply(AccountState s, const AccountEvent& event) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, AccountCreated>) {
          s.id = e.account;
          s.display_name = e.display_name;
          s.unit = e.unit;
          s.roles = e.roles;
          s.password_hash = e.password_hash;
          s.created_at = e.created_at;
        } else if constexpr (std::is_same_v<E, AccountDisabled>) {
          s.disabled = true;
          s.disabled_reason = e.reason;
        } else if constexpr (std::is_same_v<E, AccountRolesChanged>) {
          s.roles = e.roles;
        } else if constexpr (std::is_same_v<E, PasswordReset>) {
          s.password_hash = e.password_hash;
          s.locked_until = {};  // a new password lifts a lock-out
        } else {
          static_assert(std::is_same_v<E, SignInLockedOut>, "every account event is applied");
          s.locked_until = e.until;
        }
      },
      event);
  s.version = s.version.next();
  return s;
}

task::Actor actor_for(const AccountState& a) {
  return a.is_office() ? task::Actor::office_person(a.id, a.roles)
                       : task::Actor::unit_person(a.unit, a.id, a.roles);
}

}  // namespace duban::account
