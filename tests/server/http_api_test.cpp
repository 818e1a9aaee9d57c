// The HTTP API of `duban serve` (docs/api.md), driven over real sockets against an in-process
// server on 127.0.0.1: every endpoint (health, metrics, whoami, units, inbox, task, documents,
// overdue, scorecards, sweep, every lifecycle command, ingest) and every error status (400, 401,
// 403, 404, 405, 409, 413, 415), pagination cursors, and retried command ids.
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class HttpApiTest : public ServerTest {};

TEST_F(HttpApiTest, HealthzAndMetricsNeedNoToken) {
  auto c = http();
  auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(str(health.json().at("status")), "ok");
  auto metrics = c.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE duban_http_requests_total counter"), std::string::npos);
  EXPECT_NE(metrics.body.find("duban_ws_connections"), std::string::npos);
  EXPECT_NE(metrics.body.find("duban_push_lag_seconds_bucket"), std::string::npos);
}

TEST_F(HttpApiTest, RequestsWithoutAGoodTokenAre401) {
  auto c = http();
  auto none = c.get("/api/v1/units");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(str(none.json().at("error")), "unauthorized");
  EXPECT_EQ(none.headers["www-authenticate"], "Bearer realm=\"duban\"");
  EXPECT_EQ(c.get("/api/v1/units", "dbn_not-a-token").status, 401);
  auto basic = c.request("GET", "/api/v1/units", {}, {}, "application/json",
                         {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(basic.status, 401);
}

TEST_F(HttpApiTest, WhoamiNamesTheGrant) {
  auto c = http();
  auto sup = c.get("/api/v1/whoami", supervisor).json();
  EXPECT_EQ(str(sup.at("role")), "supervisor");
  auto unit = c.get("/api/v1/whoami", unit_token("fgw")).json();
  EXPECT_EQ(str(unit.at("role")), "unit");
  EXPECT_EQ(str(unit.at("unit")), "fgw");
}

TEST_F(HttpApiTest, UnitsComeWithAliasesInPages) {
  auto c = http();
  auto first = c.get("/api/v1/units?limit=2", supervisor);
  ASSERT_EQ(first.status, 200);
  auto page = first.json().as_object();
  ASSERT_EQ(page.at("units").as_array().size(), 2u);
  EXPECT_TRUE(page.at("units").as_array()[0].as_object().contains("aliases"));
  const std::string cursor = str(page.at("next_after"));
  EXPECT_EQ(cursor, str(page.at("units").as_array()[1].at("id")));
  auto second = c.get("/api/v1/units?limit=2&after=" + percent_encode(cursor), supervisor).json();
  EXPECT_GT(str(second.at("units").as_array()[0].at("id")), cursor);
  // The whole directory fits in one page of the maximum size; the last page has no cursor.
  auto all = c.get("/api/v1/units?limit=1000", supervisor).json();
  EXPECT_EQ(all.at("units").as_array().size(), gazette::UnitDirectory::builtin().units().size());
  EXPECT_TRUE(all.at("next_after").is_null());

  auto one = c.get("/api/v1/units/fgw", supervisor);
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(str(one.json().at("name")), "省发展改革委");
  EXPECT_EQ(str(one.json().at("parent")), "") << "a unit below none";
  // A group's member names the group it sits below (the page offers members and subordinates).
  EXPECT_EQ(str(c.get("/api/v1/units/xining-gov", supervisor).json().at("parent")),
            "city-prefecture-govs");
  EXPECT_EQ(c.get("/api/v1/units/no-such-unit", supervisor).status, 404);
  EXPECT_EQ(c.get("/api/v1/units?limit=0", supervisor).status, 400);
  EXPECT_EQ(c.get("/api/v1/units?limit=abc", supervisor).status, 400);
  EXPECT_EQ(c.get("/api/v1/units?limit=1001", supervisor).status, 400);
}

TEST_F(HttpApiTest, InboxHasLeadAndParticipantSectionsWithStatusLightAndDeadline) {
  create_task("T-1", {"fgw"}, {"finance"}, "2016-03-31");
  create_task("T-2", {"finance"}, {"fgw"});
  create_task("T-3", {"fgw"});
  run(task::CancelTask{TaskId("T-3"), "withdrawn", std::nullopt}, task::Actor::supervisor());
  auto c = http();
  const std::string fgw = unit_token("fgw");
  auto r = c.get("/api/v1/units/fgw/inbox", fgw);
  ASSERT_EQ(r.status, 200) << r.body;
  auto inbox = r.json().as_object();
  ASSERT_EQ(inbox.at("lead").as_array().size(), 1u);
  ASSERT_EQ(inbox.at("participant").as_array().size(), 1u);
  const auto& lead = inbox.at("lead").as_array()[0].as_object();
  EXPECT_EQ(str(lead.at("task")), "T-1");
  EXPECT_EQ(str(lead.at("status")), "assigned");
  EXPECT_EQ(str(lead.at("light")), "green");
  EXPECT_EQ(str(lead.at("deadline")), "2016-03-31");
  EXPECT_EQ(lead.at("acknowledged").as_bool(), false);
  EXPECT_EQ(str(inbox.at("participant").as_array()[0].at("task")), "T-2");

  auto all = c.get("/api/v1/units/fgw/inbox?status=all", fgw).json();
  EXPECT_EQ(all.at("lead").as_array().size(), 2u);  // the cancelled T-3 too
  EXPECT_EQ(c.get("/api/v1/units/fgw/inbox?status=closed", fgw).status, 400);
  EXPECT_EQ(c.get("/api/v1/units/nobody-at-all/inbox", supervisor).status, 404);

  // Pages of one follow the same order and end with a null cursor.
  auto p1 = c.get("/api/v1/units/fgw/inbox?limit=1", fgw).json();
  ASSERT_FALSE(p1.at("next_after").is_null());
  auto p2 =
      c.get("/api/v1/units/fgw/inbox?limit=1&after=" + percent_encode(str(p1.at("next_after"))),
            fgw)
          .json();
  EXPECT_TRUE(p2.at("next_after").is_null());
  EXPECT_EQ(p1.at("lead").as_array().size() + p2.at("lead").as_array().size(), 1u);
  EXPECT_EQ(p1.at("participant").as_array().size() + p2.at("participant").as_array().size(), 1u);
}

TEST_F(HttpApiTest, TaskShowsStateHistoryAndSourceClause) {
  create_task("青政办〔2015〕151号|正文|(一)", {"fgw"}, {"finance"}, "2016-06-30");
  auto c = http();
  auto r = c.get(task_path("青政办〔2015〕151号|正文|(一)"), supervisor);
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = r.json().as_object();
  EXPECT_EQ(str(t.at("task")), "青政办〔2015〕151号|正文|(一)");
  EXPECT_EQ(t.at("version").as_int64(), 3);
  EXPECT_EQ(str(t.at("status")), "assigned");
  EXPECT_EQ(str(t.at("source").at("document")), "青政办〔2015〕151号");
  EXPECT_EQ(str(t.at("source").at("text")), "建立共享机制。（省商务厅牵头）");
  const auto& history = t.at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(str(history[0].at("event_type")), "TaskCreated");
  EXPECT_EQ(str(history[1].at("event_type")), "UnitAssigned");
  EXPECT_EQ(str(history[1].at("data").at("unit")), "fgw");
  EXPECT_EQ(history[2].at("version").as_int64(), 3);
  EXPECT_EQ(str(history[0].at("actor")), "supervisor");
  EXPECT_GT(history[2].at("position").as_int64(), history[0].at("position").as_int64());
  EXPECT_EQ(c.get(task_path("no such task"), supervisor).status, 404);
}

// The task's allowed_actions are what its reader may do now (model/task/allowed_actions.h).
TEST_F(HttpApiTest, ATaskListsTheActionsItsReaderMayTakeNow) {
  const std::string id = create_task("T-actions", {"fgw"}, {"finance"}, "2016-06-30");
  auto c = http();
  auto actions = [&](const std::string& token) {
    std::vector<std::string> out;
    const auto task = c.get(task_path(id), token).json();
    for (const auto& a : task.at("allowed_actions").as_array()) out.push_back(str(a));
    return out;
  };
  using V = std::vector<std::string>;
  // No `delegate` nor `expand`: the directory puts nothing below fgw or finance (issue 15).
  EXPECT_EQ(actions(unit_token("fgw")),
            (V{"acknowledge", "progress", "request-extension", "report-completion"}));
  EXPECT_EQ(actions(unit_token("finance")), (V{"acknowledge", "progress", "contribute"}));
  EXPECT_EQ(actions(supervisor),
            (V{"reassign", "revise", "urge", "deadline", "cancel", "reporting-cycle"}));
  run(task::ReportCompletion{TaskId(id), "done"}, task::Actor::of_unit(UnitId("fgw")));
  run(task::ApproveCompletion{TaskId(id), std::nullopt}, task::Actor::supervisor());
  EXPECT_EQ(actions(supervisor), (V{"reopen"}));
  EXPECT_EQ(actions(unit_token("fgw")), V{});
}

TEST_F(HttpApiTest, DocumentsListProgressAndADocumentItsTasks) {
  create_task("A-1", {"fgw"}, {}, std::nullopt, "doc-A");
  create_task("A-2", {"finance"}, {}, std::nullopt, "doc-A");
  create_task("B-1", {"fgw"}, {}, std::nullopt, "doc-B");
  auto c = http();
  auto list = c.get("/api/v1/documents?limit=1", supervisor).json();
  ASSERT_EQ(list.at("documents").as_array().size(), 1u);
  const auto& a = list.at("documents").as_array()[0];
  EXPECT_EQ(str(a.at("document")), "doc-A");
  EXPECT_EQ(a.at("tasks").as_int64(), 2);
  EXPECT_EQ(a.at("by_status").at("assigned").as_int64(), 2);
  EXPECT_EQ(str(list.at("next_after")), "doc-A");
  auto rest = c.get("/api/v1/documents?after=doc-A", supervisor).json();
  ASSERT_EQ(rest.at("documents").as_array().size(), 1u);
  EXPECT_EQ(str(rest.at("documents").as_array()[0].at("document")), "doc-B");

  auto doc = c.get("/api/v1/documents/doc-A", supervisor);
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.json().at("task_list").as_array().size(), 2u);
  EXPECT_EQ(c.get("/api/v1/documents/doc-Z", supervisor).status, 404);
}

TEST_F(HttpApiTest, OverdueListsOpenTasksPastTheirDeadlineLongestFirst) {
  create_task("O-1", {"fgw"}, {}, "2016-02-01");
  create_task("O-2", {"fgw"}, {}, "2016-01-10");
  create_task("O-3", {"fgw"}, {}, "2016-12-31");
  clock.advance_to(utc(2016, 3, 1));
  auto c = http();
  auto r = c.get("/api/v1/overdue", supervisor).json();
  const auto& items = r.at("overdue").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0].at("task")), "O-2");
  EXPECT_EQ(str(items[1].at("task")), "O-1");
  EXPECT_GT(items[0].at("days_overdue").as_int64(), items[1].at("days_overdue").as_int64());
  auto p1 = c.get("/api/v1/overdue?limit=1", supervisor).json();
  EXPECT_EQ(str(p1.at("next_after")), "O-2");
  auto p2 = c.get("/api/v1/overdue?limit=1&after=O-2", supervisor).json();
  ASSERT_EQ(p2.at("overdue").as_array().size(), 1u);
  EXPECT_EQ(str(p2.at("overdue").as_array()[0].at("task")), "O-1");
  EXPECT_TRUE(p2.at("next_after").is_null()) << "nothing follows the last overdue task";
  auto both = c.get("/api/v1/overdue?limit=2", supervisor).json();
  EXPECT_EQ(both.at("overdue").as_array().size(), 2u);
  EXPECT_TRUE(both.at("next_after").is_null()) << "a page that holds the rest has no next";
  EXPECT_EQ(c.get("/api/v1/overdue?after=not-a-task", supervisor).status, 400);
}

