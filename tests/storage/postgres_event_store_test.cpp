// The PostgreSQL backend on a real server (the throwaway one the CTest fixture starts), each
// test in its own fresh database. Covers: the whole EventStore contract suite; the schema
// created on first open, migrated step by step, created once by concurrent first opens; a
// database from a newer duban, foreign tables, a missing store and bad URLs refused with clear
// errors; an unreachable server as io_error; the append-only triggers; the hash chain catching
// an edit made behind the store's back; the same commands giving byte-identical hash chains on
// SQLite and PostgreSQL; text PostgreSQL cannot hold refused up front; awkward text and every
// byte value round-tripping; commands larger than the batch limits. Concurrency, wake-ups and
// dropped connections are in postgres_concurrency_test.cpp.
#include <pqxx/transaction>

#include <atomic>
#include <barrier>
#include <thread>

#include "storage/detail/pg_schema.h"
#include "storage/hash_chain.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/storage/event_store_contract.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/temp_dir.h"

namespace duban::storage::testing {
namespace {

class PostgresBackend final : public Backend {
 public:
  std::unique_ptr<EventStore> open(const Clock& clock) override {
    return open_mode(clock, PostgresOptions::Mode::read_write);
  }
  std::unique_ptr<EventStore> open_read_only(const Clock& clock) override {
    return open_mode(clock, PostgresOptions::Mode::read_only);
  }

 private:
  std::unique_ptr<EventStore> open_mode(const Clock& clock, PostgresOptions::Mode mode) {
    auto store = PostgresEventStore::open({.url = db_.url(), .mode = mode}, clock);
    EXPECT_TRUE(store.ok()) << store.error().code << ": " << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }
  TestDatabase db_;
};

std::unique_ptr<Backend> make_postgres_backend() {
  return std::make_unique<PostgresBackend>();
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Postgres, EventStoreContract,
                         ::testing::Values(BackendFactory{"postgres", &make_postgres_backend}),
                         backend_name);

namespace {

NewEvent event(std::string type, std::string payload = "p", std::string actor = "tester") {
  return NewEvent{std::move(type), 1, std::move(payload), std::move(actor)};
}

class PostgresEventStoreTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<PostgresEventStore>> try_open(
      PostgresOptions::Mode mode = PostgresOptions::Mode::read_write) {
    return PostgresEventStore::open({.url = db_.url(), .mode = mode}, clock_);
  }
  std::unique_ptr<PostgresEventStore> open(
      PostgresOptions::Mode mode = PostgresOptions::Mode::read_write) {
    auto s = try_open(mode);
    EXPECT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Raw SQL on the test database, bypassing the store: how tests play a newer duban or a
  // tamperer.
  pqxx::result sql(const std::string& statement) {
    pqxx::connection c(db_.url());
    return pg_exec(c, statement);
  }
  std::string meta_version() {
    return sql("SELECT value FROM meta WHERE key = 'schema_version'")[0][0].c_str();
  }

  TestDatabase db_;
  FixedClock clock_{from_millis(1'767'312'000'000)};
};

TEST_F(PostgresEventStoreTest, AFreshDatabaseGetsTheSchemaAtTheCurrentVersion) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(meta_version(), std::to_string(detail::kPgSchemaVersion));
  auto head = sql("SELECT position, length(hash) FROM log_head");
  ASSERT_EQ(head.size(), 1u);
  EXPECT_EQ(head[0][0].as<int>(), 0);
  EXPECT_EQ(head[0][1].as<int>(), 32);
  store.reset();
  // Reopening an up-to-date database changes nothing.
  store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(meta_version(), std::to_string(detail::kPgSchemaVersion));
  EXPECT_EQ(sql("SELECT count(*) FROM log_head")[0][0].as<int>(), 1);
}

TEST_F(PostgresEventStoreTest, AnOlderSchemaIsMigratedStepByStepAndThenRefusedByAnOlderBuild) {
  {
    auto store = open();  // version 1 with an event in it
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1")).ok());
  }
  // A future build's list: this build's steps plus one more.
  std::vector<detail::PgMigration> steps(detail::pg_migrations().begin(),
                                         detail::pg_migrations().end());
  steps.push_back({detail::kPgSchemaVersion + 1, "ALTER TABLE events ADD COLUMN note text"});
  {
    pqxx::connection c(db_.url());
    auto migrated = detail::pg_migrate(c, steps);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    EXPECT_EQ(*migrated, detail::kPgSchemaVersion + 1);
    // Applying the list again is a no-op (the new step must not run twice).
    auto again = detail::pg_migrate(c, steps);
    ASSERT_TRUE(again.ok()) << again.error().message;
  }
  EXPECT_EQ(meta_version(), std::to_string(detail::kPgSchemaVersion + 1));
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE note IS NULL")[0][0].as<int>(), 1)
      << "the old rows survive the migration";
  // This build knows only up to kPgSchemaVersion.
  auto refused = try_open();
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is(refused.error(), StoreErrc::schema_too_new)) << refused.error().code;
}

TEST_F(PostgresEventStoreTest, ADatabaseFromANewerDubanIsRefusedWithAClearMessage) {
  { ASSERT_NE(open(), nullptr); }
  sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  for (auto mode : {PostgresOptions::Mode::read_write, PostgresOptions::Mode::read_only}) {
    auto s = try_open(mode);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(is(s.error(), StoreErrc::schema_too_new)) << s.error().code;
    EXPECT_NE(s.error().message.find("version 99"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("upgrade duban"), std::string::npos) << s.error().message;
  }
  EXPECT_EQ(meta_version(), "99") << "a refused database is left untouched";
}

TEST_F(PostgresEventStoreTest, ConcurrentFirstOpensCreateTheSchemaOnce) {
  constexpr int kNodes = 6;
  std::barrier start(kNodes);
  std::atomic<int> opened{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&] {
      start.arrive_and_wait();
      auto s = try_open();
      EXPECT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
      if (s.ok()) ++opened;
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(opened.load(), kNodes);
  EXPECT_EQ(sql("SELECT count(*) FROM log_head")[0][0].as<int>(), 1);
  EXPECT_EQ(meta_version(), std::to_string(detail::kPgSchemaVersion));
}

TEST_F(PostgresEventStoreTest, ADatabaseWithForeignTablesInTheWayIsRefusedUntouched) {
  sql("CREATE TABLE events(id integer)");
  auto s = try_open();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::corrupt)) << s.error().code;
  EXPECT_NE(s.error().message.find("not a duban event store"), std::string::npos)
      << s.error().message;
  EXPECT_TRUE(sql("SELECT to_regclass('meta')")[0][0].is_null()) << "nothing was created";
}

TEST_F(PostgresEventStoreTest, AReadOnlyOpenOfADatabaseWithoutAStoreIsNotFoundAndCreatesNothing) {
  auto s = try_open(PostgresOptions::Mode::read_only);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::not_found)) << s.error().code << ": " << s.error().message;
  EXPECT_TRUE(sql("SELECT to_regclass('meta')")[0][0].is_null());
}

