#include "tests/notify/webhook_receiver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "notify/signature.h"

namespace duban::testing {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
}  // namespace

struct WebhookReceiver::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
};

WebhookReceiver::WebhookReceiver(std::string secret, int fail_first,
                                 std::chrono::milliseconds delay)
    : impl_(std::make_unique<Impl>()),
      secret_(std::move(secret)),
      fail_first_(fail_first),
      delay_(delay) {
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  serve();
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  impl_->ioc.stop();
  thread_.join();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

void WebhookReceiver::fail_for(std::chrono::milliseconds window) {
  std::lock_guard lock(mutex_);
  failing_until_ = std::chrono::steady_clock::now() + window;
}

void WebhookReceiver::answer_errcode(int errcode) {
  std::lock_guard lock(mutex_);
  errcode_ = errcode;
}

std::vector<ReceivedHook> WebhookReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool WebhookReceiver::wait_for_requests(std::size_t count,
                                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
}

// Accepts one connection and serves its one request on the io thread (the notifier sends
// "Connection: close" and one request per connection), then accepts the next.
void WebhookReceiver::serve() {
  impl_->acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    beast::error_code io;
    beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    http::read(socket, buffer, parser, io);
    if (!io) {
      const auto& request = parser.get();
      ReceivedHook hook;
      hook.target = std::string(request.target());
      const std::string expected = notify::signature_header_value(secret_, request.body());
      hook.signature_ok = request[notify::kSignatureHeader] == expected;
      boost::system::error_code json_ec;
      auto value = boost::json::parse(request.body(), json_ec);
      if (!json_ec && value.is_object()) {
        hook.body = value.as_object();
        if (const auto* k = hook.body.if_contains("idempotency_key"); k && k->is_string()) {
          hook.key = std::string(k->as_string());
        }
      }
      int errcode = 0;
      {
        std::lock_guard lock(mutex_);
        const bool down = static_cast<int>(received_.size()) < fail_first_ ||
                          std::chrono::steady_clock::now() < failing_until_;
        hook.status = down ? 500 : 200;
        errcode = errcode_;
      }
      if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
      http::response<http::string_body> response(
          hook.status == 200 ? http::status::ok : http::status::internal_server_error, 11);
      response.body() = hook.status == 200
                            ? "{\"errcode\":" + std::to_string(errcode) + ",\"errmsg\":\"" +
                                  (errcode == 0 ? "ok" : "refused") + "\"}"
                            : "down";
      response.prepare_payload();
      // Recorded before answering: a sender that saw the answer finds the request here.
      {
        std::lock_guard lock(mutex_);
        received_.push_back(std::move(hook));
      }
      arrived_.notify_all();
      http::write(socket, response, io);
    }
    socket.shutdown(tcp::socket::shutdown_both, io);
    serve();
  });
}

}  // namespace duban::testing
