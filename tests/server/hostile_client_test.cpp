// A hostile unit and a careless operator against the real server on 127.0.0.1 (issue 13):
//   - command ids: a unit choosing the ids the system uses itself ("sweep:<task>@<version>",
//     "ingest:<doc>@v<n>:...") can neither stop the deadline sweep, nor hide its own overdue
//     status, nor block or undo a document revision; a retry by the same principal with the same
//     id is still answered as a duplicate, while the same id from another principal is its own
//     command.
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

// The bundled gazette with clause (十三)'s 省供销社 removed from its units: ingested over the
// original, document version 2 reassigns that one task (and changes nothing else).
std::string gazette_with_one_reassignment() {
  std::istringstream in(read_file(kGazette));
  std::ostringstream out;
  bool changed = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("(十三)健全应急调控保障体系", 0) == 0) {
      const std::string coop = "省供销社、";
      line.erase(line.find(coop), coop.size());
      changed = true;
    }
    out << line << "\n";
  }
  EXPECT_TRUE(changed) << "the bundled gazette changed; update this test";
  return out.str();
}

class HostileClientTest : public ServerTest {
 protected:
  // POSTs `action` on `task` with `command_id` at the task's current version.
  HttpResponse post_at_current_version(const std::string& task, const std::string& action,
                                       const std::string& command_id, const std::string& token,
                                       const std::string& extra = "") {
    auto c = http();
    const auto version = c.get(task_path(task), token).json().at("version").as_int64();
    json::object body{{"command_id", command_id}, {"expected_version", version}};
    std::string text = json::serialize(body);
    if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
    return c.post(task_path(task, action), text, token);
  }
  std::int64_t version_of(const std::string& task) {
    auto state = service->read_model().task(TaskId(task));
    return state ? static_cast<std::int64_t>(state->version.value()) : -1;
  }
};

TEST_F(HostileClientTest, AUnitCannotStopTheSweepWithAnotherTasksSweepId) {
  create_task("H-own", {"fgw"}, {}, "2016-01-10");
  create_task("H-other", {"finance"}, {}, "2016-01-10");
  const std::string fgw = unit_token("fgw");
  const std::string stolen = "sweep:H-other@" + std::to_string(version_of("H-other"));
  auto r = post_at_current_version("H-own", "progress", stolen, fgw, R"("note":"x")");
  ASSERT_EQ(r.status, 200) << r.body;

  clock.advance_to(utc(2016, 2, 1));
  auto c = http();
  auto swept = c.post("/api/v1/sweep", "", supervisor);
  ASSERT_EQ(swept.status, 200) << swept.body;
  EXPECT_EQ(swept.json().at("overdue").as_int64(), 2);
  auto other = service->read_model().task(TaskId("H-other"));
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->overdue_recorded);
}

TEST_F(HostileClientTest, AUnitCannotHideItsOwnOverdueStatusWithTheNextSweepId) {
  create_task("H-late", {"fgw"}, {}, "2016-01-10");
  const std::string fgw = unit_token("fgw");
  // The sweep would run at the version after the unit's progress report.
  const std::string next = "sweep:H-late@" + std::to_string(version_of("H-late") + 1);
  auto r = post_at_current_version("H-late", "progress", next, fgw, R"("note":"x")");
  ASSERT_EQ(r.status, 200) << r.body;

  clock.advance_to(utc(2016, 2, 1));
  auto c = http();
  auto swept = c.post("/api/v1/sweep", "", supervisor);
  ASSERT_EQ(swept.status, 200) << swept.body;
  EXPECT_EQ(swept.json().at("overdue").as_int64(), 1);
  auto late = service->read_model().task(TaskId("H-late"));
  ASSERT_TRUE(late);
  EXPECT_TRUE(late->overdue_recorded);
  auto overdue = c.get("/api/v1/overdue", supervisor).json();
  ASSERT_EQ(overdue.at("overdue").as_array().size(), 1u);
  EXPECT_EQ(str(overdue.at("overdue").as_array()[0].at("task")), "H-late");
}

