// Channel: one way of telling a recipient: a webhook, e-mail, a WeCom or DingTalk robot
// (notify/channels.h makes them).
// deliver() makes ONE attempt; the notifier (notifier.h) retries and gives up.
//
// Thread-safety: deliver() is called from the notifier's one thread.
#pragma once

#include <string>

#include "notify/message.h"

namespace duban::notify {

struct DeliveryOutcome {
  bool delivered = false;
  bool retryable = true;  // false: trying again cannot help (e.g. HTTP 400); give up now
  std::string error;      // when not delivered: why, fit to log (no secrets)

  static DeliveryOutcome ok() { return {true, false, {}}; }
  static DeliveryOutcome failed(std::string why, bool retry = true) {
    return {false, retry, std::move(why)};
  }
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual DeliveryOutcome deliver(const Notification& notification) = 0;
};

}  // namespace duban::notify
