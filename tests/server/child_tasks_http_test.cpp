// Child tasks (分解/转办) and participants' contributions (配合单位) over HTTP and the WebSocket,
// on the real server (127.0.0.1) with a real SQLite log and blob table (issue 15):
//   - the supervisor expands 各市州政府 (city-prefecture-govs) into its eight members: each gets a
//     child task that its own inbox lists; `expand` is offered while members are left;
//   - `delegate` (转办) is offered only to a lead with bodies below it in the log's directory; a
//     child deadline later than the parent's is refused with 400 and a message naming both;
//   - a unit not on the task, and a lead, get 403 on contribute;
//   - a participant's contribution with an attachment shows on GET of the task (its
//     `contributions`, and the file on its event in the history) and the lead downloads it;
//   - the lead that handed a child down reads it over HTTP; the parent's participant may not;
//   - the parent's lead follows a child live: events of the child's stream reach its task
//     subscription of the parent and its inbox (unit) subscription; a parent's participant's do
//     not get them.
#include <gtest/gtest.h>

#include <algorithm>

#include "model/gazette/units.h"
#include "service/unit_directory_log.h"
#include "storage/blob_store.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kGroup = "city-prefecture-govs";

// fgw has a body below it (省物价局); the city group and its members as in the built-in directory.
const std::string kDirectory =
    "fgw\tdepartment\t省发展改革委\t\n"
    "fgw-price\tbureau\t省物价局\t\tfgw\n"
    "swt\tdepartment\t省商务厅\t\n"
    "czt\tdepartment\t省财政厅\t\n"
    "jyt\tdepartment\t省教育厅\t\n";

bool has(const json::value& list, std::string_view item) {
  const auto& a = list.as_array();
  return std::any_of(a.begin(), a.end(),
                     [&](const json::value& v) { return v.as_string() == item; });
}

class ChildTasksHttp : public ServerTest {
 protected:
  void SetUp() override {
    with_blobs = true;
    start_server(test_options());
  }

  // Records kDirectory as the log's unit directory (what `duban ingest --units` does).
  void record_directory() {
    auto recorded = service::record_directory(
        *store, service::DirectoryText{kDirectory, "test.tsv"}, task::Actor::supervisor());
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  json::value get_task(const std::string& task, const std::string& token) {
    auto r = http().get(task_path(task), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : json::value(json::object{});
  }

  // POST a task command with a fresh command id at the task's current version; `fields` is the
  // rest of the JSON body.
  HttpResponse command(const std::string& token, const std::string& task, const std::string& action,
                       const std::string& fields) {
    const auto state = http().get(task_path(task), supervisor).json();
    const std::string body = R"({"command_id":"kid-)" + std::to_string(++commands) +
                             R"(","expected_version":)" +
                             std::to_string(state.at("version").as_int64()) + "," + fields + "}";
    return http().post(task_path(task, action), body, token);
  }

  // The tasks `unit`'s inbox lists as its lead.
  std::vector<std::string> led_in_inbox(const std::string& unit) {
    auto r = http().get("/api/v1/units/" + unit + "/inbox", unit_token(unit));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    const json::value inbox = r.json();
    for (const auto& i : inbox.at("lead").as_array()) out.push_back(str(i.at("task")));
    return out;
  }

  // "task:event_type" of every event message until the event `until_type` of task `until_task`
  // arrives (that one included), so what a subscriber got is known without waiting for silence.
  static std::vector<std::string> events_through(WsClient& c, const std::string& until_task,
                                                 const std::string& until_type) {
    std::vector<std::string> out;
    for (;;) {
      auto j = c.next().json();
      if (str(j.at("type")) != "event") continue;
      out.push_back(str(j.at("task")) + ":" + str(j.at("event_type")));
      if (str(j.at("task")) == until_task && str(j.at("event_type")) == until_type) return out;
    }
  }

  // A connection of `token` subscribed to `filter` and caught up.
  WsClient subscribed(const std::string& token, const std::string& filter) {
    WsClient c = ws(token);
    c.next();  // hello
    subscribe(c, filter);
    EXPECT_EQ(c.next().type(), "subscribed");
    return c;
  }

  int commands = 0;
};

