// Reading the log at past points (audit/point_in_time.h, state_diff.h, task_history.h and
// `duban audit asof|diff|history` through the real binary), against the states the scripted
// year captured while it ran:
//   - the state rebuilt at every captured position, and at every step's time, equals the state
//     the live model had then; with snapshots in the directory too, which are used;
//   - `asof --format json` at several positions and times lists exactly the tasks, statuses,
//     leads and deadlines captured then, and `--unit` the inbox the unit had then;
//   - a position past the end exits 1, an unreadable point 2;
//   - `diff` between two points names the tasks created, reassigned, closed, cancelled and
//     reopened in between, with the event counts;
//   - `history` tells a task's events in order with actors and status changes, and its clause.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "app/time_arg.h"
#include "audit/point_in_time.h"
#include "audit/state_diff.h"
#include "audit/task_history.h"
#include "service/snapshot_files.h"
#include "storage/hash_chain.h"
#include "tests/audit/audit_script.h"
#include "tests/support/run_command.h"

namespace duban::audit::testing {
namespace {

namespace json = boost::json;
using duban::testing::CommandResult;
using duban::testing::run_command;
using service::projections::ReadModelState;

using duban::testing::contains;

std::string identity(const UnitId& u) {
  return u.str();
}

class AsOf : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
  }

  std::filesystem::path snapshot_dir() const { return service::default_snapshot_dir(path()); }

  void snapshot(const Capture& c) {
    auto event = store->read_all(c.position, 1);
    ASSERT_TRUE(event.ok());
    const service::SnapshotInfo info{c.position, event->front().hash, c.time, c.time, c.time};
    ASSERT_TRUE(service::write_snapshot_file(snapshot_dir(), info, c.state).ok());
  }

  CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), "audit");
    args.insert(args.end(), {"--db", path()});
    return run_command(DUBAN_BINARY, args);
  }

  // The captures whose time no later step shares: "as of that time" means exactly them.
  std::vector<const Capture*> last_of_each_time() const {
    std::vector<const Capture*> out;
    for (std::size_t i = 0; i < captures.size(); ++i) {
      if (i + 1 == captures.size() || captures[i + 1].time != captures[i].time)
        out.push_back(&captures[i]);
    }
    return out;
  }

  // What `asof --format json` says about the tasks, keyed by task id, compared with a state.
  void expect_json_matches(const std::string& out, const Capture& c) {
    const json::object o = json::parse(out).as_object();
    EXPECT_EQ(o.at("position").as_int64(), c.position.value()) << c.step;
    const auto& tasks = o.at("tasks").as_array();
    ASSERT_EQ(tasks.size(), c.state.tasks.tasks().size()) << c.step;
    for (const auto& t : tasks) {
      const auto& row = t.as_object();
      const task::TaskState* s =
          c.state.tasks.task(TaskId(std::string(row.at("task").as_string())));
      ASSERT_NE(s, nullptr) << c.step;
      EXPECT_EQ(row.at("status").as_string(), task::to_string(s->status))
          << c.step << " " << s->id.str();
      EXPECT_EQ(row.at("version").as_int64(), s->version.value()) << c.step;
      EXPECT_EQ(row.at("leads").as_array().size(), s->leads.size()) << c.step;
      if (s->deadline)
        EXPECT_EQ(row.at("deadline").as_string(), *s->deadline) << c.step;
      else
        EXPECT_TRUE(row.at("deadline").is_null()) << c.step;
    }
  }
};

TEST_F(AsOf, TheStateAtEveryCapturedPositionIsTheOneTheLiveModelHadThen) {
  for (const Capture& c : captures) {
    auto at = state_at(*store, snapshot_dir(), c.position);
    ASSERT_TRUE(at.ok()) << at.error().message;
    EXPECT_TRUE(at->model->state() == c.state) << "after step '" << c.step << "'";
    EXPECT_EQ(at->recorded_at, c.time);
    EXPECT_FALSE(at->load.snapshot);
  }
}

TEST_F(AsOf, TheStateAtEachStepsTimeIsTheLastStateOfThatTime) {
  for (const Capture* c : last_of_each_time()) {
    auto at = state_at(*store, snapshot_dir(), c->time);
    ASSERT_TRUE(at.ok()) << at.error().message;
    EXPECT_EQ(at->position, c->position) << c->step;
    EXPECT_TRUE(at->model->state() == c->state) << "at the time of '" << c->step << "'";
    // A moment before the next step is still the same state.
    auto later = state_at(*store, snapshot_dir(), c->time + std::chrono::hours(1));
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(later->position, c->position);
  }
  auto before = state_at(*store, snapshot_dir(), utc(2015, 12, 31));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->position, GlobalPosition(0));
  EXPECT_TRUE(before->model->state().tasks.tasks().empty());
}

