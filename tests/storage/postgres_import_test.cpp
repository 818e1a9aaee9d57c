// Moving a log into PostgreSQL verbatim (PostgresEventStore::import, storage/log_copy.h), from
// real SQLite files into real databases on the fixture's server. Covers: a full copy gives the
// same events, head, hash chain, `events` rows and `commands` rows as appending the same commands
// to PostgreSQL directly; batches end at command boundaries and a command longer than a batch
// goes alone; an interrupted copy is finished by running it again, and a finished one copies
// nothing; a command cut between two imports keeps its original result; a target holding another
// log, or a longer one, is refused before anything is written; a source event whose stored hash
// does not follow the chain (an edited payload, an edited hash, an edited SQLite file) is refused
// naming its position, and nothing of its batch is written; imports not starting at the head,
// not consecutive, or into a read-only store are refused; after a copy, old command ids are
// duplicates with their original results and new appends continue the chain; an import waits
// for the log_head lock like an append, wakes other store objects' waiters (NOTIFY), and an
// append between two imports makes the next import refused, never interleaved.
#include <sqlite3.h>

#include <pqxx/transaction>

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <thread>

#include "storage/detail/pg_text.h"
#include "storage/hash_chain.h"
#include "storage/log_copy.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/temp_dir.h"

namespace duban::storage::testing {
namespace {

using namespace std::chrono_literals;

// One command of the sample log.
struct SampleCommand {
  std::string stream;
  std::vector<NewEvent> events;
  CommandId id;
};

// A log with several streams, commands of 1 to 5 events, binary payloads, Chinese actors and
// recorded_at moving on: `n` commands.
std::vector<SampleCommand> sample_commands(int n) {
  std::vector<SampleCommand> out;
  for (int i = 0; i < n; ++i) {
    SampleCommand c{"task/" + std::to_string(i % 4), {}, CommandId("cmd-" + std::to_string(i))};
    const int events = 1 + (i * 7) % 5;
    for (int k = 0; k < events; ++k) {
      c.events.push_back(NewEvent{k == 0 ? "TaskCreated" : "UnitAssigned", 1 + k % 2,
                                  std::string("\0\x01\xff", 3) + std::to_string(i * 10 + k),
                                  "单位/" + std::to_string(i)});
    }
    out.push_back(std::move(c));
  }
  return out;
}

void append_all(EventStore& store, FixedClock& clock, const std::vector<SampleCommand>& commands) {
  for (const auto& c : commands) {
    auto r = store.append(c.stream, ExpectedVersion::any(), c.events, c.id);
    ASSERT_TRUE(r.ok()) << r.error().message;
    clock.advance(1234ms);
  }
}

std::vector<RecordedEvent> read_everything(EventStore& store) {
  auto all = store.read_all(GlobalPosition(1), 1'000'000);
  EXPECT_TRUE(all.ok()) << all.error().message;
  return all.ok() ? std::move(*all) : std::vector<RecordedEvent>{};
}

// The positions at which a command ends: where every batch of a copy must end.
std::set<std::int64_t> command_ends(const std::vector<RecordedEvent>& log) {
  std::set<std::int64_t> ends;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (i + 1 == log.size() || log[i + 1].command_id != log[i].command_id) {
      ends.insert(log[i].position.value());
    }
  }
  return ends;
}

// Raw SQL on a SQLite file behind the store's back (how the tests play a tamperer).
void sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "?");
  sqlite3_free(error);
  sqlite3_close(db);
}

