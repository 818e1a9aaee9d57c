// The bulk endpoints of `duban serve` over real HTTP on 127.0.0.1: a default deadline for every
// task of a document without one, and a reporting cycle for all of them; each is an event by the
// supervisor, units are refused, and repeating a request sets nothing new.
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
const std::string kDocument = "青政〔2015〕70号";

class BulkDeadlinesHttpTest : public ServerTest {
 protected:
  int count_events(const std::string& type) {
    auto all = store->read_all(GlobalPosition(1), 1'000'000);
    EXPECT_TRUE(all.ok());
    int n = 0;
    if (all.ok())
      for (const auto& r : *all) n += r.type == type && r.actor == "supervisor";
    return n;
  }
};

TEST_F(BulkDeadlinesHttpTest, ADefaultDeadlineAndACycleReachEveryTaskOnceAndUnitsAreRefused) {
  auto c = http();
  ASSERT_EQ(c.request("POST", "/api/v1/documents", read_file(kGazette), supervisor, "text/markdown")
                .status,
            200);
  const std::string base = "/api/v1/documents/" + percent_encode(kDocument);
  const int before = count_events("DeadlineSet");

  EXPECT_EQ(c.post(base + "/deadlines", R"({"default":"2016-12-31"})", unit_token("grain")).status,
            403);
  EXPECT_EQ(c.post(base + "/deadlines", R"({"default":"2016-12-31","working_days":3})", supervisor)
                .status,
            400);
  EXPECT_EQ(
      c.post("/api/v1/documents/no-such-doc/deadlines", R"({"default":"2016-12-31"})", supervisor)
          .status,
      404);

  auto set = c.post(base + "/deadlines", R"({"default":"2016-12-31"})", supervisor);
  ASSERT_EQ(set.status, 200) << set.body;
  const auto answer = set.json();
  const auto& changed = answer.at("set").as_array();
  ASSERT_FALSE(changed.empty());
  for (const auto& t : changed) EXPECT_EQ(str(t.at("deadline")), "2016-12-31");
  EXPECT_EQ(count_events("DeadlineSet") - before, static_cast<int>(changed.size()));

  auto again = c.post(base + "/deadlines", R"({"default":"2017-06-30"})", supervisor);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.json().at("set").as_array().empty()) << again.body;
  EXPECT_EQ(count_events("DeadlineSet") - before, static_cast<int>(changed.size()));

  auto cycle = c.post(base + "/reporting-cycle", R"({"cycle":"quarterly"})", supervisor);
  ASSERT_EQ(cycle.status, 200) << cycle.body;
  const auto cycled = cycle.json().at("set").as_array().size();
  EXPECT_GT(cycled, 0u);
  EXPECT_EQ(count_events("ReportingCycleSet"), static_cast<int>(cycled));
  auto cycle_again = c.post(base + "/reporting-cycle", R"({"cycle":"quarterly"})", supervisor);
  ASSERT_EQ(cycle_again.status, 200) << cycle_again.body;
  EXPECT_TRUE(cycle_again.json().at("set").as_array().empty());
  EXPECT_EQ(c.post(base + "/reporting-cycle", R"({"cycle":"weekly"})", supervisor).status, 400);
}

}  // namespace
}  // namespace duban::server::testing
