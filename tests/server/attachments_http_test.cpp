// Evidence attachments over HTTP on the real server (127.0.0.1), with a real SQLite blob table
// beside the log: a file uploaded by a unit on the task, carried by a progress or completion
// report, downloads byte for byte with its type and Chinese name (RFC 5987); a unit not on the
// task gets 403 for upload and download; an oversized file, an executable, a script and a
// declared type that disagrees with the content are refused with a message that says why; a
// report naming a file never uploaded is refused.
#include <gtest/gtest.h>

#include "storage/blob_store.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// A small but real-looking PDF: the header, then bytes of every value (NULs included).
std::string pdf_bytes(std::size_t n) {
  std::string out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  unsigned x = 11;
  while (out.size() < n) {
    x = x * 1103515245u + 12345u;
    out.push_back(static_cast<char>(x >> 16));
  }
  return out;
}

class AttachmentsHttp : public ServerTest {
 protected:
  void SetUp() override {
    with_blobs = true;
    ServerOptions options = test_options();
    options.max_attachment_body = 1024 * 1024;
    start_server(options);
    create_task("T-1", {"fgw"}, {"czt"});
    fgw = unit_token("fgw");
    jyt = unit_token("jyt");
  }

  HttpResponse upload(const std::string& token, const std::string& name, std::string_view bytes,
                      std::string_view content_type = "application/octet-stream",
                      const std::string& task = "T-1") {
    return http().request("POST", task_path(task, "attachments") + "?name=" + percent_encode(name),
                          bytes, token, content_type);
  }

  // POST a task command with a fresh command id at the task's current version; `fields` is the
  // rest of the JSON body.
  HttpResponse command(const std::string& token, const std::string& action,
                       const std::string& fields, const std::string& task = "T-1") {
    const auto state = http().get(task_path(task), supervisor).json();
    const std::string body = R"({"command_id":"c-)" + std::to_string(++commands) +
                             R"(","expected_version":)" +
                             std::to_string(state.at("version").as_int64()) + "," + fields + "}";
    return http().post(task_path(task, action), body, token);
  }

  int commands = 0;
  std::string fgw;  // the lead
  std::string jyt;  // a unit not on the task
};

TEST_F(AttachmentsHttp, AProgressReportCarriesAFileThatDownloadsByteForByte) {
  const std::string bytes = pdf_bytes(600 * 1024);  // three chunks in the store
  const std::string name = "验收报告 2016.pdf";
  auto up = upload(fgw, name, bytes, "application/pdf");
  ASSERT_EQ(up.status, 201) << up.body;
  const auto ref = up.json().as_object();
  EXPECT_EQ(str(ref.at("name")), name);
  EXPECT_EQ(str(ref.at("media_type")), "application/pdf");
  EXPECT_EQ(ref.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
  const std::string sha = str(ref.at("sha256"));

  auto reported = command(fgw, "progress",
                          R"("note":"材料见附件","attachments":[{"sha256":")" + sha +
                              R"(","name":")" + name + R"("}])");
  ASSERT_EQ(reported.status, 200) << reported.body;

  // The history shows the reference, with the stored size and sniffed type.
  auto task = http().get(task_path("T-1"), fgw);
  ASSERT_EQ(task.status, 200);
  bool listed = false;
  const json::value body = task.json();
  for (const auto& e : body.at("history").as_array()) {
    if (str(e.at("event_type")) != "ProgressReported") continue;
    const auto& a = e.at("data").at("attachments").as_array().at(0).as_object();
    EXPECT_EQ(str(a.at("sha256")), sha);
    EXPECT_EQ(str(a.at("name")), name);
    EXPECT_EQ(a.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
    listed = true;
  }
  EXPECT_TRUE(listed) << task.body;

  // The lead, the participant and the supervisor download it.
  for (const std::string& who : {fgw, unit_token("czt"), supervisor}) {
    auto down = http().get("/api/v1/attachments/" + sha + "?task=T-1", who);
    ASSERT_EQ(down.status, 200) << down.body;
    EXPECT_TRUE(down.body == bytes) << "the download differs from the upload";
    EXPECT_EQ(down.headers["content-type"], "application/pdf");
    EXPECT_EQ(down.headers["content-disposition"],
              "attachment; filename=\"____ 2016.pdf\"; filename*=UTF-8''" + percent_encode(name));
    EXPECT_EQ(down.headers["x-content-type-options"], "nosniff");
  }
}

