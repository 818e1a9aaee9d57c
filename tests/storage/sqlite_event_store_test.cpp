// The SQLite backend: runs the EventStore contract suite on a real SQLite file in a temp dir,
// then what only SQLite has: WAL mode on disk, refusing a database from a newer duban or a file
// that is not an event store, read-only opens of missing files, the append-only triggers, and
// the hash chain catching an event edited behind the store's back.
#include <sqlite3.h>

#include <fstream>

#include "storage/hash_chain.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/storage/event_store_contract.h"
#include "tests/support/temp_dir.h"

namespace duban::storage::testing {
namespace {

class SqliteBackend final : public Backend {
 public:
  std::unique_ptr<EventStore> open(const Clock& clock) override {
    return open_mode(clock, SqliteOptions::Mode::read_write);
  }
  std::unique_ptr<EventStore> open_read_only(const Clock& clock) override {
    return open_mode(clock, SqliteOptions::Mode::read_only);
  }

 private:
  std::unique_ptr<EventStore> open_mode(const Clock& clock, SqliteOptions::Mode mode) {
    auto store = SqliteEventStore::open({.path = dir_.file("events.db"), .mode = mode}, clock);
    EXPECT_TRUE(store.ok()) << store.error().code << ": " << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }
  duban::testing::TempDir dir_;
};

std::unique_ptr<Backend> make_sqlite_backend() {
  return std::make_unique<SqliteBackend>();
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Sqlite, EventStoreContract,
                         ::testing::Values(BackendFactory{"sqlite", &make_sqlite_backend}),
                         backend_name);

namespace {

// Raw SQL on the file, bypassing the store: how the tests play a tamperer or a newer duban.
void raw_exec(const std::string& path, const std::string& sql, int* rc_out = nullptr) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc_out) {
    *rc_out = rc;
  } else {
    ASSERT_EQ(rc, SQLITE_OK) << sql;
  }
}

class SqliteEventStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteEventStore> open(
      SqliteOptions::Mode mode = SqliteOptions::Mode::read_write) {
    auto s = SqliteEventStore::open({.path = path_, .mode = mode}, clock_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  void append_some(int n) {
    auto s = open();
    ASSERT_NE(s, nullptr);
    for (int i = 0; i < n; ++i) {
      std::vector<NewEvent> events{NewEvent{"E", 1, "payload " + std::to_string(i), "tester"}};
      ASSERT_TRUE(
          s->append("s", ExpectedVersion::any(), events, CommandId("c" + std::to_string(i))).ok());
    }
  }

  duban::testing::TempDir dir_;
  std::string path_ = dir_.file("events.db");
  FixedClock clock_{from_millis(1'767'312'000'000)};
};

TEST_F(SqliteEventStoreTest, TheFileIsInWalMode) {
  append_some(1);
  std::ifstream f(path_, std::ios::binary);
  char header[20] = {};
  f.read(header, sizeof header);
  // Bytes 18 and 19 of the header are the read/write format versions: 2 means WAL.
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
}

TEST_F(SqliteEventStoreTest, ADatabaseFromANewerDubanIsRefusedWithAClearMessage) {
  append_some(1);
  raw_exec(path_, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  for (auto mode : {SqliteOptions::Mode::read_write, SqliteOptions::Mode::read_only}) {
    auto s = SqliteEventStore::open({.path = path_, .mode = mode}, clock_);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(is(s.error(), StoreErrc::schema_too_new)) << s.error().code;
    EXPECT_NE(s.error().message.find("upgrade duban"), std::string::npos) << s.error().message;
  }
}

TEST_F(SqliteEventStoreTest, ASqliteFileThatIsNotAnEventStoreIsRefusedUntouched) {
  raw_exec(path_, "CREATE TABLE something_else(x)");
  auto s = SqliteEventStore::open({.path = path_}, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::corrupt)) << s.error().code;
  int rc = 0;
  raw_exec(path_, "SELECT * FROM events", &rc);
  EXPECT_NE(rc, SQLITE_OK) << "no tables were added to someone else's database";
}

TEST_F(SqliteEventStoreTest, AFileThatIsNotSqliteIsReportedCorrupt) {
  std::ofstream(path_) << "this is not a database, just some text that is long enough......"
                          "..............................................................";
  auto s = SqliteEventStore::open({.path = path_}, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::corrupt)) << s.error().code << ": " << s.error().message;
}

TEST_F(SqliteEventStoreTest, AReadOnlyOpenOfAMissingFileIsNotFoundAndCreatesNothing) {
  auto s = SqliteEventStore::open({.path = path_, .mode = SqliteOptions::Mode::read_only}, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(is(s.error(), StoreErrc::not_found)) << s.error().code;
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(SqliteEventStoreTest, EventsCannotBeUpdatedOrDeletedEvenWithRawSql) {
  append_some(2);
  int rc = 0;
  raw_exec(path_, "UPDATE events SET payload = x'00' WHERE position = 1", &rc);
  EXPECT_EQ(rc, SQLITE_CONSTRAINT);
  raw_exec(path_, "DELETE FROM events WHERE position = 2", &rc);
  EXPECT_EQ(rc, SQLITE_CONSTRAINT);
}

TEST_F(SqliteEventStoreTest, AnEventEditedBehindTheStoresBackBreaksTheHashChainThere) {
  append_some(5);
  raw_exec(path_,
           "DROP TRIGGER events_are_append_only_update;"
           "UPDATE events SET actor = 'mallory' WHERE position = 3;");
  auto auditor = open(SqliteOptions::Mode::read_only);
  ASSERT_NE(auditor, nullptr);
  auto check = verify_hash_chain(*auditor);
  ASSERT_FALSE(check.ok());
  EXPECT_TRUE(is(check.error(), StoreErrc::corrupt));
  EXPECT_NE(check.error().message.find("position 3"), std::string::npos) << check.error().message;
}

TEST_F(SqliteEventStoreTest, AWaitingReadOnlyStoreReportsAppendsFromElsewhere) {
  append_some(1);
  auto auditor = open(SqliteOptions::Mode::read_only);
  ASSERT_NE(auditor, nullptr);
  EXPECT_EQ(auditor->wait_for_position(GlobalPosition(0), std::chrono::milliseconds(0)),
            GlobalPosition(1));
  EXPECT_EQ(auditor->wait_for_position(GlobalPosition(1), std::chrono::milliseconds(10)),
            GlobalPosition(1));
}

TEST_F(SqliteEventStoreTest, ABatchLimitOfOneStillAnswersEveryWriter) {
  auto s = SqliteEventStore::open({.path = path_, .max_batch_commands = 1}, clock_);
  ASSERT_TRUE(s.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::vector<NewEvent> events{NewEvent{"E", 1, "x", "a"}};
        auto r = (*s)->append("s", ExpectedVersion::any(), events,
                              CommandId(std::to_string(t) + "/" + std::to_string(i)));
        EXPECT_TRUE(r.ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto head = (*s)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(40));
}

}  // namespace
}  // namespace duban::storage::testing
