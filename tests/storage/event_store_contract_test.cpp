// The EventStore contract, run against every backend instantiated in the backend test files.
// Covers: append and read back with the full envelope; read_stream from a version; the
// expected-version rules (any, no_stream, exactly) and conflicts that append nothing; two
// writers racing with the same expected version (exactly one wins); idempotent retries by
// command id, and a command id reused on another stream; argument checks; read_all from a
// position and paging; scan_all lending the same rows; head(); wait_for_position waking on
// append, timing out, and returning at once; the hash chain over the whole log; many concurrent
// writers all acknowledged with gap-free positions; one command's conflict not failing its
// concurrent neighbours; restart continuity; read-only opens.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "storage/hash_chain.h"
#include "storage/store_errc.h"
#include "tests/storage/event_store_contract.h"

namespace duban::storage::testing {
namespace {

using namespace std::chrono_literals;

NewEvent event(std::string type, std::string payload = "p", std::string actor = "tester") {
  return NewEvent{std::move(type), 1, std::move(payload), std::move(actor)};
}

AppendResult must_append(EventStore& s, const std::string& stream, ExpectedVersion expected,
                         std::vector<NewEvent> events, const std::string& command) {
  auto r = s.append(stream, expected, events, CommandId(command));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
  return r.ok() ? *r : AppendResult{};
}

TEST_P(EventStoreContract, AppendedEventsReadBackWithTheirFullEnvelope) {
  auto r = must_append(store(), "task/1", ExpectedVersion::no_stream(),
                       {NewEvent{"TaskCreated", 3, std::string("a\0b", 3), "office"},
                        NewEvent{"UnitAssigned", 1, "", "office"}},
                       "cmd-1");
  EXPECT_EQ(r.first, GlobalPosition(1));
  EXPECT_EQ(r.last, GlobalPosition(2));
  EXPECT_EQ(r.version, StreamVersion(2));
  EXPECT_FALSE(r.duplicate);

  auto events = store().read_stream("task/1");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const RecordedEvent& e = (*events)[0];
  EXPECT_EQ(e.position, GlobalPosition(1));
  EXPECT_EQ(e.stream, "task/1");
  EXPECT_EQ(e.version, StreamVersion(1));
  EXPECT_EQ(e.type, "TaskCreated");
  EXPECT_EQ(e.schema_version, 3);
  EXPECT_EQ(e.payload, std::string("a\0b", 3));  // binary-safe
  EXPECT_EQ(e.recorded_at, clock_.now());
  EXPECT_EQ(e.actor, "office");
  EXPECT_EQ(e.command_id, CommandId("cmd-1"));
  EXPECT_EQ(e.hash.size(), kHashSize);
  EXPECT_EQ((*events)[1].version, StreamVersion(2));
  EXPECT_EQ((*events)[1].payload, "");
  EXPECT_EQ((*events)[1].command_id, CommandId("cmd-1"));
}

TEST_P(EventStoreContract, RecordedTimeComesFromTheInjectedClock) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A")}, "c1");
  clock_.advance(90s);
  must_append(store(), "s", ExpectedVersion::any(), {event("B")}, "c2");
  auto events = store().read_stream("s");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].recorded_at - (*events)[0].recorded_at, 90s);
  EXPECT_EQ((*events)[1].recorded_at, clock_.now());
}

TEST_P(EventStoreContract, ReadStreamFromAVersionSkipsEarlierEventsAndOtherStreams) {
  must_append(store(), "a", ExpectedVersion::no_stream(), {event("A1"), event("A2")}, "c1");
  must_append(store(), "b", ExpectedVersion::no_stream(), {event("B1")}, "c2");
  must_append(store(), "a", ExpectedVersion::exactly(StreamVersion(2)), {event("A3")}, "c3");
  auto events = store().read_stream("a", StreamVersion(2));
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, "A2");
  EXPECT_EQ((*events)[1].type, "A3");
  EXPECT_EQ((*events)[1].position, GlobalPosition(4));
  EXPECT_EQ((*events)[1].version, StreamVersion(3));
}

