// The notifier (notify/notifier.h) on a real SQLite log, against a real webhook receiver on
// 127.0.0.1 that checks every signature: an urge delivers one signed webhook to the unit urged,
// with Chinese text and the task's link; a pass after a pass delivers nothing again (the
// checkpoint); a receiver answering 500 gets the message once it recovers, after waits that
// grow exponentially within their jitter (a recording sleeper: no real waiting); a delivery that
// fails every attempt is recorded in notification_failures and the checkpoint moves past it; a
// checkpoint stored by an earlier notifier is where a new one continues; a notifier stopped while
// it retries records no give-up and leaves the event after the checkpoint.
#include <gtest/gtest.h>

#include <set>

#include "notify/config.h"
#include "notify/notifier.h"
#include "storage/sqlite_notify_state_store.h"
#include "tests/notify/notifier_fixture.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/service/service_fixture.h"

namespace duban::notify {
namespace {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::utc;
using testing::WebhookReceiver;

constexpr const char* kSecret = "s3cret-key";

class NotifierTest : public testing::NotifierFixture {
 protected:
  NotifyConfig config_for(const WebhookReceiver& receiver, int max_attempts = 6) {
    // The query string stands for a token some receivers take in the URL.
    auto config = parse_notify_config(
        "base_url = https://duban.example.gov.cn/\n"
        "channel.office.type = webhook\n"
        "channel.office.url = " +
        receiver.url() + "?token=abc" +
        "\n"
        "channel.office.secret = " +
        kSecret +
        "\n"
        "channel.office.timeout_ms = 3000\n"
        "unit.* = office\n"
        "retry.max_attempts = " +
        std::to_string(max_attempts) +
        "\n"
        "retry.initial_backoff_ms = 1000\n"
        "retry.max_backoff_ms = 8000\n");
    EXPECT_TRUE(config.ok()) << config.error().message;
    return *config;
  }

  std::unique_ptr<Notifier> notifier_for(const NotifyConfig& config) {
    return std::make_unique<Notifier>(*store, *state, config, make_channels(config), clock, sleeper,
                                      42);
  }
};

TEST_F(NotifierTest, UrgingATaskDeliversOneSignedWebhookToTheUnitUrged) {
  WebhookReceiver receiver(kSecret);
  const auto config = config_for(receiver);
  auto notifier = notifier_for(config);
  accept(create("T1", {"fgw"}, {"czt"}, std::string("2016-06-30")), kSupervisor);
  auto first = notifier->run_once();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->delivered, 2) << "交办 tells the lead and the participant";
  ASSERT_EQ(receiver.received().size(), 2u);

  const auto urged =
      accept(task::UrgeTask{TaskId("T1"), UnitId("fgw"), "请本周内报送进展"}, kSupervisor);
  auto second = notifier->run_once();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->delivered, 1);
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 3u);
  const auto& hook = hooks.back();
  EXPECT_TRUE(hook.signature_ok);
  EXPECT_EQ(hook.status, 200);
  const auto position = urged.last.value();
  EXPECT_EQ(hook.key, std::to_string(position) + ":fgw:office");
  EXPECT_EQ(hook.body.at("event").as_string(), "TaskUrged");
  EXPECT_EQ(hook.body.at("recipient").as_string(), "fgw");
  EXPECT_EQ(hook.body.at("task").as_string(), "T1");
  EXPECT_EQ(hook.body.at("position").as_int64(), position);
  EXPECT_EQ(hook.body.at("link").as_string(), "https://duban.example.gov.cn/#/task/T1");
  const std::string text(hook.body.at("text").as_string());
  EXPECT_NE(text.find("【催办】"), std::string::npos) << text;
  EXPECT_NE(text.find("请本周内报送进展"), std::string::npos) << text;
  EXPECT_NE(text.find("查看：https://duban.example.gov.cn/#/task/T1"), std::string::npos);
  EXPECT_EQ(second->checkpoint, urged.last);

  auto third = notifier->run_once();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->delivered, 0) << "nothing after the checkpoint";
  EXPECT_EQ(receiver.received().size(), 3u);
}