TEST_F(ChildTasksHttp, TheSupervisorExpandsTheCityGroupIntoEightTasksEachInItsMembersInbox) {
  const auto members = gazette::UnitDirectory::builtin().below(kGroup);
  ASSERT_EQ(members.size(), 8u);
  create_task("T-1", {"fgw"}, {kGroup}, std::string("2016-06-30"));
  EXPECT_TRUE(has(get_task("T-1", supervisor).at("allowed_actions"), "expand"));
  EXPECT_FALSE(has(get_task("T-1", unit_token("fgw")).at("allowed_actions"), "delegate"))
      << "nothing is below fgw in the built-in directory";

  auto expanded = command(supervisor, "T-1", "expand", R"("group":")" + kGroup + R"(")");
  ASSERT_EQ(expanded.status, 200) << expanded.body;

  const json::value parent = get_task("T-1", supervisor);
  ASSERT_EQ(parent.at("children").as_array().size(), 8u) << parent;
  EXPECT_FALSE(has(parent.at("allowed_actions"), "expand")) << "every member has its task";
  for (const std::string& m : members) {
    const std::string child = "T-1~" + m;
    EXPECT_EQ(led_in_inbox(m), std::vector<std::string>{child}) << m;
    const json::value state = get_task(child, unit_token(m));
    EXPECT_EQ(str(state.at("parent")), "T-1");
    EXPECT_EQ(str(state.at("deadline")), "2016-06-30");
  }
}

TEST_F(ChildTasksHttp, AHandDownLaterThanTheParentsDeadlineIsRefusedWithAClearMessage) {
  record_directory();
  create_task("T-1", {"fgw"}, {"swt"}, std::string("2016-06-30"));
  const std::string fgw = unit_token("fgw");
  EXPECT_TRUE(has(get_task("T-1", fgw).at("allowed_actions"), "delegate"));
  EXPECT_FALSE(has(get_task("T-1", unit_token("swt")).at("allowed_actions"), "delegate"));

  auto later = command(fgw, "T-1", "delegate",
                       R"("units":["fgw-price"],"deadline":"2016-07-31","note":"核定价格")");
  EXPECT_EQ(later.status, 400) << later.body;
  EXPECT_EQ(str(later.json().at("error")), "invalid_command");
  const std::string message = str(later.json().at("message"));
  EXPECT_NE(message.find("2016-07-31 is later than the deadline"), std::string::npos) << message;
  EXPECT_NE(message.find("give 2016-06-30 or earlier"), std::string::npos) << message;
  EXPECT_TRUE(get_task("T-1", fgw).at("children").as_array().empty()) << "nothing was created";

  auto in_time = command(fgw, "T-1", "delegate",
                         R"("units":["fgw-price"],"deadline":"2016-05-31","note":"核定价格")");
  ASSERT_EQ(in_time.status, 200) << in_time.body;
  EXPECT_EQ(led_in_inbox("fgw-price"), std::vector<std::string>{"T-1~fgw-price"});
  EXPECT_FALSE(has(get_task("T-1", fgw).at("allowed_actions"), "delegate"))
      << "the one body below fgw has its task";

  // The lead that handed it down reads the child task (nothing it may do there); the parent's
  // participant does not.
  const json::value child = get_task("T-1~fgw-price", fgw);
  EXPECT_EQ(str(child.at("parent")), "T-1");
  EXPECT_FALSE(child.at("history").as_array().empty());
  EXPECT_TRUE(child.at("allowed_actions").as_array().empty());
  EXPECT_EQ(http().get(task_path("T-1~fgw-price"), unit_token("swt")).status, 403);
}

TEST_F(ChildTasksHttp, AUnitNotOnTheTaskGets403OnContribute) {
  create_task("T-1", {"fgw"}, {"czt"});
  auto stranger = command(unit_token("jyt"), "T-1", "contribute", R"("text":"我们也做了")");
  EXPECT_EQ(stranger.status, 403) << stranger.body;
  EXPECT_EQ(str(stranger.json().at("error")), "forbidden");
  auto lead = command(unit_token("fgw"), "T-1", "contribute", R"("text":"牵头单位不是配合单位")");
  EXPECT_EQ(lead.status, 403) << lead.body;
  EXPECT_TRUE(get_task("T-1", supervisor).at("contributions").as_array().empty());
}

