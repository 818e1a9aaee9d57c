// Small holes a hostile client probed (issue 13, item 6), each closed over real HTTP:
//   - a 404 for an id that is not UTF-8 answers valid JSON, not the raw bytes;
//   - command_id is limited to 200 characters (not bytes), as docs/api.md says;
//   - a body with a duplicate key is refused with 400 rather than one value silently winning;
//   - the supervisor cannot create a task whose id is too long to be requested again;
//   - Transfer-Encoding that is not chunked, beside a Content-Length, is refused with 400.
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class RequestValidationTest : public ServerTest {};

TEST_F(RequestValidationTest, ANotFoundAnswerIsValidJsonForAnIdThatIsNotUtf8) {
  auto c = http();
  auto r = c.get("/api/v1/tasks/%FF%FEbad", supervisor);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find('\xFF'), std::string::npos);
  EXPECT_EQ(r.body.find('\xFE'), std::string::npos);
  EXPECT_NO_THROW(r.json()) << r.body;  // Boost.JSON refuses invalid UTF-8
  EXPECT_EQ(str(r.json().at("error")), "not_found");
}

TEST_F(RequestValidationTest, CommandIdIsLimitedInCharactersNotBytes) {
  create_task("V-1", {"fgw"});
  auto c = http();
  const std::string ok = repeat("汉", 200);  // 200 characters, 600 bytes
  auto r = c.post(task_path("V-1", "urge"),
                  R"({"command_id":")" + ok + R"(","expected_version":2})", supervisor);
  EXPECT_EQ(r.status, 200) << r.body;
  auto too_long = c.post(task_path("V-1", "urge"),
                         R"({"command_id":")" + ok + R"(x","expected_version":3})", supervisor);
  EXPECT_EQ(too_long.status, 400) << too_long.body;
  EXPECT_NE(str(too_long.json().at("message")).find("200 characters"), std::string::npos);
}

TEST_F(RequestValidationTest, ADuplicateKeyIsRefused) {
  create_task("V-2", {"fgw"});
  auto c = http();
  auto r = c.post(task_path("V-2", "urge"),
                  R"({"command_id":"a","expected_version":2,"expected_version":9})", supervisor);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(str(r.json().at("message")).find("expected_version"), std::string::npos) << r.body;
  auto nested = c.post("/api/v1/tasks", R"({"command_id":"n","expected_version":0,"task":"V-3",
      "provenance":{"document":"d","document":"e"},"leads":["fgw"]})",
                       supervisor);
  EXPECT_EQ(nested.status, 400) << nested.body;
}

TEST_F(RequestValidationTest, ATaskIdTooLongToRequestAgainIsRefused) {
  auto c = http();
  auto create = [&](const std::string& id) {
    return c.post("/api/v1/tasks",
                  R"({"command_id":"c-)" + std::to_string(id.size()) +
                      R"(","expected_version":0,"task":")" + id +
                      R"(","provenance":{"document":"d"},"leads":["fgw"]})",
                  supervisor);
  };
  // 6000 characters: 18000 bytes, 54000 once percent-encoded, past the 16 KiB header limit.
  auto r = create(repeat("长", 6000));
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_NE(str(r.json().at("message")).find("task"), std::string::npos);
  // The longest id allowed can be requested again.
  const std::string longest = repeat("长", 200);
  ASSERT_EQ(create(longest).status, 200);
  EXPECT_EQ(c.get(task_path(longest), supervisor).status, 200);
  EXPECT_EQ(create(longest + "x").status, 400);
}

TEST_F(RequestValidationTest, TransferEncodingOtherThanChunkedBesideContentLengthIs400) {
  duban::testing::RawConnection raw("127.0.0.1", port);
  const std::string body = R"({"command_id":"x","expected_version":0})";
  raw.write("POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            supervisor +
            "\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
  auto r = raw.read_response(3s);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(raw.closed_by_peer(3s));
}

}  // namespace
}  // namespace duban::server::testing