class PostgresImportTest : public ::testing::Test {
 protected:
  // Fills the SQLite source with `commands` through its own append().
  void fill_source(const std::vector<SampleCommand>& commands) {
    auto s = SqliteEventStore::open({.path = source_path_}, clock_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    append_all(**s, clock_, commands);
  }
  // The source as `duban migrate` opens it: read-only.
  std::unique_ptr<SqliteEventStore> open_source() {
    auto s = SqliteEventStore::open({.path = source_path_, .mode = SqliteOptions::Mode::read_only},
                                    clock_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<PostgresEventStore> open_pg(
      const TestDatabase& db, PostgresOptions::Mode mode = PostgresOptions::Mode::read_write) {
    auto s = PostgresEventStore::open({.url = db.url(), .mode = mode}, clock_);
    EXPECT_TRUE(s.ok()) << s.error().code << ": " << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  pqxx::result sql(const TestDatabase& db, const std::string& statement) {
    pqxx::connection c(db.url());
    return pg_exec(c, statement);
  }
  // A table's rows as text, in key order, for comparing two databases.
  std::vector<std::string> rows(const TestDatabase& db, const std::string& query) {
    std::vector<std::string> out;
    for (const pqxx::row& r : sql(db, query)) {
      std::string line;
      for (const pqxx::field& f : r) line += std::string(f.is_null() ? "NULL" : f.c_str()) + "|";
      out.push_back(line);
    }
    return out;
  }
  std::int64_t count_events(const TestDatabase& db) {
    return sql(db, "SELECT count(*) FROM events")[0][0].as<std::int64_t>();
  }

  duban::testing::TempDir dir_;
  const std::string source_path_ = dir_.file("source.db");
  FixedClock clock_{from_millis(1'439'000'000'000)};
  TestDatabase target_db_;
};

TEST_F(PostgresImportTest, ACopyEqualsAppendingTheSameCommandsToPostgresDirectly) {
  const auto commands = sample_commands(30);
  const Timestamp start = clock_.now();
  fill_source(commands);
  // The reference: the same commands at the same times, appended to PostgreSQL itself.
  TestDatabase reference_db;
  {
    clock_.advance_to(start);
    auto reference = open_pg(reference_db);
    ASSERT_NE(reference, nullptr);
    append_all(*reference, clock_, commands);
  }

  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto source_log = read_everything(*source);
  const auto ends = command_ends(source_log);
  std::vector<LogCopyProgress> seen;
  auto copied = copy_log(
      *source, *target,
      {.batch_events = 7, .on_progress = [&](const LogCopyProgress& p) { seen.push_back(p); }});
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_EQ(copied->resumed_after, GlobalPosition(0));
  EXPECT_EQ(copied->copied, static_cast<std::int64_t>(source_log.size()));
  EXPECT_EQ(copied->total, copied->copied);

  // Progress: first before any batch, then after each; every batch ends at a command's end and
  // holds at most 7 events (no sample command is longer).
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front().copied, 0);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_TRUE(ends.count(seen[i].target_head.position.value()))
        << "a batch ended inside a command, at position " << seen[i].target_head.position.value();
    EXPECT_LE(seen[i].copied - seen[i - 1].copied, 7);
  }
  EXPECT_EQ(seen.back().copied, copied->total);

  expect_same_log(source_log, read_everything(*target));
  auto source_head = source->head();
  auto target_head = target->head();
  ASSERT_TRUE(source_head.ok() && target_head.ok());
  EXPECT_EQ(target_head->position, source_head->position);
  EXPECT_EQ(to_hex(target_head->hash), to_hex(source_head->hash));
  auto check = verify_hash_chain(*target);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, static_cast<std::int64_t>(source_log.size()));
  EXPECT_EQ(to_hex(check->head.hash), to_hex(source_head->hash));

  // Row for row what append() writes: events (prev_hash included), commands, log_head.
  EXPECT_EQ(rows(target_db_, "SELECT * FROM events ORDER BY position"),
            rows(reference_db, "SELECT * FROM events ORDER BY position"));
  EXPECT_EQ(rows(target_db_, "SELECT * FROM commands ORDER BY command_id"),
            rows(reference_db, "SELECT * FROM commands ORDER BY command_id"));
  EXPECT_EQ(rows(target_db_, "SELECT * FROM log_head"),
            rows(reference_db, "SELECT * FROM log_head"));
}

TEST_F(PostgresImportTest, ACommandLongerThanABatchGoesAloneInOneTransaction) {
  std::vector<SampleCommand> commands = sample_commands(3);
  commands.push_back(
      {"task/long", std::vector<NewEvent>(9, NewEvent{"Long", 1, "x", "a"}), CommandId("long")});
  commands.push_back({"task/after", {NewEvent{"After", 1, "y", "b"}}, CommandId("after")});
  fill_source(commands);
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto ends = command_ends(read_everything(*source));
  std::vector<std::int64_t> batch_sizes;
  std::int64_t before = 0;
  auto copied =
      copy_log(*source, *target, {.batch_events = 2, .on_progress = [&](const LogCopyProgress& p) {
                                    if (p.copied == 0) return;  // the call before the first batch
                                    batch_sizes.push_back(p.copied - before);
                                    before = p.copied;
                                    EXPECT_TRUE(ends.count(p.target_head.position.value()));
                                  }});
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_NE(std::find(batch_sizes.begin(), batch_sizes.end(), 9), batch_sizes.end())
      << "the 9-event command went in one batch";
  auto dup = target->append("task/long", ExpectedVersion::any(),
                            std::vector(9, NewEvent{"Long", 1, "x", "a"}), CommandId("long"));
  ASSERT_TRUE(dup.ok()) << dup.error().message;
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->last.value() - dup->first.value(), 8);
  EXPECT_EQ(dup->version, StreamVersion(9));
}

