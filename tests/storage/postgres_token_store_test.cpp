// PostgresTokenStore on a real server (the CTest fixture's), each test in its own database:
// a created token is found with its grant (supervisor, unit); an unknown token is not found;
// two store objects on one database (two `duban serve` nodes) see each other's tokens; only the
// hash is stored, in the same columns as SqliteTokenStore; the table sits beside the event store
// without disturbing it; nodes opening a fresh database together create the table once; a
// killed connection is replaced on the next call; a unit grant needs a unit; an unreachable
// server and a non-PostgreSQL URL are clear errors.
#include <barrier>
#include <thread>
#include <vector>

#include "storage/postgres_event_store.h"
#include "storage/postgres_token_store.h"
#include "storage/store_errc.h"
#include "tests/storage/postgres_test_db.h"

namespace duban::storage::testing {
namespace {

class PostgresTokenStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<PostgresTokenStore> open() {
    auto s = PostgresTokenStore::open(db_.url());
    EXPECT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  pqxx::result sql(const std::string& statement) {
    pqxx::connection c(db_.url());
    return pg_exec(c, statement);
  }

  TestDatabase db_;
  const Timestamp now_ = from_millis(1'767'312'000'000);
};

TEST_F(PostgresTokenStoreTest, ACreatedTokenIsFoundWithItsGrant) {
  auto store = open();
  ASSERT_TRUE(store);
  auto supervisor = store->create(TokenGrant::supervisor(), now_);
  auto unit = store->create(TokenGrant::of_unit(UnitId("fgw")), now_);
  ASSERT_TRUE(supervisor.ok()) << supervisor.error().message;
  ASSERT_TRUE(unit.ok()) << unit.error().message;
  EXPECT_TRUE(supervisor->starts_with("dbn_"));
  EXPECT_NE(*supervisor, *unit);

  auto found = store->find(*supervisor);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, std::optional<TokenGrant>(TokenGrant::supervisor()));
  found = store->find(*unit);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, std::optional<TokenGrant>(TokenGrant::of_unit(UnitId("fgw"))));
}

TEST_F(PostgresTokenStoreTest, AnUnknownTokenIsNotFound) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create(TokenGrant::supervisor(), now_).ok());
  for (std::string_view token : {"dbn_nosuchtoken", "", "'; DROP TABLE tokens; --"}) {
    auto found = store->find(token);
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_FALSE(found->has_value()) << token;
  }
}

TEST_F(PostgresTokenStoreTest, TwoStoreObjectsOnOneDatabaseSeeEachOthersTokens) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  auto from_a = a->create(TokenGrant::of_unit(UnitId("grain")), now_);
  auto from_b = b->create(TokenGrant::supervisor(), now_);
  ASSERT_TRUE(from_a.ok() && from_b.ok());
  auto seen_by_b = b->find(*from_a);
  auto seen_by_a = a->find(*from_b);
  ASSERT_TRUE(seen_by_b.ok() && seen_by_a.ok());
  EXPECT_EQ(*seen_by_b, std::optional<TokenGrant>(TokenGrant::of_unit(UnitId("grain"))));
  EXPECT_EQ(*seen_by_a, std::optional<TokenGrant>(TokenGrant::supervisor()));
  // A store opened after both finds them too.
  auto c = open();
  ASSERT_TRUE(c);
  auto seen_by_c = c->find(*from_a);
  ASSERT_TRUE(seen_by_c.ok());
  EXPECT_TRUE(seen_by_c->has_value());
}

TEST_F(PostgresTokenStoreTest, OnlyTheHashIsStoredInTheSqliteColumns) {
  auto store = open();
  ASSERT_TRUE(store);
  auto token = store->create(TokenGrant::of_unit(UnitId("fgw")), now_);
  ASSERT_TRUE(token.ok());
  const auto rows = sql("SELECT hash, role, unit, created_at_ms FROM tokens");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::string(rows[0][0].c_str()), token_hash(*token));
  EXPECT_EQ(std::string(rows[0][1].c_str()), "unit");
  EXPECT_EQ(std::string(rows[0][2].c_str()), "fgw");
  EXPECT_EQ(rows[0][3].as<std::int64_t>(), to_millis(now_));
  EXPECT_NE(std::string(rows[0][0].c_str()), *token);
}

