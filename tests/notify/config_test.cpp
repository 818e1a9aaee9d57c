// The notification configuration (notify/config.h) and the pure pieces around it: which
// channels tell which unit, refusals that name the line, the back-off's growth, cap and jitter
// bounds, the signature's known value, and who is told of which event (notify/message.h).
#include <gtest/gtest.h>

#include "notify/config.h"
#include "notify/message.h"
#include "notify/retry.h"
#include "notify/signature.h"

namespace duban::notify {
namespace {

constexpr const char* kConfig =
    "# duban notifications\n"
    "base_url = https://duban.example.gov.cn/   # the page\n"
    "channel.office.type = webhook\n"
    "channel.office.url = http://10.0.0.5:8080/hook\n"
    "channel.office.secret = abc#def\n"
    "channel.ops.url = http://10.0.0.6/in\n"
    "channel.ops.secret = other\n"
    "channel.ops.timeout_ms = 2500\n"
    "unit.发展改革委 = office, ops\n"
    "unit.* = ops\n"
    "retry.max_attempts = 4\n";

TEST(NotifyConfig, ReadsChannelsUnitsAndRetryBounds) {
  auto config = parse_notify_config(kConfig);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->base_url, "https://duban.example.gov.cn");
  ASSERT_EQ(config->channels.size(), 2u);
  EXPECT_EQ(config->channels.at("office").secret, "abc#def") << "# inside a value stays";
  EXPECT_EQ(config->channels.at("office").timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(config->channels.at("ops").timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(config->channels_for(UnitId("发展改革委")),
            (std::vector<std::string>{"office", "ops"}));
  EXPECT_EQ(config->channels_for(UnitId("财政厅")), (std::vector<std::string>{"ops"}));
  EXPECT_EQ(config->retry.max_attempts, 4);
  EXPECT_EQ(config->task_link(TaskId("T-1")), "https://duban.example.gov.cn/#/task/T-1");
}

TEST(NotifyConfig, RefusesWhatWouldSilentlyNotDeliver) {
  const std::string base =
      "base_url = http://x\nchannel.a.url = http://h/p\nchannel.a.secret = s\n";
  auto typo = parse_notify_config(base + "chanel.a.url = http://h\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().code, "bad_config");
  EXPECT_NE(typo.error().message.find("line 4"), std::string::npos) << typo.error().message;
  EXPECT_FALSE(parse_notify_config(base + "unit.财政厅 = b\n").ok()) << "unknown channel";
  EXPECT_FALSE(parse_notify_config("base_url = http://x\nchannel.a.url = http://h\n").ok())
      << "no secret";
  EXPECT_FALSE(parse_notify_config(base + "channel.b.url = https://h\nchannel.b.secret = s\n").ok())
      << "https is not built";
  EXPECT_FALSE(parse_notify_config(base + "channel.a.type = smtp\n").ok());
  EXPECT_FALSE(parse_notify_config(base + "retry.max_attempts = many\n").ok());
  EXPECT_FALSE(parse_notify_config("channel.a.url = http://h\nchannel.a.secret = s\n").ok())
      << "no base_url";
}

TEST(Backoff, DoublesUpToTheCapWithinHalfToFullOfTheBase) {
  RetryPolicy policy{.max_attempts = 10,
                     .initial_backoff = std::chrono::milliseconds(1000),
                     .max_backoff = std::chrono::milliseconds(8000)};
  using ms = std::chrono::milliseconds;
  EXPECT_EQ(backoff_delay(policy, 1, 0.0), ms(500));
  EXPECT_EQ(backoff_delay(policy, 1, 0.999999), ms(999));
  EXPECT_EQ(backoff_delay(policy, 2, 0.0), ms(1000));
  EXPECT_EQ(backoff_delay(policy, 3, 0.5), ms(3000));
  EXPECT_EQ(backoff_delay(policy, 4, 0.0), ms(4000));
  EXPECT_EQ(backoff_delay(policy, 9, 0.0), ms(4000)) << "capped at max_backoff";
  EXPECT_EQ(backoff_delay(policy, 60, 1.0), ms(8000)) << "no overflow for many failures";
}

TEST(Signature, IsTheRfc4231HmacSha256) {
  // RFC 4231, test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(signature_header_value("Jefe", "what do ya want for nothing?").substr(0, 7), "sha256=");
}

task::TaskState task_with(std::vector<std::string> leads, std::vector<std::string> participants) {
  task::TaskState state;
  state.id = TaskId("T1");
  state.version = StreamVersion(1);
  for (auto& u : leads) state.leads.emplace_back(u);
  for (auto& u : participants) state.participants.emplace_back(u);
  state.provenance.heading = "建立共享机制";
  state.provenance.document = DocumentId("青政办〔2015〕151号");
  state.provenance.label = "3.(2)";
  return state;
}

TEST(Recipients, AreTheUnitsTheEventConcerns) {
  const auto state = task_with({"fgw", "swt"}, {"czt"});
  const std::vector<UnitId> all{UnitId("fgw"), UnitId("swt"), UnitId("czt")};
  EXPECT_EQ(recipients(task::TaskUrged{std::nullopt, ""}, state), all);
  EXPECT_EQ(recipients(task::TaskUrged{UnitId("swt"), ""}, state),
            std::vector<UnitId>{UnitId("swt")});
  EXPECT_EQ(recipients(task::TaskOverdue{"2016-06-30", {}}, state), all);
  EXPECT_EQ(recipients(task::DeadlineApproaching{"2016-06-30", {}}, state), all);
  EXPECT_EQ(recipients(task::ProgressReportDue{"2016-03", "2016-03-31", {}}, state), all);
  EXPECT_EQ(recipients(task::TaskReturned{UnitId("fgw"), "材料不全"}, state),
            std::vector<UnitId>{UnitId("fgw")});
  EXPECT_EQ(recipients(task::CompletionApproved{UnitId("swt")}, state),
            std::vector<UnitId>{UnitId("swt")});
  EXPECT_EQ(recipients(task::ExtensionRejected{"不予延期"}, state),
            (std::vector<UnitId>{UnitId("fgw"), UnitId("swt")}))
      << "no pending request known: the leads";
  auto pending = state;
  pending.extension = task::PendingExtension{UnitId("swt"), "2016-09-30", "需会签"};
  EXPECT_EQ(recipients(task::ExtensionApproved{"2016-09-30", "2016-06-30"}, pending),
            std::vector<UnitId>{UnitId("swt")});
  EXPECT_TRUE(
      recipients(task::ProgressReported{UnitId("fgw"), "", std::nullopt, {}}, state).empty());
  EXPECT_TRUE(recipients(task::TaskAcknowledged{UnitId("fgw"), {}}, state).empty());
}

TEST(Messages, AreChineseAndOnePerRecipientAndChannel) {
  auto config = parse_notify_config(kConfig);
  ASSERT_TRUE(config.ok());
  const auto state = task_with({"发展改革委"}, {"财政厅"});
  const auto out = notifications_for(GlobalPosition(12), Timestamp{},
                                     task::TaskOverdue{"2016-06-30", {}}, state, *config);
  ASSERT_EQ(out.size(), 3u) << "two channels for 发展改革委, the default one for 财政厅";
  EXPECT_EQ(out[0].key, "12:发展改革委:office");
  EXPECT_EQ(out[1].key, "12:发展改革委:ops");
  EXPECT_EQ(out[2].key, "12:财政厅:ops");
  EXPECT_EQ(out[0].text,
            "【逾期】督办事项「建立共享机制」（青政办〔2015〕151号 3.(2)）已超过办理期限"
            "2016-06-30，请尽快办结或申请延期。\n查看：https://duban.example.gov.cn/#/task/T1");
}

}  // namespace
}  // namespace duban::notify