TEST_P(EventStoreContract, ReadingAnUnknownStreamGivesNoEvents) {
  auto events = store().read_stream("nobody");
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST_P(EventStoreContract, NoStreamExpectationRefusesAnExistingStream) {
  must_append(store(), "s", ExpectedVersion::no_stream(), {event("A")}, "c1");
  auto r =
      store().append("s", ExpectedVersion::no_stream(), std::vector{event("B")}, CommandId("c2"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::version_conflict)) << r.error().code;
  EXPECT_NE(r.error().message.find("version 1"), std::string::npos) << r.error().message;
}

TEST_P(EventStoreContract, AStaleExpectedVersionIsAConflictAndAppendsNothing) {
  must_append(store(), "s", ExpectedVersion::no_stream(), {event("A"), event("B")}, "c1");
  auto r = store().append("s", ExpectedVersion::exactly(StreamVersion(1)), std::vector{event("C")},
                          CommandId("c2"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::version_conflict));
  auto r2 = store().append("t", ExpectedVersion::exactly(StreamVersion(1)), std::vector{event("C")},
                           CommandId("c3"));
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(is(r2.error(), StoreErrc::version_conflict)) << "a missing stream is version 0";

  auto head = store().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(2));
  // The refused command id stays free: the same id may be used once the caller has reloaded.
  auto retry = store().append("s", ExpectedVersion::exactly(StreamVersion(2)),
                              std::vector{event("C")}, CommandId("c2"));
  ASSERT_TRUE(retry.ok());
  EXPECT_FALSE(retry->duplicate);
  EXPECT_EQ(retry->version, StreamVersion(3));
}

TEST_P(EventStoreContract, AnyExpectationAppendsAfterWhateverTheStreamHolds) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A")}, "c1");
  auto r = must_append(store(), "s", ExpectedVersion::any(), {event("B")}, "c2");
  EXPECT_EQ(r.version, StreamVersion(2));
  auto r2 =
      must_append(store(), "s", ExpectedVersion::exactly(StreamVersion(2)), {event("C")}, "c3");
  EXPECT_EQ(r2.version, StreamVersion(3));
}

TEST_P(EventStoreContract, TwoWritersWithTheSameExpectedVersionExactlyOneWins) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string stream = "race/" + std::to_string(round);
    must_append(store(), stream, ExpectedVersion::no_stream(), {event("Created")}, stream + "/0");
    std::barrier start(2);
    std::vector<std::optional<Result<AppendResult>>> results(2);
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) {
      writers.emplace_back([&, w] {
        std::vector<NewEvent> events{event("Reassigned", "by writer " + std::to_string(w))};
        start.arrive_and_wait();
        results[w] = store().append(stream, ExpectedVersion::exactly(StreamVersion(1)), events,
                                    CommandId(stream + "/w" + std::to_string(w)));
      });
    }
    for (auto& t : writers) t.join();
    const int wins = results[0]->ok() + results[1]->ok();
    ASSERT_EQ(wins, 1) << "round " << round;
    const auto& loser = results[0]->ok() ? *results[1] : *results[0];
    EXPECT_TRUE(is(loser.error(), StoreErrc::version_conflict));
    auto events = store().read_stream(stream);
    ASSERT_TRUE(events.ok());
    EXPECT_EQ(events->size(), 2u);
  }
}

TEST_P(EventStoreContract, ARetriedCommandReturnsTheOriginalResultAndAppendsNothing) {
  const std::vector<NewEvent> events{event("A"), event("B")};
  auto first = must_append(store(), "s", ExpectedVersion::no_stream(), events, "cmd");
  must_append(store(), "other", ExpectedVersion::any(), {event("X")}, "cmd-other");

  // The retry carries the same (now stale) expectation, as a client resending after a lost reply.
  auto retry = store().append("s", ExpectedVersion::no_stream(), events, CommandId("cmd"));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->first, first.first);
  EXPECT_EQ(retry->last, first.last);
  EXPECT_EQ(retry->version, first.version);

  auto all = store().read_all(GlobalPosition(1), 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(EventStoreContract, ConcurrentRetriesOfOneCommandAppendItOnce) {
  constexpr int kThreads = 8;
  std::barrier start(kThreads);
  std::atomic<int> originals{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      std::vector<NewEvent> events{event("Once")};
      start.arrive_and_wait();
      auto r = store().append("s", ExpectedVersion::any(), events, CommandId("same"));
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->first, GlobalPosition(1));
      (r->duplicate ? duplicates : originals)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(originals.load(), 1);
  EXPECT_EQ(duplicates.load(), kThreads - 1);
}

TEST_P(EventStoreContract, ACommandIdReusedOnAnotherStreamIsRefused) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A")}, "cmd");
  auto r = store().append("t", ExpectedVersion::any(), std::vector{event("A")}, CommandId("cmd"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::command_id_reused)) << r.error().code;
}

