// NotifyConfig: what `--notify FILE` says: the page's base URL, the channels (each with its
// secret), which channels tell which unit, and the retry bounds. The file is plain
// `key = value` lines (docs/operations.md, "Notifications"):
//
//   base_url = https://duban.example.gov.cn      # links are <base_url>/#/task/<id>
//   channel.office.type = webhook                 # or smtp, wecom, dingtalk (channel_config.h)
//   channel.office.url = http://10.0.0.5:8080/hook
//   channel.office.secret = ...                   # HMAC-SHA256 key; never printed
//   channel.office.timeout_ms = 5000              # default 5000
//   unit.发展改革委 = office                        # channels for one unit id, comma-separated
//   unit.* = office                               # for every unit not listed
//   retry.max_attempts = 6                        # default 6 (the first try included)
//   retry.initial_backoff_ms = 1000               # default 1000, doubled per attempt
//   retry.max_backoff_ms = 60000                  # default 60000
//   recipient.unit.<unit>.email = …               # preferences of units and persons (recipients.h)
//   digest.time = 08:00                           # daily digest per unit (notify/digest.h)
//
// Blank lines and lines starting with # are ignored; a # after a value starts a comment only
// when preceded by a blank. Unknown keys are refused, so a typo does not silently disable a
// channel.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "notify/channel_config.h"
#include "notify/digest.h"
#include "notify/recipients.h"

namespace duban::notify {

// The text of one `key = value` line: blanks (and a CR) trimmed; a comma-separated list split
// into its non-empty, trimmed items. Shared by config.cpp and recipients.cpp.
std::string_view trim(std::string_view s);
std::vector<std::string> split_list(std::string_view v);

struct RetryPolicy {
  int max_attempts = 6;                             // tries per delivery, the first included
  std::chrono::milliseconds initial_backoff{1000};  // wait after the first failure
  std::chrono::milliseconds max_backoff{60000};     // cap of every wait
};

struct NotifyConfig {
  std::string base_url;                                  // without a trailing slash
  std::map<std::string, WebhookChannelConfig> channels;  // by name
  std::map<UnitId, std::vector<std::string>> units;      // unit -> channel names
  std::vector<std::string> default_channels;             // unit.* (empty: none)
  RetryPolicy retry;
  RecipientDirectory recipients;  // recipient.* lines (notify/recipients.h)
  DigestConfig digest;            // digest.* (notify/digest.h); off unless digest.time is given

  // The channels that tell `unit`: its own line, else unit.*.
  const std::vector<std::string>& channels_for(const UnitId& unit) const;
  // The page's link to a task: <base_url>/#/task/<id>.
  std::string task_link(const TaskId& task) const;
};

// Reads the configuration text. Errors (code bad_config) name the line and what is wrong: an
// unknown key, a bad number, a channel without url or secret, a unit naming an unknown channel.
Result<NotifyConfig> parse_notify_config(std::string_view text);

// Reads FILE and parses it; errors also when the file cannot be read.
Result<NotifyConfig> load_notify_config(const std::string& path);

}  // namespace duban::notify