TEST_F(NotifierTest, AReceiverAnswering500GetsTheMessageAfterItRecovers) {
  WebhookReceiver receiver(kSecret, /*fail_first=*/3);
  const auto config = config_for(receiver);
  auto notifier = notifier_for(config);
  accept(create("T1", {"fgw"}), kSupervisor);
  auto pass = notifier->run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 1);
  EXPECT_EQ(pass->given_up, 0);
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 4u);
  for (const auto& h : hooks) {
    EXPECT_EQ(h.key, hooks.front().key) << "every retry carries the same key";
    EXPECT_TRUE(h.signature_ok);
  }
  EXPECT_EQ(hooks.back().status, 200);
  // Waits after failures 1, 2, 3: bases 1 s, 2 s, 4 s, each drawn from [base/2, base].
  ASSERT_EQ(sleeper.waits.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto base = std::chrono::milliseconds(1000 << i);
    EXPECT_GE(sleeper.waits[i], base / 2) << i;
    EXPECT_LE(sleeper.waits[i], base) << i;
  }
  auto failures = state->failures();
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
}

TEST_F(NotifierTest, ADeliveryFailingEveryAttemptIsRecordedAndTheCheckpointMovesOn) {
  WebhookReceiver receiver(kSecret, /*fail_first=*/1000);
  const auto config = config_for(receiver, /*max_attempts=*/3);
  auto notifier = notifier_for(config);
  const auto created = accept(create("T1", {"fgw"}), kSupervisor);
  auto pass = notifier->run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 0);
  EXPECT_EQ(pass->given_up, 1);
  EXPECT_EQ(receiver.received().size(), 3u) << "bounded: three attempts";
  EXPECT_EQ(sleeper.waits.size(), 2u);
  EXPECT_EQ(pass->checkpoint, created.last);

  auto failures = state->failures();
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);
  const auto& f = failures->front();
  EXPECT_EQ(f.recipient, "fgw");
  EXPECT_EQ(f.channel, "office");
  EXPECT_EQ(f.attempts, 3);
  EXPECT_NE(f.last_error.find("HTTP 500"), std::string::npos) << f.last_error;
  EXPECT_EQ(f.last_error.find(kSecret), std::string::npos) << "no secret in the record";
  EXPECT_EQ(f.last_error.find("token="), std::string::npos) << "no query string in the record";
  EXPECT_EQ(f.idempotency_key, std::to_string(f.position.value()) + ":fgw:office");
}

TEST_F(NotifierTest, ANewNotifierContinuesFromTheStoredCheckpoint) {
  WebhookReceiver receiver(kSecret);
  const auto config = config_for(receiver);
  accept(create("T1", {"fgw"}, {"czt"}), kSupervisor);
  {
    auto first = notifier_for(config);
    ASSERT_TRUE(first->run_once().ok());
  }
  ASSERT_EQ(receiver.received().size(), 2u);
  accept(task::UrgeTask{TaskId("T1"), std::nullopt, ""}, kSupervisor);
  auto second = notifier_for(config);
  auto pass = second->run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 2) << "an urge of every unit tells both, and nothing before it";
  std::set<std::string> keys;
  for (const auto& h : receiver.received()) keys.insert(h.key);
  EXPECT_EQ(keys.size(), 4u);
}

// Stops the notifier during its second back-off wait.
class StoppingSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds) override {
    if (++waits == 2) notifier->stop();
  }
  Notifier* notifier = nullptr;
  int waits = 0;
};

TEST_F(NotifierTest, StoppedWhileRetryingLeavesTheEventAfterTheCheckpointUnrecorded) {
  WebhookReceiver receiver(kSecret, /*fail_first=*/1000);
  const auto config = config_for(receiver, /*max_attempts=*/50);
  StoppingSleeper stopping;
  Notifier notifier(*store, *state, config, make_channels(config), clock, stopping, 7);
  stopping.notifier = &notifier;
  accept(create("T1", {"fgw"}), kSupervisor);
  auto pass = notifier.run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 0);
  EXPECT_EQ(pass->given_up, 0);
  EXPECT_EQ(receiver.received().size(), 2u) << "no attempt after the stop";
  EXPECT_EQ(*state->checkpoint(kSubscription), GlobalPosition(1))
      << "TaskCreated (nobody told) is done; UnitAssigned at 2 is not";
  auto failures = state->failures();
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
}

}  // namespace
}  // namespace duban::notify
