// The e-mail the SMTP channel sends for one notification (RFC 5322 with MIME), pure:
//
//   From: =?UTF-8?B?552j5Yqe57O757uf?= <duban@example.gov.cn>
//   To: ban@fgw.example.gov.cn
//   Subject: =?UTF-8?B?44CQ5YKs5Yqe44CR…?=              (RFC 2047, split at characters)
//   Date: Mon, 04 Jan 2016 09:00:00 +0000
//   Message-ID: <3f2a…@duban>                           (from the idempotency key: equal keys,
//                                                        equal ids, so mail systems drop repeats)
//   X-Duban-Idempotency-Key: =?UTF-8?B?…?=               ("<position>:<recipient>:<channel>")
//   X-Duban-Event: TaskUrged
//   MIME-Version: 1.0
//   Content-Type: text/plain; charset=UTF-8
//   Content-Transfer-Encoding: base64
//
//   <the message text, which ends with the task's link, in base64 lines of 76>
//
// Thread-safety: reentrant.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "notify/channel_config.h"
#include "notify/message.h"

namespace duban::notify {

// `text` as RFC 2047 encoded-words (UTF-8, base64), each at most 75 characters and never
// splitting a UTF-8 character, joined by CRLF + space (a folded header). Plain ASCII without
// specials is returned as is.
std::string encode_header_words(std::string_view text);

// Base64 of `bytes` in lines of 76 characters, each ending in CRLF.
std::string base64_lines(std::string_view bytes);

// The subject: the message's first line, cut to 60 characters (with …).
std::string email_subject(const Notification& notification);

// "<hex>@duban": the Message-ID (without angle brackets) for an idempotency key.
std::string message_id(std::string_view idempotency_key);

// The whole message, with CRLF line ends, sent at `now`.
std::string email_message(const Notification& notification, const ChannelConfig& channel,
                          std::time_t now);

}  // namespace duban::notify
