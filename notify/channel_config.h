// ChannelConfig: one `channel.<name>.*` block of the notification configuration (notify/config.h)
// and the rules for its fields. Four types:
//
//   webhook   url (http://), secret (HMAC key of X-Duban-Signature)        notify/webhook_channel.h
//   smtp      url (smtp:// or smtps://), from, [from_name, username, password, ca_file],
//             starttls = required | none (default required)               notify/smtp_channel.h
//   wecom     url (the robot's webhook, ...?key=KEY)                      notify/robot_channel.h
//   dingtalk  url (the robot's webhook, ...?access_token=TOKEN),
//             [secret: the robot's 加签 secret, then the URL is signed]   notify/robot_channel.h
//
// Every type takes timeout_ms (default 5000). Secrets (secret, password, and a robot URL's query
// string, which carries its key or token) are never printed: errors and logs name the channel,
// host, port and path only (redacted_url()).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace duban::notify {

enum class ChannelType { webhook, smtp, wecom, dingtalk };

std::string_view channel_type_name(ChannelType type);

struct ChannelConfig {
  std::string name;                         // as in channel.<name>.*
  ChannelType type = ChannelType::webhook;  // channel.<name>.type; default webhook
  std::string url;                          // see above per type
  std::string secret;                       // webhook: required; dingtalk: optional
  std::chrono::milliseconds timeout{5000};  // the whole exchange
  // smtp only
  std::string from;               // the sender address, e.g. duban@example.gov.cn
  std::string from_name;          // optional display name (UTF-8), e.g. 督办系统
  std::string username;           // optional: SMTP AUTH
  std::string password;           // optional: SMTP AUTH; never printed
  bool starttls_required = true;  // starttls = required (default) | none
  std::string ca_file;            // optional: PEM certificates to trust (default: the system's)
};

// The name notify/config.h gives every channel type (it predates the other types).
using WebhookChannelConfig = ChannelConfig;

// Applies `channel.<name>.<field> = value`; an error message (without the line) when the field
// is unknown or the value is wrong for it.
std::optional<std::string> set_channel_field(ChannelConfig& channel, std::string_view field,
                                             std::string_view value);

// After the whole file: an error message when a field the channel's type needs is missing.
std::optional<std::string> check_channel(const ChannelConfig& channel);

// scheme://host[:port]/path of `url`, without user info, query string or fragment: what errors
// may show.
std::string redacted_url(std::string_view url);

}  // namespace duban::notify
