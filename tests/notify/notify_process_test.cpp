// The real `duban notify` binary SIGKILLed in the middle of a burst of 50 notifications (a slow
// receiver on 127.0.0.1 keeps the burst going) and restarted with --once: after de-duplication
// by idempotency key, the receiver holds every one of the 50 keys the log calls for, each
// signed; repeats are allowed (at least once), losses are not. An urge is one signed webhook and
// one e-mail (into the aiosmtpd sink) whose Chinese subject decodes. SIGTERM during a back-off
// stops it without waiting the back-off out and without recording a give-up. Deliveries given up
// through a robot and SMTP print no secret (robot key, token, sign, password). Also: --help, and a
// missing
// --notify is a usage error.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>

#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/event_codec.h"
#include "storage/sqlite_event_store.h"
#include "tests/notify/smtp_sink.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace duban::notify {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::SmtpSink;
using testing::WebhookReceiver;

constexpr const char* kSecret = "burst-secret";

// Appends T1 (lead fgw, participant czt) and `urges` urges of both units; returns the keys the
// notifier must deliver: 2 for 交办 and 2 per urge.
std::set<std::string> write_log(const std::string& path, int urges) {
  FixedClock clock(Timestamp{} + std::chrono::hours(24 * 16800));
  auto opened = storage::SqliteEventStore::open({.path = path}, clock);
  EXPECT_TRUE(opened.ok());
  auto& store = **opened;
  service::projections::ReadModel model;
  service::TaskService service(store, model, clock);
  task::CreateTask create;
  create.task = TaskId("T1");
  create.provenance.document = DocumentId("D1");
  create.provenance.heading = "建立共享机制";
  create.leads = {UnitId("fgw")};
  create.participants = {UnitId("czt")};
  EXPECT_TRUE(service.execute(create, task::Actor::supervisor(), CommandId("c0")).ok());
  for (int i = 0; i < urges; ++i) {
    auto r = service.execute(task::UrgeTask{TaskId("T1"), std::nullopt, "第" + std::to_string(i)},
                             task::Actor::supervisor(), CommandId("u" + std::to_string(i)));
    EXPECT_TRUE(r.ok());
  }
  std::set<std::string> keys;
  auto all = store.read_all(GlobalPosition(1), 10000);
  EXPECT_TRUE(all.ok());
  for (const auto& recorded : *all) {
    auto event = storage::decode_event(recorded);
    EXPECT_TRUE(event.ok());
    const std::string p = std::to_string(recorded.position.value());
    if (const auto* a = std::get_if<task::UnitAssigned>(&*event)) {
      keys.insert(p + ":" + a->unit.str() + ":office");
    } else if (std::holds_alternative<task::TaskUrged>(*event)) {
      keys.insert(p + ":fgw:office");
      keys.insert(p + ":czt:office");
    }
  }
  return keys;
}

TEST(NotifyProcess, KilledMidBurstAndRestartedDeliversEveryKeyAtLeastOnce) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  const auto expected = write_log(db, 24);
  ASSERT_EQ(expected.size(), 50u);

  WebhookReceiver receiver(kSecret, 0, 40ms);
  const std::string conf = dir.write("notify.conf",
                                     "base_url = http://duban.test\n"
                                     "channel.office.url = " +
                                         receiver.url() +
                                         "\n"
                                         "channel.office.secret = " +
                                         kSecret + "\nunit.* = office\n");
  {
    ChildProcess running(DUBAN_BINARY, {"notify", "--db", db, "--notify", conf});
    ASSERT_TRUE(receiver.wait_for_requests(15, 60s)) << running.err();
    running.signal(SIGKILL);
    ASSERT_TRUE(running.wait_for_exit(10s).has_value());
  }
  const auto before_restart = receiver.received().size();
  EXPECT_LT(before_restart, 50u) << "killed in the middle of the burst";

  ChildProcess restarted(DUBAN_BINARY, {"notify", "--db", db, "--notify", conf, "--once"});
  const auto code = restarted.wait_for_exit(120s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << restarted.err();
  EXPECT_NE(restarted.out().find("0 given up"), std::string::npos) << restarted.out();

  std::set<std::string> keys;
  for (const auto& hook : receiver.received()) {
    EXPECT_TRUE(hook.signature_ok) << hook.key;
    EXPECT_EQ(hook.status, 200);
    keys.insert(hook.key);
  }
  EXPECT_EQ(keys, expected) << "no key missing, none invented";
  EXPECT_LE(receiver.received().size(), 52u) << "at most the one in flight is repeated, per kill";
}