TEST_F(PostgresImportTest, AnInterruptedCopyIsFinishedByRunningItAgain) {
  fill_source(sample_commands(20));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto source_log = read_everything(*source);
  // An earlier run committed whole commands up to some position, then stopped.
  const std::int64_t k = *std::next(command_ends(source_log).begin(), 6);
  auto first = target->import(std::span(source_log).first(static_cast<std::size_t>(k)));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->events, k);
  EXPECT_EQ(first->head.position, GlobalPosition(k));

  auto plan = plan_log_copy(*source, *target);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->resumed_after, GlobalPosition(k));
  EXPECT_EQ(plan->total, static_cast<std::int64_t>(source_log.size()) - k);

  auto rest = copy_log(*source, *target, {.batch_events = 5});
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(rest->resumed_after, GlobalPosition(k));
  EXPECT_EQ(rest->copied, static_cast<std::int64_t>(source_log.size()) - k);
  expect_same_log(source_log, read_everything(*target));
  ASSERT_TRUE(verify_hash_chain(*target).ok());

  // Once more: nothing left to copy, and that is fine.
  auto again = copy_log(*source, *target);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->copied, 0);
  EXPECT_EQ(again->total, 0);
  EXPECT_EQ(again->target_head.position,
            GlobalPosition(static_cast<std::int64_t>(source_log.size())));
}

TEST_F(PostgresImportTest, ACommandCutBetweenTwoImportsKeepsItsOriginalResult) {
  fill_source({{"s", {NewEvent{"A", 1, "a", "x"}}, CommandId("one")},
               {"t",
                std::vector<NewEvent>{{"B", 1, "1", "x"},
                                      {"B", 1, "2", "x"},
                                      {"B", 1, "3", "x"},
                                      {"B", 1, "4", "x"},
                                      {"B", 1, "5", "x"}},
                CommandId("five")},
               {"s", {NewEvent{"C", 1, "c", "x"}}, CommandId("last")}});
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto log = read_everything(*source);
  ASSERT_EQ(log.size(), 7u);
  // Positions 1..3 (command "five" half-way), then 4..7.
  ASSERT_TRUE(target->import(std::span(log).first(3)).ok());
  EXPECT_EQ(rows(target_db_, "SELECT * FROM commands WHERE command_id = 'five'"),
            std::vector<std::string>{"five|t|2|3|2|"});
  auto second = target->import(std::span(log).subspan(3));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(rows(target_db_, "SELECT * FROM commands ORDER BY first_position"),
            (std::vector<std::string>{"one|s|1|1|1|", "five|t|2|6|5|", "last|s|7|7|2|"}));

  auto retry = target->append("t", ExpectedVersion::no_stream(),
                              std::vector{NewEvent{"B", 1, "1", "x"}}, CommandId("five"));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->first, GlobalPosition(2));
  EXPECT_EQ(retry->last, GlobalPosition(6));
  EXPECT_EQ(retry->version, StreamVersion(5));
}