TEST_F(HttpApiTest, ScorecardsCountWhatUnitsDid) {
  create_task("S-1", {"fgw"}, {"finance"});
  run(task::AcknowledgeTask{TaskId("S-1")}, task::Actor::of_unit(UnitId("fgw")));
  auto c = http();
  auto r = c.get("/api/v1/scorecards", supervisor).json();
  const auto& rows = r.at("scorecards").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(str(rows[0].at("unit")), "fgw");
  EXPECT_EQ(rows[0].at("assigned").as_int64(), 1);
  EXPECT_EQ(rows[0].at("acknowledged").as_int64(), 1);
  EXPECT_EQ(rows[0].at("open_now").as_int64(), 1);
}

TEST_F(HttpApiTest, TheWholeLifecycleRunsOverHttp) {
  auto c = http();
  const std::string fgw = unit_token("fgw");
  // Create (supervisor).
  auto created = c.post("/api/v1/tasks", R"({"command_id":"c-create","expected_version":0,
      "task":"L-1","provenance":{"document":"doc-L","part":"正文","label":"一、",
      "heading":"做好工作","text":"做好工作。（省发展改革委牵头）","line":3,"end_line":3},
      "mode":"lead","leads":["fgw"],"participants":["finance"],"deadline":"2016-06-30"})",
                        supervisor);
  ASSERT_EQ(created.status, 200) << created.body;
  auto cj = created.json();
  EXPECT_EQ(cj.at("version").as_int64(), 3);
  EXPECT_EQ(cj.at("positions").as_array().size(), 3u);
  EXPECT_EQ(str(cj.at("events").as_array()[0]), "TaskCreated");
  EXPECT_EQ(cj.at("duplicate").as_bool(), false);

  std::int64_t version = 3;
  auto step = [&](const std::string& action, const std::string& fields, const std::string& token,
                  const std::string& first_event) {
    const std::string body = R"({"command_id":"c-)" + action + std::to_string(version) +
                             R"(","expected_version":)" + std::to_string(version) +
                             (fields.empty() ? "" : "," + fields) + "}";
    auto r = c.post(task_path("L-1", action), body, token);
    EXPECT_EQ(r.status, 200) << action << ": " << r.body;
    if (r.status != 200) return;
    auto j = r.json();
    EXPECT_EQ(str(j.at("events").as_array()[0]), first_event) << action;
    EXPECT_EQ(j.at("last_position").as_int64(), head()) << action;
    version = j.at("version").as_int64();
  };
  step("acknowledge", "", fgw, "TaskAcknowledged");
  step("progress", R"("note":"half done","percent":50)", fgw, "ProgressReported");
  step("urge", R"("note":"faster please")", supervisor, "TaskUrged");
  step("request-extension", R"("requested_deadline":"2016-09-30","reason":"flood")", fgw,
       "ExtensionRequested");
  step("reject-extension", R"("reason":"no")", supervisor, "ExtensionRejected");
  step("request-extension", R"("requested_deadline":"2016-08-31","reason":"flood again")", fgw,
       "ExtensionRequested");
  step("approve-extension", "", supervisor, "ExtensionApproved");
  step("deadline", R"("deadline":"2016-10-31","reason":"plan changed")", supervisor, "DeadlineSet");
  step("reassign", R"("leads":["fgw"],"participants":["finance","commerce"],"reason":"more help")",
       supervisor, "TaskReassigned");
  step("revise", R"("provenance":{"document":"doc-L","part":"正文","label":"一、",
      "heading":"做好工作","text":"做好全部工作。（省发展改革委牵头）","line":3,"end_line":3,
      "document_version":2})",
       supervisor, "TaskRevised");
  step("report-completion", R"("summary":"done")", fgw, "CompletionReported");
  step("return", R"("reason":"not yet")", supervisor, "TaskReturned");
  step("report-completion", R"("summary":"now done")", fgw, "CompletionReported");
  step("approve-completion", "", supervisor, "CompletionApproved");
  step("reopen", R"("reason":"found a gap")", supervisor, "TaskReopened");
  step("cancel", R"("reason":"superseded")", supervisor, "TaskCancelled");
  auto t = c.get(task_path("L-1"), supervisor).json();
  EXPECT_EQ(str(t.at("status")), "cancelled");
  EXPECT_EQ(t.at("version").as_int64(), version);
}

