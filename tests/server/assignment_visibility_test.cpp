// Visibility by assignment interval (issue 13): a unit sees a task's events only while it is
// assigned to it, from the event that assigns it up to and including the reassignment that
// removes it, and nothing recorded after that: not over HTTP (GET of the task and its history,
// the inbox), not pushed live on a WebSocket, not on a replay or resume. Assigned again, it sees
// the task again from that assignment, never the gap. On the real server over real sockets.
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class AssignmentVisibilityTest : public ServerTest {
 protected:
  void reassign(const std::string& task, const std::string& lead,
                std::vector<std::string> participants = {}) {
    task::ReassignTask r;
    r.task = TaskId(task);
    r.leads = {UnitId(lead)};
    for (auto& p : participants) r.participants.emplace_back(p);
    r.reason = "moved";
    run(r, task::Actor::supervisor());
  }
  void urge(const std::string& task, const std::string& note) {
    run(task::UrgeTask{TaskId(task), std::nullopt, note}, task::Actor::supervisor());
  }

  // The event types of a task's history as `token` reads it.
  std::vector<std::string> history_types(const json::object& task) {
    std::vector<std::string> out;
    for (const auto& e : task.at("history").as_array()) out.push_back(str(e.at("event_type")));
    return out;
  }

  // The (position, event type) of every event message until `until` arrives.
  static std::vector<std::pair<std::int64_t, std::string>> events_until(WsClient& c,
                                                                        const std::string& until) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (;;) {
      auto j = c.next().json();
      const auto type = str(j.at("type"));
      if (type == until) return out;
      if (type == "event") out.emplace_back(j.at("position").as_int64(), str(j.at("event_type")));
    }
  }

  // Every event message arriving within `wait` (checkpoints and others skipped).
  static std::vector<std::string> events_within(WsClient& c, std::chrono::milliseconds wait) {
    std::vector<std::string> out;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return out;
      auto m = c.read(left);
      if (!m) return out;
      auto j = m->json();
      if (str(j.at("type")) == "event") {
        out.push_back(str(j.at("task")) + ":" + str(j.at("event_type")));
      }
    }
  }
};

TEST_F(AssignmentVisibilityTest, ARemovedUnitReadsTheTaskOnlyUpToItsRemoval) {
  create_task("T-1", {"fgw"});
  run(task::AcknowledgeTask{TaskId("T-1")}, task::Actor::of_unit(UnitId("fgw")));
  reassign("T-1", "finance");
  // Created, fgw's UnitAssigned, its acknowledgement, the reassignment (then finance's
  // UnitAssigned, which fgw does not see).
  const auto removed_version = 4;
  urge("T-1", "finance, hurry");
  auto c = http();
  const auto fgw = unit_token("fgw");
  auto r = c.get(task_path("T-1"), fgw);
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = r.json().as_object();
  EXPECT_EQ(history_types(t), (std::vector<std::string>{"TaskCreated", "UnitAssigned",
                                                        "TaskAcknowledged", "TaskReassigned"}));
  EXPECT_EQ(t.at("removed_at_version").as_int64(), removed_version);
  EXPECT_EQ(t.at("version").as_int64(), removed_version);  // the state as of its removal
  // The task's current lead and the supervisor see everything.
  auto full = c.get(task_path("T-1"), unit_token("finance")).json().as_object();
  EXPECT_EQ(history_types(full).back(), "TaskUrged");
  EXPECT_FALSE(full.contains("removed_at_version"));
  auto all = c.get(task_path("T-1"), supervisor).json().as_object();
  EXPECT_GE(all.at("history").as_array().size(), 4u);
  // The inbox no longer lists it, open or all.
  for (const std::string q : {"", "?status=all"}) {
    auto inbox = c.get("/api/v1/units/fgw/inbox" + q, fgw).json();
    EXPECT_TRUE(inbox.at("lead").as_array().empty()) << q;
    EXPECT_TRUE(inbox.at("participant").as_array().empty()) << q;
  }
  // Nor can it act on the task any more.
  auto act =
      c.post(task_path("T-1", "progress"),
             R"({"command_id":"p1","expected_version":4,"note":"still here","percent":10})", fgw);
  EXPECT_EQ(act.status, 403) << act.body;
}

