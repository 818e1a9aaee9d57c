#include "tests/support/net_clients.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <deque>

namespace duban::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// Runs `ioc` until `done` or `timeout`; false on timeout (the operation is still pending).
bool run_until(asio::io_context& ioc, const bool& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    ioc.restart();
    ioc.run_one_for(deadline - now);
  }
  return true;
}

tcp::socket connect_socket(asio::io_context& ioc, const std::string& host, std::uint16_t port,
                           int receive_buffer, std::chrono::milliseconds timeout) {
  tcp::socket socket(ioc);
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  socket.open(endpoint.protocol());
  if (receive_buffer > 0) socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  bool done = false;
  beast::error_code ec;
  socket.async_connect(endpoint, [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  if (!run_until(ioc, done, timeout)) {
    socket.close();
    run_until(ioc, done, 1s);
    throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + " timed out");
  }
  if (ec)
    throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " +
                             ec.message());
  socket.set_option(tcp::no_delay(true));
  return socket;
}

HttpResponse to_response(http::response<http::string_body>& res) {
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(res.body());
  return out;
}

}  // namespace

boost::json::value HttpResponse::json() const {
  return boost::json::parse(body);
}
boost::json::value WsMessage::json() const {
  if (binary) throw std::runtime_error("a binary frame is not JSON");
  return boost::json::parse(data);
}
std::string WsMessage::type() const {
  return std::string(json().as_object().at("type").as_string());
}

// --- HttpClient ---

struct HttpClient::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<tcp::socket> socket;
  beast::flat_buffer buffer;

  HttpResponse once(http::request<http::string_body>& req) {
    if (!socket) socket.emplace(connect_socket(ioc, host, port, 0, timeout));
    bool done = false;
    beast::error_code ec;
    http::async_write(*socket, req, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc, done, timeout)) throw std::runtime_error("HTTP write timed out");
    if (ec) throw beast::system_error(ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(req.method() == http::verb::head);  // its Content-Length is GET's, with no body
    done = false;
    http::async_read(*socket, buffer, parser, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(ioc, done, timeout)) {
      socket->close();
      run_until(ioc, done, 1s);
      socket.reset();
      throw std::runtime_error("HTTP read timed out");
    }
    if (ec) throw beast::system_error(ec);
    auto res = parser.release();
    if (!res.keep_alive()) {
      beast::error_code ignored;
      socket->shutdown(tcp::socket::shutdown_both, ignored);
      socket.reset();
      buffer.clear();
    }
    return to_response(res);
  }
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::string_view body, std::string_view token,
                                 std::string_view content_type,
                                 const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(beast::string_view(target.data(), target.size()));
  req.version(11);
  req.set(http::field::host, impl_->host);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + std::string(token));
  if (!body.empty() || method == "POST") {
    req.set(http::field::content_type,
            beast::string_view(content_type.data(), content_type.size()));
    req.body() = std::string(body);
  }
  for (const auto& [name, value] : headers) req.set(name, value);
  req.keep_alive(true);
  req.prepare_payload();
  try {
    return impl_->once(req);
  } catch (const beast::system_error&) {
    // The server may have closed the kept-alive connection meanwhile: one fresh try.
    impl_->socket.reset();
    impl_->buffer.clear();
    return impl_->once(req);
  }
}

// --- RawConnection ---

struct RawConnection::Impl {
  asio::io_context ioc;
  std::optional<tcp::socket> socket;
  beast::flat_buffer buffer;
};

RawConnection::RawConnection(const std::string& host, std::uint16_t port)
    : impl_(std::make_unique<Impl>()) {
  impl_->socket.emplace(connect_socket(impl_->ioc, host, port, 0, 10s));
}
RawConnection::~RawConnection() = default;

void RawConnection::write(std::string_view bytes) {
  asio::write(*impl_->socket, asio::buffer(bytes.data(), bytes.size()));
}

