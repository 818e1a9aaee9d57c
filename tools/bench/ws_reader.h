// WsReader: the asynchronous WebSocket client the fan-out benches open by the thousand. Connects
// to 127.0.0.1:PORT/ws with a bearer token, optionally subscribes to every event, then reads
// until the socket closes, handing each message to the subclass. (The tests' blocking client is
// tests/support/net_clients.h; a bench needs one io_context for all its clients instead.)
//
// Lifetime: create with std::make_shared; pending operations hold a shared_ptr, so the reader
// lives until its last read fails. Thread-safety: its handlers run on its own strand; stop() may
// be called from any thread.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace duban::bench {

class WsReader : public std::enable_shared_from_this<WsReader> {
 public:
  struct Options {
    std::string token;      // sent as "Authorization: Bearer TOKEN" unless empty
    bool subscribe = true;  // send duban's subscribe-to-everything after the handshake
    std::chrono::seconds connect_timeout{30};
  };

  WsReader(boost::asio::io_context& ioc, Options options)
      : ws_(boost::asio::make_strand(ioc)), options_(std::move(options)) {}
  virtual ~WsReader() = default;

  void start(const boost::asio::ip::tcp::endpoint& endpoint) {
    host_ = "127.0.0.1:" + std::to_string(endpoint.port());
    boost::beast::get_lowest_layer(ws_).expires_after(options_.connect_timeout);
    boost::beast::get_lowest_layer(ws_).async_connect(
        endpoint,
        [self = shared_from_this()](boost::beast::error_code ec) { self->on_connect(ec); });
  }

  // Closes the socket; the pending read then fails and the reader goes away.
  void stop() {
    boost::asio::post(ws_.get_executor(), [self = shared_from_this()] {
      boost::beast::error_code ignored;
      boost::beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

 protected:
  // After the handshake (and the subscribe request, if any, was sent): the reader is open.
  virtual void on_open() {}
  // Every message received, in order; `m` is valid during the call only.
  virtual void on_message(std::string_view m) = 0;
  // Connecting, the handshake or sending the subscribe request failed.
  virtual void on_fail() = 0;

 private:
  void on_connect(boost::beast::error_code ec) {
    namespace beast = boost::beast;
    namespace websocket = beast::websocket;
    if (ec) return on_fail();
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    const std::string token = options_.token;
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
      if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
    }));
    ws_.async_handshake(
        host_, "/ws", [self = shared_from_this()](beast::error_code e) { self->on_handshake(e); });
  }

  void on_handshake(boost::beast::error_code ec) {
    if (ec) return on_fail();
    if (options_.subscribe) {
      static const std::string subscribe = R"({"type":"subscribe","filter":{"all":true}})";
      ws_.async_write(boost::asio::buffer(subscribe),
                      [self = shared_from_this()](boost::beast::error_code e, std::size_t) {
                        if (e) self->on_fail();
                      });
    }
    on_open();
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](boost::beast::error_code ec,
                                                        std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(boost::beast::error_code ec, std::size_t n) {
    if (ec) return;
    const auto data = buffer_.data();
    on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buffer_.consume(n);
    do_read();
  }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  const Options options_;
  std::string host_;
};

}  // namespace duban::bench
