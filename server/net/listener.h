// Listener: accepts TCP connections and starts an HttpSession on a strand of its own for each.
// It counts open connections, in all and per remote address: one past options.max_connections
// or options.max_connections_per_address is answered 503 too_many_connections and closed at
// once. A connection that becomes a WebSocket stays counted until the WebSocket closes (the
// session takes over the HTTP session's slot).
//
// Thread-safety: open() before run(); close() from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "model/result.h"
#include "server/net/server_core.h"

namespace duban::server::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, ServerCore& core);

  // Binds and listens; returns the bound port (the real one when `port` is 0). Error
  // "listen_failed" with the OS's reason.
  Result<std::uint16_t> open(const std::string& address, std::uint16_t port);
  void run();
  // Stops accepting; connections already accepted carry on.
  void close();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void refuse(boost::asio::ip::tcp::socket socket, const std::string& why);

  // Open connections; shared with the sessions' slots, which may outlive the listener.
  struct Counts {
    std::mutex mutex;
    std::size_t total = 0;
    std::unordered_map<std::string, std::size_t> per_address;
  };

  boost::asio::io_context& ioc_;
  ServerCore& core_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // after EMFILE and the like: wait, then accept again
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

}  // namespace duban::server::net
