// The real binary: `duban notify digest` on the bundled gazette's log (with deadlines, urges and
// a return made by commands at fixed times) prints the expected Chinese digest of 省发展改革委
// exactly; `duban serve --notify` runs the notifier inside the server: an urge made over HTTP
// reaches a webhook receiver on 127.0.0.1, /metrics counts it and shows the lease held, a
// delivery given up is listed by GET /api/v1/notify/failures (office only), and SIGTERM stops
// the server and its notifier cleanly.
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <thread>

#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/sqlite_event_store.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/support/child_process.h"
#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_child.h"
#include "tests/support/temp_dir.h"

namespace duban::notify {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::WebhookReceiver;

Timestamp at(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  using namespace std::chrono;
  return sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi);
}

// Runs `command` on `db` at `when`, under a fresh command id; fails the test when refused.
void run_at(const std::string& db, Timestamp when, const task::Command& command,
            const task::Actor& actor) {
  FixedClock clock(when);
  auto opened = storage::SqliteEventStore::open({.path = db}, clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  service::projections::ReadModel model;
  service::TaskService service(**opened, model, clock);
  ASSERT_TRUE(service.refresh().ok());
  static int next = 0;
  auto r = service.execute(command, actor, CommandId("digest-test-" + std::to_string(++next)));
  ASSERT_TRUE(r.ok()) << task::command_name(command) << ": " << r.error().message;
}

TEST(NotifyDigestCommand, TheBundledGazettesDigestForOneUnitMatchesTheExpectedText) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  const auto ingest = testing::run_command(
      DUBAN_BINARY,
      {"ingest", "--db", db, std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  const auto office = task::Actor::supervisor();
  const auto fgw = task::Actor::of_unit(UnitId("fgw"));
  const auto deadline = [](const char* task, const char* date) {
    return task::SetDeadline{TaskId(task), std::string(date), "测试", std::nullopt};
  };
  // Monday 2016-01-04 in Shanghai; the digest is for Tuesday 2016-01-05 08:00.
  run_at(db, at(2016, 1, 4, 1), deadline("青政〔2015〕70号|1", "2016-01-05"), office);
  run_at(db, at(2016, 1, 4, 1), deadline("青政〔2015〕70号|4", "2016-01-07"), office);
  run_at(db, at(2016, 1, 4, 1), deadline("青政〔2015〕70号|6", "2016-01-15"), office);
  run_at(db, at(2016, 1, 4, 1), deadline("青政〔2015〕70号|8", "2015-12-31"), office);
  run_at(db, at(2016, 1, 4, 1), deadline("青政办〔2015〕151号|10", "2016-01-06"), office);
  run_at(db, at(2016, 1, 3, 1), task::UrgeTask{TaskId("青政〔2015〕70号|11"), UnitId("fgw"), "旧"},
         office);
  run_at(db, at(2016, 1, 4, 1),
         task::UrgeTask{TaskId("青政〔2015〕70号|7"), UnitId("fgw"), "请于本周内报送进展"}, office);
  run_at(db, at(2016, 1, 4, 2), task::UrgeTask{TaskId("青政〔2015〕70号|9"), std::nullopt, ""},
         office);
  run_at(db, at(2016, 1, 4, 3), task::UrgeTask{TaskId("青政〔2015〕70号|9"), std::nullopt, ""},
         office);
  run_at(db, at(2016, 1, 4, 5), task::ReportCompletion{TaskId("青政〔2015〕70号|16"), "已完成"},
         fgw);
  run_at(db, at(2016, 1, 4, 7),
         task::ReturnTask{TaskId("青政〔2015〕70号|16"), UnitId("fgw"), "材料不全，请补充"},
         office);

  const std::string conf = dir.write("notify.conf", "base_url = https://duban.example.gov.cn\n");
  const auto digest =
      testing::run_command(DUBAN_BINARY, {"notify", "digest", "--db", db, "--unit", "fgw",
                                          "--notify", conf, "--now", "2016-01-05T08:00:00+08:00"});
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  EXPECT_EQ(digest.out,
            "【督办日报】省发展改革委 2016年1月5日\n"
            "临期3项，逾期1项，近一日被催办2项、被退回1项。\n"
            "临近期限（3个工作日内）：\n"
            "1. 「确保农业生产用地基本稳定」（青政〔2015〕70号 (四)），期限2016-01-05，今日到期\n"
            "2. 「建立安全生产诚信制度」（青政办〔2015〕151号 10.），期限2016-01-06，"
            "还剩1个工作日\n"
            "3. 「落实粮食扶持政策」（青政〔2015〕70号 (七)），期限2016-01-07，还剩2个工作日\n"
            "已逾期：\n"
            "1. 「加强粮食产销合作」（青政〔2015〕70号 (十一)），期限2015-12-31，已逾期5天\n"
            "近一日被催办：\n"
            "1. 「加强粮食仓储物流设施建设」（青政〔2015〕70号 (十)）：请于本周内报送进展\n"
            "2. 「推进粮食产业转型升级」（青政〔2015〕70号 (十二)）（2次）\n"
            "近一日被退回：\n"
            "1. 「全面推进节粮减损行动」（青政〔2015〕70号 (十九)）：材料不全，请补充\n"
            "查看：https://duban.example.gov.cn/#/inbox/fgw\n")
      << "16 tasks of 70号 and 151号 have no deadline; 70号|6 is 9 working days away; the urge "
         "of 70号|11 was more than a day before";

  // Every unit with something to list: fgw only (the other units' tasks have no urges and
  // their deadlines are years away).
  const auto all = testing::run_command(
      DUBAN_BINARY, {"notify", "digest", "--db", db, "--now", "2016-01-05T08:00:00+08:00"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out.find("【督办日报】"), 0u) << all.out;
}

// A log with T1 (lead fgw, participant czt) for the server to serve.
void write_small_log(const std::string& db) {
  task::CreateTask create;
  create.task = TaskId("T1");
  create.provenance.document = DocumentId("D1");
  create.provenance.heading = "建立共享机制";
  create.leads = {UnitId("fgw")};
  create.participants = {UnitId("czt")};
  run_at(db, at(2016, 1, 4, 1), create, task::Actor::supervisor());
}

// The value of the un-labelled series `name` in a Prometheus text, or -1.
long long metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

TEST(ServeNotify, AnUrgeOverHttpReachesTheWebhookAndGiveUpsAreListedForTheOffice) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  write_small_log(db);
  WebhookReceiver office("serve-secret");
  WebhookReceiver broken("serve-secret", /*fail_first=*/1000000);
  const std::string conf =
      dir.write("notify.conf",
                "base_url = http://duban.test\nchannel.office.url = " + office.url() +
                    "\nchannel.office.secret = serve-secret\nchannel.broken.url = " + broken.url() +
                    "\nchannel.broken.secret = serve-secret\nunit.fgw = office\n"
                    "unit.czt = broken\nretry.max_attempts = 2\n"
                    "retry.initial_backoff_ms = 10\n");
  testing::ServeChild server(DUBAN_BINARY, {"serve", "--db", db, "--listen", "127.0.0.1:0",
                                            "--demo-tokens", "--quiet", "--notify", conf});
  ASSERT_FALSE(server.token.empty());
  EXPECT_NE(server.process.out().find("notifier on (2 channel(s))"), std::string::npos)
      << server.process.out();
  ASSERT_TRUE(office.wait_for_requests(1, 30s)) << "交办 of fgw: " << server.process.err();

  testing::HttpClient http("127.0.0.1", server.port);
  const auto task = http.get("/api/v1/tasks/T1", server.token);
  ASSERT_EQ(task.status, 200) << task.body;
  const auto version = task.json().at("version").as_int64();
  const auto urged =
      http.post("/api/v1/tasks/T1/urge",
                R"({"command_id":"u1","unit":"fgw","note":"请加快","expected_version":)" +
                    std::to_string(version) + "}",
                server.token);
  ASSERT_EQ(urged.status, 200) << urged.body;
  const auto position = urged.json().at("last_position").as_int64();
  ASSERT_TRUE(office.wait_for_requests(2, 30s)) << server.process.err();
  const auto hook = office.received().back();
  EXPECT_TRUE(hook.signature_ok);
  EXPECT_EQ(hook.key, std::to_string(position) + ":fgw:office");
  EXPECT_EQ(hook.body.at("event").as_string(), "TaskUrged");

  // czt's 交办 was tried twice on the broken receiver and given up.
  std::string metrics;
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    metrics = http.get("/metrics").body;
    // The receiver has a message a moment before the notifier counts it.
    if (metric(metrics, "duban_notify_delivered_total") >= 2 &&
        metric(metrics, "duban_notify_given_up_total") >= 1 &&
        metric(metrics, "duban_notify_backlog_events") == 0) {
      break;
    }
  }
  EXPECT_EQ(metric(metrics, "duban_notify_delivered_total"), 2) << metrics;
  EXPECT_EQ(metric(metrics, "duban_notify_given_up_total"), 1) << metrics;
  EXPECT_EQ(metric(metrics, "duban_notify_retried_total"), 1) << metrics;
  EXPECT_EQ(metric(metrics, "duban_notify_backlog_events"), 0) << metrics;
  EXPECT_EQ(metric(metrics, "duban_notify_lease_held"), 1) << "SQLite: trivially held";

  const auto failures = http.get("/api/v1/notify/failures", server.token);
  ASSERT_EQ(failures.status, 200) << failures.body;
  const auto listed = failures.json().at("failures").as_array();
  ASSERT_EQ(listed.size(), 1u) << failures.body;
  EXPECT_EQ(listed[0].at("recipient").as_string(), "czt");
  EXPECT_EQ(listed[0].at("channel").as_string(), "broken");
  EXPECT_EQ(listed[0].at("attempts").as_int64(), 2);
  ASSERT_TRUE(server.unit_tokens.contains("fgw"));
  EXPECT_EQ(http.get("/api/v1/notify/failures", server.unit_tokens.at("fgw")).status, 403);

  EXPECT_EQ(server.stop(30s), 0) << server.process.err();
  EXPECT_NE(server.process.out().find("duban serve: stopped"), std::string::npos);
}

TEST(ServeNotify, WithoutNotifyTheFailuresListIsEmptyAndTheNotifierIsOff) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  write_small_log(db);
  testing::ServeChild server(
      DUBAN_BINARY, {"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo-tokens", "--quiet"});
  testing::HttpClient http("127.0.0.1", server.port);
  const auto failures = http.get("/api/v1/notify/failures", server.token);
  ASSERT_EQ(failures.status, 200);
  EXPECT_FALSE(failures.json().at("enabled").as_bool());
  EXPECT_EQ(metric(http.get("/metrics").body, "duban_notify_lease_held"), 0);
  EXPECT_EQ(server.stop(30s), 0);
}

}  // namespace
}  // namespace duban::notify
