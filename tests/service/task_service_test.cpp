// TaskService on a real SQLite store: accepted commands are appended with their actor and are
// visible to the very next read; refused ones append nothing; a retried command id returns the
// original result even when deciding again would refuse it; two writers expecting the same
// version: exactly one wins; racing writers without an expected version are re-decided; a read
// model behind another writer catches up before refusing; the deadline sweep records each
// reminder once, as actor system; documents go to their own stream.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "model/task/error_codes.h"
#include "model/task/streams.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

using task::Event;

TEST_F(ServiceTest, AnAcceptedCommandIsAppendedAndVisibleToTheNextRead) {
  const CommandOutcome out = accept(create("T1", {"fgw", "czt"}, {"swt"}), kSupervisor);
  EXPECT_EQ(out.stream, "task/T1");
  EXPECT_EQ(out.first, GlobalPosition(1));
  EXPECT_EQ(out.last, GlobalPosition(4));
  EXPECT_EQ(out.version, StreamVersion(4));
  EXPECT_FALSE(out.duplicate);
  ASSERT_EQ(out.events.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<task::TaskCreated>(out.events[0]));

  // Read-after-acknowledge: no catch-up call needed.
  auto state = model.task(TaskId("T1"));
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->version, StreamVersion(4));
  EXPECT_EQ(model.checkpoint(), GlobalPosition(4));
  EXPECT_EQ(model.inbox(UnitId("swt"), {clock.now()}).size(), 1u);

  auto stored = store->read_stream("task/T1");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 4u);
  EXPECT_EQ((*stored)[0].type, "TaskCreated");
  EXPECT_EQ((*stored)[0].schema_version, 2);
  EXPECT_EQ((*stored)[3].type, "UnitAssigned");
  for (const auto& e : *stored) EXPECT_EQ(e.actor, "supervisor");
  auto decoded = decode_event((*stored)[0]);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == out.events[0]);
}

TEST_F(ServiceTest, ARefusedCommandAppendsNothingAndSaysWhy) {
  accept(create("T1", {"fgw"}), kSupervisor);
  const GlobalPosition before = head();

  auto stranger = run(task::AcknowledgeTask{TaskId("T1")}, unit("xyz"));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, task::errc::kForbidden);
  EXPECT_FALSE(stranger.error().message.empty());

  auto missing = run(task::AcknowledgeTask{TaskId("nope")}, unit("fgw"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, task::errc::kNotFound);

  auto twice = run(create("T1", {"fgw"}), kSupervisor);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, task::errc::kAlreadyExists);

  EXPECT_EQ(head(), before);
}

TEST_F(ServiceTest, RetryingACommandIdReturnsTheOriginalResult) {
  accept(create("T1", {"fgw"}), kSupervisor);
  const CommandId id("ack-from-fgw");
  auto first = service->execute(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"), id);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->duplicate);

  // Deciding the acknowledgement again would be refused (already acknowledged), but a retry of
  // the same command must get the answer the lost reply carried.
  auto retry = service->execute(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"), id);
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->first, first->first);
  EXPECT_EQ(retry->last, first->last);
  EXPECT_EQ(retry->version, first->version);
  EXPECT_TRUE(retry->events.empty());

  // A command that decides to new events again (progress can always be reported) is answered by
  // the store's own duplicate check.
  const CommandId progress("progress-1");
  auto p1 = service->execute(task::ReportProgress{TaskId("T1"), "开始", 10}, unit("fgw"), progress);
  auto p2 = service->execute(task::ReportProgress{TaskId("T1"), "开始", 10}, unit("fgw"), progress);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_TRUE(p2->duplicate);
  EXPECT_EQ(p2->first, p1->first);
  EXPECT_EQ(head(), p1->last);
}

TEST_F(ServiceTest, ACommandIdReusedOnAnotherStreamIsRefused) {
  ASSERT_TRUE(service->execute(create("T1", {"fgw"}), kSupervisor, CommandId("same")).ok());
  auto other = service->execute(create("T2", {"fgw"}), kSupervisor, CommandId("same"));
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(is(other.error(), StoreErrc::command_id_reused));
  EXPECT_FALSE(model.task(TaskId("T2")).has_value());
}

TEST_F(ServiceTest, AnEmptyCommandIdIsRefused) {
  auto r = service->execute(create("T1", {"fgw"}), kSupervisor, CommandId(""));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::invalid_argument));
}

TEST_F(ServiceTest, TwoWritersExpectingTheSameVersionExactlyOneWins) {
  for (int round = 0; round < 10; ++round) {
    const std::string task = "R" + std::to_string(round);
    const CommandOutcome created = accept(create(task, {"fgw", "czt"}), kSupervisor);
    std::barrier start(2);
    Result<CommandOutcome> results[2] = {Error{}, Error{}};
    std::thread writers[2];
    const char* units[2] = {"fgw", "czt"};
    for (int w = 0; w < 2; ++w) {
      writers[w] = std::thread([&, w] {
        start.arrive_and_wait();
        results[w] = service->execute(task::AcknowledgeTask{TaskId(task)}, unit(units[w]),
                                      CommandId(task + "-ack-" + units[w]), created.version);
      });
    }
    for (auto& t : writers) t.join();
    const int wins = results[0].ok() + results[1].ok();
    ASSERT_EQ(wins, 1) << "round " << round;
    const auto& loser = results[0].ok() ? results[1] : results[0];
    EXPECT_TRUE(is(loser.error(), StoreErrc::version_conflict)) << loser.error().code;
    EXPECT_EQ(model.task(TaskId(task))->version, created.version.next());
  }
}

