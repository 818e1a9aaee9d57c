// The notifier (notify/notifier.h) with several channels and recipients' preferences, on a real
// SQLite log, against real receivers on 127.0.0.1 (a webhook receiver and the aiosmtpd sink):
// urging a task delivers exactly one signed webhook and one e-mail whose Chinese subject decodes
// correctly; persons are told through their own channels and addresses, per their preferences,
// and a muted event tells nobody; a failing delivery's recorded error carries no secret; and a
// receiver answering 500 for a while (real waits, a short back-off) gets every message after it
// recovers, each key once after de-duplication, nothing given up.
#include <gtest/gtest.h>

#include <set>

#include "notify/config.h"
#include "notify/notifier.h"
#include "storage/sqlite_notify_state_store.h"
#include "tests/notify/notifier_fixture.h"
#include "tests/notify/smtp_sink.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/service/service_fixture.h"

namespace duban::notify {
namespace {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::utc;
using testing::SmtpSink;
using testing::WebhookReceiver;

constexpr const char* kSecret = "hook-s3cret-9f2c";

class DeliveryTest : public testing::NotifierFixture {
 protected:
  NotifyConfig parse(const std::string& text) {
    auto config = parse_notify_config(text);
    EXPECT_TRUE(config.ok()) << config.error().message;
    return config.ok() ? *config : NotifyConfig{};
  }

  Result<NotifierStats> run(const NotifyConfig& config, Sleeper& sleeper) {
    Notifier notifier(*store, *state, config, make_channels(config), clock, sleeper, 42);
    return notifier.run_once();
  }

  std::string webhook_lines(const WebhookReceiver& receiver) {
    return "channel.office.type = webhook\nchannel.office.url = " + receiver.url() +
           "\nchannel.office.secret = " + kSecret + "\n";
  }
  std::string smtp_lines(const SmtpSink& sink) {
    return "channel.mail.type = smtp\nchannel.mail.url = " + sink.url() +
           "\nchannel.mail.from = duban@example.gov.cn\nchannel.mail.starttls = none\n"
           "channel.mail.timeout_ms = 10000\n";
  }
};

TEST_F(DeliveryTest, UrgingATaskDeliversOneSignedWebhookAndOneEmail) {
  WebhookReceiver receiver(kSecret);
  SmtpSink sink;
  const auto config = parse("base_url = https://duban.example.gov.cn\n" + webhook_lines(receiver) +
                            smtp_lines(sink) +
                            "unit.发展改革委 = office, mail\n"
                            "recipient.unit.发展改革委.email = ban@fgw.example.gov.cn\n"
                            "recipient.unit.发展改革委.mute = UnitAssigned\n");
  auto created = create("T1", {"发展改革委"}, {}, std::string("2016-06-30"));
  created.provenance.heading = "建立共享机制";
  accept(created, kSupervisor);
  auto first = run(config, sleeper);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->delivered, 0) << "交办 is muted for this unit";

