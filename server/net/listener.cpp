#include "server/net/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <iostream>

#include "server/net/http_session.h"

namespace duban::server::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& ioc, ServerCore& core)
    : ioc_(ioc),
      core_(core),
      acceptor_(asio::make_strand(ioc)),
      backoff_(acceptor_.get_executor()) {}

Result<std::uint16_t> Listener::open(const std::string& address, std::uint16_t port) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return make_error("listen_failed", "'" + address + "' is not an IP address");
  const tcp::endpoint endpoint(ip, port);
  const std::string where = address + ":" + std::to_string(port);
  if (acceptor_.open(endpoint.protocol(), ec); ec) {
    return make_error("listen_failed", "cannot open a socket for " + where + ": " + ec.message());
  }
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return make_error("listen_failed", "cannot set SO_REUSEADDR: " + ec.message());
  }
  if (acceptor_.bind(endpoint, ec); ec) {
    return make_error("listen_failed", "cannot bind " + where + ": " + ec.message());
  }
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return make_error("listen_failed", "cannot listen on " + where + ": " + ec.message());
  }
  return acceptor_.local_endpoint().port();
}

void Listener::run() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->backoff_.cancel();
  });
}

void Listener::do_accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors or memory: accepting again at once would spin. Wait a little.
    std::cerr << "duban serve: accept failed: " << ec.message() << "\n";
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  if (core_.options.socket_send_buffer > 0) {
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::send_buffer_size(core_.options.socket_send_buffer),
                      ignored);
  }
  socket.set_option(tcp::no_delay(true), ec);
  boost::system::error_code remote_ec;
  const auto remote = socket.remote_endpoint(remote_ec);
  const std::string address = remote_ec ? std::string() : remote.address().to_string();
  std::string refused;
  {
    std::lock_guard lock(counts_->mutex);
    auto& mine = counts_->per_address[address];
    if (counts_->total >= core_.options.max_connections) {
      refused = "the server has " + std::to_string(counts_->total) +
                " connections open, its maximum; try again later";
    } else if (mine >= core_.options.max_connections_per_address) {
      refused = "this address has " + std::to_string(mine) +
                " connections open, the most one address may; close some or reuse them";
    } else {
      ++counts_->total;
      ++mine;
    }
    if (!refused.empty() && mine == 0) counts_->per_address.erase(address);
  }
  if (!refused.empty()) {
    refuse(std::move(socket), refused);
  } else {
    // Released when the connection's session ends.
    std::shared_ptr<void> slot(nullptr, [counts = counts_, address](void*) {
      std::lock_guard lock(counts->mutex);
      --counts->total;
      if (auto it = counts->per_address.find(address); it != counts->per_address.end()) {
        if (--it->second == 0) counts->per_address.erase(it);
      }
    });
    start_http_session(std::move(socket), core_, std::move(slot));
  }
  do_accept();
}

void Listener::refuse(tcp::socket socket, const std::string& why) {
  auto s = std::make_shared<tcp::socket>(std::move(socket));
  const std::string body = "{\"error\":\"too_many_connections\",\"message\":\"" + why + "\"}";
  auto text = std::make_shared<std::string>(
      "HTTP/1.1 503 Service Unavailable\r\nServer: duban/0.1.0\r\nContent-Type: "
      "application/json\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  asio::async_write(*s, asio::buffer(*text), [s, text](boost::system::error_code, std::size_t) {
    boost::system::error_code ignored;
    s->shutdown(tcp::socket::shutdown_both, ignored);
    s->close(ignored);
  });
}

}  // namespace duban::server::net
