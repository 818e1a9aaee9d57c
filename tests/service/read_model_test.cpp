// The projections (service/projections/) kept by ReadModel: after a scripted lifecycle and after
// random command walks from concurrent writers, a full rebuild from the log (in pages of any
// size) equals the incrementally maintained state, checkpoints included; the unit inbox,
// document progress, overdue list and unit scorecards say what the script did, with lights at a
// fake `now`; catching up stops at an event it cannot decode without applying it; queries run
// while another thread catches up.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <thread>

#include "model/task/deadline.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

using projections::AsOf;
using projections::InboxFilter;
using projections::ReadModel;
using task::Light;
using task::Status;

std::size_t at(Status s) {
  return static_cast<std::size_t>(s);
}
std::size_t at(Light l) {
  return static_cast<std::size_t>(l);
}

// Rebuilds from the log into a fresh model and compares, projection by projection first so a
// failure says which one differs.
void expect_rebuild_equals(EventStore& store, const ReadModel& live, std::size_t page_size) {
  ReadModel rebuilt;
  auto reached =
      rebuilt.catch_up(store, GlobalPosition(std::numeric_limits<std::int64_t>::max()), page_size);
  ASSERT_TRUE(reached.ok()) << reached.error().message;
  const auto a = rebuilt.state();
  const auto b = live.state();
  EXPECT_EQ(a.checkpoint(), b.checkpoint());
  EXPECT_TRUE(a.tasks == b.tasks) << "task table differs (page " << page_size << ")";
  EXPECT_TRUE(a.inbox == b.inbox) << "inbox differs";
  EXPECT_TRUE(a.progress == b.progress) << "document progress differs";
  EXPECT_TRUE(a.overdue == b.overdue) << "overdue index differs";
  EXPECT_TRUE(a.scorecards == b.scorecards) << "scorecards differ";
  EXPECT_TRUE(a == b);
  for (GlobalPosition p : {a.tasks.checkpoint(), a.inbox.checkpoint(), a.progress.checkpoint(),
                           a.overdue.checkpoint(), a.scorecards.checkpoint()}) {
    EXPECT_EQ(p, a.checkpoint()) << "every projection stores the same checkpoint";
  }
}

// A script touching every lifecycle path the projections care about.
class ScriptedRun : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    clock.advance_to(utc(2016, 1, 1));
    accept(
        task::RegisterDocument{
            DocumentId("D1"), "D1", "规划", "省政府", "2015-08-06", {"任务分工"}, 1, "h1"},
        kSupervisor);
    // T1: fgw leads with czt participating; acknowledged, progress, extension, completion
    // returned once, then approved and closed on time.
    accept(create("T1", {"fgw"}, {"czt"}, std::string("2016-06-30"), task::Mode::kLead, "D1"),
           kSupervisor);
    accept(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"));
    accept(task::AcknowledgeTask{TaskId("T1")}, unit("czt"));
    accept(task::ReportProgress{TaskId("T1"), "起草中", 30}, unit("czt"));
    accept(task::RequestExtension{TaskId("T1"), "2016-09-30", "需会签"}, unit("fgw"));
    accept(task::ApproveExtension{TaskId("T1"), std::nullopt}, kSupervisor);
    accept(task::ReportCompletion{TaskId("T1"), "已完成"}, unit("fgw"));
    accept(task::ReturnTask{TaskId("T1"), std::nullopt, "材料不全"}, kSupervisor);
    accept(task::ReportCompletion{TaskId("T1"), "已补充"}, unit("fgw"));
    clock.advance_to(utc(2016, 8, 1));
    accept(task::ApproveCompletion{TaskId("T1"), std::nullopt}, kSupervisor);
    // T2: separately for fgw and swt, deadline 2016-03-31: urged, then overdue.
    clock.advance_to(utc(2016, 1, 1));
    accept(
        create("T2", {"fgw", "swt"}, {}, std::string("2016-03-31"), task::Mode::kSeparately, "D1"),
        kSupervisor);
    accept(task::UrgeTask{TaskId("T2"), std::nullopt, "请加快"}, kSupervisor);
    accept(task::ReportCompletion{TaskId("T2"), "本部分完成"}, unit("swt"));
    accept(task::ApproveCompletion{TaskId("T2"), UnitId("swt")}, kSupervisor);
    // T3: reassigned from czt to swt, then cancelled.
    accept(create("T3", {"czt"}, {}, std::string("2016-12-31"), task::Mode::kLead, "D1"),
           kSupervisor);
    accept(
        task::ReassignTask{
            TaskId("T3"), {UnitId("swt")}, {UnitId("czt")}, std::nullopt, "调整分工", std::nullopt},
        kSupervisor);
    // T4 in another document, no deadline.
    accept(create("T4", {"czt"}, {}, std::nullopt, task::Mode::kLead, "D2"), kSupervisor);
    clock.advance_to(utc(2016, 4, 2));
    auto swept = service->sweep(projections::kDefaultYellowShare);
    ASSERT_TRUE(swept.ok()) << swept.error().message;
    accept(task::CancelTask{TaskId("T3"), "撤销", std::nullopt}, kSupervisor);
  }
};

