#include "notify/robot_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <chrono>

#include "notify/detail/curl.h"
#include "notify/email_message.h"

namespace duban::notify {
namespace {

// The values of the URL's query string (robot keys and tokens), for scrubbing.
std::vector<std::string> query_values(const std::string& url) {
  std::vector<std::string> out;
  const auto q = url.find('?');
  if (q == std::string::npos) return out;
  out.push_back(url.substr(q + 1));
  std::string_view rest = std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    if (const auto eq = pair.find('='); eq != std::string_view::npos) {
      out.emplace_back(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string dingtalk_sign(const std::string& secret, std::int64_t timestamp_ms) {
  const std::string to_sign = std::to_string(timestamp_ms) + "\n" + secret;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), mac, &length);
  std::string out(4 * ((length + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(length));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

RobotChannel::RobotChannel(ChannelConfig config) : config_(std::move(config)) {
  detail::ensure_curl();
}

std::string RobotChannel::markdown(const Notification& n) {
  const auto nl = n.text.find('\n');
  const std::string first = n.text.substr(0, nl);
  const std::string rest = nl == std::string::npos ? "" : n.text.substr(nl + 1);
  std::string md = "**" + first + "**\n\n";
  // The text's own last line is "查看：<link>"; robots render a markdown link instead.
  if (!rest.empty() && rest.find(n.link) == std::string::npos) md += rest + "\n\n";
  md += "[查看督办事项](" + n.link + ")\n\n";
  md += "> 消息编号：" + n.key;
  return md;
}

std::string RobotChannel::body(ChannelType type, const Notification& n) {
  boost::json::object markdown_part;
  if (type == ChannelType::dingtalk) {
    markdown_part["title"] = email_subject(n);
    markdown_part["text"] = markdown(n);
  } else {
    markdown_part["content"] = markdown(n);
  }
  boost::json::object o;
  o["msgtype"] = "markdown";
  o["markdown"] = std::move(markdown_part);
  return boost::json::serialize(o);
}

DeliveryOutcome RobotChannel::deliver(const Notification& n) {
  const std::string where = std::string(channel_type_name(config_.type)) + " robot " +
                            config_.name + " (" + redacted_url(config_.url) + ")";
  std::string url = config_.url;
  std::vector<std::string> secrets = query_values(config_.url);
  if (config_.type == ChannelType::dingtalk && !config_.secret.empty()) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string sign = url_encode(dingtalk_sign(config_.secret, now));
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") +
           std::to_string(now) + "&sign=" + sign;
    secrets.push_back(sign);
    secrets.push_back(config_.secret);
  }
  const auto answer = detail::post_json(url, body(config_.type, n), config_.timeout);
  if (!answer.answered) {
    return DeliveryOutcome::failed(detail::scrub(where + ": " + answer.error, secrets));
  }
  if (answer.status < 200 || answer.status >= 300) {
    const bool retry = answer.status == 408 || answer.status == 429 || answer.status >= 500;
    return DeliveryOutcome::failed(where + " answered HTTP " + std::to_string(answer.status),
                                   retry);
  }
  boost::system::error_code ec;
  const auto json = boost::json::parse(answer.body, ec);
  const auto* object = !ec ? json.if_object() : nullptr;
  const auto* errcode = object ? object->if_contains("errcode") : nullptr;
  if (!errcode || !errcode->is_int64()) {
    return DeliveryOutcome::failed(where + " answered without an errcode", true);
  }
  const auto code = errcode->as_int64();
  if (code == 0) return DeliveryOutcome::ok();
  std::string message;
  if (const auto* m = object->if_contains("errmsg"); m && m->is_string()) {
    message = std::string(m->as_string()).substr(0, 200);
  }
  const bool retry = code == -1 || code == 45009 || code == 130101;
  return DeliveryOutcome::failed(
      detail::scrub(where + " answered errcode " + std::to_string(code) + ": " + message, secrets),
      retry);
}

}  // namespace duban::notify