  const auto urged =
      accept(task::UrgeTask{TaskId("T1"), std::nullopt, "请本周内报送进展"}, kSupervisor);
  auto pass = run(config, sleeper);
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 2);
  EXPECT_EQ(pass->given_up, 0);
  const std::string key_prefix = std::to_string(urged.last.value()) + ":发展改革委:";

  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 1u) << "exactly one webhook";
  EXPECT_TRUE(hooks[0].signature_ok);
  EXPECT_EQ(hooks[0].key, key_prefix + "office");
  EXPECT_EQ(hooks[0].body.at("event").as_string(), "TaskUrged");

  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u) << "exactly one e-mail";
  const auto& mail = mails[0];
  EXPECT_EQ(mail.at("rcpt_tos").as_array()[0].as_string(), "ban@fgw.example.gov.cn");
  const std::string text(hooks[0].body.at("text").as_string());
  EXPECT_EQ(mail.at("subject").as_string(), text.substr(0, text.find('\n')))
      << "the subject is the message's first line, decoded as sent";
  EXPECT_TRUE(std::string(mail.at("subject").as_string())
                  .starts_with("【催办】督办事项「建立共享机制」（青政办〔2015〕151号"));
  EXPECT_TRUE(std::string(mail.at("subject").as_string()).ends_with("被催办：请本周内报送进展"));
  EXPECT_EQ(mail.at("key").as_string(), key_prefix + "mail");
  const std::string body(mail.at("body").as_string());
  EXPECT_NE(body.find("查看：https://duban.example.gov.cn/#/task/T1"), std::string::npos) << body;

  auto again = run(config, sleeper);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered, 0);
  EXPECT_EQ(receiver.received().size(), 1u);
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(DeliveryTest, PersonsAreToldThroughTheirOwnChannelsAsTheirPreferencesSay) {
  WebhookReceiver receiver(kSecret);
  SmtpSink sink;
  const auto config = parse("base_url = https://duban.example.gov.cn\n" + webhook_lines(receiver) +
                            smtp_lines(sink) +
                            "unit.* = office\n"
                            "recipient.account.zhang.unit = fgw\n"
                            "recipient.account.zhang.channels = mail\n"
                            "recipient.account.zhang.email = zhang@fgw.example.gov.cn\n"
                            "recipient.account.zhang.events = TaskUrged, TaskOverdue\n"
                            "recipient.account.li.unit = czt\n"
                            "recipient.account.li.channels = mail\n"
                            "recipient.account.li.email = li@czt.example.gov.cn\n"
                            "recipient.account.li.roles = lead\n"
                            "recipient.unit.czt.mute = TaskUrged\n");
  accept(create("T1", {"fgw"}, {"czt"}, std::string("2016-06-30")), kSupervisor);
  const auto urged = accept(task::UrgeTask{TaskId("T1"), std::nullopt, ""}, kSupervisor);
  auto pass = run(config, sleeper);
  ASSERT_TRUE(pass.ok()) << pass.error().message;

  std::set<std::string> hook_keys;
  for (const auto& h : receiver.received()) hook_keys.insert(h.key);
  const std::string p = std::to_string(urged.last.value());
  EXPECT_TRUE(hook_keys.contains(p + ":fgw:office"));
  EXPECT_FALSE(hook_keys.contains(p + ":czt:office")) << "czt muted 催办";
  EXPECT_EQ(hook_keys.size(), 3u) << "交办 to fgw and czt, 催办 to fgw";

  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u) << "zhang wants 催办 only; li only tasks czt leads";
  EXPECT_EQ(mails[0].at("rcpt_tos").as_array()[0].as_string(), "zhang@fgw.example.gov.cn");
  EXPECT_EQ(mails[0].at("key").as_string(), p + ":fgw/zhang:mail");
}

TEST_F(DeliveryTest, PreferencesThatCannotDeliverAreRefusedWhenRead) {
  const std::string base =
      "base_url = http://x\nchannel.mail.type = smtp\nchannel.mail.url = smtp://h\n"
      "channel.mail.from = d@x\n";
  EXPECT_FALSE(parse_notify_config(base + "recipient.account.a.channels = mail\n"
                                          "recipient.account.a.email = a@x\n")
                   .ok())
      << "no unit";
  EXPECT_FALSE(parse_notify_config(base +
                                   "recipient.account.a.unit = u\nrecipient.account.a.channels = "
                                   "mail\n")
                   .ok())
      << "an e-mail channel without an address";
  EXPECT_FALSE(parse_notify_config(base + "unit.u = mail\n").ok()) << "the unit has no email";
  auto muted = parse_notify_config(base + "recipient.unit.u.mute = TaskUrgd\n");
  ASSERT_FALSE(muted.ok()) << "a misspelt event type";
  EXPECT_NE(muted.error().message.find("line 5"), std::string::npos) << muted.error().message;
  EXPECT_FALSE(parse_notify_config(base + "channel.mail.starttls = maybe\n").ok());
  EXPECT_FALSE(parse_notify_config(base + "channel.w.type = wecom\n").ok()) << "no url";
  EXPECT_FALSE(parse_notify_config(base + "channel.mail.url = smtp://u:pw@h\n").ok())
      << "no password inside the url";
  EXPECT_TRUE(parse_notify_config(base + "unit.u = mail\nrecipient.unit.u.email = u@x\n"
                                         "channel.g.type = dingtalk\n"
                                         "channel.g.url = https://oapi.dingtalk.com/robot/send?"
                                         "access_token=t\nchannel.g.secret = SEC1\n")
                  .ok());
}