TEST_F(ServiceTest, RacingWritersWithoutAnExpectedVersionAreDecidedAgain) {
  accept(create("T1", {"u0", "u1", "u2", "u3"}, {"u4", "u5", "u6", "u7"}), kSupervisor);
  const StreamVersion start = model.task(TaskId("T1"))->version;
  constexpr int kWriters = 8;
  std::barrier go(kWriters);
  std::atomic<int> ok{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string u = "u" + std::to_string(w);
      go.arrive_and_wait();
      auto ack = service->execute(task::AcknowledgeTask{TaskId("T1")}, unit(u), CommandId("a" + u));
      auto progress = service->execute(task::ReportProgress{TaskId("T1"), "进展", w * 10}, unit(u),
                                       CommandId("p" + u));
      ok += ack.ok() + progress.ok();
      for (const auto* r : {&ack, &progress}) {
        if (!r->ok()) ADD_FAILURE() << u << ": " << r->error().code << ": " << r->error().message;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(ok.load(), 2 * kWriters);
  auto state = model.task(TaskId("T1"));
  EXPECT_EQ(state->version, StreamVersion(start.value() + 2 * kWriters));
  EXPECT_EQ(state->acknowledged.size(), static_cast<std::size_t>(kWriters));
}

TEST_F(ServiceTest, AReadModelBehindAnotherWriterCatchesUpBeforeDeciding) {
  // A second process: its own store object and read model on the same file.
  auto other_store = SqliteEventStore::open({.path = path()}, clock);
  ASSERT_TRUE(other_store.ok());
  projections::ReadModel other_model;
  TaskService other(**other_store, other_model, clock);
  ASSERT_TRUE(other.execute(create("T1", {"fgw"}), kSupervisor, CommandId("c1")).ok());

  // Our read model has not seen T1; deciding against it alone would say not_found.
  EXPECT_FALSE(model.task(TaskId("T1")).has_value());
  auto ack = service->execute(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"), CommandId("c2"));
  ASSERT_TRUE(ack.ok()) << ack.error().code << ": " << ack.error().message;

  // And with an explicit expected version it looks again before calling it a conflict.
  auto progress = service->execute(task::ReportProgress{TaskId("T1"), "x", 5}, unit("fgw"),
                                   CommandId("c3"), ack->version);
  ASSERT_TRUE(progress.ok()) << progress.error().message;
  ASSERT_TRUE(other.refresh().ok());
  EXPECT_TRUE(other_model.state() == model.state());
}

TEST_F(ServiceTest, AStaleExpectedVersionIsAConflict) {
  const CommandOutcome created = accept(create("T1", {"fgw"}), kSupervisor);
  accept(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"));
  auto stale = service->execute(task::ReportProgress{TaskId("T1"), "x", 5}, unit("fgw"),
                                CommandId("late"), created.version);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(is(stale.error(), StoreErrc::version_conflict));
  EXPECT_NE(stale.error().message.find("reload"), std::string::npos);
}

TEST_F(ServiceTest, TheSweepRecordsEachReminderOnceAsSystem) {
  clock.advance_to(utc(2016, 1, 1));
  accept(create("T1", {"fgw"}, {}, std::string("2016-12-31")), kSupervisor);
  accept(create("T2", {"fgw"}), kSupervisor);  // no deadline: never swept
  auto quiet = service->sweep(0.2);
  ASSERT_TRUE(quiet.ok()) << quiet.error().message;
  EXPECT_EQ(quiet->tasks_checked, 1);
  EXPECT_EQ(quiet->approaching + quiet->overdue, 0);

  clock.advance_to(utc(2016, 12, 1));  // less than 20% of the year left: yellow
  auto first = service->sweep(0.2);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->approaching, 1);
  auto again = service->sweep(0.2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->approaching + again->overdue, 0);

  clock.advance_to(utc(2017, 1, 2));
  auto late = service->sweep(0.2);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->overdue, 1);
  EXPECT_EQ(service->sweep(0.2)->overdue, 0);

  auto stored = store->read_stream("task/T1");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 4u);  // TaskCreated, UnitAssigned, DeadlineApproaching, TaskOverdue
  EXPECT_EQ((*stored)[2].type, "DeadlineApproaching");
  EXPECT_EQ((*stored)[3].type, "TaskOverdue");
  EXPECT_EQ((*stored)[3].actor, "system");
  EXPECT_EQ((*stored)[3].command_id, CommandId("sweep:T1@3"));
  EXPECT_EQ(model.overdue(clock.now()).size(), 1u);
  EXPECT_TRUE(model.overdue(clock.now())[0].recorded);
}

TEST_F(ServiceTest, DocumentsAreRegisteredOnTheirOwnStream) {
  task::RegisterDocument reg{DocumentId("青政〔2015〕70号"),
                             "青政〔2015〕70号",
                             "实施意见",
                             "青海省人民政府",
                             "2015-08-20",
                             {"正文"},
                             1,
                             "sha256:aa"};
  const CommandOutcome out = accept(reg, kSupervisor);
  EXPECT_EQ(out.stream, task::document_stream_id(DocumentId("青政〔2015〕70号")));
  EXPECT_EQ(model.document(DocumentId("青政〔2015〕70号")).document_version, 1);

  auto same = run(reg, kSupervisor);
  ASSERT_FALSE(same.ok());  // same content registered twice
  reg.version = 2;
  reg.content_hash = "sha256:bb";
  accept(reg, kSupervisor);
  EXPECT_EQ(model.document(DocumentId("青政〔2015〕70号")).document_version, 2);
}

}  // namespace
}  // namespace duban::service::testing