TEST_F(ScriptedRun, ARebuildFromTheLogEqualsTheIncrementalState) {
  for (std::size_t page : {std::size_t{1}, std::size_t{7}, ReadModel::kDefaultPageSize}) {
    expect_rebuild_equals(*store, model, page);
  }
}

// The task table remembers the task it folded last (a command's events come together); a copy
// must fold into its own tasks, never through that memory into the original's.
TEST_F(ScriptedRun, ACopyOfTheProjectionsFoldsOnWithoutTouchingTheOriginal) {
  auto log = store->read_all(GlobalPosition(1), 10'000);
  ASSERT_TRUE(log.ok());
  std::size_t k = 0;  // an event followed by another of the same task
  while (k + 1 < log->size() &&
         !((*log)[k].stream.starts_with("task/") && (*log)[k].stream == (*log)[k + 1].stream)) {
    ++k;
  }
  ASSERT_LT(k + 1, log->size()) << "the script has a command with several events";
  auto fold = [&](projections::ReadModelState& state, std::size_t i) {
    auto event = storage::decode_event((*log)[i]);
    ASSERT_TRUE(event.ok());
    ASSERT_TRUE(state.apply((*log)[i], *event).ok());
  };
  projections::ReadModelState original;
  for (std::size_t i = 0; i <= k; ++i) fold(original, i);
  const projections::ReadModelState before = original;
  projections::ReadModelState copy = original;
  fold(copy, k + 1);
  EXPECT_TRUE(original == before) << "folding into the copy changed the original";
  EXPECT_FALSE(copy == before);
  fold(original, k + 1);
  EXPECT_TRUE(original == copy);
}

TEST_F(ScriptedRun, TheInboxListsAUnitsTasksWithRoleStatusAndLightAtNow) {
  const AsOf april{utc(2016, 4, 2)};
  auto fgw = model.inbox(UnitId("fgw"), april);
  ASSERT_EQ(fgw.size(), 1u);  // T1 is closed
  EXPECT_EQ(fgw[0].task, TaskId("T2"));
  EXPECT_EQ(fgw[0].role, task::Role::kLead);
  EXPECT_EQ(fgw[0].light, Light::kRed);
  EXPECT_FALSE(fgw[0].acknowledged);
  EXPECT_EQ(model.inbox(UnitId("fgw"), april, InboxFilter::kAll).size(), 2u);

  auto czt = model.inbox(UnitId("czt"), april, InboxFilter::kAll);
  ASSERT_EQ(czt.size(), 3u);  // T1 participant, T3 now participant (cancelled), T4 lead
  EXPECT_EQ(czt[0].task, TaskId("T1"));
  EXPECT_EQ(czt[0].role, task::Role::kParticipant);
  EXPECT_TRUE(czt[0].acknowledged);
  EXPECT_EQ(czt[0].light, Light::kDone);
  EXPECT_EQ(czt[1].task, TaskId("T3"));
  EXPECT_EQ(czt[1].role, task::Role::kParticipant);
  EXPECT_EQ(czt[1].status, Status::kCancelled);
  EXPECT_EQ(czt[2].light, Light::kNone);
  EXPECT_EQ(model.inbox(UnitId("czt"), april).size(), 1u);

  // The light moves with `now`, not with the log.
  EXPECT_EQ(model.inbox(UnitId("swt"), AsOf{utc(2016, 1, 2)}, InboxFilter::kAll).size(), 2u);
  EXPECT_EQ(model.inbox(UnitId("swt"), AsOf{utc(2016, 1, 2)})[0].light, Light::kGreen);
  EXPECT_EQ(model.inbox(UnitId("swt"), AsOf{utc(2016, 3, 20)})[0].light, Light::kYellow);
  EXPECT_TRUE(model.inbox(UnitId("nobody"), april).empty());
}

TEST_F(ScriptedRun, DocumentProgressCountsTasksByStatusAndLight) {
  auto rows = model.document_progress(AsOf{utc(2016, 4, 2)});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].document, DocumentId("D1"));
  EXPECT_EQ(rows[0].title, "规划");
  EXPECT_EQ(rows[0].version, 1);
  EXPECT_EQ(rows[0].tasks, 3);
  EXPECT_EQ(rows[0].by_status[at(Status::kClosed)], 1);
  EXPECT_EQ(rows[0].by_status[at(Status::kInProgress)], 1);  // T2: one part approved
  EXPECT_EQ(rows[0].by_status[at(Status::kCancelled)], 1);
  EXPECT_EQ(rows[0].by_light[at(Light::kRed)], 1);
  EXPECT_EQ(rows[0].by_light[at(Light::kDone)], 2);
  EXPECT_EQ(rows[1].document, DocumentId("D2"));  // tasks, no registration yet
  EXPECT_EQ(rows[1].version, 0);
  EXPECT_EQ(rows[1].by_status[at(Status::kAssigned)], 1);
}