TEST_F(PostgresTokenStoreTest, TheTableSitsBesideTheEventStoreWithoutDisturbingIt) {
  FixedClock clock(now_);
  {
    auto events = PostgresEventStore::open({.url = db_.url()}, clock);
    ASSERT_TRUE(events.ok()) << events.error().message;
    auto tokens = open();
    ASSERT_TRUE(tokens);
    const NewEvent e{"Happened", 1, "p", "tester"};
    ASSERT_TRUE((*events)
                    ->append("s", ExpectedVersion::no_stream(), std::span(&e, 1), CommandId("c1"))
                    .ok());
    ASSERT_TRUE(tokens->create(TokenGrant::supervisor(), now_).ok());
  }
  // Either order of opening works on an existing database, and auditors still read the log.
  auto tokens = open();
  ASSERT_TRUE(tokens);
  auto reader =
      PostgresEventStore::open({.url = db_.url(), .mode = PostgresOptions::Mode::read_only}, clock);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto head = (*reader)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(1));
}

TEST_F(PostgresTokenStoreTest, NodesOpeningAFreshDatabaseTogetherCreateTheTableOnce) {
  constexpr int kNodes = 6;
  std::barrier start(kNodes);
  std::vector<Error> errors(kNodes);
  std::vector<char> ok(kNodes, 0);  // not vector<bool>: each thread writes its own element
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto s = PostgresTokenStore::open(db_.url());
      ok[i] = s.ok();
      if (!s.ok()) errors[i] = s.error();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kNodes; ++i)
    EXPECT_TRUE(ok[i]) << errors[i].code << ": " << errors[i].message;
  EXPECT_EQ(sql("SELECT count(*) FROM pg_class WHERE relname = 'tokens'")[0][0].as<int>(), 1);
}

TEST_F(PostgresTokenStoreTest, AKilledConnectionIsReplacedOnTheNextCall) {
  auto store = open();
  ASSERT_TRUE(store);
  auto token = store->create(TokenGrant::supervisor(), now_);
  ASSERT_TRUE(token.ok());
  {
    pqxx::connection admin(db_.server_url());
    pg_exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                       db_.name() + "' AND application_name = 'duban tokens'");
  }
  // The pooled connection is dead: the first call may fail with io_error, then it reconnects.
  auto found = store->find(*token);
  if (!found.ok()) {
    EXPECT_EQ(found.error().code, "io_error") << found.error().message;
    found = store->find(*token);
  }
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, std::optional<TokenGrant>(TokenGrant::supervisor()));
}

TEST_F(PostgresTokenStoreTest, AUnitGrantNeedsAUnitThatPostgresCanStore) {
  auto store = open();
  ASSERT_TRUE(store);
  auto empty = store->create(TokenGrant::of_unit(UnitId("")), now_);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "invalid_argument");
  auto nul = store->create(TokenGrant::of_unit(UnitId(std::string("a\0b", 3))), now_);
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, "invalid_argument");
  EXPECT_EQ(sql("SELECT count(*) FROM tokens")[0][0].as<int>(), 0);
}

TEST(PostgresTokenStoreOpen, AnUnreachableServerIsIoErrorAndAFilePathIsRefused) {
  auto unreachable =
      PostgresTokenStore::open("postgresql://duban:hunter2@127.0.0.1:1/duban?connect_timeout=5");
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().code, "io_error") << unreachable.error().message;
  EXPECT_EQ(unreachable.error().message.find("hunter2"), std::string::npos);

  auto path = PostgresTokenStore::open("/tmp/duban.db");
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.error().code, "invalid_argument");
}

}  // namespace
}  // namespace duban::storage::testing