TEST_F(HttpApiTest, ARetriedCommandIdReturnsTheOriginalResult) {
  create_task("R-1", {"fgw"});
  auto c = http();
  const std::string fgw = unit_token("fgw");
  const std::string body = R"({"command_id":"ack-once","expected_version":2})";
  auto first = c.post(task_path("R-1", "acknowledge"), body, fgw);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::int64_t at = head();
  auto again = c.post(task_path("R-1", "acknowledge"), body, fgw);
  ASSERT_EQ(again.status, 200) << again.body;
  auto a = first.json().as_object(), b = again.json().as_object();
  EXPECT_EQ(b.at("duplicate").as_bool(), true);
  EXPECT_EQ(a.at("positions"), b.at("positions"));
  EXPECT_EQ(a.at("version"), b.at("version"));
  EXPECT_EQ(a.at("events"), b.at("events"));
  EXPECT_EQ(head(), at);  // nothing appended by the retry
  auto metrics = c.get("/metrics").body;
  EXPECT_NE(metrics.find("duban_commands_total{outcome=\"duplicate\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("duban_commands_total{outcome=\"accepted\"} 1"), std::string::npos);
}

TEST_F(HttpApiTest, ConflictsAndIllegalTransitionsAre409) {
  create_task("C-1", {"fgw"});
  auto c = http();
  auto stale =
      c.post(task_path("C-1", "urge"), R"({"command_id":"u1","expected_version":1})", supervisor);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(str(stale.json().at("error")), "version_conflict");
  auto illegal = c.post(task_path("C-1", "approve-completion"),
                        R"({"command_id":"a1","expected_version":2})", supervisor);
  EXPECT_EQ(illegal.status, 409);
  EXPECT_EQ(str(illegal.json().at("error")), "illegal_transition");
  auto twice = c.post("/api/v1/tasks", R"({"command_id":"again","expected_version":0,"task":"C-1",
      "provenance":{"document":"d"},"leads":["fgw"]})",
                      supervisor);
  EXPECT_EQ(twice.status, 409);
  // The same command id on another stream.
  create_task("C-2", {"fgw"});
  auto ok = c.post(task_path("C-1", "urge"), R"({"command_id":"shared","expected_version":2})",
                   supervisor);
  EXPECT_EQ(ok.status, 200);
  auto reused = c.post(task_path("C-2", "urge"), R"({"command_id":"shared","expected_version":2})",
                       supervisor);
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(str(reused.json().at("error")), "command_id_reused");
}

