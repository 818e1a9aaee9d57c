// The HTTP ingest (POST /api/v1/documents) with Word and PDF bodies, on a real server on
// 127.0.0.1: the kind from the Content-Type, from ?filename=, or sniffed; a scan or a damaged
// file answers 400 with the converter's code, never a 500.
#include <gtest/gtest.h>

#include "tests/formats/fixtures.h"
#include "tests/server/server_fixture.h"

namespace duban::server {
namespace {

using testing::ServerTest;

const char* const kDocxType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

class HttpIngestFormats : public ServerTest {
 protected:
  std::string fixture(const std::string& name) {
    return ::duban::formats::testing::read_file(::duban::formats::testing::fixture_dir() + "/" +
                                                name);
  }
};

TEST_F(HttpIngestFormats, DocxByContentTypeCreatesTheGazettesTasks) {
  auto c = http();
  auto r = c.request("POST", "/api/v1/documents", fixture("gazette.docx"), supervisor, kDocxType);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_GT(r.json().at("tasks_created").as_array().size(), 100u);
  // The same file again changes nothing.
  auto again =
      c.request("POST", "/api/v1/documents", fixture("gazette.docx"), supervisor, kDocxType);
  EXPECT_TRUE(again.json().at("tasks_created").as_array().empty());
}

TEST_F(HttpIngestFormats, PdfByFileNameOrSniffedCreatesTheSameTasks) {
  auto c = http();
  auto named = c.request("POST", "/api/v1/documents?filename=gazette.pdf", fixture("gazette.pdf"),
                         supervisor, "application/octet-stream");
  ASSERT_EQ(named.status, 200) << named.body.substr(0, 500);
  const auto created = named.json().at("tasks_created").as_array().size();
  EXPECT_GT(created, 100u);
  // Sniffed from the bytes: the same text, so nothing new.
  auto sniffed = c.request("POST", "/api/v1/documents", fixture("gazette.pdf"), supervisor, "");
  ASSERT_EQ(sniffed.status, 200) << sniffed.body.substr(0, 500);
  EXPECT_TRUE(sniffed.json().at("tasks_created").as_array().empty());
}

TEST_F(HttpIngestFormats, ScansAndDamagedFilesAreTheClientsToFix) {
  auto c = http();
  auto scan = c.request("POST", "/api/v1/documents", ::duban::formats::testing::image_only_pdf(1),
                        supervisor, "application/pdf");
  EXPECT_EQ(scan.status, 400);
  EXPECT_EQ(scan.json().at("error").as_string(), "no_text_layer");
  const std::string docx = fixture("gazette.docx");
  auto cut = c.request("POST", "/api/v1/documents", docx.substr(0, docx.size() / 2), supervisor,
                       kDocxType);
  EXPECT_EQ(cut.status, 400);
  EXPECT_EQ(cut.json().at("error").as_string(), "damaged_docx");
  auto unknown = c.request("POST", "/api/v1/documents", "x", supervisor, "image/png");
  EXPECT_EQ(unknown.status, 415);
  EXPECT_NE(unknown.json().at("message").as_string().find("application/pdf"), std::string::npos);
}

}  // namespace
}  // namespace duban::server
