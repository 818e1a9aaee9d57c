// The channels one at a time, against real local receivers on 127.0.0.1 (notify/channels.h):
// e-mail over SMTP into Debian's aiosmtpd (tests/notify/smtp_sink.py), whose Python e-mail
// library decodes the Chinese subject, the UTF-8 body with the task's link, the Message-ID and the
// idempotency-key header; STARTTLS required refuses a server that does not offer it, and sends
// under TLS to one that does (with a certificate the channel is told to trust); the WeCom
// and DingTalk robots' JSON shapes and DingTalk's signed URL (checked against a value computed by
// Python's hmac); a robot's refusal is given up with an error that shows neither its token nor the
// signature; and the header encoding's limits.
#include <gtest/gtest.h>

#include "notify/channels.h"
#include "notify/email_message.h"
#include "notify/robot_channel.h"
#include "tests/notify/smtp_sink.h"
#include "tests/notify/webhook_receiver.h"

namespace duban::notify {
namespace {

using testing::SmtpSink;
using testing::WebhookReceiver;

Notification urge_notification() {
  return Notification{
      .key = "12:发展改革委:mail",
      .position = GlobalPosition(12),
      .event_type = "TaskUrged",
      .task = TaskId("QH-2015-08-3.2"),
      .recipient = UnitId("发展改革委"),
      .account = "",
      .address = "ban@fgw.example.gov.cn",
      .channel = "mail",
      .text =
          "【催办】督办事项「建立健全政务信息共享机制并推动跨部门数据互联互通」（青政办〔2015〕"
          "151号 3.(2)）被催办：请本周内报送进展\n查看：https://duban.example.gov.cn/#/task/"
          "QH-2015-08-3.2",
      .link = "https://duban.example.gov.cn/#/task/QH-2015-08-3.2",
      .recorded_at = Timestamp{}};
}

ChannelConfig smtp_config(const std::string& url, bool starttls) {
  ChannelConfig c;
  c.name = "mail";
  c.type = ChannelType::smtp;
  c.url = url;
  c.from = "duban@example.gov.cn";
  c.from_name = "督办系统";
  c.starttls_required = starttls;
  c.timeout = std::chrono::milliseconds(10000);
  return c;
}

TEST(SmtpChannel, DeliversAChineseMessageWithTheTaskLinkAndTheKey) {
  SmtpSink sink;
  auto channel = make_channel(smtp_config(sink.url(), /*starttls=*/false));
  const auto n = urge_notification();
  const auto outcome = channel->deliver(n);
  ASSERT_TRUE(outcome.delivered) << outcome.error;
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  const auto& m = messages.front();
  EXPECT_EQ(m.at("mail_from").as_string(), "duban@example.gov.cn");
  ASSERT_EQ(m.at("rcpt_tos").as_array().size(), 1u);
  EXPECT_EQ(m.at("rcpt_tos").as_array()[0].as_string(), "ban@fgw.example.gov.cn");
  EXPECT_EQ(m.at("subject").as_string(), email_subject(n));
  EXPECT_TRUE(std::string(m.at("subject").as_string()).starts_with("【催办】督办事项「建立健全"));
  EXPECT_EQ(m.at("from").as_string(), "督办系统 <duban@example.gov.cn>");
  EXPECT_EQ(m.at("key").as_string(), "12:发展改革委:mail");
  EXPECT_EQ(m.at("event").as_string(), "TaskUrged");
  EXPECT_EQ(m.at("message_id").as_string(), "<" + message_id(n.key) + ">");
  EXPECT_EQ(m.at("content_type").as_string(), "text/plain");
  EXPECT_EQ(m.at("charset").as_string(), "utf-8");
  const std::string body(m.at("body").as_string());
  EXPECT_NE(body.find("请本周内报送进展"), std::string::npos) << body;
  EXPECT_NE(body.find("查看：https://duban.example.gov.cn/#/task/QH-2015-08-3.2"),
            std::string::npos)
      << body;
}

TEST(SmtpChannel, StarttlsRequiredRefusesAServerThatDoesNotOfferIt) {
  SmtpSink sink;  // plain: aiosmtpd without a TLS context offers no STARTTLS
  auto channel = make_channel(smtp_config(sink.url(), /*starttls=*/true));
  const auto outcome = channel->deliver(urge_notification());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.retryable) << "retrying cannot make the server offer TLS";
  EXPECT_NE(outcome.error.find("smtp mail (smtp://127.0.0.1:"), std::string::npos) << outcome.error;
  EXPECT_TRUE(sink.messages().empty()) << "nothing goes out in the clear";
}

TEST(SmtpChannel, StarttlsRequiredDeliversUnderTlsToAServerItTrusts) {
  SmtpSink sink(/*starttls=*/true);  // offers STARTTLS and refuses MAIL before it
  auto config = smtp_config(sink.url(), /*starttls=*/true);
  const auto untrusted = make_channel(config)->deliver(urge_notification());
  EXPECT_FALSE(untrusted.delivered) << "a self-signed certificate not configured is refused";
  EXPECT_TRUE(sink.messages().empty());

  config.ca_file = sink.ca_file();
  const auto outcome = make_channel(config)->deliver(urge_notification());
  ASSERT_TRUE(outcome.delivered) << outcome.error;
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].at("tls").as_bool());
  EXPECT_EQ(messages[0].at("key").as_string(), "12:发展改革委:mail");
}