TEST_F(PostgresEventStoreTest, AnUnreachableServerIsAnIoErrorWithTheReason) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto s = PostgresEventStore::open(
      {.url = "postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=5"}, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::io_error)) << s.error().code;
  EXPECT_NE(s.error().message.find("127.0.0.1"), std::string::npos) << s.error().message;
}

TEST_F(PostgresEventStoreTest, AMissingDatabaseIsReportedNotCreated) {
  auto s = PostgresEventStore::open({.url = with_database(db_.server_url(), "no_such_db")}, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::io_error)) << s.error().code;
  EXPECT_NE(s.error().message.find("no_such_db"), std::string::npos) << s.error().message;
}

TEST_F(PostgresEventStoreTest, ANonPostgresUrlOrBadOptionsAreInvalidArguments) {
  auto sqlite_path = PostgresEventStore::open({.url = "/tmp/events.db"}, clock_);
  ASSERT_FALSE(sqlite_path.ok());
  EXPECT_TRUE(is(sqlite_path.error(), StoreErrc::invalid_argument));
  auto no_batch = PostgresEventStore::open({.url = db_.url(), .max_batch_commands = 0}, clock_);
  ASSERT_FALSE(no_batch.ok());
  EXPECT_TRUE(is(no_batch.error(), StoreErrc::invalid_argument));
  EXPECT_TRUE(is_postgres_url("postgres://u@h/db"));
  EXPECT_TRUE(is_postgres_url("postgresql://u@h/db"));
  EXPECT_FALSE(is_postgres_url("sqlite:/tmp/x.db"));
}

TEST_F(PostgresEventStoreTest, TheEventsTableRefusesUpdatesDeletesAndTruncate) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c")).ok());
  for (const char* statement :
       {"UPDATE events SET actor = 'mallory'", "DELETE FROM events", "TRUNCATE events"}) {
    EXPECT_THROW(sql(statement), pqxx::sql_error) << statement;
  }
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE actor = 'tester'")[0][0].as<int>(), 1);
}