TEST_F(AsOf, SnapshotsAreUsedAndChangeNothing) {
  snapshot(captures[4]);
  snapshot(captures[14]);
  for (const Capture& c : captures) {
    auto at = state_at(*store, snapshot_dir(), c.position);
    ASSERT_TRUE(at.ok()) << at.error().message;
    EXPECT_TRUE(at->model->state() == c.state) << "after step '" << c.step << "'";
    const GlobalPosition expected = c.position >= captures[14].position  ? captures[14].position
                                    : c.position >= captures[4].position ? captures[4].position
                                                                         : GlobalPosition(0);
    EXPECT_EQ(at->load.snapshot_position, expected) << c.step;
  }
  for (const Capture* c : last_of_each_time()) {
    auto at = state_at(*store, snapshot_dir(), c->time);
    ASSERT_TRUE(at.ok());
    EXPECT_TRUE(at->model->state() == c->state) << "at the time of '" << c->step << "'";
  }
}

TEST_F(AsOf, ThePositionPastTheEndIsOutOfRange) {
  auto at = state_at(*store, snapshot_dir(), head().next());
  ASSERT_FALSE(at.ok());
  EXPECT_EQ(at.error().code, "out_of_range");
  const auto r = cli({"asof", "--position", std::to_string(head().value() + 5)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "holds positions 1 to " + std::to_string(head().value()))) << r.err;
  EXPECT_EQ(cli({"asof", "--time", "yesterday"}).exit_code, 2);
  EXPECT_EQ(cli({"asof"}).exit_code, 2);
  EXPECT_EQ(cli({"asof", "--position", "3", "--time", "2016-01-01"}).exit_code, 2);
}

