// The store factory (storage/store_factory.h), the one place a --db value becomes a backend: a
// path opens SQLite and a postgresql:// or postgres:// URL opens PostgreSQL (the fixture's real
// server); opens that need an existing store refuse a missing one with "no_database" and create
// nothing (no file, no tables); a created store is the same one later opens see; the token store
// lands beside the event store on either backend; redact_db() hides passwords (user info and
// `password=` parameters) and error messages never show them.
#include <pqxx/transaction>

#include <filesystem>

#include "storage/postgres_event_store.h"
#include "storage/store_factory.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace duban::storage::testing {
namespace {

using duban::testing::contains;

NewEvent event() {
  return NewEvent{"Happened", 1, "p", "tester"};
}

TEST(RedactDb, HidesTheUserInfoPasswordAndPasswordParameters) {
  EXPECT_EQ(redact_db("postgresql://duban:s3cret@db.example:5432/duban"),
            "postgresql://duban:***@db.example:5432/duban");
  EXPECT_EQ(redact_db("postgres://duban:s3cret@db.example/duban?sslmode=require"),
            "postgres://duban:***@db.example/duban?sslmode=require");
  EXPECT_EQ(redact_db("postgresql://duban@db.example/duban?password=s3cret&sslmode=require"),
            "postgresql://duban@db.example/duban?password=***&sslmode=require");
  EXPECT_EQ(redact_db("postgresql://db.example/duban?sslmode=require&password=s3cret"),
            "postgresql://db.example/duban?sslmode=require&password=***");
  // An '@' after the host part is not user info (libpq stops at the first '/').
  EXPECT_EQ(redact_db("postgresql://db.example/duban?application_name=a@b"),
            "postgresql://db.example/duban?application_name=a@b");
  EXPECT_EQ(redact_db("postgresql://:s3cret@/duban?host=/run/pg"),
            "postgresql://:***@/duban?host=/run/pg");
  // No password: unchanged, so the URL stays usable in the hints of error messages.
  EXPECT_EQ(redact_db("postgresql://duban@db.example/duban"),
            "postgresql://duban@db.example/duban");
  EXPECT_EQ(redact_db("/var/lib/duban/duban.db"), "/var/lib/duban/duban.db");
  EXPECT_EQ(redact_db("weird:name@x.db"), "weird:name@x.db");  // a file, not a URL
}

TEST(StoreFactorySqlite, CreatesWhenAskedAndOtherwiseRefusesAMissingFileWithoutCreatingIt) {
  duban::testing::TempDir dir;
  const std::string path = dir.file("duban.db");
  FixedClock clock(from_millis(1'767'312'000'000));
  for (StoreAccess access : {StoreAccess::read_write, StoreAccess::read_only}) {
    auto missing = open_event_store(path, access, clock);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "no_database");
    EXPECT_TRUE(contains(missing.error().message, "no database at " + path))
        << missing.error().message;
    EXPECT_TRUE(contains(missing.error().message, "duban ingest GAZETTE --db " + path));
    EXPECT_FALSE(std::filesystem::exists(path));
  }
  {
    auto created = open_event_store(path, StoreAccess::create, clock);
    ASSERT_TRUE(created.ok()) << created.error().message;
    const NewEvent e = event();
    ASSERT_TRUE(
        (*created)->append("s", ExpectedVersion::any(), std::span(&e, 1), CommandId("c")).ok());
    auto tokens = open_token_store(path);
    ASSERT_TRUE(tokens.ok()) << tokens.error().message;
    auto token = (*tokens)->create(TokenGrant::supervisor(), clock.now());
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE((*(*tokens)->find(*token)).has_value());
  }
  auto reader = open_event_store(path, StoreAccess::read_only, clock);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ((*reader)->head()->position, GlobalPosition(1));
  const NewEvent e = event();
  auto refused = (*reader)->append("s", ExpectedVersion::any(), std::span(&e, 1), CommandId("d"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "read_only");
}

TEST(StoreFactorySqlite, OnlyAnExclusiveWriterIsNotSharedWithOtherWriters) {
  duban::testing::TempDir dir;
  const std::string path = dir.file("duban.db");
  FixedClock clock(from_millis(1'767'312'000'000));
  {
    auto shared = open_event_store(path, StoreAccess::create, clock);
    ASSERT_TRUE(shared.ok()) << shared.error().message;
    EXPECT_TRUE((*shared)->shared_with_other_writers());
    auto refused = open_event_store(path, StoreAccess::read_write, clock, Writers::exclusive);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "busy") << refused.error().message;
  }
  auto exclusive = open_event_store(path, StoreAccess::read_write, clock, Writers::exclusive);
  ASSERT_TRUE(exclusive.ok()) << exclusive.error().message;
  EXPECT_FALSE((*exclusive)->shared_with_other_writers());
  auto reader = open_event_store(path, StoreAccess::read_only, clock, Writers::exclusive);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_TRUE((*reader)->shared_with_other_writers()) << "another process may write it later";
}