TEST_F(HttpApiTest, BadBodiesAre400) {
  create_task("B-1", {"fgw"});
  auto c = http();
  auto expect_400 = [&](const std::string& body, const std::string& needle) {
    auto r = c.post(task_path("B-1", "urge"), body, supervisor);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(str(r.json().at("error")), "bad_request") << body;
    EXPECT_NE(str(r.json().at("message")).find(needle), std::string::npos) << r.body;
  };
  expect_400("not json", "not JSON");
  expect_400("[1,2]", "JSON object");
  expect_400(R"({"expected_version":2})", "command_id");
  expect_400(R"({"command_id":"x"})", "expected_version");
  expect_400(R"({"command_id":"x","expected_version":"two"})", "integer");
  expect_400(R"({"command_id":"x","expected_version":2,"nott":"typo"})", "unknown field 'nott'");
  expect_400(R"({"command_id":"x","expected_version":-1})", "0 or more");
  // A domain-level refusal of bad fields is 400 too (invalid_command).
  auto bad_date =
      c.post(task_path("B-1", "deadline"),
             R"({"command_id":"d","expected_version":2,"deadline":"2016-02-30"})", supervisor);
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_EQ(str(bad_date.json().at("error")), "invalid_command");
}

TEST_F(HttpApiTest, UnknownRoutesAre404AndWrongMethods405) {
  create_task("M-1", {"fgw"});
  auto c = http();
  EXPECT_EQ(c.get("/nothing-here").status, 404);
  EXPECT_EQ(c.get("/api/v1/nothing", supervisor).status, 404);
  auto action = c.post(task_path("M-1", "teleport"), R"({"command_id":"t","expected_version":2})",
                       supervisor);
  EXPECT_EQ(action.status, 404);
  EXPECT_EQ(c.request("DELETE", task_path("M-1"), {}, supervisor).status, 405);
  EXPECT_EQ(c.get(task_path("M-1", "acknowledge"), supervisor).status, 405);
  EXPECT_EQ(c.request("POST", "/healthz").status, 405);
}

