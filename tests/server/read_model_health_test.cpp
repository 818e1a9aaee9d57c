// The read model's health as /healthz and /metrics report it, on a real server on 127.0.0.1 with
// a real SQLite file: another writer appends an event the read model cannot apply (a type this
// build does not know), so the server's catch-up fails for real. /healthz then answers 503 with
// the reason and /metrics shows the failure flag and the lag in events; once the row is repaired
// behind the server's back (raw SQL), the periodic retry heals the model and both go back to
// healthy without a restart.
#include <thread>

#include "tests/audit/raw_sql.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class ReadModelHealthTest : public ServerTest {
 protected:
  // The events a supervisor's CreateTask of `id` records, taken from a scratch store, so the
  // test can append them elsewhere with a type changed.
  std::vector<storage::RecordedEvent> events_creating(const std::string& id) {
    auto opened = storage::SqliteEventStore::open({.path = dir.file("donor.db")}, clock);
    EXPECT_TRUE(opened.ok());
    if (!opened.ok()) return {};
    service::projections::ReadModel donor_model;
    service::TaskService donor(**opened, donor_model, clock);
    const task::CreateTask c = create_command(id, {"fgw"});
    auto done = donor.execute(c, task::Actor::supervisor(), CommandId("create:" + id));
    EXPECT_TRUE(done.ok());
    auto all = (*opened)->read_all(GlobalPosition(1), 100);
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<storage::RecordedEvent>{};
  }

  // Polls /healthz until it answers `status` (at most 5 s); the last answer.
  HttpResponse healthz_until(int status) {
    auto c = http();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    HttpResponse r = c.get("/healthz");
    while (r.status != status && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      r = c.get("/healthz");
    }
    return r;
  }
};

TEST_F(ReadModelHealthTest, HealthzIs503WhileTheReadModelCannotApplyTheLogAndHealsAfterRepair) {
  create_task("T-1", {"fgw"});
  auto healthy = http().get("/healthz");
  ASSERT_EQ(healthy.status, 200);
  EXPECT_EQ(healthy.json().at("status").as_string(), "ok");
  EXPECT_EQ(healthy.json().at("read_model_lag").as_int64(), 0);

  // Another writer on the same file appends a task whose first event has a type unknown here.
  const auto donor = events_creating("T-BAD");
  ASSERT_FALSE(donor.empty());
  std::vector<storage::NewEvent> bad;
  for (const auto& r : donor) bad.push_back({r.type, r.schema_version, r.payload, "supervisor"});
  const std::string real_type = bad.front().type;
  bad.front().type = "TaskFromTheFuture";
  auto other = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_TRUE(other.ok());
  const std::int64_t before = head();
  auto appended = (*other)->append(donor.front().stream, storage::ExpectedVersion::no_stream(), bad,
                                   CommandId("other:1"));
  ASSERT_TRUE(appended.ok()) << appended.error().message;
  const auto behind = static_cast<std::int64_t>(bad.size());

  auto failed = healthz_until(503);
  ASSERT_EQ(failed.status, 503) << failed.body;
  const json::value body = failed.json();
  EXPECT_EQ(body.at("status").as_string(), "read_model_failed");
  EXPECT_EQ(body.at("error").at("code").as_string(), "bad_payload");
  EXPECT_NE(std::string(body.at("error").at("message").as_string()).find("TaskFromTheFuture"),
            std::string::npos);
  EXPECT_EQ(body.at("position").as_int64(), before);
  EXPECT_EQ(body.at("read_model_lag").as_int64(), behind);
  auto metrics = http().get("/metrics").body;
  EXPECT_NE(metrics.find("\nduban_read_model_failed 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nduban_read_model_lag_events " + std::to_string(behind) + "\n"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("\nduban_read_model_failures_total 0\n"), std::string::npos);

  // Still failed a few retries later: the model stays stopped at the bad event.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(http().get("/healthz").status, 503);

  // Repair the row behind the server's back: the periodic retry applies it.
  audit::testing::raw_sql(dir.file("events.db"),
                          std::string(audit::testing::kDropTriggers) +
                              "UPDATE events SET type = '" + real_type +
                              "' WHERE position = " + std::to_string(before + 1) + ";");
  auto healed = healthz_until(200);
  ASSERT_EQ(healed.status, 200) << healed.body;
  EXPECT_EQ(healed.json().at("status").as_string(), "ok");
  EXPECT_EQ(healed.json().at("read_model_lag").as_int64(), 0);
  EXPECT_EQ(healed.json().at("position").as_int64(), before + behind);
  metrics = http().get("/metrics").body;
  EXPECT_NE(metrics.find("\nduban_read_model_failed 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nduban_read_model_lag_events 0\n"), std::string::npos) << metrics;
  EXPECT_EQ(http().get(task_url("T-BAD"), supervisor).status, 200);
}

}  // namespace
}  // namespace duban::server::testing