TEST_F(ChildTasksHttp, TheParentsLeadFollowsItsChildTasksLive) {
  record_directory();
  create_task("T-1", {"fgw"}, {"swt"}, std::string("2016-06-30"));
  const std::string fgw = unit_token("fgw");
  WsClient by_task = subscribed(fgw, R"({"task":"T-1"})");
  WsClient by_unit = subscribed(fgw, R"({"unit":"fgw"})");
  WsClient participant = subscribed(unit_token("swt"), R"({"unit":"swt"})");
  WsClient office = subscribed(supervisor, R"({"task":"T-1"})");

  ASSERT_EQ(command(fgw, "T-1", "delegate", R"("units":["fgw-price"])").status, 200);
  const std::string child = "T-1~fgw-price";
  const std::string price = unit_token("fgw-price");
  ASSERT_EQ(command(price, child, "progress", R"("note":"已完成调研","percent":40)").status, 200);
  // Then something on the parent that every subscriber here sees: the end of what they get.
  run(task::UrgeTask{TaskId("T-1"), std::nullopt, "请加快"}, task::Actor::supervisor());

  const std::vector<std::string> followed = {"T-1:ChildTaskCreated", child + ":TaskCreated",
                                             child + ":UnitAssigned", child + ":ProgressReported",
                                             "T-1:TaskUrged"};
  EXPECT_EQ(events_through(by_task, "T-1", "TaskUrged"), followed);
  EXPECT_EQ(events_through(by_unit, "T-1", "TaskUrged"), followed);
  EXPECT_EQ(events_through(office, "T-1", "TaskUrged"), followed);
  // A participant of the parent follows the parent, not its children.
  EXPECT_EQ(events_through(participant, "T-1", "TaskUrged"),
            (std::vector<std::string>{"T-1:ChildTaskCreated", "T-1:TaskUrged"}));
  // The lead that handed the child down may subscribe to the child itself; the parent's
  // participant may not.
  subscribed(fgw, R"({"task":"T-1~fgw-price"})");
  auto outsider = ws(unit_token("swt"));
  outsider.next();
  subscribe(outsider, R"({"task":"T-1~fgw-price"})");
  EXPECT_EQ(outsider.next().type(), "error");
  // The child's own unit sees its task from its creation on.
  auto own = ws(price);
  own.next();
  subscribe(own, R"({"unit":"fgw-price"})", 0);
  EXPECT_EQ(own.next().type(), "subscribed");
  auto replayed = events_through(own, child, "ProgressReported");
  EXPECT_EQ(replayed, (std::vector<std::string>{child + ":TaskCreated", child + ":UnitAssigned",
                                                child + ":ProgressReported"}));
}

TEST_F(ChildTasksHttp, AParticipantsContributionWithAnAttachmentShowsOnTheTask) {
  create_task("T-1", {"fgw"}, {"czt"});
  const std::string czt = unit_token("czt");
  EXPECT_TRUE(has(get_task("T-1", czt).at("allowed_actions"), "contribute"));
  const std::string csv = "序号,资金\n1,300万元\n";
  auto up = http().request(
      "POST", task_path("T-1", "attachments") + "?name=" + percent_encode("资金拨付表.csv"), csv,
      czt, "text/csv");
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string sha = str(up.json().at("sha256"));

  auto contributed = command(czt, "T-1", "contribute",
                             R"("text":"已拨付配套资金","attachments":[{"sha256":")" + sha +
                                 R"(","name":"资金拨付表.csv"}])");
  ASSERT_EQ(contributed.status, 200) << contributed.body;

  const std::string fgw = unit_token("fgw");
  const json::value task = get_task("T-1", fgw);
  const auto& contributions = task.at("contributions").as_array();
  ASSERT_EQ(contributions.size(), 1u) << task;
  EXPECT_EQ(str(contributions[0].at("unit")), "czt");
  EXPECT_EQ(str(contributions[0].at("text")), "已拨付配套资金");
  // The files are on the contribution's event in the history.
  const auto& history = task.at("history").as_array();
  const auto& last = history.at(history.size() - 1);
  EXPECT_EQ(str(last.at("event_type")), "ContributionReported");
  const auto& attachment = last.at("data").at("attachments").at(0);
  EXPECT_EQ(str(attachment.at("sha256")), sha);
  EXPECT_EQ(str(attachment.at("name")), "资金拨付表.csv");
  EXPECT_EQ(str(attachment.at("media_type")), "text/csv");
  EXPECT_EQ(attachment.at("size").as_int64(), static_cast<std::int64_t>(csv.size()));

  // The lead reads the evidence before it reports completion; a unit not on the task may not.
  auto down = http().get("/api/v1/attachments/" + sha + "?task=T-1", fgw);
  ASSERT_EQ(down.status, 200) << down.body;
  EXPECT_EQ(down.body, csv);
  EXPECT_EQ(http().get("/api/v1/attachments/" + sha + "?task=T-1", unit_token("jyt")).status, 403);

  // A reference to bytes never uploaded is refused, and nothing is recorded.
  auto unknown = command(
      czt, "T-1", "contribute",
      R"("text":"x","attachments":[{"sha256":")" + std::string(64, 'a') + R"(","name":"x.pdf"}])");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(get_task("T-1", fgw).at("contributions").as_array().size(), 1u);
}

}  // namespace
}  // namespace duban::server::testing
