// SmtpChannel: e-mail over SMTP with libcurl. One message per notification, to the address the
// recipient's preferences give (notify/recipients.h), built by notify/email_message.h (Chinese
// subject as RFC 2047 encoded-words, UTF-8 body in base64, the task's link, a Message-ID and an
// X-Duban-Idempotency-Key header from the idempotency key).
//
// Transport: smtp://host[:port] with STARTTLS required (default: a server that does not offer it
// is refused, so nothing goes out in the clear) or none (plain, for a relay on the same host);
// smtps:// is TLS from the first byte. AUTH with username and password when configured. The
// whole exchange is bounded by the channel's timeout.
//
// Outcomes: accepted by the server is delivered; a refused connection, a timeout or a 4xx
// answer is retried; a 5xx answer, a refused login, STARTTLS missing or no address is given up.
// Errors never contain the password (scrubbed) and name the server as scheme://host:port.
//
// Thread-safety: one thread per object.
#pragma once

#include "notify/channel.h"
#include "notify/channel_config.h"

namespace duban::notify {

class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(ChannelConfig config);
  DeliveryOutcome deliver(const Notification& notification) override;

 private:
  ChannelConfig config_;
};

}  // namespace duban::notify
