// The PostgreSQL store with several store objects on one database, standing in for several
// duban nodes (each object has its own connections). Covers: readers tailing read_all while
// many writers on separate connections append see every position exactly once, in order,
// without a gap (the design that makes this hold is in docs/storage.md, "Gap-free order");
// an append waiting for another writer's transaction and taking the position after it; a
// writer blocked past lock_timeout failing with busy; wait_for_position woken by another
// node's NOTIFY, by polling when LISTEN is off, and after its listener connection was
// killed; a writer or reader connection killed mid-call reported as io_error, then replaced on
// the next call.
#include <pqxx/transaction>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "storage/detail/pg_text.h"
#include "storage/hash_chain.h"
#include "storage/postgres_event_store.h"
#include "storage/store_errc.h"
#include "tests/storage/postgres_test_db.h"

namespace duban::storage::testing {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

NewEvent event(std::string type, std::string payload = "p") {
  return NewEvent{std::move(type), 1, std::move(payload), "tester"};
}

class PostgresConcurrencyTest : public ::testing::Test {
 protected:
  // Another store object: another node, with its own connections.
  std::unique_ptr<PostgresEventStore> open(const PostgresOptions& options) {
    auto s = PostgresEventStore::open(options, clock_);
    EXPECT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<PostgresEventStore> open() { return open({.url = db_.url()}); }
  std::unique_ptr<PostgresEventStore> open_read_only(PostgresOptions options) {
    options.mode = PostgresOptions::Mode::read_only;
    return open(options);
  }

  // Waits until a backend of this test's database with application_name `app` matches
  // `condition` (SQL over pg_stat_activity); returns its pid, or 0 after 10 s.
  int wait_for_backend(const std::string& app, const std::string& condition) {
    pqxx::connection admin(db_.server_url());
    const auto deadline = SteadyClock::now() + 10s;
    while (SteadyClock::now() < deadline) {
      auto r = pg_exec(admin, "SELECT pid FROM pg_stat_activity WHERE datname = '" + db_.name() +
                                  "' AND application_name = '" + app + "' AND " + condition);
      if (!r.empty()) return r[0][0].as<int>();
      std::this_thread::sleep_for(5ms);
    }
    ADD_FAILURE() << "no '" << app << "' backend with " << condition;
    return 0;
  }
  void terminate(int pid) {
    pqxx::connection admin(db_.server_url());
    pg_exec(admin, "SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  }

  TestDatabase db_;
  FixedClock clock_{from_millis(1'767'312'000'000)};
};

// The classic trap of PostgreSQL event stores: with positions from a sequence, a transaction
// can take position 7, commit after another took and committed 8, and a reader that already
// moved past 8 never sees 7. Here 12 writer threads on 4 store objects (4 writer connections,
// so real concurrent transactions) append while 3 auditors tail the log page by page from their
// last position. Each must see 1..N exactly once and in order, and the events must be exactly
// what the writers were told was appended.
TEST_F(PostgresConcurrencyTest,
       ReadersTailingTheLogSeeEveryPositionOnceInOrderWhileManyWritersAppend) {
  constexpr int kWriterStores = 4;
  constexpr int kThreadsPerStore = 3;
  constexpr int kCommands = 40;  // per thread, 1 to 3 events each
  std::vector<std::unique_ptr<PostgresEventStore>> writer_stores;
  for (int i = 0; i < kWriterStores; ++i) writer_stores.push_back(open());
  constexpr int kReaders = 3;
  std::vector<std::unique_ptr<PostgresEventStore>> reader_stores;
  for (int i = 0; i < kReaders; ++i)
    reader_stores.push_back(open_read_only({.url = db_.url(), .poll_interval = 50ms}));
  for (const auto& s : writer_stores) ASSERT_NE(s, nullptr);
  for (const auto& s : reader_stores) ASSERT_NE(s, nullptr);

  std::int64_t expected_events = 0;
  for (int i = 0; i < kCommands; ++i) expected_events += 1 + i % 3;
  expected_events *= kWriterStores * kThreadsPerStore;

  std::atomic<bool> writers_done{false};
  std::mutex acks_mu;
  std::map<std::string, AppendResult> acks;  // command id -> what its writer was told

  struct Seen {
    std::vector<RecordedEvent> events;
    int pages_while_writing = 0;
    std::string error;
  };
  std::vector<Seen> seen(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      EventStore& store = *reader_stores[static_cast<std::size_t>(r)];
      Seen& mine = seen[static_cast<std::size_t>(r)];
      GlobalPosition checkpoint(0);
      const auto deadline = SteadyClock::now() + 60s;
      while (checkpoint.value() < expected_events && SteadyClock::now() < deadline) {
        const bool writing = !writers_done;
        auto page = store.read_all(checkpoint.next(), 16);
        if (!page) {
          mine.error = page.error().message;
          return;
        }
        if (page->empty()) {
          store.wait_for_position(checkpoint, 20ms);
          continue;
        }
        if (writing) ++mine.pages_while_writing;
        for (RecordedEvent& e : *page) {
          if (e.position != checkpoint.next()) {
            mine.error = "after position " + std::to_string(checkpoint.value()) + " came " +
                         std::to_string(e.position.value());
            return;
          }
          checkpoint = e.position;
          mine.events.push_back(std::move(e));
        }
      }
    });
  }

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriterStores * kThreadsPerStore; ++w) {
    writers.emplace_back([&, w] {
      EventStore& store = *writer_stores[static_cast<std::size_t>(w % kWriterStores)];
      for (int i = 0; i < kCommands; ++i) {
        const std::string command = "w" + std::to_string(w) + "/" + std::to_string(i);
        std::vector<NewEvent> events(static_cast<std::size_t>(1 + i % 3), event("E", command));
        // A few shared streams, so writers also contend on stream versions.
        auto result = store.append("stream/" + std::to_string(i % 4), ExpectedVersion::any(),
                                   events, CommandId(command));
        ASSERT_TRUE(result.ok()) << result.error().message;
        std::lock_guard lock(acks_mu);
        acks.emplace(command, *result);
      }
    });
  }
  for (auto& t : writers) t.join();
  writers_done = true;
  for (auto& t : readers) t.join();