TEST_F(PostgresImportTest, ATargetHoldingAnotherLogIsRefusedAndNothingIsWritten) {
  fill_source(sample_commands(10));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  // The target has its own first event: same position, another hash.
  ASSERT_TRUE(target
                  ->append("other", ExpectedVersion::any(), std::vector{NewEvent{"X", 1, "x", "y"}},
                           CommandId("other-1"))
                  .ok());
  auto before = target->head();
  ASSERT_TRUE(before.ok());

  auto refused = copy_log(*source, *target);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is(refused.error(), StoreErrc::version_conflict)) << refused.error().code;
  EXPECT_NE(refused.error().message.find("its event 1 has hash " + to_hex(before->hash)),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("different log"), std::string::npos);
  EXPECT_EQ(count_events(target_db_), 1);
  auto after = target->head();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->position, before->position);

  // And import() itself refuses the source's position 2 after the foreign position 1.
  const auto log = read_everything(*source);
  auto direct = target->import(std::span(log).subspan(1, 3));
  ASSERT_FALSE(direct.ok());
  EXPECT_TRUE(is(direct.error(), StoreErrc::corrupt)) << direct.error().code;
  EXPECT_NE(direct.error().message.find("position 2"), std::string::npos) << direct.error().message;
  EXPECT_EQ(count_events(target_db_), 1);
}

TEST_F(PostgresImportTest, ATargetLongerThanTheSourceIsRefusedAndNothingIsWritten) {
  fill_source(sample_commands(2));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  append_all(*target, clock_, sample_commands(6));
  const auto before = count_events(target_db_);
  auto refused = copy_log(*source, *target);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is(refused.error(), StoreErrc::version_conflict)) << refused.error().code;
  EXPECT_NE(refused.error().message.find("more than the source's"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(count_events(target_db_), before);
}

TEST_F(PostgresImportTest, ASourceEventWhoseHashDoesNotFollowIsRefusedNamingItsPosition) {
  fill_source(sample_commands(6));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto log = read_everything(*source);
  ASSERT_GE(log.size(), 10u);

  auto edited_payload = log;
  edited_payload[5].payload += "!";  // position 6; its stored hash no longer matches
  auto r = target->import(std::span(edited_payload).first(10));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::corrupt)) << r.error().code;
  EXPECT_NE(r.error().message.find("position 6"), std::string::npos) << r.error().message;

  // A hash recomputed to match the edit breaks the next link instead.
  auto edited_hash = edited_payload;
  edited_hash[5].hash = chain_hash(log[4].hash, hashed_fields(edited_hash[5]));
  r = target->import(std::span(edited_hash).first(10));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("position 7"), std::string::npos) << r.error().message;

  EXPECT_EQ(count_events(target_db_), 0) << "nothing of a refused batch is written";
  auto head = target->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(0));
}

TEST_F(PostgresImportTest, AnEditedSourceFileIsCopiedUpToTheEditAndNoFurther) {
  fill_source(sample_commands(12));
  // Position 20's payload edited in the SQLite file, triggers dropped first.
  sqlite_exec(source_path_,
              "DROP TRIGGER IF EXISTS events_are_append_only_update;"
              "UPDATE events SET payload = x'00' WHERE position = 20;");
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  auto r = copy_log(*source, *target, {.batch_events = 4});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::corrupt)) << r.error().code;
  EXPECT_NE(r.error().message.find("position 20"), std::string::npos) << r.error().message;
  auto head = target->head();
  ASSERT_TRUE(head.ok());
  EXPECT_LT(head->position, GlobalPosition(20));
  auto check = verify_hash_chain(*target);
  ASSERT_TRUE(check.ok()) << "what was copied before the edit is intact: " << check.error().message;
}

TEST_F(PostgresImportTest, ImportsThatDoNotContinueTheHeadExactlyAreRefused) {
  fill_source(sample_commands(6));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto log = read_everything(*source);

  auto gap = target->import(std::span(log).subspan(2, 3));
  ASSERT_FALSE(gap.ok());
  EXPECT_TRUE(is(gap.error(), StoreErrc::version_conflict)) << gap.error().code;
  EXPECT_NE(gap.error().message.find("resume after position 0"), std::string::npos)
      << gap.error().message;

  ASSERT_TRUE(target->import(std::span(log).first(4)).ok());
  auto overlap = target->import(std::span(log).subspan(2, 3));
  ASSERT_FALSE(overlap.ok());
  EXPECT_TRUE(is(overlap.error(), StoreErrc::version_conflict)) << overlap.error().code;

  std::vector<RecordedEvent> holes{log[4], log[6]};
  auto not_consecutive = target->import(holes);
  ASSERT_FALSE(not_consecutive.ok());
  EXPECT_TRUE(is(not_consecutive.error(), StoreErrc::invalid_argument))
      << not_consecutive.error().code;

  auto empty = target->import({});
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(is(empty.error(), StoreErrc::invalid_argument));
  EXPECT_EQ(count_events(target_db_), 4);
}