TEST_F(DeliveryTest, AFailingDeliveryRecordsAnErrorWithoutAnySecret) {
  WebhookReceiver receiver("unused");
  receiver.answer_errcode(93000);  // WeCom: invalid webhook url
  const std::string robot_key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
  const std::string password = "smtp-pa55word-q7";
  const auto config = parse(
      "base_url = https://duban.example.gov.cn\n"
      "channel.wx.type = wecom\n"
      "channel.wx.url = http://127.0.0.1:" +
      std::to_string(receiver.port()) + "/cgi-bin/webhook/send?key=" + robot_key +
      "\n"
      "channel.mail.type = smtp\nchannel.mail.url = smtp://127.0.0.1:1\n"
      "channel.mail.from = duban@example.gov.cn\nchannel.mail.username = duban\n"
      "channel.mail.password = " +
      password +
      "\nunit.fgw = wx, mail\nrecipient.unit.fgw.email = ban@fgw.example.gov.cn\n"
      "retry.max_attempts = 2\n");
  std::vector<std::string> logged;
  Notifier notifier(*store, *state, config, make_channels(config), clock, sleeper, 1);
  notifier.on_outcome([&](const Notification& n, const DeliveryOutcome& o, int) {
    if (!o.delivered) logged.push_back(n.key + ": " + o.error);
  });
  accept(create("T1", {"fgw"}), kSupervisor);
  auto pass = notifier.run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->given_up, 2);
  auto failures = state->failures();
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 2u);
  for (const auto& f : *failures) logged.push_back(f.last_error);
  ASSERT_EQ(logged.size(), 4u);
  for (const auto& line : logged) {
    EXPECT_EQ(line.find(robot_key), std::string::npos) << line;
    EXPECT_EQ(line.find("key="), std::string::npos) << line;
    EXPECT_EQ(line.find(password), std::string::npos) << line;
  }
  EXPECT_NE(logged[0].find("errcode 93000"), std::string::npos) << logged[0];
}

TEST_F(DeliveryTest, AReceiverDownForAWhileGetsEveryMessageOnceItRecovers) {
  WebhookReceiver receiver(kSecret);
  const auto config = parse("base_url = http://duban.test\n" + webhook_lines(receiver) +
                            "unit.* = office\n"
                            "retry.max_attempts = 100\n"
                            "retry.initial_backoff_ms = 50\n"
                            "retry.max_backoff_ms = 300\n");
  accept(create("T1", {"fgw"}, {"czt"}), kSupervisor);
  std::set<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const auto urged = accept(task::UrgeTask{TaskId("T1"), std::nullopt, ""}, kSupervisor);
    expected.insert(std::to_string(urged.last.value()) + ":fgw:office");
    expected.insert(std::to_string(urged.last.value()) + ":czt:office");
  }
  receiver.fail_for(std::chrono::seconds(2));
  ThreadSleeper real;
  auto pass = run(config, real);
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->given_up, 0);
  EXPECT_EQ(pass->delivered, 12) << "交办 twice, 催办 five times to two units";

  std::set<std::string> delivered;
  int failed = 0;
  for (const auto& h : receiver.received()) {
    EXPECT_TRUE(h.signature_ok);
    if (h.status == 200) {
      EXPECT_TRUE(delivered.insert(h.key).second) << "delivered twice: " << h.key;
    } else {
      ++failed;
    }
  }
  EXPECT_GT(failed, 0) << "the receiver was down at first";
  for (const auto& key : expected) EXPECT_TRUE(delivered.contains(key)) << key;
  EXPECT_EQ(delivered.size(), 12u);
  auto failures = state->failures();
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
}

}  // namespace
}  // namespace duban::notify