  auto all =
      writer_stores[0]->read_all(GlobalPosition(1), static_cast<std::size_t>(expected_events) + 1);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(static_cast<std::int64_t>(all->size()), expected_events);
  for (int r = 0; r < kReaders; ++r) {
    const Seen& s = seen[static_cast<std::size_t>(r)];
    ASSERT_EQ(s.error, "") << "reader " << r;
    ASSERT_EQ(static_cast<std::int64_t>(s.events.size()), expected_events) << "reader " << r;
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      ASSERT_EQ(s.events[i].position, GlobalPosition(static_cast<std::int64_t>(i) + 1));
      ASSERT_EQ(s.events[i].hash, (*all)[i].hash) << "reader " << r << " at " << i + 1;
    }
    EXPECT_GT(s.pages_while_writing, 0) << "reader " << r << " should tail while writers write";
  }
  // Every acknowledged command is in the log at the positions its writer was told.
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kWriterStores * kThreadsPerStore * kCommands));
  for (const auto& [command, ack] : acks) {
    for (std::int64_t p = ack.first.value(); p <= ack.last.value(); ++p) {
      const RecordedEvent& e = (*all)[static_cast<std::size_t>(p - 1)];
      ASSERT_EQ(e.command_id.str(), command) << "position " << p;
    }
  }
  auto check = verify_hash_chain(*reader_stores[0]);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, expected_events);
}

