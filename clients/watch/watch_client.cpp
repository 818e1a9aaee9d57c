#include "clients/watch/watch_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <thread>

#include "clients/watch/event_line.h"

namespace duban::clients {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

enum class Outcome {
  kDone,   // max_events or exit_after reached
  kRetry,  // the connection failed or dropped: reconnect after a back-off
  kFatal,  // retrying cannot help (refused token, refused subscription)
};

// Runs `ioc` until `done` or `deadline`; false on the deadline (the operation is still pending).
bool run_until(asio::io_context& ioc, const bool& done, Clock::time_point deadline) {
  while (!done) {
    const auto now = Clock::now();
    if (now >= deadline) return false;
    ioc.restart();
    // At most a second per turn: `deadline` may be time_point::max(), and now + (max - now)
    // must not overflow inside Asio.
    ioc.run_one_for(std::min<Clock::duration>(deadline - now, std::chrono::seconds(1)));
  }
  return true;
}

class Connection {
 public:
  Connection(const WatchOptions& o, std::ostream& out, std::ostream& err,
             std::optional<std::int64_t>& last, std::int64_t& printed, Clock::time_point deadline)
      : o_(o),
        out_(out),
        err_(err),
        last_(last),
        printed_(printed),
        deadline_(deadline),
        ws_(ioc_) {}

  ~Connection() {
    // Pending handlers refer to this object: cancel them and let them finish first.
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    ioc_.restart();
    ioc_.run_for(std::chrono::seconds(1));
  }

  Outcome run(bool& subscribed) {
    if (auto o = connect(); o) return *o;
    json::object subscribe{{"type", "subscribe"}};
    if (o_.filter_kind == "all")
      subscribe["filter"] = json::object{{"all", true}};
    else
      subscribe["filter"] = json::object{{o_.filter_kind, o_.filter_id}};
    if (last_) subscribe["from"] = *last_;
    if (auto o = write(json::serialize(subscribe)); o) return *o;
    for (;;) {
      json::object m;
      if (auto o = read(m); o) return *o;
      const std::string type = m.contains("type") && m.at("type").is_string()
                                   ? std::string(m.at("type").as_string())
                                   : std::string();
      if (type == "event") {
        const std::int64_t position = m.at("position").as_int64();
        if (last_ && position <= *last_) continue;  // never print one twice
        last_ = position;
        out_ << (o_.json ? json::serialize(m) : event_line(m)) << std::endl;
        ++printed_;
        if (o_.max_events && printed_ >= *o_.max_events) return close();
      } else if (type == "caught_up" || type == "checkpoint" || type == "fell_behind") {
        const std::int64_t position = m.at("position").as_int64();
        if (!last_ || position > *last_) last_ = position;
        if (type == "caught_up")
          err_ << "duban watch: caught up at #" << position << ", live" << std::endl;
        if (type == "fell_behind") {
          err_ << "duban watch: fell behind at #" << position << "; the server replays from its log"
               << std::endl;
        }
      } else if (type == "subscribed") {
        subscribed = true;
      } else if (type == "error") {
        err_ << "duban watch: server: " << json::serialize(m) << std::endl;
        if (!subscribed) return Outcome::kFatal;
      }
    }
  }

