// RobotChannel: the group robots of WeCom (企业微信) and DingTalk (钉钉). An HTTP(S) POST of
// their documented JSON to the robot's webhook URL (libcurl), markdown text:
//
//   WeCom     {"msgtype": "markdown", "markdown": {"content": "<markdown>"}}
//   DingTalk  {"msgtype": "markdown", "markdown": {"title": "<subject>", "text": "<markdown>"}}
//
// With a DingTalk 加签 secret the URL gets `&timestamp=<ms>&sign=<urlencode(base64(
// HMAC-SHA256(secret, "<ms>\n<secret>")))>` (dingtalk_sign()). The markdown is the message's
// first line in bold, the message, a link to the task and the idempotency key (robots do not
// drop repeats themselves; people can).
//
// Outcomes: HTTP 2xx with errcode 0 is delivered; a refused connection, a timeout, HTTP 408, 429
// or 5xx, or the robots' "busy"/rate-limit codes (-1, 45009, 130101) are retried; any other
// errcode or status is given up. The robot's key or token sits in the URL's query string, so
// errors name scheme://host:port/path only, and scrub the query's values and the secret.
//
// Thread-safety: one thread per object.
#pragma once

#include <cstdint>
#include <string>

#include "notify/channel.h"
#include "notify/channel_config.h"

namespace duban::notify {

class RobotChannel final : public Channel {
 public:
  explicit RobotChannel(ChannelConfig config);
  DeliveryOutcome deliver(const Notification& notification) override;

  // The JSON body for `notification` in the channel type's shape.
  static std::string body(ChannelType type, const Notification& notification);
  // The markdown text of the body.
  static std::string markdown(const Notification& notification);

 private:
  ChannelConfig config_;
};

// DingTalk's sign for `timestamp_ms`: base64(HMAC-SHA256(secret, "<ms>\n<secret>")), not yet
// URL-encoded.
std::string dingtalk_sign(const std::string& secret, std::int64_t timestamp_ms);

// Percent-encoding of everything but A-Z a-z 0-9 - _ . ~
std::string url_encode(std::string_view text);

}  // namespace duban::notify