// What serializing on log_head means: an append arriving while another writer (here raw SQL
// playing a second node mid-append) holds the head waits, and then takes the position AFTER
// that writer's event, so positions follow commit order.
TEST_F(PostgresConcurrencyTest,
       AnAppendWaitsForAnotherWritersTransactionAndTakesThePositionAfterIt) {
  auto store = open({.url = db_.url(), .lock_timeout = 30s});
  ASSERT_NE(store, nullptr);
  pqxx::connection other(db_.url());
  pqxx::work node_b(other);
  const pqxx::row head =
      node_b.exec1("SELECT position, hash FROM log_head WHERE id = 1 FOR UPDATE");
  ASSERT_EQ(head[0].as<int>(), 0);

  std::optional<Result<AppendResult>> result;
  std::thread appender([&] {
    result =
        store->append("a", ExpectedVersion::any(), std::vector{event("FromA")}, CommandId("a1"));
  });
  ASSERT_NE(wait_for_backend("duban writer", "wait_event_type = 'Lock'"), 0);
  auto during = store->read_all(GlobalPosition(1), 10);
  ASSERT_TRUE(during.ok());
  EXPECT_TRUE(during->empty()) << "nothing is visible while both are in flight";

  // Node B appends position 1 exactly as the store would, and commits.
  const RecordedEvent b{GlobalPosition(1), "b",          StreamVersion(1), "FromB",         1,
                        "payload",         clock_.now(), "node-b",         CommandId("b1"), ""};
  const std::string hash = chain_hash(genesis_hash(), hashed_fields(b));
  node_b.exec_params(
      "INSERT INTO events VALUES (1, 'b', 1, 'FromB', 1, 'payload'::bytea, $1, 'node-b', 'b1', "
      "$2::bytea, $3::bytea)",
      to_millis(b.recorded_at), detail::bytea_hex(genesis_hash()), detail::bytea_hex(hash));
  node_b.exec("INSERT INTO commands VALUES ('b1', 'b', 1, 1, 1)");
  node_b.exec_params("UPDATE log_head SET position = 1, hash = $1::bytea", detail::bytea_hex(hash));
  node_b.commit();

  appender.join();
  ASSERT_TRUE(result->ok()) << result->error().message;
  EXPECT_EQ((*result)->first, GlobalPosition(2)) << "after the event that committed first";
  auto check = verify_hash_chain(*store);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, 2);
}

TEST_F(PostgresConcurrencyTest, AnAppendBlockedPastTheLockTimeoutIsBusyAndAppendsNothing) {
  auto store = open({.url = db_.url(), .lock_timeout = 200ms});
  ASSERT_NE(store, nullptr);
  {
    pqxx::connection other(db_.url());
    pqxx::work hold(other);
    hold.exec("SELECT 1 FROM log_head FOR UPDATE");
    const auto start = SteadyClock::now();
    auto r = store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1"));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(is(r.error(), StoreErrc::busy)) << r.error().code << ": " << r.error().message;
    EXPECT_GE(SteadyClock::now() - start, 200ms);
  }  // the other transaction rolls back
  auto retry = store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1"));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_FALSE(retry->duplicate);
  EXPECT_EQ(retry->first, GlobalPosition(1));
}