class StoreFactoryPostgres : public ::testing::Test {
 protected:
  bool has_store_tables() {
    pqxx::connection c(db_.url());
    return !pg_exec(c, "SELECT to_regclass('meta')")[0][0].is_null();
  }
  TestDatabase db_;
  FixedClock clock_{from_millis(1'767'312'000'000)};
};

TEST_F(StoreFactoryPostgres, OpensThatNeedAStoreRefuseAnEmptyDatabaseAndCreateNothing) {
  for (StoreAccess access : {StoreAccess::read_write, StoreAccess::read_only}) {
    auto missing = open_event_store(db_.url(), access, clock_);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "no_database") << missing.error().message;
    EXPECT_TRUE(contains(missing.error().message,
                         "no duban event store in the PostgreSQL database " + db_.url()))
        << missing.error().message;
    EXPECT_TRUE(contains(missing.error().message, "duban ingest GAZETTE --db " + db_.url()))
        << missing.error().message;
    EXPECT_FALSE(has_store_tables());
  }
}

TEST_F(StoreFactoryPostgres, CreateMakesTheStoreThatLaterOpensFindOnEitherSchemeSpelling) {
  {
    auto created = open_event_store(db_.url(), StoreAccess::create, clock_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_NE(dynamic_cast<PostgresEventStore*>(created->get()), nullptr);
    const NewEvent e = event();
    ASSERT_TRUE(
        (*created)->append("s", ExpectedVersion::any(), std::span(&e, 1), CommandId("c")).ok());
  }
  EXPECT_TRUE(has_store_tables());
  auto writer = open_event_store(db_.url(), StoreAccess::read_write, clock_);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  const NewEvent e = event();
  ASSERT_TRUE(
      (*writer)->append("s", ExpectedVersion::any(), std::span(&e, 1), CommandId("d")).ok());

  ASSERT_TRUE(db_.url().starts_with("postgresql://"));
  const std::string short_scheme =
      "postgres://" + db_.url().substr(std::string("postgresql://").size());
  auto reader = open_event_store(short_scheme, StoreAccess::read_only, clock_);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ((*reader)->head()->position, GlobalPosition(2));
  auto refused = (*reader)->append("s", ExpectedVersion::any(), std::span(&e, 1), CommandId("x"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "read_only");
}

TEST_F(StoreFactoryPostgres, APostgresLogIsAlwaysSharedEvenWhenExclusiveIsAsked) {
  auto created = open_event_store(db_.url(), StoreAccess::create, clock_, Writers::exclusive);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE((*created)->shared_with_other_writers());
  auto second = open_event_store(db_.url(), StoreAccess::read_write, clock_, Writers::exclusive);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE((*second)->shared_with_other_writers());
}

TEST_F(StoreFactoryPostgres, TheTokenStoreOfAUrlIsThePostgresTableBesideTheLog) {
  auto events = open_event_store(db_.url(), StoreAccess::create, clock_);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto a = open_token_store(db_.url());
  auto b = open_token_store(db_.url());
  ASSERT_TRUE(a.ok() && b.ok());
  auto token = (*a)->create(TokenGrant::of_unit(UnitId("fgw")), clock_.now());
  ASSERT_TRUE(token.ok());
  auto found = (*b)->find(*token);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::optional<TokenGrant>(TokenGrant::of_unit(UnitId("fgw"))));
  pqxx::connection c(db_.url());
  EXPECT_EQ(pg_exec(c, "SELECT count(*) FROM tokens")[0][0].as<int>(), 1);
}

TEST(StoreFactoryErrors, AnUnreachableServerIsIoErrorWithoutThePassword) {
  const std::string url = "postgresql://duban:s3cret-pw@127.0.0.1:1/duban?connect_timeout=5";
  FixedClock clock(from_millis(0));
  for (StoreAccess access :
       {StoreAccess::create, StoreAccess::read_write, StoreAccess::read_only}) {
    auto store = open_event_store(url, access, clock);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, "io_error") << store.error().message;
    EXPECT_TRUE(contains(store.error().message,
                         "cannot open database postgresql://duban:***@127.0.0.1:1/duban"))
        << store.error().message;
    EXPECT_FALSE(contains(store.error().message, "s3cret-pw")) << store.error().message;
  }
  auto tokens = open_token_store(url);
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.error().code, "io_error");
  EXPECT_FALSE(contains(tokens.error().message, "s3cret-pw")) << tokens.error().message;
}

}  // namespace
}  // namespace duban::storage::testing