TEST_P(EventStoreContract, MalformedAppendsAreRefusedAsInvalidArguments) {
  std::vector<NewEvent> none;
  auto empty = store().append("s", ExpectedVersion::any(), none, CommandId("c"));
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(is(empty.error(), StoreErrc::invalid_argument));
  auto no_stream =
      store().append("", ExpectedVersion::any(), std::vector{event("A")}, CommandId("c"));
  ASSERT_FALSE(no_stream.ok());
  EXPECT_TRUE(is(no_stream.error(), StoreErrc::invalid_argument));
  auto no_command =
      store().append("s", ExpectedVersion::any(), std::vector{event("A")}, CommandId());
  ASSERT_FALSE(no_command.ok());
  EXPECT_TRUE(is(no_command.error(), StoreErrc::invalid_argument));
  auto no_type =
      store().append("s", ExpectedVersion::any(), std::vector{event("")}, CommandId("c"));
  ASSERT_FALSE(no_type.ok());
  EXPECT_TRUE(is(no_type.error(), StoreErrc::invalid_argument));
}

TEST_P(EventStoreContract, ReadAllFromAPositionReturnsTheRestInOrderAndPages) {
  for (int i = 0; i < 10; ++i) {
    must_append(store(), "s" + std::to_string(i % 3), ExpectedVersion::any(),
                {event("E" + std::to_string(i))}, "c" + std::to_string(i));
  }
  auto tail = store().read_all(GlobalPosition(7), 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 4u);
  for (std::size_t i = 0; i < tail->size(); ++i) {
    EXPECT_EQ((*tail)[i].position, GlobalPosition(7 + static_cast<int>(i)));
    EXPECT_EQ((*tail)[i].type, "E" + std::to_string(6 + i));
  }
  // Paging with next() after the last seen position visits every event once.
  std::vector<std::int64_t> seen;
  GlobalPosition checkpoint(0);
  for (;;) {
    auto page = store().read_all(checkpoint.next(), 3);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& e : *page) seen.push_back(e.position.value());
    checkpoint = page->back().position;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  auto past_end = store().read_all(GlobalPosition(11), 5);
  ASSERT_TRUE(past_end.ok());
  EXPECT_TRUE(past_end->empty());
}

TEST_P(EventStoreContract, ScanAllLendsWhatReadAllReturnsAndStopsWhenAsked) {
  for (int i = 0; i < 10; ++i) {
    must_append(
        store(), "task/" + std::to_string(i % 3), ExpectedVersion::any(),
        {NewEvent{"E" + std::to_string(i), i, std::string("p\0", 2) + std::to_string(i), "a"}},
        "c" + std::to_string(i));
  }
  auto expected = store().read_all(GlobalPosition(4), 5);
  ASSERT_TRUE(expected.ok());
  std::vector<RecordedEvent> lent;  // copied out of the views while they are valid
  auto given = store().scan_all(GlobalPosition(4), 5, [&](const EventView& v) {
    RecordedEvent r;
    r.position = v.position;
    r.stream = std::string(v.stream);
    r.version = v.version;
    r.type = std::string(v.type);
    r.schema_version = v.schema_version;
    r.payload = std::string(v.payload);
    lent.push_back(std::move(r));
    return true;
  });
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_EQ(*given, 5u);
  ASSERT_EQ(lent.size(), expected->size());
  for (std::size_t i = 0; i < lent.size(); ++i) {
    const RecordedEvent& want = (*expected)[i];
    EXPECT_EQ(lent[i].position, want.position);
    EXPECT_EQ(lent[i].stream, want.stream);
    EXPECT_EQ(lent[i].version, want.version);
    EXPECT_EQ(lent[i].type, want.type);
    EXPECT_EQ(lent[i].schema_version, want.schema_version);
    EXPECT_EQ(lent[i].payload, want.payload);  // binary-safe
  }

  // Returning false stops the scan after that event; past the end there is nothing.
  std::vector<std::int64_t> seen;
  auto stopped = store().scan_all(GlobalPosition(1), 100, [&](const EventView& v) {
    seen.push_back(v.position.value());
    return seen.size() < 3;
  });
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(*stopped, 3u);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  auto past_end = store().scan_all(GlobalPosition(11), 5, [](const EventView&) { return true; });
  ASSERT_TRUE(past_end.ok());
  EXPECT_EQ(*past_end, 0u);
}