 private:
  std::optional<Outcome> connect() {
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(o_.url.host, std::to_string(o_.url.port), ec);
    if (ec) {
      err_ << "duban watch: cannot resolve " << o_.url.host << ": " << ec.message() << std::endl;
      return Outcome::kRetry;
    }
    begin();
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws_).async_connect(
        endpoints, [this](beast::error_code e, const tcp::endpoint&) { finish(e); });
    if (!run_until(ioc_, done_, deadline_)) return Outcome::kDone;
    ec = ec_;
    if (ec) {
      err_ << "duban watch: cannot connect to " << o_.url.host << ":" << o_.url.port << ": "
           << ec.message() << std::endl;
      return Outcome::kRetry;
    }
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{std::chrono::seconds(10), std::chrono::seconds(90),
                                             /*keep_alive_pings=*/true};
    ws_.set_option(timeouts);
    const std::string token = o_.token;
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
      req.set(http::field::authorization, "Bearer " + token);
      req.set(http::field::user_agent, "duban-watch/0.1.0");
    }));
    ws_.read_message_max(64 * 1024 * 1024);
    begin();
    ws_.async_handshake(response_, o_.url.host + ":" + std::to_string(o_.url.port), o_.url.path,
                        [this](beast::error_code e) { finish(e); });
    if (!run_until(ioc_, done_, deadline_)) return Outcome::kDone;
    ec = ec_;
    if (ec) {
      const auto& res = response_;
      const int status = static_cast<int>(res.result_int());
      err_ << "duban watch: handshake refused: " << ec.message()
           << (status ? " (HTTP " + std::to_string(status) + ")" : std::string()) << std::endl;
      if (status == 401 || status == 403) {
        if (!res.body().empty()) err_ << "duban watch: " << res.body() << std::endl;
        return Outcome::kFatal;
      }
      return Outcome::kRetry;
    }
    err_ << "duban watch: connected to ws://" << o_.url.host << ":" << o_.url.port << o_.url.path
         << std::endl;
    return std::nullopt;
  }

  std::optional<Outcome> write(const std::string& text) {
    outgoing_ = text;
    begin();
    ws_.text(true);
    ws_.async_write(asio::buffer(outgoing_),
                    [this](beast::error_code e, std::size_t) { finish(e); });
    if (!run_until(ioc_, done_, deadline_)) return Outcome::kDone;
    if (ec_) return lost(ec_);
    return std::nullopt;
  }

  std::optional<Outcome> read(json::object& message) {
    buffer_.clear();
    begin();
    ws_.async_read(buffer_, [this](beast::error_code e, std::size_t) { finish(e); });
    if (!run_until(ioc_, done_, deadline_)) return Outcome::kDone;
    if (ec_) return lost(ec_);
    boost::system::error_code parse_ec;
    auto v = json::parse(beast::buffers_to_string(buffer_.data()), parse_ec);
    if (parse_ec || !v.is_object()) {
      err_ << "duban watch: ignoring a message that is not a JSON object" << std::endl;
      return read(message);
    }
    message = std::move(v.as_object());
    return std::nullopt;
  }

  Outcome lost(beast::error_code ec) {
    if (ec == websocket::error::closed) {
      const auto reason = ws_.reason();
      err_ << "duban watch: the server closed the connection (" << reason.code
           << (reason.code == websocket::close_code::going_away ? " going away" : "")
           << (reason.reason.empty()
                   ? ""
                   : ": " + std::string(reason.reason.data(), reason.reason.size()))
           << ")" << std::endl;
    } else {
      err_ << "duban watch: connection lost: " << ec.message() << std::endl;
    }
    return Outcome::kRetry;
  }

  Outcome close() {
    begin();
    ws_.async_close(websocket::close_code::normal, [this](beast::error_code e) { finish(e); });
    run_until(ioc_, done_, Clock::now() + std::chrono::seconds(2));
    return Outcome::kDone;
  }

  // One operation is pending at a time; its handler reports here (members, not locals: a
  // handler cancelled by the destructor still writes to them).
  void begin() {
    done_ = false;
    ec_ = {};
  }
  void finish(beast::error_code e) {
    ec_ = e;
    done_ = true;
  }

  const WatchOptions& o_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<std::int64_t>& last_;
  std::int64_t& printed_;
  const Clock::time_point deadline_;
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  websocket::response_type response_;
  std::string outgoing_;
  bool done_ = false;
  beast::error_code ec_;
};

}  // namespace

int run_watch(const WatchOptions& o, std::ostream& out, std::ostream& err) {
  std::optional<std::int64_t> last = o.from;
  std::int64_t printed = 0;
  const auto deadline = o.exit_after ? Clock::now() + *o.exit_after : Clock::time_point::max();
  auto backoff = o.initial_backoff;
  for (;;) {
    bool subscribed = false;
    Outcome outcome;
    {
      Connection c(o, out, err, last, printed, deadline);
      outcome = c.run(subscribed);
    }
    if (outcome == Outcome::kDone) return 0;
    if (outcome == Outcome::kFatal) return 1;
    if (subscribed) backoff = o.initial_backoff;  // it worked for a while: start over
    const auto now = Clock::now();
    if (deadline != Clock::time_point::max() && now + backoff >= deadline) {
      std::this_thread::sleep_until(deadline);
      return 0;
    }
    err << "duban watch: reconnecting in " << backoff.count() << " ms"
        << (last ? " from #" + std::to_string(*last) : std::string()) << std::endl;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, o.max_backoff);
  }
}

}  // namespace duban::clients
