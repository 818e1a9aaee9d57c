// WebhookChannel: HTTP POST of a JSON document to a configured http:// URL, signed with the
// channel's secret (notify/signature.h), within the channel's timeout (connect, send and
// receive together). 2xx is delivered; 408, 429 and 5xx, a refused connection or a timeout are
// worth retrying; any other status is not. The body:
//
//   {"idempotency_key": "12:发展改革委:office", "event": "TaskUrged", "position": 12,
//    "task": "QH-2015-08-3.2", "recipient": "发展改革委", "channel": "office",
//    "text": "【催办】…\n查看：https://…/#/task/QH-2015-08-3.2",
//    "link": "https://…/#/task/QH-2015-08-3.2", "recorded_at": "2016-01-02T08:00:00.000Z"}
//
// The idempotency key travels only in the body: unit ids are Chinese, and HTTP headers carry
// ASCII only.
//
// Thread-safety: one thread per object (each deliver() uses its own connection).
#pragma once

#include <string>

#include "notify/channel.h"
#include "notify/config.h"

namespace duban::notify {

class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(WebhookChannelConfig config);
  DeliveryOutcome deliver(const Notification& notification) override;

  // The JSON body deliver() posts for `notification`.
  static std::string body(const Notification& notification);

 private:
  WebhookChannelConfig config_;
  std::string host_;
  std::string port_;
  std::string target_;
};

}  // namespace duban::notify