TEST_F(HttpApiTest, BodiesOverTheLimitAre413) {
  create_task("Big-1", {"fgw"});
  auto c = http();
  const std::string huge =
      R"({"command_id":"x","expected_version":2,"note":")" + std::string(70 * 1024, 'a') + "\"}";
  auto r = c.post(task_path("Big-1", "urge"), huge, supervisor);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(str(r.json().at("error")), "payload_too_large");
  // The server closed that connection; the next request opens a new one and works.
  EXPECT_EQ(c.get("/healthz").status, 200);
}

TEST_F(HttpApiTest, MalformedHttpIs400AndExpectContinueIsAnswered) {
  duban::testing::RawConnection raw("127.0.0.1", port);
  raw.write("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(raw.read_response().status, 400);

  create_task("E-1", {"fgw"});
  duban::testing::RawConnection cont("127.0.0.1", port);
  const std::string body = R"({"command_id":"e1","expected_version":2,"note":"go"})";
  cont.write("POST " + task_path("E-1", "urge") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
             supervisor +
             "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(cont.read_response().status, 100);
  cont.write(body);
  EXPECT_EQ(cont.read_response().status, 200);
}

TEST_F(HttpApiTest, IngestOverHttpCreatesTheGazettesTasks) {
  const std::string gazette =
      read_file(std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md");
  ASSERT_FALSE(gazette.empty());
  auto c = http();
  auto r = c.request("POST", "/api/v1/documents", gazette, supervisor, "text/markdown");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  auto j = r.json();
  const auto created = j.at("tasks_created").as_array().size();
  EXPECT_GT(created, 100u);
  EXPECT_GT(j.at("documents").as_array().size(), 1u);
  // The tasks are there, and a unit's inbox shows its share.
  auto docs = c.get("/api/v1/documents?limit=1000", supervisor).json();
  std::int64_t tasks = 0;
  for (const auto& d : docs.at("documents").as_array()) tasks += d.at("tasks").as_int64();
  EXPECT_EQ(static_cast<std::size_t>(tasks), created);
  // The same text again changes nothing.
  auto again = c.request("POST", "/api/v1/documents", gazette, supervisor, "text/markdown").json();
  EXPECT_TRUE(again.at("tasks_created").as_array().empty());
  for (const auto& d : again.at("documents").as_array()) EXPECT_TRUE(d.at("unchanged").as_bool());

  EXPECT_EQ(
      c.request("POST", "/api/v1/documents", gazette, unit_token("fgw"), "text/markdown").status,
      403);
  EXPECT_EQ(c.request("POST", "/api/v1/documents", "{}", supervisor, "application/json").status,
            415);
  EXPECT_EQ(c.request("POST", "/api/v1/documents", "", supervisor, "text/plain").status, 400);
}

TEST_F(HttpApiTest, SweepRecordsTheRemindersDueNow) {
  create_task("W-1", {"fgw"}, {}, "2016-01-20");
  clock.advance_to(utc(2016, 1, 25));
  auto c = http();
  auto r = c.post("/api/v1/sweep", "", supervisor);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("overdue").as_int64(), 1);
  auto t = c.get(task_path("W-1"), supervisor).json();
  EXPECT_EQ(str(t.at("history").as_array().back().at("event_type")), "TaskOverdue");
  EXPECT_EQ(str(t.at("history").as_array().back().at("actor")), "system");
  EXPECT_EQ(c.post("/api/v1/sweep", "", unit_token("fgw")).status, 403);
}

// The same server with the sweep timer on.
class SweepTimerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerOptions o = test_options();
    o.sweep_interval = 100ms;
    start_server(o);
  }
};

TEST_F(SweepTimerTest, TheSweepRunsOnATimerInsideTheServer) {
  create_task("TT-1", {"fgw"}, {}, "2016-01-05");
  clock.advance_to(utc(2016, 2, 1));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool overdue = false;
  while (!overdue && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    auto state = service->read_model().task(TaskId("TT-1"));
    overdue = state && state->overdue_recorded;
  }
  EXPECT_TRUE(overdue);
}

}  // namespace
}  // namespace duban::server::testing
