// Finding the task a person means (audit/task_lookup.h) and the JSON documents of `duban audit`
// (audit/audit_json.h), on the scripted year (audit_script.h) in a real SQLite file:
//   - a task id finds its task; "DOCUMENT LABEL" and "DOCUMENT|LABEL" find the one task with that
//     clause; a label in another document, or a label two tasks share, is not_found with a hint;
//   - history_json() shows the task summary, its document and clause, and every event in order;
//   - asof_tasks_json() lists every task at the point in document order with its clause;
//   - asof_inbox_json() names the unit and its inbox rows.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "audit/audit_json.h"
#include "audit/point_in_time.h"
#include "audit/task_history.h"
#include "audit/task_lookup.h"
#include "tests/audit/audit_script.h"

namespace duban::audit::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}

std::string identity(const UnitId& u) {
  return u.str();
}

class TaskLookup : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
  }
};

TEST_F(TaskLookup, ATaskIdFindsItsTask) {
  auto found = find_task(*store, "T1");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, TaskId("T1"));
}

TEST_F(TaskLookup, TheDocumentAndClauseLabelFindTheTaskWithThatClause) {
  for (const std::string text : {"D1 T2", "D1|T2"}) {
    auto found = find_task(*store, text);
    ASSERT_TRUE(found.ok()) << text << ": " << found.error().message;
    EXPECT_EQ(*found, TaskId("T2")) << text;
  }
}

TEST_F(TaskLookup, ALabelOfAnotherDocumentIsNotFound) {
  auto found = find_task(*store, "D2 T1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "not_found");
  EXPECT_NE(found.error().message.find("the log has no task 'D2 T1'"), std::string::npos);
}

TEST_F(TaskLookup, ALabelTwoTasksShareIsNotFoundAndListsThem) {
  task::CreateTask twin =
      service::testing::create("T1-twin", {"grain"}, {}, std::nullopt, task::Mode::kLead, "D1");
  twin.provenance.label = "T1";
  accept(twin, service::testing::kSupervisor);
  auto found = find_task(*store, "D1 T1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "not_found");
  EXPECT_NE(found.error().message.find("matches several tasks:\n  T1\n  T1-twin"),
            std::string::npos)
      << found.error().message;
}

TEST_F(TaskLookup, HistoryJsonShowsTheTaskItsClauseAndEveryEventInOrder) {
  auto history = task_history(*store, TaskId("T1"), identity);
  ASSERT_TRUE(history.ok()) << history.error().message;
  const json::object o = history_json(*history);
  EXPECT_EQ(keys(o), (std::vector<std::string>{"task", "status", "mode", "leads", "participants",
                                               "deadline", "document", "clause", "events"}));
  EXPECT_EQ(o.at("task"), "T1");
  EXPECT_EQ(o.at("status"), "closed");
  EXPECT_EQ(json::serialize(o.at("leads")), R"j(["fgw"])j");
  EXPECT_EQ(o.at("deadline"), "2016-09-30");
  EXPECT_EQ(json::serialize(o.at("document")),
            R"j({"id":"D1","version":1,"number":"青政办〔2016〕1号","title":"信用体系建设规划",)j"
            R"j("issuer":"省政府办公厅","signed_date":"2015-12-20"})j");
  EXPECT_EQ(o.at("clause").as_object().at("label"), "T1");
  const json::array& events = o.at("events").as_array();
  ASSERT_EQ(events.size(), history->entries.size());
  EXPECT_EQ(events.front().as_object().at("type"), "TaskCreated");
  EXPECT_EQ(events.front().as_object().at("recorded_at"), "2016-01-01T00:00:00Z");
  EXPECT_EQ(events.back().as_object().at("status_after"), "closed");
}

TEST_F(TaskLookup, AsofJsonListsEveryTaskInDocumentOrderWithItsClause) {
  auto at = state_at(*store, {}, Point(utc(2016, 3, 1)));
  ASSERT_TRUE(at.ok()) << at.error().message;
  const json::object o = asof_tasks_json(*at, service::projections::AsOf{at->as_of, 0.2});
  EXPECT_EQ(o.at("as_of"), "2016-03-01T00:00:00Z");
  std::vector<std::string> order;
  for (const auto& t : o.at("tasks").as_array()) {
    const json::object& row = t.as_object();
    order.push_back(std::string(row.at("document").as_string()) + "/" +
                    std::string(row.at("task").as_string()));
    EXPECT_EQ(keys(row), (std::vector<std::string>{"task", "document", "label", "status", "light",
                                                   "mode", "leads", "participants", "acknowledged",
                                                   "deadline", "version", "heading"}));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"D1/T1", "D1/T2", "D1/T3", "D2/T4", "D2/T5"}));
}

TEST_F(TaskLookup, AsofInboxJsonNamesTheUnitAndItsRows) {
  auto at = state_at(*store, {}, Point(utc(2016, 1, 1)));
  ASSERT_TRUE(at.ok()) << at.error().message;
  const UnitId grain("grain");
  const auto inbox = at->model->inbox(grain, service::projections::AsOf{at->as_of, 0.2},
                                      service::projections::InboxFilter::kAll);
  const json::object o = asof_inbox_json(*at, grain, inbox);
  EXPECT_EQ(o.at("as_of"), "2016-01-01T00:00:00Z");
  EXPECT_EQ(o.at("unit"), "grain");
  std::vector<std::string> tasks;
  for (const auto& row : o.at("inbox").as_array()) {
    tasks.emplace_back(row.as_object().at("task").as_string());
  }
  EXPECT_EQ(tasks, (std::vector<std::string>{"T2", "T5"}));
}

}  // namespace
}  // namespace duban::audit::testing