TEST_F(AsOf, TheCliListsTheTasksAsTheyWereAtSeveralPositions) {
  snapshot(captures[10]);
  for (std::size_t i : {std::size_t{2}, std::size_t{9}, std::size_t{13}, captures.size() - 1}) {
    const Capture& c = captures[i];
    const auto r =
        cli({"asof", "--position", std::to_string(c.position.value()), "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_json_matches(r.out, c);
  }
}

TEST_F(AsOf, TheCliListsTheTasksAsTheyWereAtSeveralTimes) {
  for (const Capture* c : last_of_each_time()) {
    const auto r = cli({"asof", "--time", app::format_utc(c->time), "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_json_matches(r.out, *c);
  }
  // The table form says where it stands.
  const auto table = cli({"asof", "--time", "2016-03-16"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(contains(
      table.out,
      "the log at position " + std::to_string(last_at(utc(2016, 3, 15, 16)).position.value())))
      << table.out;
  EXPECT_TRUE(contains(table.out, "省商务厅")) << "T3's new lead, by name: " << table.out;
}

TEST_F(AsOf, AUnitsInboxIsTheOneItHadThen) {
  // commerce led T2 from the start and T3 from 2016-03-15 until T3 was cancelled.
  const Capture& reassigned = last_at(utc(2016, 3, 15));
  const auto then = cli({"asof", "--position", std::to_string(reassigned.position.value()),
                         "--unit", "省商务厅", "--format", "json"});
  ASSERT_EQ(then.exit_code, 0) << then.err;
  const auto inbox = json::parse(then.out).as_object().at("inbox").as_array();
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0].as_object().at("task").as_string(), "T2");
  EXPECT_EQ(inbox[0].as_object().at("acknowledged").as_bool(), true);
  EXPECT_EQ(inbox[1].as_object().at("task").as_string(), "T3");
  EXPECT_EQ(inbox[1].as_object().at("role").as_string(), "lead");
  const auto later =
      cli({"asof", "--time", "2016-06-02", "--unit", "commerce", "--format", "json"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(json::parse(later.out).as_object().at("inbox").as_array().size(), 1u)
      << "T3 cancelled: only T2 is open";
  const auto all =
      cli({"asof", "--time", "2016-06-02", "--unit", "commerce", "--all", "--format", "json"});
  EXPECT_EQ(json::parse(all.out).as_object().at("inbox").as_array().size(), 2u);
}

TEST_F(AsOf, DiffNamesWhatChangedBetweenTwoStates) {
  const auto diff =
      diff_states(last_at(utc(2016, 2, 1)).state, last_at(utc(2016, 10, 2)).state, identity);
  std::map<std::string, std::vector<std::string>> by_change;
  for (const auto& row : diff.tasks) by_change[row.change].push_back(row.task.str());
  EXPECT_EQ(by_change["created"], std::vector<std::string>{"T6"});
  EXPECT_EQ(by_change["reassigned"], std::vector<std::string>{"T3"});
  EXPECT_EQ(by_change["closed"], std::vector<std::string>{"T1"});
  EXPECT_EQ(by_change["cancelled"], std::vector<std::string>{"T3"});
  EXPECT_EQ(by_change["status"], std::vector<std::string>{"T4"})
      << "closed and reopened: net a status change";
  EXPECT_EQ(by_change["acknowledged"], std::vector<std::string>{}) << "nobody signed in between";
  const auto reopened =
      diff_states(last_at(utc(2016, 10, 1)).state, last_at(utc(2016, 10, 2)).state, identity);
  ASSERT_EQ(reopened.tasks.size(), 1u);
  EXPECT_EQ(reopened.tasks[0].change, "reopened");
  EXPECT_EQ(reopened.tasks[0].before, "closed");
}

TEST_F(AsOf, TheDiffCliTakesPositionsOrTimes) {
  const auto r = cli({"diff", "2016-02-01T00:00Z", "2016-10-02T00:00Z", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto o = json::parse(r.out).as_object();
  EXPECT_EQ(o.at("changes").as_object().at("closed").as_int64(), 1);
  EXPECT_EQ(o.at("changes").as_object().at("cancelled").as_int64(), 1);
  EXPECT_EQ(o.at("events").as_object().at("TaskClosed").as_int64(), 2) << "T1 and T4";
  EXPECT_EQ(o.at("from").as_object().at("position").as_int64(),
            last_at(utc(2016, 2, 1)).position.value());
  const auto table = cli({"diff", std::to_string(captures[0].position.value()),
                          std::to_string(captures[4].position.value())});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(contains(table.out, "changes: 4 created")) << table.out;
  EXPECT_TRUE(contains(table.out, "TaskCreated 4")) << table.out;
  const auto backwards = cli({"diff", "2016-10-02", "2016-02-01"});
  EXPECT_EQ(backwards.exit_code, 2);
  EXPECT_TRUE(contains(backwards.err, "swap them")) << backwards.err;
  EXPECT_EQ(cli({"diff", "1"}).exit_code, 2);
  EXPECT_EQ(cli({"diff", "1", "99999"}).exit_code, 1);
}

TEST_F(AsOf, HistoryTellsATasksEventsInOrderWithItsClause) {
  auto history = task_history(*store, TaskId("T1"), identity);
  ASSERT_TRUE(history.ok()) << history.error().message;
  std::vector<std::string> types;
  for (const auto& e : history->entries) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{
                       "TaskCreated", "UnitAssigned", "UnitAssigned", "TaskAcknowledged",
                       "TaskAcknowledged", "ProgressReported", "ExtensionRequested",
                       "ExtensionApproved", "CompletionReported", "TaskReturned",
                       "CompletionReported", "CompletionApproved", "TaskClosed"}));
  EXPECT_EQ(history->entries[3].actor, "unit:fgw");
  EXPECT_EQ(history->entries[3].status_before, task::Status::kAssigned);
  EXPECT_EQ(history->entries[3].status_after, task::Status::kInProgress);
  EXPECT_EQ(history->entries[7].change, "extension approved: deadline 2016-06-30 -> 2016-09-30");
  EXPECT_EQ(history->document.title, "信用体系建设规划");

  const auto r = cli({"history", "T1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "document  D1 (version 1) 信用体系建设规划")) << r.out;
  EXPECT_TRUE(contains(r.out, "returned for rework (退办) to 省发展改革委 — 材料不全")) << r.out;
  EXPECT_TRUE(contains(r.out, "completion_reported → in_progress")) << r.out;
  EXPECT_TRUE(contains(r.out, "2016-05-01T00:00:00Z")) << r.out;
  const auto by_clause = cli({"history", "D1 T1", "--format", "json"});
  ASSERT_EQ(by_clause.exit_code, 0)
      << "document id and clause label find it too: " << by_clause.err;
  EXPECT_EQ(json::parse(by_clause.out).as_object().at("events").as_array().size(), 13u);
  const auto missing = cli({"history", "T99"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "no task 'T99'")) << missing.err;
}

}  // namespace
}  // namespace duban::audit::testing
