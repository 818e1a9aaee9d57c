// Covers AccountService over a real SQLite file: account events land in the same log as tasks
// under "account/<login>", only Argon2id hashes are stored (never the password), a second service
// on the same file (another process) sees them, retries are idempotent, and the task read model
// and task commands keep working with account events interleaved in the log.
#include "service/account_service.h"

#include <gtest/gtest.h>

#include "service/password.h"
#include "storage/event_codec.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

class AccountServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    accounts = std::make_unique<AccountService>(*store, clock);
  }
  std::unique_ptr<AccountService> accounts;
};

account::CreateAccount handler(const std::string& hash) {
  return account::CreateAccount{
      account::AccountId("wang.fang"), "王芳", UnitId("fgw"), {account::Role::kHandler}, hash};
}

TEST(Password, HashesAreArgon2idAndVerifyOnlyTheRightPassword) {
  auto hash = hash_password("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password("correct horse battery", *hash));
  EXPECT_FALSE(verify_password("correct horse batterY", *hash));
  EXPECT_FALSE(verify_password("correct horse battery", "not a hash"));
  EXPECT_NE(*hash, *hash_password("correct horse battery"));  // fresh salt each time
  EXPECT_EQ(hash_password("short").error().code, "invalid_command");
  const std::string generated = generate_password();
  EXPECT_EQ(generated.size(), 20u);
  EXPECT_NE(generated, generate_password());
}

TEST_F(AccountServiceTest, AnAccountIsAnEventInTheLogWithOnlyTheHash) {
  auto hash = hash_password("s3cret-passphrase");
  ASSERT_TRUE(hash.ok());
  auto done =
      accounts->execute(handler(*hash), task::Actor::supervisor(), CommandId("create-wang"));
  ASSERT_TRUE(done.ok()) << done.error().message;
  auto stored = store->read_stream("account/wang.fang");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].type, "AccountCreated");
  EXPECT_EQ((*stored)[0].actor, "supervisor");
  EXPECT_EQ((*stored)[0].payload.find("s3cret-passphrase"), std::string::npos);
  EXPECT_NE((*stored)[0].payload.find("$argon2id$"), std::string::npos);

  auto a = accounts->account(account::AccountId("wang.fang"));
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(verify_password("s3cret-passphrase", a->password_hash));
  EXPECT_EQ(a->unit.str(), "fgw");
}

TEST_F(AccountServiceTest, AnotherProcessOnTheSameFileSeesAccountsAndTheirChanges) {
  auto hash = hash_password("s3cret-passphrase");
  ASSERT_TRUE(accounts->execute(handler(*hash), kSupervisor, CommandId("c1")).ok());
  ASSERT_TRUE(accounts
                  ->execute(account::DisableAccount{account::AccountId("wang.fang"), "调离岗位"},
                            kSupervisor, CommandId("c2"))
                  .ok());
  auto other = SqliteEventStore::open({.path = path()}, clock);
  ASSERT_TRUE(other.ok());
  AccountService second(**other, clock);
  ASSERT_TRUE(second.refresh().ok());
  auto a = second.account(account::AccountId("wang.fang"));
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->disabled);
  EXPECT_EQ(a->version.value(), 2);
  EXPECT_EQ(second.accounts().size(), 1u);
}

TEST_F(AccountServiceTest, ARetriedCommandIdIsAnsweredWithoutRecordingTwice) {
  auto hash = hash_password("s3cret-passphrase");
  auto first = accounts->execute(handler(*hash), kSupervisor, CommandId("c1"));
  ASSERT_TRUE(first.ok());
  auto again = accounts->execute(handler(*hash), kSupervisor, CommandId("c1"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->last, first->last);
  auto other_id = accounts->execute(handler(*hash), kSupervisor, CommandId("c2"));
  ASSERT_FALSE(other_id.ok());
  EXPECT_EQ(other_id.error().code, "already_exists");
}

TEST_F(AccountServiceTest, TasksAndAccountsShareTheLogWithoutDisturbingEachOther) {
  accept(create("t1", {"fgw"}), kSupervisor);
  auto hash = hash_password("s3cret-passphrase");
  ASSERT_TRUE(accounts->execute(handler(*hash), kSupervisor, CommandId("acc")).ok());
  accept(task::AcknowledgeTask{TaskId("t1")}, unit("fgw"));
  ASSERT_TRUE(service->refresh().ok());
  EXPECT_EQ(model.checkpoint(), head());
  ASSERT_TRUE(model.task(TaskId("t1")).has_value());
  EXPECT_EQ(model.task(TaskId("t1"))->version.value(), 3);  // created, assigned, acknowledged

  // A read model rebuilt from scratch folds the same log, account events included.
  projections::ReadModel rebuilt;
  ASSERT_TRUE(rebuilt.catch_up(*store).ok());
  EXPECT_EQ(rebuilt.checkpoint(), head());
  EXPECT_EQ(rebuilt.task(TaskId("t1")), model.task(TaskId("t1")));
}

TEST_F(AccountServiceTest, RefusedCommandsKeepTheirDomainCodes) {
  auto hash = hash_password("s3cret-passphrase");
  EXPECT_EQ(accounts->execute(handler(*hash), unit("fgw"), CommandId("c1")).error().code,
            "forbidden");
  EXPECT_EQ(accounts
                ->execute(account::ResetPassword{account::AccountId("nobody"), *hash}, kSupervisor,
                          CommandId("c2"))
                .error()
                .code,
            "not_found");
}

}  // namespace
}  // namespace duban::service::testing