TEST(SmtpChannel, NoAddressIsGivenUpAtOnceAndARefusedConnectionIsRetried) {
  auto config = smtp_config("smtp://127.0.0.1:1", false);
  config.username = "duban";
  config.password = "pa55-w0rd-xyz";
  auto channel = make_channel(config);
  auto n = urge_notification();
  const auto refused = channel->deliver(n);
  EXPECT_FALSE(refused.delivered);
  EXPECT_TRUE(refused.retryable) << refused.error;
  EXPECT_EQ(refused.error.find("pa55-w0rd-xyz"), std::string::npos) << refused.error;
  n.address.clear();
  const auto nowhere = channel->deliver(n);
  EXPECT_FALSE(nowhere.delivered);
  EXPECT_FALSE(nowhere.retryable);
  EXPECT_NE(nowhere.error.find("no e-mail address"), std::string::npos) << nowhere.error;
}

TEST(EmailMessage, EncodesHeadersInWordsOfAtMost75WithoutSplittingACharacter) {
  EXPECT_EQ(encode_header_words("TaskUrged 12"), "TaskUrged 12") << "plain ASCII stays";
  const std::string long_subject =
      "【催办】督办事项「建立健全政务信息共享机制并推动跨部门数据互联互通」被催办";
  const std::string encoded = encode_header_words(long_subject);
  std::size_t words = 0;
  std::size_t at = 0;
  while (at < encoded.size()) {
    const auto end = encoded.find("\r\n ", at);
    const std::string word = encoded.substr(at, end == std::string::npos ? end : end - at);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    ++words;
    if (end == std::string::npos) break;
    at = end + 3;
  }
  EXPECT_GT(words, 1u);
  EXPECT_EQ(message_id("12:a:b"), message_id("12:a:b")) << "one key, one Message-ID";
  EXPECT_NE(message_id("12:a:b"), message_id("13:a:b"));
  EXPECT_EQ(base64_lines(std::string(100, 'x')).find("\r\n"), 76u);
}

ChannelConfig robot_config(ChannelType type, const std::string& url, std::string secret = "") {
  ChannelConfig c;
  c.name = "group";
  c.type = type;
  c.url = url;
  c.secret = std::move(secret);
  c.timeout = std::chrono::milliseconds(5000);
  return c;
}