TEST_F(ScriptedRun, TheOverdueListHasOpenTasksPastTheirDeadline) {
  EXPECT_TRUE(model.overdue(utc(2016, 3, 31)).empty());
  auto late = model.overdue(utc(2016, 4, 2));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].task, TaskId("T2"));
  EXPECT_EQ(late[0].deadline, "2016-03-31");
  EXPECT_EQ(late[0].days_overdue, 2) << "1 April is the first day late, 2 April the second";
  EXPECT_TRUE(late[0].recorded);  // the sweep ran at this `now`
  EXPECT_EQ(late[0].leads, (std::vector<UnitId>{UnitId("fgw"), UnitId("swt")}));
  // T1 (closed) and T3 (cancelled) never show, however late it gets.
  EXPECT_EQ(model.overdue(utc(2030, 1, 1)).size(), 1u);
  EXPECT_EQ(model.open_tasks_with_deadline(), std::vector<TaskId>{TaskId("T2")});
}

TEST_F(ScriptedRun, ScorecardsCountWhatHappenedToEachUnitsTasks) {
  auto rows = model.scorecards(AsOf{utc(2016, 4, 2)});
  std::map<std::string, projections::ScorecardRow> by_unit;
  for (const auto& r : rows) by_unit[r.unit.str()] = r;
  ASSERT_EQ(by_unit.size(), 3u);
  const auto& fgw = by_unit["fgw"].counts;
  EXPECT_EQ(fgw.assigned, 2);
  EXPECT_EQ(fgw.acknowledged, 1);
  EXPECT_EQ(fgw.closed, 1);
  EXPECT_EQ(fgw.closed_on_time, 1);  // extended to 2016-09-30, closed 2016-08-01
  EXPECT_EQ(fgw.returned, 1);
  EXPECT_EQ(fgw.extensions, 1);
  EXPECT_EQ(fgw.overdue, 1);  // T2
  EXPECT_EQ(fgw.urged, 1);
  EXPECT_EQ(by_unit["fgw"].open_now, 1);
  EXPECT_EQ(by_unit["fgw"].red_now, 1);

  const auto& czt = by_unit["czt"].counts;
  EXPECT_EQ(czt.assigned, 3);  // T1, T3, T4; T3's role change is not a new assignment
  EXPECT_EQ(czt.acknowledged, 1);
  EXPECT_EQ(czt.progress_reports, 1);
  EXPECT_EQ(czt.closed, 0);

  const auto& swt = by_unit["swt"].counts;
  EXPECT_EQ(swt.assigned, 2);  // T2, and T3 when it was reassigned
  EXPECT_EQ(swt.overdue, 1);
  EXPECT_EQ(swt.urged, 1);
}