TEST_F(PostgresImportTest, AReusedCommandIdOrAStreamVersionGapInTheSourceIsRefused) {
  // Commands: cmd-0 at position 1 (task/0), cmd-1 at 2..4 (task/1), cmd-2 at 5..9 (task/2).
  fill_source(sample_commands(4));
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  const auto log = read_everything(*source);
  ASSERT_EQ(log[4].command_id, CommandId("cmd-2"));
  ASSERT_EQ(log[4].version, StreamVersion(1));

  // Position 5 rewritten as a damaged source might hold it, the chain recomputed from there,
  // so only the rewrite itself is wrong.
  auto rewritten = [&](auto edit) {
    auto copy = log;
    edit(copy[4]);
    for (std::size_t i = 4; i < copy.size(); ++i) {
      copy[i].hash = chain_hash(copy[i - 1].hash, hashed_fields(copy[i]));
    }
    return copy;
  };
  const auto reused = rewritten([](RecordedEvent& e) {
    e.command_id = CommandId("cmd-0");  // position 1's command, long over
    e.stream = "task/0";
    e.version = StreamVersion(2);
  });
  auto r = target->import(reused);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::corrupt)) << r.error().code;
  EXPECT_NE(r.error().message.find("position 5"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("already recorded at positions 1..1"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(count_events(target_db_), 0);

  // The same across two imports: the first command is then in the target's commands table.
  ASSERT_TRUE(target->import(std::span(log).first(4)).ok());
  r = target->import(std::span(reused).subspan(4));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::corrupt)) << r.error().code;

  const auto gap = rewritten([](RecordedEvent& e) { e.version = StreamVersion(2); });
  r = target->import(std::span(gap).subspan(4));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::corrupt)) << r.error().code;
  EXPECT_NE(r.error().message.find("is at version 0 but the event has version 2"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(count_events(target_db_), 4);
}

TEST_F(PostgresImportTest, AfterACopyOldCommandIdsAreDuplicatesAndAppendsContinueTheChain) {
  const auto commands = sample_commands(12);
  fill_source(commands);
  auto source = open_source();
  auto target = open_pg(target_db_);
  ASSERT_TRUE(source && target);
  ASSERT_TRUE(copy_log(*source, *target, {.batch_events = 5}).ok());
  const auto log = read_everything(*source);
  const auto head = GlobalPosition(static_cast<std::int64_t>(log.size()));

  // Every old command id, retried on its stream: the original result, nothing appended.
  for (const auto& c : commands) {
    std::vector<const RecordedEvent*> mine;
    for (const auto& e : log) {
      if (e.command_id == c.id) mine.push_back(&e);
    }
    ASSERT_FALSE(mine.empty());
    auto r = target->append(c.stream, ExpectedVersion::no_stream(), c.events, c.id);
    ASSERT_TRUE(r.ok()) << c.id.str() << ": " << r.error().message;
    EXPECT_TRUE(r->duplicate);
    EXPECT_EQ(r->first, mine.front()->position);
    EXPECT_EQ(r->last, mine.back()->position);
    EXPECT_EQ(r->version, mine.back()->version);
  }
  auto elsewhere =
      target->append("task/other", ExpectedVersion::any(), commands[0].events, commands[0].id);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_TRUE(is(elsewhere.error(), StoreErrc::command_id_reused)) << elsewhere.error().code;
  EXPECT_EQ(count_events(target_db_), static_cast<std::int64_t>(log.size()));

  // New commands continue positions, stream versions and the chain.
  const auto stream0 = source->read_stream("task/0");
  ASSERT_TRUE(stream0.ok());
  auto next = target->append("task/0", ExpectedVersion::exactly(stream0->back().version),
                             std::vector{NewEvent{"Progress", 1, "p", "fgw"}}, CommandId("new-1"));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_FALSE(next->duplicate);
  EXPECT_EQ(next->first, head.next());
  EXPECT_EQ(next->version, stream0->back().version.next());
  auto check = verify_hash_chain(*target);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, static_cast<std::int64_t>(log.size()) + 1);
}