TEST(RobotChannel, WeComGetsItsMarkdownShape) {
  WebhookReceiver receiver("unused");
  auto channel = make_channel(robot_config(
      ChannelType::wecom, "http://127.0.0.1:" + std::to_string(receiver.port()) +
                              "/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"));
  const auto n = urge_notification();
  const auto outcome = channel->deliver(n);
  ASSERT_TRUE(outcome.delivered) << outcome.error;
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].target, "/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa");
  const auto& body = hooks[0].body;
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body.at("msgtype").as_string(), "markdown");
  const auto& markdown = body.at("markdown").as_object();
  EXPECT_EQ(markdown.size(), 1u) << "WeCom takes content only";
  const std::string content(markdown.at("content").as_string());
  EXPECT_TRUE(content.starts_with("**【催办】督办事项")) << content;
  EXPECT_NE(content.find("[查看督办事项](https://duban.example.gov.cn/#/task/QH-2015-08-3.2)"),
            std::string::npos)
      << content;
  EXPECT_NE(content.find("12:发展改革委:mail"), std::string::npos) << content;
}

// The query parameter `name` of `target`, URL-decoded.
std::string query_param(const std::string& target, const std::string& name) {
  const auto at = target.find(name + "=");
  if (at == std::string::npos) return "";
  std::string raw = target.substr(at + name.size() + 1);
  raw = raw.substr(0, raw.find('&'));
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

TEST(RobotChannel, DingTalkSignIsTheDocumentedHmac) {
  // Computed with Python: base64(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()).
  EXPECT_EQ(dingtalk_sign("SEC0123456789abcdef", 1700000000000),
            "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
  EXPECT_EQ(url_encode("TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk="),
            "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
}

TEST(RobotChannel, DingTalkGetsItsMarkdownShapeOnASignedUrl) {
  WebhookReceiver receiver("unused");
  const std::string secret = "SECd1c2b3a4-robot-secret";
  auto channel = make_channel(robot_config(
      ChannelType::dingtalk,
      "http://127.0.0.1:" + std::to_string(receiver.port()) + "/robot/send?access_token=tok123456",
      secret));
  const auto n = urge_notification();
  const auto outcome = channel->deliver(n);
  ASSERT_TRUE(outcome.delivered) << outcome.error;
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 1u);
  const std::string target = hooks[0].target;
  EXPECT_TRUE(target.starts_with("/robot/send?access_token=tok123456&timestamp=")) << target;
  const std::string timestamp = query_param(target, "timestamp");
  ASSERT_FALSE(timestamp.empty()) << target;
  EXPECT_EQ(query_param(target, "sign"), dingtalk_sign(secret, std::stoll(timestamp))) << target;
  const auto& body = hooks[0].body;
  EXPECT_EQ(body.at("msgtype").as_string(), "markdown");
  const auto& markdown = body.at("markdown").as_object();
  EXPECT_EQ(markdown.at("title").as_string(), email_subject(n));
  const std::string text(markdown.at("text").as_string());
  EXPECT_NE(text.find("[查看督办事项](https://duban.example.gov.cn/#/task/QH-2015-08-3.2)"),
            std::string::npos)
      << text;
}

TEST(RobotChannel, ARefusalIsGivenUpWithoutTheTokenOrTheSignature) {
  WebhookReceiver receiver("unused");
  receiver.answer_errcode(310000);  // DingTalk: "sign not match"
  const std::string secret = "SECd1c2b3a4-robot-secret";
  auto channel = make_channel(robot_config(
      ChannelType::dingtalk,
      "http://127.0.0.1:" + std::to_string(receiver.port()) + "/robot/send?access_token=tok123456",
      secret));
  const auto outcome = channel->deliver(urge_notification());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.retryable);
  EXPECT_NE(outcome.error.find("errcode 310000"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("/robot/send"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("tok123456"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find(secret), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("sign="), std::string::npos) << outcome.error;

  receiver.fail_for(std::chrono::hours(1));
  const auto down = channel->deliver(urge_notification());
  EXPECT_FALSE(down.delivered);
  EXPECT_TRUE(down.retryable) << "HTTP 500 is worth retrying";
}

}  // namespace
}  // namespace duban::notify