TEST_F(HostileClientTest, AUnitCannotBlockOrUndoADocumentRevisionWithItsIngestIds) {
  auto c = http();
  auto first =
      c.request("POST", "/api/v1/documents", read_file(kGazette), supervisor, "text/markdown");
  ASSERT_EQ(first.status, 200) << first.body;
  // The task of clause (十三) of 青政〔2015〕70号 and one unit leading it.
  std::string document, task;
  const json::value first_json = first.json();
  for (const auto& d : first_json.at("documents").as_array()) {
    for (const auto& cmd : d.at("commands").as_array()) {
      if (!cmd.at("task").is_string() || !str(d.at("document")).starts_with("青政〔2015〕70号")) {
        continue;
      }
      // Task ids no longer carry the label: ask the read model which task is (十三).
      auto s = service->read_model().task(TaskId(str(cmd.at("task"))));
      if (s && s->provenance.label == "(十三)") {
        document = str(d.at("document"));
        task = str(cmd.at("task"));
      }
    }
  }
  ASSERT_FALSE(task.empty());
  auto state = service->read_model().task(TaskId(task));
  ASSERT_TRUE(state);
  ASSERT_FALSE(state->leads.empty());
  const std::string unit = state->leads.front().str();
  const std::string token = unit_token(unit);

  const std::string prefix = "ingest:" + document + "@v2:";
  auto undo = post_at_current_version(task, "progress", prefix + task + ":ReassignTask", token,
                                      R"("note":"x")");
  ASSERT_EQ(undo.status, 200) << undo.body;
  auto block = post_at_current_version(task, "progress", prefix + "RegisterDocument", token,
                                       R"("note":"y")");
  ASSERT_EQ(block.status, 200) << block.body;

  auto revised = c.request("POST", "/api/v1/documents", gazette_with_one_reassignment(), supervisor,
                           "text/markdown");
  ASSERT_EQ(revised.status, 200) << revised.body;
  bool reassigned = false;
  const json::value revised_json = revised.json();
  for (const auto& d : revised_json.at("documents").as_array()) {
    if (str(d.at("document")) != document) continue;
    EXPECT_EQ(d.at("version").as_int64(), 2);
    for (const auto& cmd : d.at("commands").as_array()) {
      EXPECT_FALSE(cmd.at("duplicate").as_bool()) << json::serialize(cmd);
      if (str(cmd.at("command")) == "ReassignTask") reassigned = true;
    }
  }
  EXPECT_TRUE(reassigned);
  EXPECT_EQ(service->read_model().document(DocumentId(document)).document_version, 2);
  auto after = service->read_model().task(TaskId(task));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->leads.size(), state->leads.size() - 1);
}

TEST_F(HostileClientTest, CommandIdsAreScopedToWhoSentThem) {
  create_task("H-both", {"fgw", "finance"});
  const std::string fgw = unit_token("fgw");
  const std::string finance = unit_token("finance");
  auto c = http();
  const std::string body = R"({"command_id":"same","expected_version":)" +
                           std::to_string(version_of("H-both")) + R"(,"note":"a"})";
  auto mine = c.post(task_path("H-both", "progress"), body, fgw);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(str(mine.json().at("command_id")), "same");  // the client's id, as sent
  auto retry = c.post(task_path("H-both", "progress"), body, fgw);
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_TRUE(retry.json().at("duplicate").as_bool());
  // Another unit's "same" is another command: not a duplicate of fgw's.
  auto theirs = c.post(task_path("H-both", "progress"),
                       R"({"command_id":"same","expected_version":)" +
                           std::to_string(version_of("H-both")) + R"(,"note":"b"})",
                       finance);
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_FALSE(theirs.json().at("duplicate").as_bool());
  // The history shows the scoped ids.
  const json::value task = c.get(task_path("H-both"), supervisor).json();
  const auto& history = task.at("history").as_array();
  EXPECT_EQ(str(history.at(history.size() - 2).at("command_id")), "client:unit:fgw:same");
  EXPECT_EQ(str(history.back().at("command_id")), "client:unit:finance:same");
}

}  // namespace
}  // namespace duban::server::testing