// Random walks over a few tasks from several threads at once: many events of every kind, in an
// interleaving no one chose, and the rebuild must still equal what the writers' read model holds.
TEST_F(ServiceTest, RandomConcurrentWalksRebuildToTheIncrementalState) {
  constexpr int kThreads = 4;
  constexpr int kSteps = 300;
  std::atomic<int> accepted{0};
  std::vector<std::thread> walkers;
  for (int w = 0; w < kThreads; ++w) {
    walkers.emplace_back([&, w] {
      std::mt19937 rng(20150820 + w);
      const std::vector<std::string> units = {"fgw", "czt", "swt", "xyz"};
      const std::vector<std::string> dates = {"2016-03-31", "2016-06-30", "2016-09-30",
                                              "2016-12-31"};
      auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
      for (int step = 0; step < kSteps; ++step) {
        const TaskId id("W" + std::to_string(w) + "-" + std::to_string(rng() % 3));
        // Mostly the right actor, so the walk gets far: the supervisor for its commands, one of
        // the task's own units for theirs, now and then someone else.
        task::Actor actor = kSupervisor;
        auto some_unit = [&] {
          auto s = model.task(id);
          if (!s || s->leads.empty() || rng() % 8 == 0) return unit(pick(units));
          if (s->participants.empty() || rng() % 2)
            return unit(s->leads[rng() % s->leads.size()].str());
          return unit(s->participants[rng() % s->participants.size()].str());
        };
        task::Command c;
        switch (rng() % 16) {
          case 0:
            c = create(id.str(), {pick(units)}, {}, pick(dates),
                       static_cast<task::Mode>(rng() % 3));
            break;
          case 1:
            c = task::ReassignTask{id,
                                   {UnitId(pick(units)), UnitId(pick(units))},
                                   {UnitId(pick(units))},
                                   static_cast<task::Mode>(rng() % 3),
                                   "调整",
                                   std::nullopt};
            break;
          case 2:
            c = task::AcknowledgeTask{id};
            actor = some_unit();
            break;
          case 3:
            c = task::ReportProgress{id, "进展", static_cast<int>(rng() % 101)};
            actor = some_unit();
            break;
          case 4:
            c = task::UrgeTask{id, std::nullopt, "催"};
            break;
          case 5:
            c = task::RequestExtension{id, pick(dates), "延"};
            actor = some_unit();
            break;
          case 6:
            c = task::ApproveExtension{id, std::nullopt};
            break;
          case 7:
            c = task::SetDeadline{id, pick(dates), "", std::nullopt};
            break;
          case 8:
          case 9:
            c = task::ReportCompletion{id, "完成"};
            actor = some_unit();
            break;
          case 10:
            c = task::ApproveCompletion{id, std::nullopt};
            break;
          case 11:
            c = task::ReturnTask{id, std::nullopt, "退"};
            break;
          case 12:
            c = task::ReopenTask{id, "重开"};
            break;
          case 13:
            if (rng() % 8 == 0)
              c = task::CancelTask{id, "撤", std::nullopt};
            else
              c = task::AcknowledgeTask{id}, actor = some_unit();
            break;
          default:
            c = create(id.str(), {pick(units), pick(units)}, {pick(units)}, pick(dates));
            break;
        }
        auto r = service->execute(c, actor,
                                  CommandId("w" + std::to_string(w) + "-" + std::to_string(step)));
        if (r.ok()) ++accepted;
      }
    });
  }
  for (auto& t : walkers) t.join();
  for (int month = 1; month <= 13; ++month) {
    clock.advance_to(utc(2016, 1, 1) + std::chrono::days(30 * month));
    ASSERT_TRUE(service->sweep(0.25).ok());
  }
  EXPECT_GT(accepted.load(), 150);
  // The walk really covered the lifecycle: count the kinds of events it recorded.
  auto log = store->read_all(GlobalPosition(1), 100000);
  ASSERT_TRUE(log.ok());
  std::map<std::string, int> kinds;
  for (const auto& e : *log) ++kinds[e.type];
  std::string seen;
  for (const auto& [k, n] : kinds) seen += k + "=" + std::to_string(n) + " ";
  EXPECT_GE(kinds.size(), 15u) << seen;
  EXPECT_GT(log->size(), 250u) << seen;
  expect_rebuild_equals(*store, model, 64);
}