TEST_F(PostgresEventStoreTest, TheHashChainCatchesAnEventEditedBehindTheStoresBack) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store
                    ->append("s", ExpectedVersion::any(),
                             std::vector{event("A", "v" + std::to_string(i))},
                             CommandId("c" + std::to_string(i)))
                    .ok());
  }
  ASSERT_TRUE(verify_hash_chain(*store).ok());
  sql("ALTER TABLE events DISABLE TRIGGER events_are_append_only;"
      "UPDATE events SET payload = 'forged'::bytea WHERE position = 3;"
      "ALTER TABLE events ENABLE TRIGGER events_are_append_only");
  auto check = verify_hash_chain(*store);
  ASSERT_FALSE(check.ok());
  EXPECT_TRUE(is(check.error(), StoreErrc::corrupt));
  EXPECT_NE(check.error().message.find("position 3"), std::string::npos) << check.error().message;
}

TEST_F(PostgresEventStoreTest, TheSameCommandsGiveTheSameHashChainOnSqliteAndPostgres) {
  duban::testing::TempDir dir;
  auto sqlite = SqliteEventStore::open({.path = dir.file("events.db")}, clock_);
  ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
  auto pg = open();
  ASSERT_NE(pg, nullptr);
  EventStore* stores[] = {sqlite->get(), pg.get()};
  for (int i = 0; i < 12; ++i) {
    const std::vector<NewEvent> events{
        NewEvent{"TaskCreated", 2, std::string("\0\x01\xff", 3) + std::to_string(i),
                 "单位/" + std::to_string(i)},
        event("UnitAssigned")};
    for (EventStore* s : stores) {
      ASSERT_TRUE(s->append("task/" + std::to_string(i % 3), ExpectedVersion::any(), events,
                            CommandId("cmd-" + std::to_string(i)))
                      .ok());
    }
    clock_.advance(std::chrono::milliseconds(1234));
  }
  auto a = stores[0]->read_all(GlobalPosition(1), 100);
  auto b = stores[1]->read_all(GlobalPosition(1), 100);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 24u);
  expect_same_log(*a, *b);
  auto ha = stores[0]->head();
  auto hb = stores[1]->head();
  ASSERT_TRUE(ha.ok() && hb.ok());
  EXPECT_EQ(to_hex(ha->hash), to_hex(hb->hash));
}

TEST_F(PostgresEventStoreTest, TextPostgresCannotHoldIsRefusedUpFrontAsInvalidArgument) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  const std::string nul("a\0b", 3);
  const std::string bad_utf8 = "caf\xe9";  // Latin-1 é
  struct Case {
    std::string stream, type, actor, command;
  };
  for (const Case& c : {Case{nul, "A", "x", "c1"}, Case{"s", bad_utf8, "x", "c2"},
                        Case{"s", "A", nul, "c3"}, Case{"s", "A", "x", bad_utf8}}) {
    auto r = store->append(c.stream, ExpectedVersion::any(),
                           std::vector{NewEvent{c.type, 1, "", c.actor}}, CommandId(c.command));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(is(r.error(), StoreErrc::invalid_argument)) << r.error().code;
  }
  auto events = store->read_stream(nul);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  auto head = store->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(0));
}

TEST_F(PostgresEventStoreTest, AwkwardTextAndEveryByteValueRoundTrip) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const std::vector<std::string> texts = {"NULL",       "",
                                          "a,b",        "{x}",
                                          "\"quoted\"", "back\\slash",
                                          "  spaced  ", "青海省人民政府办公厅",
                                          "emoji 🙂", "\\x00"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string stream = texts[i].empty() ? "empty-stream-name" : texts[i];
    auto r = store->append(stream, ExpectedVersion::any(),
                           std::vector{NewEvent{"T" + texts[i], 7, all_bytes + texts[i], texts[i]}},
                           CommandId("cmd " + texts[i]));
    ASSERT_TRUE(r.ok()) << texts[i] << ": " << r.error().message;
    auto back = store->read_stream(stream);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), 1u) << texts[i];
    const RecordedEvent& e = back->front();
    EXPECT_EQ(e.stream, stream);
    EXPECT_EQ(e.type, "T" + texts[i]);
    EXPECT_EQ(e.payload, all_bytes + texts[i]);
    EXPECT_EQ(e.actor, texts[i]);
    EXPECT_EQ(e.command_id, CommandId("cmd " + texts[i]));
  }
  EXPECT_TRUE(verify_hash_chain(*store).ok());
}