TEST(NotifyProcess, SigtermDuringABackoffStopsItWithoutGivingUp) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  write_log(db, 0);
  WebhookReceiver receiver(kSecret, /*fail_first=*/1000);
  const std::string conf = dir.write(
      "notify.conf", "base_url = http://duban.test\nchannel.office.url = " + receiver.url() +
                         "\nchannel.office.secret = " + kSecret +
                         "\nunit.* = office\nretry.initial_backoff_ms = 600000\n");
  ChildProcess running(DUBAN_BINARY, {"notify", "--db", db, "--notify", conf});
  ASSERT_TRUE(receiver.wait_for_requests(1, 60s)) << running.err();
  running.signal(SIGTERM);
  const auto code = running.wait_for_exit(60s);
  ASSERT_TRUE(code.has_value()) << "a ten-minute back-off is not waited out";
  EXPECT_EQ(*code, 0) << running.err();
  EXPECT_NE(running.out().find("0 given up"), std::string::npos) << running.out();
  EXPECT_EQ(receiver.received().size(), 1u);
}

TEST(NotifyProcess, AnUrgeIsOneSignedWebhookAndOneEmail) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  write_log(db, 1);
  WebhookReceiver receiver(kSecret);
  SmtpSink sink;
  const std::string conf = dir.write(
      "notify.conf", "base_url = http://duban.test\nchannel.office.url = " + receiver.url() +
                         "\nchannel.office.secret = " + kSecret +
                         "\nchannel.mail.type = smtp\nchannel.mail.url = " + sink.url() +
                         "\nchannel.mail.starttls = none\nchannel.mail.from = duban@duban.test\n"
                         "unit.fgw = office, mail\nrecipient.unit.fgw.email = ban@fgw.test\n"
                         "recipient.unit.fgw.mute = UnitAssigned\n");
  ChildProcess run(DUBAN_BINARY, {"notify", "--db", db, "--notify", conf, "--once"});
  const auto code = run.wait_for_exit(120s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << run.err();
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_TRUE(hooks[0].signature_ok);
  EXPECT_EQ(hooks[0].body.at("event").as_string(), "TaskUrged");
  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(std::string(mails[0].at("subject").as_string())
                  .starts_with("【催办】督办事项「建立共享机制」"))
      << mails[0].at("subject").as_string();
  EXPECT_EQ(mails[0].at("event").as_string(), "TaskUrged");
  EXPECT_NE(std::string(mails[0].at("body").as_string()).find("http://duban.test/#/task/T1"),
            std::string::npos);
}

TEST(NotifyProcess, GivingUpPrintsNoSecret) {
  testing::TempDir dir;
  const std::string db = dir.file("events.db");
  write_log(db, 1);
  WebhookReceiver robot("unused");
  robot.answer_errcode(93000);  // WeCom: invalid webhook url
  const std::string robot_key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
  const std::string password = "smtp-pa55word-q7";
  const std::string robot_secret = "SECrobot-secret-0042";
  const std::string conf =
      dir.write("notify.conf",
                "base_url = http://duban.test\n"
                "channel.wx.type = wecom\nchannel.wx.url = http://127.0.0.1:" +
                    std::to_string(robot.port()) + "/cgi-bin/webhook/send?key=" + robot_key +
                    "\nchannel.dd.type = dingtalk\nchannel.dd.url = http://127.0.0.1:" +
                    std::to_string(robot.port()) + "/robot/send?access_token=" + robot_key +
                    "\nchannel.dd.secret = " + robot_secret +
                    "\nchannel.mail.type = smtp\nchannel.mail.url = smtp://127.0.0.1:1\n"
                    "channel.mail.from = duban@example.gov.cn\nchannel.mail.username = duban\n"
                    "channel.mail.password = " +
                    password +
                    "\nunit.* = wx, dd, mail\nrecipient.unit.*.email = ban@example.gov.cn\n"
                    "retry.max_attempts = 2\nretry.initial_backoff_ms = 10\n");
  ChildProcess run(DUBAN_BINARY, {"notify", "--db", db, "--notify", conf, "--once"});
  const auto code = run.wait_for_exit(120s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << run.err();
  EXPECT_NE(run.err().find("gave up"), std::string::npos) << run.err();
  EXPECT_NE(run.err().find("errcode 93000"), std::string::npos) << run.err();
  for (const std::string& secret : {robot_key, password, robot_secret}) {
    EXPECT_EQ(run.err().find(secret), std::string::npos) << secret << " in\n" << run.err();
    EXPECT_EQ(run.out().find(secret), std::string::npos) << secret << " in\n" << run.out();
  }
  EXPECT_EQ(run.err().find("sign="), std::string::npos) << run.err();
}

TEST(NotifyProcess, HelpAndUsage) {
  ChildProcess help(DUBAN_BINARY, {"notify", "--help"});
  EXPECT_EQ(help.wait_for_exit(30s), 0);
  EXPECT_NE(help.out().find("--notify"), std::string::npos);
  ChildProcess missing(DUBAN_BINARY, {"notify", "--db", "x.db"});
  EXPECT_EQ(missing.wait_for_exit(30s), 2);
  EXPECT_NE(missing.err().find("--notify FILE is required"), std::string::npos);
}

}  // namespace
}  // namespace duban::notify