// An auditor's tail (read-only, another store object: another node) wakes through NOTIFY: its
// poll interval is a minute, so nothing else could wake it in time.
TEST_F(PostgresConcurrencyTest, AnotherNodesAppendWakesAWaiterThroughNotify) {
  auto writer = open();
  auto auditor =
      open_read_only({.url = db_.url(), .poll_interval = 60s, .application_name = "auditor"});
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(auditor, nullptr);
  // LISTEN runs before the listener's first head read; once that read shows, LISTEN is active.
  ASSERT_NE(wait_for_backend("auditor listener", "state = 'idle' AND query LIKE '%log_head%'"), 0);
  std::thread appender([&] {
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(
        writer->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c")).ok());
  });
  const auto start = SteadyClock::now();
  const GlobalPosition seen = auditor->wait_for_position(GlobalPosition(0), 20s);
  const auto waited = SteadyClock::now() - start;
  appender.join();
  EXPECT_EQ(seen, GlobalPosition(1));
  EXPECT_LT(waited, 10s) << "woken by NOTIFY, not by the timeout";
  auto events = auditor->read_all(GlobalPosition(1), 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
}

TEST_F(PostgresConcurrencyTest, WithoutListenAWaiterLearnsOfAnotherNodesAppendByPolling) {
  auto writer = open();
  auto waiter = open({.url = db_.url(), .listen = false, .poll_interval = 100ms});
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(waiter, nullptr);
  std::thread appender([&] {
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(
        writer->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c")).ok());
  });
  const auto start = SteadyClock::now();
  const GlobalPosition seen = waiter->wait_for_position(GlobalPosition(0), 20s);
  appender.join();
  EXPECT_EQ(seen, GlobalPosition(1));
  EXPECT_LT(SteadyClock::now() - start, 10s);
}

// A lost notification only delays: killing the listener's connection loses whatever NOTIFY was
// in flight, and the listener reconnects and re-reads the head.
TEST_F(PostgresConcurrencyTest, AWaiterStillWakesAfterItsListenerConnectionWasKilled) {
  auto writer = open();
  auto waiter = open({.url = db_.url(), .poll_interval = 60s, .application_name = "waiter"});
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(waiter, nullptr);
  const int listener =
      wait_for_backend("waiter listener", "state = 'idle' AND query LIKE '%log_head%'");
  ASSERT_NE(listener, 0);
  terminate(listener);
  ASSERT_TRUE(
      writer->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c")).ok());
  EXPECT_EQ(waiter->wait_for_position(GlobalPosition(0), 20s), GlobalPosition(1));
  // And it listens again on its new connection.
  ASSERT_NE(
      wait_for_backend("waiter listener", "pid <> " + std::to_string(listener) +
                                              " AND state = 'idle' AND query LIKE '%log_head%'"),
      0);
  ASSERT_TRUE(
      writer->append("s", ExpectedVersion::any(), std::vector{event("B")}, CommandId("d")).ok());
  EXPECT_EQ(waiter->wait_for_position(GlobalPosition(1), 20s), GlobalPosition(2));
}

TEST_F(PostgresConcurrencyTest,
       AWriterConnectionKilledMidAppendIsAnIoErrorAndTheNextAppendReconnects) {
  auto store = open({.url = db_.url(), .lock_timeout = 30s});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1")).ok());
  {
    // Hold the head so the append is provably in flight when its connection dies.
    pqxx::connection other(db_.url());
    pqxx::work hold(other);
    hold.exec("SELECT 1 FROM log_head FOR UPDATE");
    std::optional<Result<AppendResult>> result;
    std::thread appender([&] {
      result = store->append("s", ExpectedVersion::any(), std::vector{event("B")}, CommandId("c2"));
    });
    const int pid = wait_for_backend("duban writer", "wait_event_type = 'Lock'");
    ASSERT_NE(pid, 0);
    terminate(pid);
    appender.join();
    ASSERT_FALSE(result->ok());
    EXPECT_TRUE(is(result->error(), StoreErrc::io_error))
        << result->error().code << ": " << result->error().message;
  }
  // c2 never committed, so it is new, not a duplicate; positions continue without a gap.
  auto retry = store->append("s", ExpectedVersion::any(), std::vector{event("B")}, CommandId("c2"));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_FALSE(retry->duplicate);
  EXPECT_EQ(retry->first, GlobalPosition(2));
  EXPECT_TRUE(verify_hash_chain(*store).ok());
}

TEST_F(PostgresConcurrencyTest, AReaderConnectionKilledMidReadIsAnIoErrorAndTheNextReadReconnects) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c1")).ok());
  {
    pqxx::connection other(db_.url());
    pqxx::work hold(other);
    hold.exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
    std::optional<Result<std::vector<RecordedEvent>>> result;
    std::thread reader([&] { result = store->read_all(GlobalPosition(1), 10); });
    const int pid = wait_for_backend("duban reader", "wait_event_type = 'Lock'");
    ASSERT_NE(pid, 0);
    terminate(pid);
    reader.join();
    ASSERT_FALSE(result->ok());
    EXPECT_TRUE(is(result->error(), StoreErrc::io_error))
        << result->error().code << ": " << result->error().message;
  }
  auto again = store->read_all(GlobalPosition(1), 10);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->size(), 1u);
}

}  // namespace
}  // namespace duban::storage::testing