TEST_P(EventStoreContract, HeadIsTheLastPositionAndItsHash) {
  auto empty = store().head();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->position, GlobalPosition(0));
  EXPECT_EQ(empty->hash, genesis_hash());
  must_append(store(), "s", ExpectedVersion::any(), {event("A"), event("B")}, "c");
  auto head = store().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(2));
  auto events = store().read_stream("s");
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(head->hash, events->back().hash);
}

TEST_P(EventStoreContract, WaitForPositionWakesWhenAnotherThreadAppends) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A")}, "c1");
  std::atomic<bool> appended{false};
  std::thread appender([&] {
    std::this_thread::sleep_for(50ms);
    appended = true;
    must_append(store(), "s", ExpectedVersion::any(), {event("B")}, "c2");
  });
  const auto start = std::chrono::steady_clock::now();
  const GlobalPosition seen = store().wait_for_position(GlobalPosition(1), 20s);
  const auto waited = std::chrono::steady_clock::now() - start;
  appender.join();
  EXPECT_TRUE(appended.load());
  EXPECT_EQ(seen, GlobalPosition(2));
  EXPECT_LT(waited, 10s) << "woken by the append, not by the timeout";
  // The event it announced is readable.
  auto events = store().read_all(GlobalPosition(2), 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
}

TEST_P(EventStoreContract, WaitForPositionReturnsAtOnceWhenAlreadyPastAndTimesOutOtherwise) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A"), event("B")}, "c1");
  EXPECT_EQ(store().wait_for_position(GlobalPosition(1), 20s), GlobalPosition(2));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(store().wait_for_position(GlobalPosition(2), 30ms), GlobalPosition(2));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST_P(EventStoreContract, TheHashChainLinksEveryEventToThePreviousOne) {
  for (int i = 0; i < 20; ++i) {
    must_append(store(), "s" + std::to_string(i % 4), ExpectedVersion::any(),
                {event("A", "payload " + std::to_string(i)), event("B")}, "c" + std::to_string(i));
    clock_.advance(1s);
  }
  auto check = verify_hash_chain(store(), 7);  // a small page size crosses page boundaries
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->events, 40);
  auto head = store().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(check->head.position, head->position);
  EXPECT_EQ(check->head.hash, head->hash);

  auto all = store().read_all(GlobalPosition(1), 2);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].hash, chain_hash(genesis_hash(), hashed_fields((*all)[0])));
  EXPECT_EQ((*all)[1].hash, chain_hash((*all)[0].hash, hashed_fields((*all)[1])));
}