TEST_F(AttachmentsHttp, ACompletionReportCarriesEvidence) {
  auto up = upload(fgw, "台账.csv", "序号,事项\n1,建立机制\n", "text/csv");
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(str(up.json().at("media_type")), "text/csv");
  const std::string sha = str(up.json().at("sha256"));
  auto done = command(
      fgw, "report-completion",
      R"("summary":"已完成","attachments":[{"sha256":")" + sha + R"(","name":"台账.csv"}])");
  ASSERT_EQ(done.status, 200) << done.body;
  auto task = http().get(task_path("T-1"), supervisor);
  const json::value body = task.json();
  const auto& history = body.at("history").as_array();
  const auto& last = history.at(history.size() - 1);
  EXPECT_EQ(str(last.at("event_type")), "CompletionReported");
  EXPECT_EQ(str(last.at("data").at("attachments").at(0).at("sha256")), sha);
}

TEST_F(AttachmentsHttp, AUnitNotOnTheTaskGets403) {
  auto up = upload(fgw, "a.pdf", pdf_bytes(1000));
  ASSERT_EQ(up.status, 201);
  const std::string sha = str(up.json().at("sha256"));
  ASSERT_EQ(command(fgw, "progress",
                    R"("note":"n","attachments":[{"sha256":")" + sha + R"(","name":"a.pdf"}])")
                .status,
            200);
  auto down = http().get("/api/v1/attachments/" + sha + "?task=T-1", jyt);
  EXPECT_EQ(down.status, 403) << down.body;
  EXPECT_EQ(str(down.json().at("error")), "forbidden");
  auto up_other = upload(jyt, "b.pdf", pdf_bytes(1000));
  EXPECT_EQ(up_other.status, 403) << up_other.body;
  // Naming another task the unit is on does not open a file that task never referenced.
  create_task("T-2", {"jyt"});
  auto elsewhere = http().get("/api/v1/attachments/" + sha + "?task=T-2", jyt);
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
}

TEST_F(AttachmentsHttp, OversizedAndDisguisedUploadsAreRefusedWithAClearError) {
  auto big = upload(fgw, "big.pdf", pdf_bytes(1024 * 1024 + 1));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_NE(big.body.find("larger"), std::string::npos) << big.body;

  auto exe = upload(fgw, "报告.pdf", "MZ\x90\x00\x03\x00\x00\x00 This program cannot be run");
  EXPECT_EQ(exe.status, 415) << exe.body;
  EXPECT_NE(str(exe.json().at("message")).find("executable"), std::string::npos) << exe.body;

  auto elf = upload(fgw, "report.docx",
                    std::string("\x7f"
                                "ELF\x02\x01\x01",
                                7));
  EXPECT_EQ(elf.status, 415) << elf.body;

  auto script = upload(fgw, "notes.txt", "#!/bin/sh\nrm -rf /\n", "text/plain");
  EXPECT_EQ(script.status, 415) << script.body;
  EXPECT_NE(str(script.json().at("message")).find("script"), std::string::npos);

  auto disguised = upload(fgw, "photo.png", pdf_bytes(2000), "image/png");
  EXPECT_EQ(disguised.status, 415) << disguised.body;
  EXPECT_NE(str(disguised.json().at("message")).find("declared as image/png"), std::string::npos)
      << disguised.body;

  auto nameless = http().request("POST", task_path("T-1", "attachments"), pdf_bytes(100), fgw,
                                 "application/pdf");
  EXPECT_EQ(nameless.status, 400) << nameless.body;
}

TEST_F(AttachmentsHttp, AReportNamingAFileNeverUploadedIsRefused) {
  const std::string sha(64, 'a');
  auto reported = command(
      fgw, "progress", R"("note":"n","attachments":[{"sha256":")" + sha + R"(","name":"x.pdf"}])");
  EXPECT_EQ(reported.status, 400) << reported.body;
  EXPECT_NE(reported.body.find("never uploaded"), std::string::npos) << reported.body;
}

}  // namespace
}  // namespace duban::server::testing
