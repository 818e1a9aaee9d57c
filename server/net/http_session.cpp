#include "server/net/http_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json.hpp>
#include <optional>
#include <variant>
#include <vector>

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

// An attachment upload's body is read in pieces of this size, each handed to the upload on the
// worker pool before the next is read: the memory an upload holds does not grow with the file.
constexpr std::size_t kUploadPiece = 64 * 1024;

// An attachment download on its way out: the response (Content-Length known, the body pulled
// from the store a chunk at a time), its serializer, and the chunk being written.
struct StreamedResponse {
  http::response<http::buffer_body> res;
  std::optional<http::response_serializer<http::buffer_body>> serializer;
  std::shared_ptr<StreamedBody> body;
  std::string chunk;
  std::int64_t sent = 0;
};

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
    upload_parser_.reset();
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
    if (streams_body()) return start_upload(std::move(header));
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

  // An attachment upload: its body is read in pieces and stored as they come (read_piece). The
  // upload starts (authentication, the task, the name) before a byte of the body is read.
  bool streams_body() const {
    const auto& req = header();
    const std::string_view target(req.target().data(), req.target().size());
    return req.method() == http::verb::post &&
           is_attachment_upload(target.substr(0, target.find('?')));
  }

  void start_upload(ApiRequest header) {
    asio::post(core_.workers, [self = shared_from_this(), header = std::move(header)] {
      auto started = start_attachment_upload(header, self->core_.api);
      asio::post(self->stream_.get_executor(), [self, started = std::move(started)]() mutable {
        if (auto* refused = std::get_if<ApiResponse>(&started)) {
          return self->respond(std::move(*refused), false);
        }
        self->upload_ = std::move(std::get<std::unique_ptr<AttachmentUpload>>(started));
        self->start_body();
      });
    });
  }

  void read_upload() {
    // The header is parsed and no body byte yet: the same parser, now with a body that fills
    // our piece buffer.
    upload_parser_.emplace(std::move(*parser_));
    upload_parser_->body_limit(body_limit());
    piece_.resize(kUploadPiece);
    read_piece();
  }

  void read_piece() {
    auto& body = upload_parser_->get().body();
    body.data = piece_.data();
    body.size = piece_.size();
    // The timeout bounds each piece, so a large file on a slow link is not cut off midway.
    stream_.expires_after(core_.options.request_timeout);
    http::async_read_some(stream_, buffer_, *upload_parser_,
                          beast::bind_front_handler(&HttpSession::on_piece, shared_from_this()));
  }

  void on_piece(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};  // the piece buffer is full
    if (ec) {
      drop_upload();
      return on_read_error(ec);
    }
    const std::size_t got = piece_.size() - upload_parser_->get().body().size;
    const bool done = upload_parser_->is_done();
    if (got == 0 && !done) return read_piece();
    // The store blocks: the piece goes to the worker pool; the next is read once it is stored.
    asio::post(core_.workers, [self = shared_from_this(), got, done] {
      auto answer = self->upload_->write(std::string_view(self->piece_.data(), got));
      const bool refused = answer.has_value();
      if (!answer && done) answer = self->upload_->finish();
      if (answer) self->upload_.reset();  // finished or aborted, here and not on the strand
      asio::post(self->stream_.get_executor(),
                 [self, answer = std::move(answer), refused]() mutable {
                   if (!answer) return self->read_piece();
                   self->piece_ = std::vector<char>();
                   // Refused midway: answer and close, the rest of the body unread.
                   self->respond(std::move(*answer), !refused);
                 });
    });
  }

  // Aborting drops the rows stored so far: a database call, made on the worker pool.
  void drop_upload() {
    if (!upload_) return;
    asio::post(core_.workers, [upload = std::move(upload_)] {});
  }

  void read_body() {
    if (upload_) return read_upload();
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
    const auto& req = header();
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

  // The request's header, whichever parser holds it.
  const http::request_header<>& header() const {
    if (upload_parser_) return upload_parser_->get();
    return parser_->get();
  }
  bool request_keep_alive() const {
    return upload_parser_ ? upload_parser_->get().keep_alive() : parser_->get().keep_alive();
  }

  void respond(ApiResponse r, bool keep_alive) {
    const auto& req = header();
    if (r.stream && req.method() != http::verb::head)
      return respond_streamed(std::move(r), keep_alive);
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), req.version() ? req.version() : 11);
    res->set(http::field::server, kServerHeader);
    if (!r.content_type.empty()) res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive && request_keep_alive() && !draining_ && !core_.draining.load());
    if (req.method() == http::verb::head && r.status != 304) {
      // HEAD: the headers GET would send, Content-Length included, and no body.
      res->content_length(r.stream ? static_cast<std::uint64_t>(r.stream->size) : r.body.size());
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

  // A body pulled from the store a chunk at a time: the header, then each chunk as the worker
  // pool reads it, one write in flight; the memory held is one chunk, whatever the file's size.
  void respond_streamed(ApiResponse r, bool keep_alive) {
    const auto& req = header();
    auto out = std::make_shared<StreamedResponse>();
    auto& res = out->res;
    res.result(static_cast<http::status>(r.status));
    res.version(req.version() ? req.version() : 11);
    res.set(http::field::server, kServerHeader);
    if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res.set(name, value);
    res.keep_alive(keep_alive && request_keep_alive() && !draining_ && !core_.draining.load());
    res.content_length(static_cast<std::uint64_t>(r.stream->size));
    res.body().data = nullptr;
    res.body().more = true;
    out->body = std::move(r.stream);
    out->serializer.emplace(res);
    log(r.status, r.principal, r.error_code);
    stream_.expires_after(core_.options.request_timeout);
    http::async_write_header(stream_, *out->serializer,
                             [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
                               if (ec) return self->on_write(false, ec);
                               self->send_next_chunk(out);
                             });
  }

  void send_next_chunk(std::shared_ptr<StreamedResponse> out) {
    asio::post(core_.workers, [self = shared_from_this(), out] {
      auto chunk = out->body->next();
      asio::post(self->stream_.get_executor(), [self, out, chunk = std::move(chunk)]() mutable {
        // A failed read or a chunk past the announced length: the status is sent, so only
        // closing the connection tells the client the body is incomplete.
        if (!chunk || out->sent + static_cast<std::int64_t>(chunk->size()) > out->body->size ||
            (chunk->empty() && out->sent != out->body->size)) {
          return self->on_write(false, {});
        }
        out->sent += static_cast<std::int64_t>(chunk->size());
        out->chunk = std::move(*chunk);
        auto& body = out->res.body();
        body.data = out->chunk.empty() ? nullptr : out->chunk.data();
        body.size = out->chunk.size();
        body.more = !out->chunk.empty();
        self->stream_.expires_after(self->core_.options.request_timeout);
        http::async_write(self->stream_, *out->serializer,
                          [self, out](beast::error_code ec, std::size_t) {
                            if (ec == http::error::need_buffer) ec = {};  // the chunk is sent
                            if (ec) return self->on_write(false, ec);
                            if (out->serializer->is_done()) {
                              return self->on_write(out->res.keep_alive(), {});
                            }
                            self->send_next_chunk(out);
                          });
      });
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
    const auto& req = header();
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
  // An attachment upload in progress: the parser (moved from parser_ after the header), the
  // upload it feeds, and the buffer one piece of the body is read into.
  std::optional<http::request_parser<http::buffer_body>> upload_parser_;
  std::unique_ptr<AttachmentUpload> upload_;
  std::vector<char> piece_;
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