HttpResponse RawConnection::read_response(std::chrono::milliseconds timeout) {
  http::response_parser<http::string_body> parser;
  bool done = false;
  beast::error_code ec;
  http::async_read(*impl_->socket, impl_->buffer, parser, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!run_until(impl_->ioc, done, timeout)) {
    impl_->socket->close();
    run_until(impl_->ioc, done, 1s);
    throw std::runtime_error("no HTTP response within the timeout");
  }
  if (ec) throw beast::system_error(ec);
  auto res = parser.release();
  return to_response(res);
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  char byte;
  bool done = false;
  beast::error_code ec;
  impl_->socket->async_read_some(asio::buffer(&byte, 1), [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  if (!run_until(impl_->ioc, done, timeout)) {
    impl_->socket->close();
    run_until(impl_->ioc, done, 1s);
    return false;
  }
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

// --- WsClient ---

struct WsClient::Impl {
  asio::io_context ioc;
  std::optional<websocket::stream<tcp::socket>> ws;
  beast::flat_buffer buffer;
  std::string subprotocol;
  bool reading = false;  // an async_read is pending
  bool read_done = false;
  beast::error_code read_ec;
  std::size_t read_bytes = 0;

  void open(const std::string& host, std::uint16_t port, const Options& o,
            websocket::response_type& res) {
    ws.emplace(connect_socket(ioc, host, port, o.receive_buffer, o.timeout));
    ws->read_message_max(64 * 1024 * 1024);
    ws->set_option(websocket::stream_base::decorator([o](websocket::request_type& req) {
      if (!o.token.empty()) req.set(http::field::authorization, "Bearer " + o.token);
      if (!o.cookie.empty()) req.set(http::field::cookie, o.cookie);
      if (!o.subprotocol.empty()) req.set(http::field::sec_websocket_protocol, o.subprotocol);
    }));
    bool done = false;
    beast::error_code ec;
    ws->async_handshake(res, host + ":" + std::to_string(port), "/ws" + o.query,
                        [&](beast::error_code e) {
                          ec = e;
                          done = true;
                        });
    if (!run_until(ioc, done, o.timeout)) {
      beast::get_lowest_layer(*ws).close();
      run_until(ioc, done, 1s);
      throw std::runtime_error("WebSocket handshake timed out");
    }
    if (ec) {
      throw std::runtime_error("WebSocket handshake failed: " + ec.message() + " (HTTP " +
                               std::to_string(res.result_int()) + ")");
    }
    subprotocol = std::string(res[http::field::sec_websocket_protocol]);
  }

  void write(std::string_view bytes, bool binary) {
    ws->binary(binary);
    bool done = false;
    beast::error_code ec;
    ws->async_write(asio::buffer(bytes.data(), bytes.size()),
                    [&](beast::error_code e, std::size_t) {
                      ec = e;
                      done = true;
                    });
    if (!run_until(ioc, done, 10s)) throw std::runtime_error("WebSocket write timed out");
    if (ec) throw beast::system_error(ec);
  }
};

WsClient::WsClient(const std::string& host, std::uint16_t port, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  websocket::response_type res;
  impl_->open(host, port, options, res);
}
WsClient::~WsClient() {
  if (!impl_ || !impl_->ws) return;
  beast::error_code ignored;
  beast::get_lowest_layer(*impl_->ws).close(ignored);
}
WsClient::WsClient(WsClient&&) noexcept = default;

int WsClient::handshake_status(const std::string& host, std::uint16_t port,
                               const Options& options) {
  Impl impl;
  websocket::response_type res;
  try {
    impl.open(host, port, options, res);
  } catch (const std::runtime_error&) {
    return static_cast<int>(res.result_int());
  }
  return 101;
}

const std::string& WsClient::subprotocol() const {
  return impl_->subprotocol;
}

void WsClient::send_text(std::string_view text) {
  impl_->write(text, false);
}
void WsClient::send_binary(std::string_view bytes) {
  impl_->write(bytes, true);
}
void WsClient::send_raw(std::string_view bytes) {
  asio::write(beast::get_lowest_layer(*impl_->ws), asio::buffer(bytes.data(), bytes.size()));
}

std::optional<WsMessage> WsClient::read(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  if (!s.reading) {
    s.reading = true;
    s.read_done = false;
    s.ws->async_read(s.buffer, [&s](beast::error_code e, std::size_t n) {
      s.read_ec = e;
      s.read_bytes = n;
      s.read_done = true;
    });
  }
  if (!run_until(s.ioc, s.read_done, timeout)) return std::nullopt;
  s.reading = false;
  if (s.read_ec) {
    const auto reason = s.ws->reason();
    if (s.read_ec == websocket::error::closed) {
      throw WsClosed(static_cast<int>(reason.code),
                     std::string(reason.reason.data(), reason.reason.size()));
    }
    throw WsClosed(0, s.read_ec.message());
  }
  WsMessage m;
  m.binary = s.ws->got_binary();
  m.data = beast::buffers_to_string(s.buffer.data());
  s.buffer.consume(s.read_bytes);
  return m;
}

WsMessage WsClient::next(std::chrono::milliseconds timeout) {
  auto m = read(timeout);
  if (!m)
    throw std::runtime_error("no WebSocket message within " + std::to_string(timeout.count()) +
                             " ms");
  return std::move(*m);
}

void WsClient::close() {
  Impl& s = *impl_;
  bool done = false;
  s.ws->async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
  run_until(s.ioc, done, 5s);
  if (s.reading) run_until(s.ioc, s.read_done, 1s);
}

}  // namespace duban::testing