TEST_F(PostgresEventStoreTest, CommandsLargerThanTheBatchLimitsStillGoThroughWhole) {
  auto opened = PostgresEventStore::open(
      {.url = db_.url(), .max_batch_commands = 2, .max_batch_events = 3}, clock_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& store = **opened;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::vector<NewEvent> events(static_cast<std::size_t>(1 + (i % 5)), event("E"));
        auto r = store.append("w/" + std::to_string(t), ExpectedVersion::any(), events,
                              CommandId(std::to_string(t) + "/" + std::to_string(i)));
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->last.value() - r->first.value() + 1, static_cast<std::int64_t>(events.size()));
      }
    });
  }
  for (auto& w : writers) w.join();
  auto check = verify_hash_chain(store);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, 4 * (1 + 2 + 3 + 4 + 5) * 2);
}

// The recommended auditor set-up (docs/operations.md): a role with SELECT only. It opens
// read-only, reads and verifies; even a read-write open cannot append (read_only).
TEST_F(PostgresEventStoreTest, ARoleWithOnlySelectCanAuditButNeverAppend) {
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1")).ok());
  }
  const std::string role = "auditor_" + db_.name();
  pqxx::connection admin(db_.server_url());
  pg_exec(admin, "CREATE ROLE " + role + " LOGIN");
  sql("GRANT SELECT ON meta, events, commands, log_head TO " + role);
  const auto at = db_.url().find("postgres@");
  ASSERT_NE(at, std::string::npos);
  const std::string url = db_.url().substr(0, at) + role + db_.url().substr(at + 8);
  {
    auto auditor =
        PostgresEventStore::open({.url = url, .mode = PostgresOptions::Mode::read_only}, clock_);
    ASSERT_TRUE(auditor.ok()) << auditor.error().message;
    auto check = verify_hash_chain(**auditor);
    ASSERT_TRUE(check.ok()) << check.error().message;
    EXPECT_EQ(check->events, 1);

    auto writer = PostgresEventStore::open({.url = url}, clock_);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    auto r =
        (*writer)->append("s", ExpectedVersion::any(), std::vector{event("B")}, CommandId("c2"));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(is(r.error(), StoreErrc::read_only)) << r.error().code << ": " << r.error().message;
  }
  sql("DROP OWNED BY " + role);
  pg_exec(admin, "DROP ROLE " + role);
}

// Two nodes on one database whose clocks disagree: the second runs a minute behind the first.
// recorded_at is stamped under the head lock and never before the last event's, so it never
// decreases with position (audit asof walks the log by it), and a node whose clock is ahead of
// the log's last event still stamps its own time.
TEST_F(PostgresEventStoreTest, RecordedAtNeverGoesBackwardsAcrossNodesWithSkewedClocks) {
  FixedClock behind{clock_.now() - std::chrono::minutes(1)};
  auto ahead_store = open();
  auto behind_store = PostgresEventStore::open({.url = db_.url()}, behind);
  ASSERT_NE(ahead_store, nullptr);
  ASSERT_TRUE(behind_store.ok()) << behind_store.error().message;
  int n = 0;
  for (int round = 0; round < 3; ++round) {
    for (EventStore* s : {static_cast<EventStore*>(ahead_store.get()),
                          static_cast<EventStore*>(behind_store->get())}) {
      const std::string id = "c" + std::to_string(++n);
      ASSERT_TRUE(s->append("s" + std::to_string(n), ExpectedVersion::any(),
                            std::vector{event("A"), event("B")}, CommandId(id))
                      .ok());
    }
    clock_.advance(std::chrono::seconds(1));
    behind.advance(std::chrono::seconds(1));
  }
  auto log = ahead_store->read_all(GlobalPosition(1), 100);
  ASSERT_TRUE(log.ok()) << log.error().message;
  ASSERT_EQ(log->size(), 12u);
  for (std::size_t i = 1; i < log->size(); ++i) {
    EXPECT_GE((*log)[i].recorded_at, (*log)[i - 1].recorded_at) << "position " << i + 1;
  }
  // The behind node's events carry the ahead node's last time, not its own earlier clock.
  EXPECT_EQ((*log)[2].recorded_at, (*log)[1].recorded_at);
  EXPECT_EQ((*log)[11].recorded_at, clock_.now() - std::chrono::seconds(1));
  // Its clock ahead of the log again: its own time.
  behind.advance_to(clock_.now() + std::chrono::minutes(5));
  ASSERT_TRUE(
      (*behind_store)
          ->append("late", ExpectedVersion::any(), std::vector{event("C")}, CommandId("late"))
          .ok());
  auto last = ahead_store->read_all(GlobalPosition(13), 1);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].recorded_at, behind.now());
  auto check = verify_hash_chain(*ahead_store);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, 13);
}

}  // namespace
}  // namespace duban::storage::testing
