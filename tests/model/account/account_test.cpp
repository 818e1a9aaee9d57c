// Covers the account aggregate's decide/apply (model/account/account.h): who may manage accounts,
// the role rules (unit roles need a unit, office roles need none), disabling, role changes,
// password resets lifting a lock-out, and the lock-out being the server's (system's) to record.
#include "model/account/account.h"

#include <gtest/gtest.h>

#include <chrono>

namespace duban::account {
namespace {

using namespace std::chrono_literals;

const Timestamp kNow = from_millis(1'700'000'000'000);
const std::string kHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
const task::Actor kOffice = task::Actor::supervisor();

AccountState created(const CreateAccount& c) {
  auto events = decide(AccountState{}, c, kOffice, kNow);
  EXPECT_TRUE(events.ok()) << events.error().message;
  AccountState s;
  for (const auto& e : *events) s = account::apply(std::move(s), e);
  return s;
}

CreateAccount handler() {
  return CreateAccount{AccountId("wang.fang"), "王芳", UnitId("fgw"), {Role::kHandler}, kHash};
}

TEST(Account, TheOfficeCreatesAUnitAccountWithItsRoles) {
  const AccountState s = created(handler());
  EXPECT_TRUE(s.exists());
  EXPECT_EQ(s.id.str(), "wang.fang");
  EXPECT_EQ(s.display_name, "王芳");
  EXPECT_EQ(s.unit.str(), "fgw");
  EXPECT_TRUE(s.has_role(Role::kHandler));
  EXPECT_FALSE(s.has_role(Role::kUnitHead));
  EXPECT_EQ(s.password_hash, kHash);
  EXPECT_EQ(s.created_at, kNow);
  EXPECT_EQ(s.version.value(), 1);
}

TEST(Account, AUnitCannotManageAccounts) {
  auto r = decide(AccountState{}, handler(), task::Actor::of_unit(UnitId("fgw")), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "forbidden");
}

TEST(Account, CreatingTheSameLoginTwiceIsRefused) {
  const AccountState s = created(handler());
  auto r = decide(s, handler(), kOffice, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "already_exists");
}

TEST(Account, RolesMustFitTheAccountsPlace) {
  CreateAccount office_role_in_unit = handler();
  office_role_in_unit.roles = {Role::kInspector};
  EXPECT_EQ(decide(AccountState{}, office_role_in_unit, kOffice, kNow).error().code,
            "invalid_command");
  CreateAccount unit_role_in_office{
      AccountId("li.ming"), "李明", UnitId(), {Role::kUnitHead}, kHash};
  EXPECT_EQ(decide(AccountState{}, unit_role_in_office, kOffice, kNow).error().code,
            "invalid_command");
  CreateAccount no_roles = handler();
  no_roles.roles.clear();
  EXPECT_EQ(decide(AccountState{}, no_roles, kOffice, kNow).error().code, "invalid_command");
  CreateAccount inspector{AccountId("li.ming"), "李明", UnitId(), {Role::kInspector}, kHash};
  EXPECT_TRUE(created(inspector).is_office());
}

TEST(Account, LoginNamesAndHashesAreChecked) {
  CreateAccount bad_login = handler();
  bad_login.account = AccountId("Wang Fang");
  EXPECT_EQ(decide(AccountState{}, bad_login, kOffice, kNow).error().code, "invalid_command");
  CreateAccount clear_password = handler();
  clear_password.password_hash = "hunter2hunter2";
  EXPECT_EQ(decide(AccountState{}, clear_password, kOffice, kNow).error().code, "invalid_command");
  EXPECT_TRUE(valid_login("wang.fang-2"));
  EXPECT_FALSE(valid_login("x"));
  EXPECT_FALSE(valid_login(".hidden"));
}

TEST(Account, DisablingNeedsAReasonAndHappensOnce) {
  AccountState s = created(handler());
  EXPECT_EQ(decide(s, DisableAccount{s.id, ""}, kOffice, kNow).error().code, "invalid_command");
  auto events = decide(s, DisableAccount{s.id, "调离岗位"}, kOffice, kNow);
  ASSERT_TRUE(events.ok());
  s = account::apply(std::move(s), events->at(0));
  EXPECT_TRUE(s.disabled);
  EXPECT_EQ(s.disabled_reason, "调离岗位");
  EXPECT_EQ(decide(s, DisableAccount{s.id, "again"}, kOffice, kNow).error().code,
            "illegal_transition");
}

TEST(Account, RolesChangeAndAnUnchangedSetRecordsNothing) {
  AccountState s = created(handler());
  auto same = decide(s, ChangeAccountRoles{s.id, {Role::kHandler}}, kOffice, kNow);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
  auto head = decide(s, ChangeAccountRoles{s.id, {Role::kHandler, Role::kUnitHead}}, kOffice, kNow);
  ASSERT_TRUE(head.ok());
  s = account::apply(std::move(s), head->at(0));
  EXPECT_TRUE(s.has_role(Role::kUnitHead));
  EXPECT_EQ(decide(s, ChangeAccountRoles{s.id, {Role::kLeader}}, kOffice, kNow).error().code,
            "invalid_command");
}

TEST(Account, CommandsOnAMissingAccountAreNotFound) {
  EXPECT_EQ(
      decide(AccountState{}, ResetPassword{AccountId("nobody"), kHash}, kOffice, kNow).error().code,
      "not_found");
}

TEST(Account, OnlyTheSystemRecordsALockOutAndAPasswordResetLiftsIt) {
  AccountState s = created(handler());
  const RecordLockOut lock{s.id, "10.0.0.7", 5, kNow + 15min};
  EXPECT_EQ(decide(s, lock, kOffice, kNow).error().code, "forbidden");
  auto locked = decide(s, lock, task::Actor::system(), kNow);
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(std::get<SignInLockedOut>(locked->at(0)),
            (SignInLockedOut{"10.0.0.7", 5, kNow + 15min, kNow}));
  s = account::apply(std::move(s), locked->at(0));
  EXPECT_EQ(s.locked_until, kNow + 15min);
  auto reset = decide(s, ResetPassword{s.id, kHash + "x"}, kOffice, kNow);
  ASSERT_TRUE(reset.ok());
  s = account::apply(std::move(s), reset->at(0));
  EXPECT_EQ(s.locked_until, Timestamp{});
  EXPECT_EQ(s.password_hash, kHash + "x");
}

TEST(Account, RoleNamesRoundTrip) {
  for (Role r : {Role::kHandler, Role::kUnitHead, Role::kInspector, Role::kLeader}) {
    Role back{};
    ASSERT_TRUE(parse_role(role_name(r), back));
    EXPECT_EQ(back, r);
  }
  Role none{};
  EXPECT_FALSE(parse_role("admin", none));
}

}  // namespace
}  // namespace duban::account