TEST_F(PostgresImportTest, AnImportWaitsForTheLogHeadLockLikeAnAppend) {
  fill_source(sample_commands(3));
  auto source = open_source();
  auto opened = PostgresEventStore::open({.url = target_db_.url(), .lock_timeout = 30s}, clock_);
  ASSERT_TRUE(source && opened.ok());
  auto& target = *opened;
  const auto log = read_everything(*source);

  pqxx::connection other(target_db_.url());
  pqxx::work holder(other);
  holder.exec("SELECT 1 FROM log_head WHERE id = 1 FOR UPDATE");
  std::atomic<bool> done{false};
  std::optional<Result<ImportResult>> result;
  std::thread importer([&] {
    result = target->import(log);
    done = true;
  });
  // Wait until the importer's session is blocked on the lock.
  {
    pqxx::connection admin(target_db_.server_url());
    bool waiting = false;
    for (int i = 0; i < 2000 && !waiting; ++i) {
      waiting =
          !pg_exec(admin, "SELECT 1 FROM pg_stat_activity WHERE datname = '" + target_db_.name() +
                              "' AND application_name = 'duban importer' AND "
                              "wait_event_type = 'Lock'")
               .empty();
      if (!waiting) std::this_thread::sleep_for(5ms);
    }
    EXPECT_TRUE(waiting) << "the import never waited for the log_head lock";
  }
  EXPECT_FALSE(done.load());
  EXPECT_EQ(count_events(target_db_), 0);
  holder.commit();
  importer.join();
  ASSERT_TRUE(result && result->ok()) << (result ? result->error().message : "no result");
  EXPECT_EQ((*result)->events, static_cast<std::int64_t>(log.size()));
}

TEST_F(PostgresImportTest, AnImportWakesWaitersOfThisAndOtherStoreObjects) {
  fill_source(sample_commands(3));
  auto source = open_source();
  auto target = open_pg(target_db_);
  auto watcher = open_pg(target_db_, PostgresOptions::Mode::read_only);
  ASSERT_TRUE(source && target && watcher);
  const auto log = read_everything(*source);
  std::optional<GlobalPosition> woke;
  std::thread waiter([&] { woke = watcher->wait_for_position(GlobalPosition(0), 20s); });
  std::this_thread::sleep_for(50ms);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(target->import(log).ok());
  EXPECT_EQ(target->wait_for_position(GlobalPosition(0), 0ms),
            GlobalPosition(static_cast<std::int64_t>(log.size())));
  waiter.join();
  ASSERT_TRUE(woke.has_value());
  EXPECT_EQ(*woke, GlobalPosition(static_cast<std::int64_t>(log.size())));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "woken by NOTIFY, not the timeout";
}

TEST_F(PostgresImportTest, AnAppendBetweenTwoImportsMakesTheNextImportRefusedNotInterleaved) {
  fill_source(sample_commands(8));
  auto source = open_source();
  auto target = open_pg(target_db_);
  auto node = open_pg(target_db_);
  ASSERT_TRUE(source && target && node);
  const auto log = read_everything(*source);
  const auto k = static_cast<std::size_t>(*command_ends(log).begin());
  ASSERT_TRUE(target->import(std::span(log).first(k)).ok());
  ASSERT_TRUE(node->append("intruder", ExpectedVersion::any(),
                           std::vector{NewEvent{"X", 1, "", "n"}}, CommandId("intruder-1"))
                  .ok());
  auto next = target->import(std::span(log).subspan(k));
  ASSERT_FALSE(next.ok());
  EXPECT_TRUE(is(next.error(), StoreErrc::version_conflict)) << next.error().code;
  auto check = verify_hash_chain(*target);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, static_cast<std::int64_t>(k) + 1);
}

TEST_F(PostgresImportTest, ImportingIntoAReadOnlyStoreIsRefused) {
  fill_source(sample_commands(2));
  auto source = open_source();
  { ASSERT_NE(open_pg(target_db_), nullptr); }  // creates the schema
  auto read_only = open_pg(target_db_, PostgresOptions::Mode::read_only);
  ASSERT_TRUE(source && read_only);
  const auto log = read_everything(*source);
  auto r = read_only->import(log);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::read_only)) << r.error().code;
}

}  // namespace
}  // namespace duban::storage::testing
