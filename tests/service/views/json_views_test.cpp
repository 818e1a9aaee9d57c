// The one JSON rendering of tasks, inbox rows and document rows (service/views/json_views.h):
// each task shape lists its fields in its order with the values the state holds; absent values
// are null; instants carry milliseconds or whole seconds as asked; an inbox row carries "unit"
// after "task" only when asked; document rows name every status and light, zeros included.
#include "service/views/json_views.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

namespace duban::service::views {
namespace {

namespace json = boost::json;

// 2016-01-01T08:00:00.123Z
constexpr std::int64_t kNewYearMorning = 1451635200123;

std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}

task::TaskState reassigned_task() {
  task::TaskState s;
  s.id = TaskId("t-1");
  s.provenance =
      task::Provenance{DocumentId("青政〔2015〕70号"), 2,  "正文", "(四)", "加强粮食储备。",
                       "加强粮食储备。全文",           40, 42};
  s.mode = task::Mode::kSeparately;
  s.leads = {UnitId("grain"), UnitId("finance")};
  s.participants = {UnitId("fgw")};
  s.parts = {task::Part{UnitId("grain"), task::PartStatus::kReported, UnitId("grain"), "done"},
             task::Part{}};
  s.status = task::Status::kInProgress;
  s.acknowledged = {UnitId("grain")};
  s.extension = task::PendingExtension{UnitId("finance"), "2017-06-30", "budget"};
  s.deadline = "2016-12-31";
  s.urges = 1;
  s.returns = 2;
  s.extensions = 3;
  s.created_at = from_millis(kNewYearMorning);
  s.version = StreamVersion(7);
  return s;
}

TEST(TaskJson, TheWholeStateListsEveryFieldInTheApiOrder) {
  const json::object o = task_state_json(reassigned_task(), task::Light::kYellow);
  EXPECT_EQ(keys(o), (std::vector<std::string>{"task",
                                               "version",
                                               "status",
                                               "light",
                                               "mode",
                                               "leads",
                                               "participants",
                                               "acknowledged",
                                               "parts",
                                               "deadline",
                                               "original_deadline",
                                               "pending_extension",
                                               "urges",
                                               "returns",
                                               "extensions",
                                               "created_at",
                                               "closed_at",
                                               "cancelled_at",
                                               "source",
                                               "evidence_required"}));
  EXPECT_EQ(o.at("evidence_required"), false);
  EXPECT_EQ(o.at("task"), "t-1");
  EXPECT_EQ(o.at("version"), 7);
  EXPECT_EQ(o.at("status"), "in_progress");
  EXPECT_EQ(o.at("light"), "yellow");
  EXPECT_EQ(o.at("mode"), "separately");
  EXPECT_EQ(json::serialize(o.at("leads")), R"j(["grain","finance"])j");
  EXPECT_EQ(json::serialize(o.at("participants")), R"j(["fgw"])j");
  EXPECT_EQ(json::serialize(o.at("acknowledged")), R"j(["grain"])j");
  EXPECT_EQ(json::serialize(o.at("parts")),
            R"j([{"lead":"grain","status":"reported","reported_by":"grain","summary":"done"},)j"
            R"j({"lead":null,"status":"open","reported_by":null,"summary":""}])j");
  EXPECT_EQ(o.at("deadline"), "2016-12-31");
  EXPECT_TRUE(o.at("original_deadline").is_null());
  EXPECT_EQ(json::serialize(o.at("pending_extension")),
            R"j({"unit":"finance","requested_deadline":"2017-06-30","reason":"budget"})j");
  EXPECT_EQ(o.at("urges"), 1);
  EXPECT_EQ(o.at("returns"), 2);
  EXPECT_EQ(o.at("extensions"), 3);
  EXPECT_EQ(o.at("created_at"), "2016-01-01T08:00:00.123Z");
  EXPECT_TRUE(o.at("closed_at").is_null());
  EXPECT_TRUE(o.at("cancelled_at").is_null());
  const json::object& source = o.at("source").as_object();
  EXPECT_EQ(keys(source), (std::vector<std::string>{"document", "document_version", "part", "label",
                                                    "heading", "text", "line", "end_line"}));
  EXPECT_EQ(source.at("document"), "青政〔2015〕70号");
  EXPECT_EQ(source.at("document_version"), 2);
  EXPECT_EQ(source.at("line"), 40);
  EXPECT_EQ(source.at("end_line"), 42);
}

TEST(TaskJson, ARowCarriesItsClauseFlatInTheAuditOrder) {
  const json::object o = task_json(reassigned_task(), task::Light::kRed, kTaskRowFields);
  EXPECT_EQ(
      json::serialize(o),
      R"j({"task":"t-1","document":"青政〔2015〕70号","label":"(四)","status":"in_progress",)j"
      R"j("light":"red","mode":"separately","leads":["grain","finance"],)j"
      R"j("participants":["fgw"],"acknowledged":["grain"],"deadline":"2016-12-31",)j"
      R"j("version":7,"heading":"加强粮食储备。"})j");
}

TEST(TaskJson, ASummaryShowsWhoDoesWhatByWhenAndNoLight) {
  task::TaskState s = reassigned_task();
  s.deadline.reset();
  const json::object o = task_json(s, task::Light::kRed, kTaskSummaryFields);
  EXPECT_EQ(json::serialize(o),
            R"j({"task":"t-1","status":"in_progress","mode":"separately",)j"
            R"j("leads":["grain","finance"],"participants":["fgw"],"deadline":null})j");
}

TEST(TaskJson, FinishedInstantsAreRenderedWhenPresent) {
  task::TaskState s = reassigned_task();
  s.closed_at = from_millis(kNewYearMorning + 1000);
  s.cancelled_at = from_millis(kNewYearMorning + 2000);
  const TaskField fields[] = {TaskField::kClosedAt, TaskField::kCancelledAt};
  EXPECT_EQ(
      json::serialize(task_json(s, task::Light::kDone, fields)),
      R"j({"closed_at":"2016-01-01T08:00:01.123Z","cancelled_at":"2016-01-01T08:00:02.123Z"})j");
}

projections::InboxItem inbox_item() {
  projections::InboxItem i;
  i.task = TaskId("t-2");
  i.role = task::Role::kParticipant;
  i.status = task::Status::kAssigned;
  i.light = task::Light::kGreen;
  i.acknowledged = true;
  i.document = DocumentId("doc");
  i.label = "1.";
  i.line = 12;
  i.heading = "head";
  return i;
}

TEST(InboxItemJson, ARowNamesTheTaskItsRoleAndItsClause) {
  EXPECT_EQ(
      json::serialize(inbox_item_json(inbox_item())),
      R"j({"task":"t-2","role":"participant","status":"assigned","light":"green",)j"
      R"j("deadline":null,"acknowledged":true,"document":"doc","label":"1.","heading":"head"})j");
}

TEST(InboxItemJson, ARowThatTravelsAloneNamesItsUnitAfterTheTask) {
  projections::InboxItem i = inbox_item();
  i.deadline = "2016-06-30";
  const json::object o = inbox_item_json(i, UnitId("grain"));
  EXPECT_EQ(keys(o),
            (std::vector<std::string>{"task", "unit", "role", "status", "light", "deadline",
                                      "acknowledged", "document", "label", "heading"}));
  EXPECT_EQ(o.at("unit"), "grain");
  EXPECT_EQ(o.at("deadline"), "2016-06-30");
}

TEST(DocumentRowJson, CountsNameEveryStatusAndLightZerosIncluded) {
  projections::DocumentProgressRow row;
  row.document = DocumentId("doc");
  row.number = "青政〔2015〕70号";
  row.title = "意见";
  row.version = 2;
  row.tasks = 3;
  row.by_status[static_cast<std::size_t>(task::Status::kClosed)] = 2;
  row.by_status[static_cast<std::size_t>(task::Status::kAssigned)] = 1;
  row.by_light[static_cast<std::size_t>(task::Light::kDone)] = 2;
  row.by_light[static_cast<std::size_t>(task::Light::kRed)] = 1;
  EXPECT_EQ(
      json::serialize(document_row_json(row)),
      R"j({"document":"doc","number":"青政〔2015〕70号","title":"意见","version":2,"tasks":3,)j"
      R"j("by_status":{"assigned":1,"in_progress":0,"completion_reported":0,"closed":2,)j"
      R"j("cancelled":0},"by_light":{"none":0,"green":0,"yellow":0,"red":1,"done":2}})j");
}

TEST(IsoUtc, MillisecondsForTheApiWholeSecondsForTheCliAndReports) {
  EXPECT_EQ(iso_utc_millis(from_millis(kNewYearMorning)), "2016-01-01T08:00:00.123Z");
  EXPECT_EQ(iso_utc_seconds(from_millis(kNewYearMorning)), "2016-01-01T08:00:00Z");
  EXPECT_EQ(iso_utc_millis(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_utc_seconds(from_millis(999)), "1970-01-01T00:00:00Z");
}

TEST(OptionalJson, AbsentValuesAreNull) {
  EXPECT_TRUE(optional_json(std::optional<std::string>()).is_null());
  EXPECT_TRUE(optional_json(std::optional<int>()).is_null());
  EXPECT_TRUE(optional_json(std::optional<UnitId>()).is_null());
  EXPECT_EQ(optional_json(std::optional<int>(4)), 4);
  EXPECT_EQ(optional_json(std::optional<UnitId>(UnitId("grain"))), "grain");
}

}  // namespace
}  // namespace duban::service::views
