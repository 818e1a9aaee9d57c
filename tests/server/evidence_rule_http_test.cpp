// "A completion can be required to carry evidence" (issue 15) over real HTTP on 127.0.0.1, with a
// real SQLite log and blob table: the supervisor records a draft (POST /api/v1/documents?review=
// true), sets PUT /api/v1/drafts/{doc}/evidence {"required": true}, and publishes; the task then
// says evidence_required, a completion report without attachments is refused with 400 and a
// message naming the task and document, and one carrying an uploaded file is accepted. Units may
// not set the rule (403), and a body without a boolean is a 400.
#include <gtest/gtest.h>

#include "storage/blob_store.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kRuleGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

std::string text_of(const json::value& v) {
  return std::string(v.as_string());
}

class EvidenceRuleHttp : public ServerTest {
 protected:
  void SetUp() override {
    with_blobs = true;
    start_server(test_options());

    // Record the gazette for review; the first document with clauses is reviewed.
    auto ingested = http().request("POST", "/api/v1/documents?review=true", read_file(kRuleGazette),
                                   supervisor, "text/markdown");
    ASSERT_EQ(ingested.status, 200) << ingested.body;
    const json::value drafts = ingested.json();
    for (const auto& d : drafts.at("drafts").as_array()) {
      if (d.at("clauses").as_int64() > 0) {
        doc = text_of(d.at("document"));
        break;
      }
    }
    ASSERT_FALSE(doc.empty());
    base = "/api/v1/drafts/" + percent_encode(doc);
    // Clauses without a lead unit cannot be published: drop them.
    auto shown = http().get(base, supervisor);
    ASSERT_EQ(shown.status, 200) << shown.body;
    const json::value draft = shown.json();
    for (const auto& c : draft.at("clauses").as_array()) {
      bool lead = false;
      for (const auto& u : c.at("units").as_array()) lead |= text_of(u.at("role")) == "lead";
      if (lead) continue;
      auto dropped = http().post(
          base + "/corrections",
          R"({"kind":"drop","clause":")" + text_of(c.at("key")) + R"(","reason":"no unit"})",
          supervisor);
      ASSERT_EQ(dropped.status, 200) << dropped.body;
    }
  }

  HttpResponse set_rule(const std::string& body, const std::string& who) {
    return http().request("PUT", base + "/evidence", body, who);
  }

  // Publishes and returns the first task's id.
  std::string publish() {
    auto published = http().post(base + "/publish", "", supervisor);
    EXPECT_EQ(published.status, 200) << published.body;
    const json::value body = published.json();
    const auto& tasks = body.at("tasks").as_array();
    EXPECT_FALSE(tasks.empty());
    return tasks.empty() ? std::string() : text_of(tasks[0]);
  }

  HttpResponse report_completion(const std::string& task, const std::string& who,
                                 const std::string& attachments) {
    const auto state = http().get(task_path(task), supervisor).json();
    const std::string body = R"({"command_id":"done-)" + std::to_string(++commands) +
                             R"(","expected_version":)" +
                             std::to_string(state.at("version").as_int64()) +
                             R"(,"summary":"已完成")" + attachments + "}";
    return http().post(task_path(task, "report-completion"), body, who);
  }

  std::string doc;
  std::string base;
  int commands = 0;
};

TEST_F(EvidenceRuleHttp, ACompletionWithoutEvidenceIsRefusedAndOneWithAnUploadIsAccepted) {
  auto set = set_rule(R"({"required":true,"reason":"办结须附佐证材料"})", supervisor);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(set.json().at("evidence_required").as_bool());
  EXPECT_TRUE(set.json().at("changed").as_bool());
  auto shown = http().get(base, supervisor);
  EXPECT_TRUE(shown.json().at("evidence_required").as_bool()) << shown.body;

  const std::string task = publish();
  ASSERT_FALSE(task.empty());
  auto state = http().get(task_path(task), supervisor);
  ASSERT_EQ(state.status, 200) << state.body;
  EXPECT_TRUE(state.json().at("evidence_required").as_bool()) << state.body;
  const std::string lead = text_of(state.json().at("leads").as_array().at(0));
  const std::string lead_token = unit_token(lead);

  auto bare = report_completion(task, lead_token, "");
  EXPECT_EQ(bare.status, 400) << bare.body;
  EXPECT_EQ(text_of(bare.json().at("error")), "invalid_command") << bare.body;
  const std::string message = text_of(bare.json().at("message"));
  EXPECT_NE(message.find("of document '" + doc + "' requires evidence"), std::string::npos)
      << message;
  EXPECT_NE(message.find("attach at least one file"), std::string::npos) << message;

  const std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
  auto up =
      http().request("POST", task_path(task, "attachments") + "?name=" + percent_encode("验收.pdf"),
                     pdf, lead_token, "application/pdf");
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string sha = text_of(up.json().at("sha256"));
  auto with = report_completion(
      task, lead_token, R"(,"attachments":[{"sha256":")" + sha + R"(","name":"验收.pdf"}])");
  ASSERT_EQ(with.status, 200) << with.body;
  EXPECT_EQ(text_of(http().get(task_path(task), supervisor).json().at("status")),
            "completion_reported");
}

TEST_F(EvidenceRuleHttp, WithoutTheRuleACompletionNeedsNoEvidence) {
  const std::string task = publish();
  ASSERT_FALSE(task.empty());
  auto state = http().get(task_path(task), supervisor).json();
  EXPECT_FALSE(state.at("evidence_required").as_bool());
  const std::string lead = text_of(state.at("leads").as_array().at(0));
  auto bare = report_completion(task, unit_token(lead), "");
  EXPECT_EQ(bare.status, 200) << bare.body;
}

TEST_F(EvidenceRuleHttp, UnitsMayNotSetTheRuleAndTheBodyMustSayTrueOrFalse) {
  EXPECT_EQ(set_rule(R"({"required":true})", unit_token("grain")).status, 403);
  auto bad = set_rule(R"({"required":"yes"})", supervisor);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(http().get(base, supervisor).json().at("evidence_required").as_bool(), false);
  // The same setting twice: the second changes nothing.
  ASSERT_EQ(set_rule(R"({"required":true})", supervisor).status, 200);
  auto again = set_rule(R"({"required":true})", supervisor);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(again.json().at("changed").as_bool());
}

}  // namespace
}  // namespace duban::server::testing