TEST_P(EventStoreContract, ManyConcurrentWritersAreAllAcknowledgedWithGapFreePositions) {
  constexpr int kThreads = 8;
  constexpr int kAppends = 200;
  std::vector<std::vector<AppendResult>> acks(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "writer/" + std::to_string(t);
      for (int i = 0; i < kAppends; ++i) {
        std::vector<NewEvent> events{event("E", std::to_string(i))};
        auto r = store().append(stream, ExpectedVersion::exactly(StreamVersion(i)), events,
                                CommandId(stream + "/" + std::to_string(i)));
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->version, StreamVersion(i + 1));
        acks[t].push_back(*r);
      }
    });
  }
  for (auto& th : threads) th.join();

  std::set<std::int64_t> positions;
  for (const auto& per_thread : acks) {
    for (const auto& a : per_thread) positions.insert(a.first.value());
  }
  ASSERT_EQ(positions.size(), static_cast<std::size_t>(kThreads * kAppends));
  EXPECT_EQ(*positions.begin(), 1);
  EXPECT_EQ(*positions.rbegin(), kThreads * kAppends);  // distinct and in 1..N: gap-free

  auto all = store().read_all(GlobalPosition(1), kThreads * kAppends + 1);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<std::size_t>(kThreads * kAppends));
  for (std::size_t i = 0; i < all->size(); ++i) {
    ASSERT_EQ((*all)[i].position, GlobalPosition(static_cast<std::int64_t>(i) + 1));
  }
  EXPECT_TRUE(verify_hash_chain(store()).ok());
}

TEST_P(EventStoreContract, OneCommandsConflictDoesNotFailItsConcurrentNeighbours) {
  constexpr int kThreads = 16;
  for (int t = 0; t < kThreads; ++t) {
    must_append(store(), "n/" + std::to_string(t), ExpectedVersion::no_stream(), {event("A")},
                "seed/" + std::to_string(t));
  }
  std::barrier start(kThreads);
  std::vector<std::optional<Result<AppendResult>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<NewEvent> events{event("B")};
      // Odd threads expect a version their stream never had.
      auto expected = ExpectedVersion::exactly(StreamVersion(t % 2 == 0 ? 1 : 7));
      start.arrive_and_wait();
      results[t] = store().append("n/" + std::to_string(t), expected, events,
                                  CommandId("cmd/" + std::to_string(t)));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    if (t % 2 == 0) {
      ASSERT_TRUE(results[t]->ok()) << t << ": " << results[t]->error().message;
      EXPECT_EQ((*results[t])->version, StreamVersion(2));
    } else {
      ASSERT_FALSE(results[t]->ok()) << t;
      EXPECT_TRUE(is(results[t]->error(), StoreErrc::version_conflict));
    }
  }
  auto head = store().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(kThreads + kThreads / 2));
  EXPECT_TRUE(verify_hash_chain(store()).ok());
}

TEST_P(EventStoreContract, AReopenedStoreContinuesPositionsVersionsAndTheChain) {
  auto before = must_append(store(), "s", ExpectedVersion::any(), {event("A"), event("B")}, "c1");
  reopen();
  auto retry = store().append("s", ExpectedVersion::any(), std::vector{event("A"), event("B")},
                              CommandId("c1"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate) << "command ids survive a restart";
  EXPECT_EQ(retry->last, before.last);
  auto after =
      must_append(store(), "s", ExpectedVersion::exactly(StreamVersion(2)), {event("C")}, "c2");
  EXPECT_EQ(after.first, GlobalPosition(3));
  EXPECT_EQ(store().wait_for_position(GlobalPosition(2), 0ms), GlobalPosition(3));
  EXPECT_TRUE(verify_hash_chain(store()).ok());
}

TEST_P(EventStoreContract, AReadOnlyOpenReadsTheLogButCannotAppend) {
  must_append(store(), "s", ExpectedVersion::any(), {event("A")}, "c1");
  auto auditor = backend_->open_read_only(clock_);
  ASSERT_NE(auditor, nullptr);
  auto r = auditor->append("s", ExpectedVersion::any(), std::vector{event("B")}, CommandId("c2"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::read_only)) << r.error().code;
  auto events = auditor->read_stream("s");
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
  EXPECT_TRUE(verify_hash_chain(*auditor).ok());

  // The auditor sees what the writer commits afterwards.
  must_append(store(), "s", ExpectedVersion::any(), {event("C")}, "c3");
  auto head = auditor->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(2));
  auto writer_head = store().head();
  ASSERT_TRUE(writer_head.ok());
  EXPECT_EQ(writer_head->position, GlobalPosition(2)) << "the refused append wrote nothing";
}

}  // namespace
}  // namespace duban::storage::testing