TEST_F(ServiceTest, CatchingUpStopsBeforeAnEventItCannotDecode) {
  accept(create("T1", {"fgw"}), kSupervisor);
  const GlobalPosition good = model.checkpoint();
  std::vector<NewEvent> alien{NewEvent{"TaskTeleported", 1, std::string(8, '\0'), "alien"}};
  ASSERT_TRUE(store->append("task/T9", ExpectedVersion::any(), alien, CommandId("alien")).ok());

  ReadModel fresh;
  auto r = fresh.catch_up(*store);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::bad_payload));
  EXPECT_NE(r.error().message.find("TaskTeleported"), std::string::npos);
  EXPECT_EQ(fresh.checkpoint(), good) << "everything before the bad event is applied";
  EXPECT_TRUE(fresh.state() == model.state());
}

TEST_F(ServiceTest, CatchingUpInManyPagesStopsBeforeAnEventItCannotDecode) {
  // Pages of 2 events: the reading thread meets the bad event while earlier pages are applied.
  for (int i = 0; i < 9; ++i) accept(create("T" + std::to_string(i), {"fgw"}), kSupervisor);
  const GlobalPosition good = model.checkpoint();
  std::vector<NewEvent> alien{NewEvent{"TaskTeleported", 1, std::string(8, '\0'), "alien"}};
  ASSERT_TRUE(store->append("task/T99", ExpectedVersion::any(), alien, CommandId("alien")).ok());

  ReadModel fresh;
  auto r = fresh.catch_up(*store, GlobalPosition(std::numeric_limits<std::int64_t>::max()), 2);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is(r.error(), StoreErrc::bad_payload));
  EXPECT_EQ(fresh.checkpoint(), good) << "everything before the bad event is applied";
  EXPECT_TRUE(fresh.state() == model.state());
}

TEST_F(ServiceTest, QueriesRunWhileAnotherThreadCatchesUp) {
  for (int i = 0; i < 40; ++i)
    accept(create("T" + std::to_string(i), {"fgw"}, {"czt"}, std::string("2016-12-31")),
           kSupervisor);
  ReadModel fresh;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      const auto n = fresh.inbox(UnitId("czt"), AsOf{clock.now()}).size();
      ASSERT_LE(n, 40u);
      (void)fresh.document_progress(AsOf{clock.now()});
      (void)fresh.overdue(utc(2020, 1, 1));
    }
  });
  auto reached =
      fresh.catch_up(*store, GlobalPosition(std::numeric_limits<std::int64_t>::max()), 3);
  done = true;
  reader.join();
  ASSERT_TRUE(reached.ok());
  EXPECT_EQ(fresh.inbox(UnitId("czt"), AsOf{clock.now()}).size(), 40u);
}

}  // namespace
}  // namespace duban::service::testing
