#include "notify/channel_config.h"

#include <charconv>

namespace duban::notify {

std::string_view channel_type_name(ChannelType type) {
  switch (type) {
    case ChannelType::webhook:
      return "webhook";
    case ChannelType::smtp:
      return "smtp";
    case ChannelType::wecom:
      return "wecom";
    case ChannelType::dingtalk:
      return "dingtalk";
  }
  return "webhook";
}

std::optional<std::string> set_channel_field(ChannelConfig& channel, std::string_view field,
                                             std::string_view value) {
  const std::string v(value);
  if (field == "type") {
    if (value == "webhook") {
      channel.type = ChannelType::webhook;
    } else if (value == "smtp") {
      channel.type = ChannelType::smtp;
    } else if (value == "wecom") {
      channel.type = ChannelType::wecom;
    } else if (value == "dingtalk") {
      channel.type = ChannelType::dingtalk;
    } else {
      return "channel type \"" + v + "\" is unknown (webhook, smtp, wecom, dingtalk)";
    }
  } else if (field == "url") {
    if (v.find('@') != std::string::npos && v.find('@') < v.find('/', v.find("//") + 2)) {
      return "a channel url must not carry user:password@ (use username and password)";
    }
    channel.url = v;
  } else if (field == "secret") {
    channel.secret = v;
  } else if (field == "timeout_ms") {
    long long n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n <= 0) {
      return "timeout_ms must be a positive whole number";
    }
    channel.timeout = std::chrono::milliseconds(n);
  } else if (field == "from") {
    channel.from = v;
  } else if (field == "from_name") {
    channel.from_name = v;
  } else if (field == "username") {
    channel.username = v;
  } else if (field == "password") {
    channel.password = v;
  } else if (field == "ca_file") {
    channel.ca_file = v;
  } else if (field == "starttls") {
    if (value == "required") {
      channel.starttls_required = true;
    } else if (value == "none") {
      channel.starttls_required = false;
    } else {
      return "starttls must be required or none";
    }
  } else {
    return "unknown channel field \"" + std::string(field) +
           "\" (type, url, secret, timeout_ms, from, from_name, username, password, starttls, "
           "ca_file)";
  }
  return std::nullopt;
}

std::optional<std::string> check_channel(const ChannelConfig& c) {
  const std::string who = "channel " + c.name + " (" + std::string(channel_type_name(c.type)) + ")";
  if (c.url.empty()) return who + " needs a url";
  switch (c.type) {
    case ChannelType::webhook:
      if (!c.url.starts_with("http://")) {
        return who + ": a webhook url must start with http:// (https is not built yet)";
      }
      if (c.secret.empty()) return who + " needs both url and secret";
      break;
    case ChannelType::smtp:
      if (!c.url.starts_with("smtp://") && !c.url.starts_with("smtps://")) {
        return who + ": the url must start with smtp:// or smtps://";
      }
      if (c.from.empty() || c.from.find('@') == std::string::npos) {
        return who + " needs from = an e-mail address";
      }
      if (c.username.empty() != c.password.empty()) {
        return who + ": username and password go together";
      }
      break;
    case ChannelType::wecom:
    case ChannelType::dingtalk:
      if (!c.url.starts_with("http://") && !c.url.starts_with("https://")) {
        return who + ": the robot url must start with https:// (or http://)";
      }
      break;
  }
  return std::nullopt;
}

std::string redacted_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  const std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::string_view rest = url.substr(authority);
  rest = rest.substr(0, rest.find_first_of("?#"));
  const auto slash = rest.find('/');
  const auto at = rest.substr(0, slash).rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return std::string(url.substr(0, authority)) + std::string(rest);
}

}  // namespace duban::notify
