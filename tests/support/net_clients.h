// Blocking HTTP and WebSocket clients over real sockets, for tests of `duban serve` (and the
// server benches). Every call has a timeout, so a test that waits for something that never comes
// fails instead of hanging. All of Beast's client code is compiled here once (net_clients.cpp);
// tests include only this header.
//
// Thread-safety: one client per thread; different clients are independent.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace duban::testing {

using namespace std::chrono_literals;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  boost::json::value json() const;  // throws when the body is not JSON
};

// One keep-alive connection, reopened when the server closed it.
class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout = 10s);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;

  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       std::string_view token = {},
                       std::string_view content_type = "application/json",
                       const std::map<std::string, std::string>& headers = {});
  HttpResponse get(std::string_view target, std::string_view token = {}) {
    return request("GET", target, {}, token);
  }
  HttpResponse post(std::string_view target, std::string_view body, std::string_view token = {}) {
    return request("POST", target, body, token);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A bare TCP connection, for requests written in pieces or malformed on purpose.
class RawConnection {
 public:
  RawConnection(const std::string& host, std::uint16_t port);
  ~RawConnection();
  void write(std::string_view bytes);
  // Reads one HTTP response; throws on timeout or a closed connection.
  HttpResponse read_response(std::chrono::milliseconds timeout = 10s);
  // True when the server closed the connection (read returns EOF) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout = 5s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct WsMessage {
  bool binary = false;
  std::string data;
  boost::json::value json() const;  // throws when not a JSON text frame
  std::string type() const;         // json()["type"]
};

// Thrown by WsClient::read() when the connection closed; `code` is the close frame's code (1000,
// 1001, 1009, ...) or 0 when the connection dropped without one.
struct WsClosed : std::runtime_error {
  WsClosed(int c, const std::string& reason)
      : std::runtime_error("websocket closed with " + std::to_string(c) + " " + reason), code(c) {}
  int code;
};

class WsClient {
 public:
  struct Options {
    std::string token;        // sent as "Authorization: Bearer <token>" when not empty
    std::string query;        // appended to /ws, e.g. "?token=..."
    std::string subprotocol;  // offered in Sec-WebSocket-Protocol when not empty
    int receive_buffer = 0;   // SO_RCVBUF before connecting; 0 keeps the default
    std::chrono::milliseconds timeout = 10s;  // for connect and handshake
    std::string cookie;                       // sent as the Cookie header when not empty
  };

  // Connects and completes the handshake; throws std::runtime_error on failure.
  WsClient(const std::string& host, std::uint16_t port, const Options& options);
  ~WsClient();
  WsClient(WsClient&&) noexcept;

  // The HTTP status of a handshake that was refused (401, 404, ...); 101 when it succeeds.
  static int handshake_status(const std::string& host, std::uint16_t port, const Options& options);

  // The subprotocol the server chose ("" when none).
  const std::string& subprotocol() const;

  void send_text(std::string_view text);
  void send_binary(std::string_view bytes);
  // Writes bytes straight to the TCP socket, bypassing WebSocket framing.
  void send_raw(std::string_view bytes);

  // The next message, or nullopt when none arrives within `timeout`. Nothing is read from the
  // socket between calls (a test can stop reading to fill the server's queue). Throws WsClosed.
  std::optional<WsMessage> read(std::chrono::milliseconds timeout = 5s);
  // Like read(), but throws std::runtime_error on timeout.
  WsMessage next(std::chrono::milliseconds timeout = 5s);

  // Sends a close frame and waits for the server's.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::testing