TEST_F(AssignmentVisibilityTest, AUnitAssignedAgainSeesNothingOfTheGap) {
  create_task("T-2", {"fgw"});
  reassign("T-2", "finance");  // fgw removed
  urge("T-2", "while fgw was away");
  reassign("T-2", "finance", {"fgw"});  // fgw back, as a participant
  urge("T-2", "both");
  auto t = http().get(task_path("T-2"), unit_token("fgw")).json().as_object();
  std::vector<std::string> types = history_types(t);
  // Created and assigned, its removal, then from its return on (the reassignment, its
  // UnitAssigned, the second urge): the first urge, in the gap, is not there.
  EXPECT_EQ(types, (std::vector<std::string>{"TaskCreated", "UnitAssigned", "TaskReassigned",
                                             "TaskReassigned", "UnitAssigned", "TaskUrged"}));
  EXPECT_EQ(types.back(), "TaskUrged");
  EXPECT_FALSE(t.contains("removed_at_version"));
  for (const auto& e : t.at("history").as_array()) {
    if (str(e.at("event_type")) == "TaskUrged") {
      EXPECT_EQ(str(e.at("data").at("note")), "both");
    }
  }
}

TEST_F(AssignmentVisibilityTest, ARemovedUnitGetsNoMorePushesLive) {
  create_task("T-3", {"fgw"});
  create_task("Own", {"fgw"});
  const auto fgw = unit_token("fgw");
  auto by_unit = ws(fgw);
  by_unit.next();
  subscribe(by_unit, R"({"unit":"fgw"})");
  by_unit.next();
  events_until(by_unit, "caught_up");
  auto by_task = ws(fgw);
  by_task.next();
  subscribe(by_task, R"({"task":"T-3"})");
  by_task.next();
  events_until(by_task, "caught_up");

  reassign("T-3", "finance");
  urge("T-3", "finance only");
  urge("Own", "fgw's own task");  // still pushed: the connection is alive and served
  EXPECT_EQ(events_within(by_unit, 1500ms),
            (std::vector<std::string>{"T-3:TaskReassigned", "Own:TaskUrged"}));
  EXPECT_EQ(events_within(by_task, 500ms), (std::vector<std::string>{"T-3:TaskReassigned"}));
}

TEST_F(AssignmentVisibilityTest, ReplayAndResumeStopAtTheRemovalToo) {
  create_task("T-4", {"fgw"});
  run(task::AcknowledgeTask{TaskId("T-4")}, task::Actor::of_unit(UnitId("fgw")));
  const auto acknowledged = head();
  reassign("T-4", "finance");
  const auto removal = acknowledged + 1;  // the TaskReassigned (finance's UnitAssigned follows)
  urge("T-4", "after");
  run(task::AcknowledgeTask{TaskId("T-4")}, task::Actor::of_unit(UnitId("finance")));
  const auto fgw = unit_token("fgw");
  for (const std::string filter : {R"({"task":"T-4"})", R"({"unit":"fgw"})"}) {
    // From the start: the history up to the removal.
    auto c = ws(fgw);
    c.next();
    subscribe(c, filter, 0);
    c.next();
    auto seen = events_until(c, "caught_up");
    ASSERT_FALSE(seen.empty()) << filter;
    EXPECT_EQ(seen.back().first, removal) << filter;
    EXPECT_EQ(seen.back().second, "TaskReassigned") << filter;
    // Resuming after the acknowledgement: only the removal, nothing later.
    auto d = ws(fgw);
    d.next();
    subscribe(d, filter, acknowledged);
    d.next();
    EXPECT_EQ(events_until(d, "caught_up"),
              (std::vector<std::pair<std::int64_t, std::string>>{{removal, "TaskReassigned"}}))
        << filter;
  }
  // A unit never assigned is still refused.
  auto other = ws(unit_token("commerce"));
  other.next();
  subscribe(other, R"({"task":"T-4"})", 0);
  EXPECT_EQ(str(other.next().json().at("error")), "forbidden");
}

}  // namespace
}  // namespace duban::server::testing
