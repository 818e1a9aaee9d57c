// Listener: accepts TCP connections and starts an HttpSession on a strand of its own for each.
//
// Thread-safety: open() before run(); close() from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

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

  boost::asio::io_context& ioc_;
  ServerCore& core_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // after EMFILE and the like: wait, then accept again
};

}  // namespace duban::server::net
