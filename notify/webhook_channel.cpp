#include "notify/webhook_channel.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <ctime>

#include "notify/signature.h"

namespace duban::notify {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers past this size are cut off (a receiver says little: status and maybe a line).
constexpr std::size_t kResponseBodyLimit = 64 * 1024;

std::string iso_utc(Timestamp t) {
  const auto ms = to_millis(t);
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

WebhookChannel::WebhookChannel(WebhookChannelConfig config) : config_(std::move(config)) {
  // http://host[:port][/path]; the configuration only admits http:// URLs.
  std::string rest = config_.url.substr(std::string_view("http://").size());
  const auto slash = rest.find('/');
  target_ = slash == std::string::npos ? "/" : rest.substr(slash);
  const std::string authority = rest.substr(0, slash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    host_ = authority.substr(0, colon);
    port_ = authority.substr(colon + 1);
  } else {
    host_ = authority;
    port_ = "80";
  }
  if (host_.size() > 2 && host_.front() == '[' && host_.back() == ']') {
    host_ = host_.substr(1, host_.size() - 2);
  }
}

std::string WebhookChannel::body(const Notification& n) {
  boost::json::object o;
  o["idempotency_key"] = n.key;
  o["event"] = n.event_type;
  o["position"] = n.position.value();
  o["task"] = n.task.str();
  o["recipient"] = n.recipient.str();
  if (!n.account.empty()) o["account"] = n.account;
  o["channel"] = n.channel;
  o["text"] = n.text;
  o["link"] = n.link;
  o["recorded_at"] = iso_utc(n.recorded_at);
  return boost::json::serialize(o);
}

DeliveryOutcome WebhookChannel::deliver(const Notification& notification) {
  const std::string payload = body(notification);
  http::request<http::string_body> request(http::verb::post, target_, 11);
  request.set(http::field::host, host_ + ":" + port_);
  request.set(http::field::user_agent, "duban-notify");
  request.set(http::field::content_type, "application/json; charset=utf-8");
  request.set(http::field::connection, "close");
  request.set(kSignatureHeader, signature_header_value(config_.secret, payload));
  request.body() = payload;
  request.prepare_payload();

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  beast::error_code failure;
  std::string stage = "resolving";
  bool answered = false;

  // One deadline for the whole exchange: resolve, connect, write and read.
  const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
  const auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  resolver.async_resolve(host_, port_, [&](beast::error_code ec, tcp::resolver::results_type rs) {
    if (ec) {
      failure = ec;
      return;
    }
    stage = "connecting";
    stream.expires_after(left());
    stream.async_connect(rs, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) {
        failure = ec2;
        return;
      }
      stage = "sending";
      stream.expires_after(left());
      http::async_write(stream, request, [&](beast::error_code ec3, std::size_t) {
        if (ec3) {
          failure = ec3;
          return;
        }
        stage = "waiting for the answer";
        stream.expires_after(left());
        http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
          if (ec4) {
            failure = ec4;
            return;
          }
          answered = true;
        });
      });
    });
  });
  // The resolver has no expiry of its own: bound the whole run as well.
  ioc.run_for(config_.timeout + std::chrono::milliseconds(100));
  if (!answered && !failure) failure = beast::error::timeout;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  // The path without its query: a receiver may take a token there, and errors are printed.
  const std::string where = "webhook " + config_.name + " (" + host_ + ":" + port_ +
                            target_.substr(0, target_.find('?')) + ")";
  if (!answered) {
    return DeliveryOutcome::failed(where + ": " + stage + ": " + failure.message());
  }
  const unsigned status = parser.get().result_int();
  if (status >= 200 && status < 300) return DeliveryOutcome::ok();
  const bool retry = status == 408 || status == 429 || status >= 500;
  return DeliveryOutcome::failed(where + " answered HTTP " + std::to_string(status), retry);
}

}  // namespace duban::notify
