// POST /api/v1/documents with a gazette cut short (issue 13): refused with 409
// too_many_cancellations and nothing written, unless ?allow_cancel=N allows that many.
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

// The first 55% of the gazette's lines: a copy cut short.
std::string truncated_gazette() {
  std::istringstream in(read_file(kGazette));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ostringstream out;
  for (std::size_t i = 0; i < lines.size() * 55 / 100; ++i) out << lines[i] << "\n";
  return out.str();
}

class IngestRefusalTest : public ServerTest {};

TEST_F(IngestRefusalTest, ATruncatedGazetteIsRefusedUnlessTheCancellationsAreAllowed) {
  auto c = http();
  ASSERT_EQ(c.request("POST", "/api/v1/documents", read_file(kGazette), supervisor, "text/markdown")
                .status,
            200);
  const std::int64_t before = head();
  auto refused =
      c.request("POST", "/api/v1/documents", truncated_gazette(), supervisor, "text/markdown");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(str(refused.json().at("error")), "too_many_cancellations");
  const std::string message = str(refused.json().at("message"));
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_EQ(head(), before);  // nothing written
  const auto at = message.find("would cancel ");
  ASSERT_NE(at, std::string::npos) << message;
  const int n = std::stoi(message.substr(at + 13));
  EXPECT_EQ(c.request("POST", "/api/v1/documents?allow_cancel=" + std::to_string(n - 1),
                      truncated_gazette(), supervisor, "text/markdown")
                .status,
            409);
  EXPECT_EQ(head(), before);
  auto allowed = c.request("POST", "/api/v1/documents?allow_cancel=" + std::to_string(n),
                           truncated_gazette(), supervisor, "text/markdown");
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_GT(head(), before);
  EXPECT_EQ(c.request("POST", "/api/v1/documents?allow_cancel=lots", truncated_gazette(),
                      supervisor, "text/markdown")
                .status,
            400);
}

}  // namespace
}  // namespace duban::server::testing
