#include "server/net/http_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json.hpp>
#include <optional>

#include "server/api/attachments.h"
#include "server/api/early_refusal.h"
#include "server/api/error_status.h"
#include "server/api/target.h"
#include "server/net/websocket_session.h"

namespace duban::server::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr const char* kServerHeader = "duban/0.1.0";

// The target as logged: path and query, with any token= value blanked (WebSocket clients that
// cannot set headers pass their token in the query).
std::string loggable_target(std::string_view target) {
  std::string out(target);
  for (std::size_t at = out.find("token="); at != std::string::npos; at = out.find("token=", at)) {
    if (at > 0 && out[at - 1] != '?' && out[at - 1] != '&') {
      at += 6;
      continue;
    }
    const std::size_t end = out.find('&', at);
    out.replace(at + 6, (end == std::string::npos ? out.size() : end) - (at + 6), "***");
    at += 9;
  }
  return out;
}

class HttpSession : public Drainable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, ServerCore& core, std::shared_ptr<void> slot)
      : stream_(std::move(socket)), core_(core), slot_(std::move(slot)) {
    core_.metrics.http_connections.fetch_add(1, std::memory_order_relaxed);
    boost::system::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  }
  ~HttpSession() override {
    core_.sessions.remove(this);
    core_.metrics.http_connections.fetch_sub(1, std::memory_order_relaxed);
    core_.heap_trim.connection_closed(largest_body_);
  }

  void run() {
    core_.sessions.add(shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  void drain() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (!self->busy_) self->do_close();  // idle between requests: nothing to finish
    });
  }

  void force_close() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void do_read() {
    if (draining_ || core_.draining.load()) return do_close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header));
    // The route decides the limit, and it is known only after the header: read the header with
    // the largest limit, then hold the body to its route's (see on_read_header).
    parser_->body_limit(std::max({core_.options.max_body, core_.options.max_ingest_body,
                                  core_.options.max_attachment_body}));
    stream_.expires_after(core_.options.request_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::on_read_header, shared_from_this()));
  }

  void on_read_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    auto& req = parser_->get();
    if (beast::websocket::is_upgrade(req)) return upgrade();
    const std::size_t limit = body_limit();
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return on_read_error(http::error::body_limit);
    }
    parser_->body_limit(limit);  // a chunked body counts against it as it arrives
    if (req.find(http::field::transfer_encoding) != req.end() && !parser_->chunked()) {
      // Only chunked frames a request body (RFC 9112 6.1); anything else, above all beside a
      // Content-Length, is how requests get smuggled past a proxy.
      return respond(error_response(make_error(api_errc::kBadRequest,
                                               "Transfer-Encoding must be chunked; send either "
                                               "it or a Content-Length")),
                     false);
    }
    if (parser_->is_done()) return on_read({}, 0);
    // A body is announced: whether it is wanted is decided from the header, before a byte of it
    // is read (a client without a good token cannot make the server read 8 MiB).
    ApiRequest header;
    header.method = std::string(req.method_string());
    header.target = std::string(req.target());
    header.authorization = std::string(req[http::field::authorization]);
    header.cookie = std::string(req[http::field::cookie]);
    header.content_type = std::string(req[http::field::content_type]);
    asio::post(core_.workers, [self = shared_from_this(), header = std::move(header)] {
      auto refused = refuse_before_body(header, self->core_.api);
      asio::post(self->stream_.get_executor(), [self, refused = std::move(refused)]() mutable {
        if (refused) return self->respond(std::move(*refused), false);
        self->start_body();
      });
    });
  }

  // The header was accepted: read the body, after a 100 Continue when the client asked for one.
  void start_body() {
    auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // curl asks before sending a large body (an ingest): say yes rather than make it wait.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                          if (wec) return self->do_close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      return do_close();
    }
    if (ec == http::error::body_limit) {
      return respond(error_response(make_error(api_errc::kTooLarge,
                                               "the request body is larger than this endpoint "
                                               "accepts (" +
                                                   std::to_string(body_limit()) + " bytes)")),
                     false);
    }
    if (ec == http::error::header_limit) {
      return respond(
          error_response(make_error(api_errc::kTooLarge,
                                    "the request header is larger "
                                    "than " +
                                        std::to_string(core_.options.max_header) + " bytes")),
          false);
    }
    respond(error_response(
                make_error(api_errc::kBadRequest, "malformed HTTP request: " + ec.message())),
            false);
  }

  std::size_t body_limit() const {
    const auto& req = parser_->get();
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (req.method() != http::verb::post) return core_.options.max_body;
    if (path == "/api/v1/documents") return core_.options.max_ingest_body;
    if (is_attachment_upload(path)) return core_.options.max_attachment_body;
    return core_.options.max_body;
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    ApiRequest api;
    api.method = std::string(req.method_string());
    api.target = std::string(req.target());
    api.authorization = std::string(req[http::field::authorization]);
    api.content_type = std::string(req[http::field::content_type]);
    api.cookie = std::string(req[http::field::cookie]);
    api.accept_encoding = std::string(req[http::field::accept_encoding]);
    api.if_none_match = std::string(req[http::field::if_none_match]);
    api.remote_address = remote_.substr(0, remote_.rfind(':'));
    api.body = std::move(req.body());
    largest_body_ = std::max(largest_body_, api.body.size());
    // route() blocks on the store: run it on the worker pool, answer on this strand.
    asio::post(core_.workers, [self = shared_from_this(), api = std::move(api)] {
      ApiResponse response = route(api, self->core_.api);
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->respond(std::move(response), true);
      });
    });
  }

  // GET /ws with Upgrade: websocket. Authenticated before the handshake so a bad token gets a
  // plain 401 a client can read.
  void upgrade() {
    auto& req = parser_->get();
    auto target = parse_target(std::string_view(req.target().data(), req.target().size()));
    if (!target || target->segments.size() != 1 || target->segments[0] != "ws") {
      return respond(error_response(make_error("not_found", "WebSocket connections go to /ws")),
                     false);
    }
    std::string query_token;
    if (auto it = target->query.find("token"); it != target->query.end()) query_token = it->second;
    asio::post(core_.workers, [self = shared_from_this(), query_token = std::move(query_token),
                               authorization = std::string(req[http::field::authorization]),
                               cookie = std::string(req[http::field::cookie])] {
      auto principal = authenticate_upgrade(authorization, query_token, cookie, self->core_.api);
      asio::post(self->stream_.get_executor(), [self, principal = std::move(principal)]() mutable {
        if (!principal) return self->respond(error_response(principal.error()), false);
        self->log(101, storage::to_string(principal->first), "");
        self->stream_.expires_never();
        start_websocket_session(self->stream_.release_socket(), self->parser_->release(),
                                self->core_, principal->first, std::move(principal->second),
                                std::move(self->slot_));
      });
    });
  }

  void respond(ApiResponse r, bool keep_alive) {
    const auto& req = parser_->get();
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), req.version() ? req.version() : 11);
    res->set(http::field::server, kServerHeader);
    if (!r.content_type.empty()) res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive && req.keep_alive() && !draining_ && !core_.draining.load());
    if (req.method() == http::verb::head && r.status != 304) {
      // HEAD: the headers GET would send, Content-Length included, and no body.
      res->content_length(r.body.size());
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    log(r.status, r.principal, r.error_code);
    const bool keep = res->keep_alive();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
                        self->on_write(keep, ec);
                      });
  }

  void on_write(bool keep_alive, beast::error_code ec) {
    busy_ = false;
    if (ec || !keep_alive) return do_close();
    do_read();
  }

  void do_close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.cancel();
  }

  void log(int status, const std::string& principal, const std::string& error) {
    if (!core_.log.enabled()) return;
    const auto& req = parser_->get();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    boost::json::object line{
        {"kind", "http"},
        {"remote", remote_},
        {"method", std::string(req.method_string())},
        {"target", loggable_target(std::string_view(req.target().data(), req.target().size()))},
        {"status", status},
        {"us", us},
        {"principal", principal}};
    if (!error.empty()) line["error"] = error;
    core_.log.log(line);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ServerCore& core_;
  std::shared_ptr<void> slot_;    // the listener's count of this connection; released with it
  std::size_t largest_body_ = 0;  // the largest request body read (heap_trim at close)
  std::string remote_;
  bool busy_ = false;      // a request is being read, run or answered
  bool draining_ = false;  // shutdown: close after the request in flight
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

void start_http_session(tcp::socket socket, ServerCore& core, std::shared_ptr<void> slot) {
  if (core.draining.load()) return;  // shutting down: the socket closes as it goes out of scope
  std::make_shared<HttpSession>(std::move(socket), core, std::move(slot))->run();
}

}  // namespace duban::server::net
