// One WebSocket connection (docs/protocol.md). All state below is touched only on the
// connection's strand. The push state machine:
//
//   no subscription ──subscribe──▶ replaying ──(nothing left after cursor)──▶ live
//                                     ▲   sends caught_up at the switch       │
//                                     └──── fell_behind (ring moved past) ────┘
//
// `cursor_` is the last position considered (sent, or filtered out); every message sent goes
// through the same cursor, so neither replay nor the switch to live can skip or repeat a
// position. Replay reads the dispatcher's ring while it still holds the next position, and the
// store (on the worker pool) when it does not. At most `ws_send_queue` event messages wait in
// the queue, with one write in flight: a connection that stops reading stops taking events, and
// the memory it holds stays bounded.
#include "server/net/websocket_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <optional>

#include "server/net/corked_stream.h"
#include "server/push/filter.h"
#include "server/push/wire.h"

namespace duban::server::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// Events taken from the ring per look, so one busy connection does not hold its strand long.
constexpr std::size_t kRingBatch = 256;
// Writes between reports of the push counters to the shared Metrics.
constexpr std::int64_t kReportEvery = 256;
// Longest a task subscription waits for the dispatcher to read a recent assignment before it
// is refused: normally milliseconds (the next wake-up), at worst one poll interval.
constexpr std::chrono::milliseconds kAssignmentWait{2000};

// True when the comma-separated Sec-WebSocket-Protocol list offers `protocol`.
bool offers(std::string_view list, std::string_view protocol) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == protocol) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

class WebSocketSession : public push::Subscriber,
                         public Drainable,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(tcp::socket&& socket, ServerCore& core, Principal principal)
      : ws_(std::move(socket)), core_(core), principal_(std::move(principal)) {
    core_.metrics.ws_connections.fetch_add(1, std::memory_order_relaxed);
  }

  ~WebSocketSession() override {
    core_.metrics.report(tally_);
    core_.dispatcher.remove_subscriber(this);
    core_.sessions.remove(this);
    core_.metrics.ws_connections.fetch_sub(1, std::memory_order_relaxed);
    if (filter_) core_.metrics.subscribers.fetch_sub(1, std::memory_order_relaxed);
    core_.metrics.queued_messages.fetch_sub(static_cast<std::int64_t>(queue_.size()),
                                            std::memory_order_relaxed);
  }

  void run(http::request<http::string_body> request) {
    core_.sessions.add(shared_from_this());
    ws_.next_layer().hold(shared_from_this());
    const std::string offered(request[http::field::sec_websocket_protocol]);
    std::string chosen;
    if (offers(offered, push::kCapnpSubprotocol)) {
      format_ = push::WireFormat::kCapnp;
      chosen = push::kCapnpSubprotocol;
    } else if (offers(offered, push::kJsonSubprotocol)) {
      chosen = push::kJsonSubprotocol;
    }
    ws_.set_option(websocket::stream_base::timeout{core_.options.ws_handshake_timeout,
                                                   core_.options.ws_idle_timeout,
                                                   /*keep_alive_pings=*/true});
    ws_.set_option(websocket::stream_base::decorator([chosen](websocket::response_type& res) {
      res.set(http::field::server, "duban/0.1.0");
      if (!chosen.empty()) res.set(http::field::sec_websocket_protocol, chosen);
    }));
    ws_.read_message_max(core_.options.ws_hard_max_message);
    ws_.auto_fragment(false);
    request_ = std::move(request);
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->ws_.async_accept(self->request_,
                             beast::bind_front_handler(&WebSocketSession::on_accept, self));
    });
  }

  // --- push::Subscriber (called on the dispatcher's thread) ---
  void on_log_advanced() override {
    if (notify_pending_.exchange(true)) return;  // one wake-up in flight is enough
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->notify_pending_.store(false);
      self->pump();
    });
  }

  void on_checkpoint_tick() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->checkpoint(); });
  }

  // --- Drainable ---
  void drain() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->close_code_ = websocket::close_code::going_away;
      self->begin_close();
    });
  }

  void force_close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->ws_).close();
    });
  }

 private:
  struct Outgoing {
    std::shared_ptr<const push::PushedEvent> event;  // an event message, shared with the ring
    std::string own;                                 // any other message
  };

  void on_accept(beast::error_code ec) {
    if (ec) return;  // handshake failed or timed out: the session ends here
    accepted_ = true;
    if (closing_ || core_.draining.load()) {  // drained while the handshake was running
      close_code_ = websocket::close_code::going_away;
      closing_ = true;
      return do_close();
    }
    // The hello names the store's head (an append acknowledged a moment ago counts even if the
    // dispatcher has not read it yet); reading it blocks, so it happens on the worker pool.
    asio::post(core_.workers, [self = shared_from_this()] {
      const GlobalPosition head = self->core_.dispatcher.store_head();
      asio::post(self->ws_.get_executor(), [self, head] {
        if (self->closing_ || self->closed_) return;
        self->enqueue_own(push::encode_hello(self->format_, head, self->principal_));
        self->do_write();
        self->do_read();
      });
    });
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      // closed by the peer, a protocol error (Beast already sent 1002), an oversized message
      // (1009), the idle timeout, or our own close: the session ends once the write is done.
      closed_ = true;
      return;
    }
    const bool binary = ws_.got_binary();
    std::string message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(bytes);
    if (message.size() > core_.options.ws_max_message) {
      send_error("message_too_large", "client messages are limited to " +
                                          std::to_string(core_.options.ws_max_message) + " bytes");
    } else {
      handle(message, binary);
    }
    if (!closing_) do_read();
  }

  void handle(std::string_view bytes, bool binary) {
    auto parsed = push::parse_client_message(bytes, binary);
    if (!parsed) return send_error(parsed.error().code, parsed.error().message);
    switch (parsed->kind) {
      case push::ClientMessage::Kind::kPing:
        // The store's head, as in hello (reading it blocks: on the worker pool).
        asio::post(core_.workers, [self = shared_from_this()] {
          const GlobalPosition head = self->core_.dispatcher.store_head();
          asio::post(self->ws_.get_executor(), [self, head] {
            if (self->closing_ || self->closed_) return;
            self->enqueue_own(
                push::encode_position(self->format_, push::PositionMessage::kPong, head));
            self->do_write();
          });
        });
        return;
      case push::ClientMessage::Kind::kUnsubscribe:
        if (!filter_) return send_error("not_subscribed", "there is no subscription to end");
        filter_.reset();
        ++generation_;
        core_.dispatcher.remove_subscriber(this);
        core_.metrics.subscribers.fetch_sub(1, std::memory_order_relaxed);
        enqueue_own(push::encode_position(format_, push::PositionMessage::kUnsubscribed, cursor_));
        return do_write();
      case push::ClientMessage::Kind::kSubscribe:
        return subscribe(parsed->filter, parsed->from);
    }
  }

  void subscribe(const push::Filter& filter, std::optional<GlobalPosition> from) {
    if (filter_ || subscribing_) {
      return send_error("already_subscribed",
                        "this connection already has a subscription; unsubscribe first");
    }
    const bool supervisor = principal_.is_supervisor();
    const std::string& unit = principal_.unit.str();
    switch (filter.kind) {
      case push::Filter::Kind::kAll:
        if (!supervisor) {
          return send_error("forbidden",
                            "only the supervisor subscribes to every event; a unit "
                            "subscribes to {\"unit\": \"" +
                                unit + "\"}");
        }
        break;
      case push::Filter::Kind::kUnit:
        if (!supervisor && filter.id != unit) {
          return send_error("forbidden",
                            "a unit token subscribes only to its own unit (" + unit + ")");
        }
        break;
      case push::Filter::Kind::kTask:
        break;  // checked against the log up to the store's head, below
      case push::Filter::Kind::kDocument:
        break;  // units see the document's registrations and their own tasks' events
    }
    // Replay runs up to the store's head as of now, so that everything acknowledged before the
    // subscription is replayed before caught_up, even what the dispatcher has not read yet.
    // A unit may follow a task it was ever assigned to, also when the assignment is so recent
    // (another node's command, a moment ago) that the dispatcher has not read it yet: before
    // refusing, wait (briefly) for the dispatcher to read up to that head.
    subscribing_ = true;
    const bool check_task = filter.kind == push::Filter::Kind::kTask && !supervisor;
    asio::post(core_.workers, [self = shared_from_this(), filter, from, check_task] {
      auto& dispatcher = self->core_.dispatcher;
      const GlobalPosition head = dispatcher.store_head();
      bool allowed = !check_task || dispatcher.ever_assigned(filter.id, self->principal_.unit);
      if (!allowed && dispatcher.wait_for_head(head, kAssignmentWait)) {
        allowed = dispatcher.ever_assigned(filter.id, self->principal_.unit);
      }
      asio::post(self->ws_.get_executor(), [self, filter, from, head, allowed] {
        if (!allowed) {
          self->subscribing_ = false;
          if (self->closing_ || self->closed_) return;
          return self->send_error("forbidden", "task '" + filter.id + "' was never assigned to " +
                                                   self->principal_.unit.str());
        }
        self->start_subscription(filter, from, head);
      });
    });
  }

  void start_subscription(const push::Filter& filter, std::optional<GlobalPosition> from,
                          GlobalPosition head) {
    subscribing_ = false;
    if (closing_ || closed_) return;
    if (from && *from > head) {
      return send_error("from_ahead",
                        "position " + std::to_string(from->value()) + " is past the log's head " +
                            std::to_string(head.value()) + ": it does not come from this log");
    }
    filter_ = filter;
    ++generation_;
    cursor_ = from.value_or(head);
    reported_ = cursor_;
    target_ = head;
    live_ = false;
    core_.metrics.subscribers.fetch_add(1, std::memory_order_relaxed);
    enqueue_own(push::encode_subscribed(format_, filter, cursor_, head));
    core_.dispatcher.add_subscriber(shared_from_this());
    pump();
  }

  // Moves events from the ring (or, when the ring has moved past the cursor, from the store)
  // into the send queue until the queue is full or nothing is left, then writes.
  void pump() {
    while (filter_ && !closing_ && !page_pending_ && queued_events_ < core_.options.ws_send_queue) {
      scratch_.clear();
      if (core_.dispatcher.read_ring(cursor_, kRingBatch, scratch_) ==
          push::Dispatcher::RingRead::kEvicted) {
        if (live_) {
          live_ = false;
          core_.metrics.fell_behind.fetch_add(1, std::memory_order_relaxed);
          enqueue_own(push::encode_position(format_, push::PositionMessage::kFellBehind, cursor_));
        }
        request_page();
        break;
      }
      if (scratch_.empty()) {
        // Caught up once the store's head at subscription time is reached; until then the
        // dispatcher is still reading it and will wake this session.
        if (!live_ && cursor_ >= target_) {
          live_ = true;
          reported_ = cursor_;
          enqueue_own(push::encode_position(format_, push::PositionMessage::kCaughtUp, cursor_));
        }
        break;
      }
      if (!take(scratch_)) break;
    }
    do_write();
  }

  // Queues the matching ones of `events` (in order, after the cursor); false when the queue
  // filled before the end (the cursor stops before the first event not taken).
  bool take(const push::Dispatcher::Events& events) {
    for (const auto& e : events) {
      if (e->position <= cursor_) continue;
      if (push::matches(*filter_, principal_, *e)) {
        if (queued_events_ >= core_.options.ws_send_queue) return false;
        Outgoing out;
        out.event = e;
        queue_.push_back(std::move(out));
        ++queued_events_;
        core_.metrics.queued_messages.fetch_add(1, std::memory_order_relaxed);
        reported_ = e->position;
      }
      cursor_ = e->position;
    }
    return true;
  }

  void request_page() {
    page_pending_ = true;
    const std::size_t max = std::min(core_.options.page_size,
                                     core_.options.ws_send_queue - queued_events_ + kRingBatch);
    asio::post(core_.workers, [self = shared_from_this(), after = cursor_, max,
                               generation = generation_] {
      auto page = self->core_.dispatcher.read_store(after, max);
      asio::post(self->ws_.get_executor(), [self, generation, page = std::move(page)]() mutable {
        self->on_page(generation, std::move(page));
      });
    });
  }

  void on_page(std::uint64_t generation, Result<push::Dispatcher::Events> page) {
    page_pending_ = false;
    if (generation != generation_ || !filter_ || closing_) return pump();
    if (!page) {
      send_error("replay_failed", "reading the log failed: " + page.error().message +
                                      "; reconnect and resume from your last position");
      close_code_ = websocket::close_code::internal_error;
      return begin_close();
    }
    take(*page);
    pump();
  }

  // A quiet live subscription is told how far it has got, so its resume position advances
  // even when its filter matches rarely.
  void checkpoint() {
    if (!filter_ || closing_ || !live_ || !queue_.empty() || cursor_ <= reported_) return;
    reported_ = cursor_;
    enqueue_own(push::encode_position(format_, push::PositionMessage::kCheckpoint, cursor_));
    do_write();
  }

  void send_error(const std::string& code, const std::string& message) {
    core_.metrics.client_errors.fetch_add(1, std::memory_order_relaxed);
    enqueue_own(push::encode_error(format_, code, message));
    do_write();
  }

  void enqueue_own(std::string message) {
    Outgoing out;
    out.own = std::move(message);
    queue_.push_back(std::move(out));
    core_.metrics.queued_messages.fetch_add(1, std::memory_order_relaxed);
  }

  void do_write() {
    if (writing_ || queue_.empty() || !accepted_ || closed_) {
      if (!writing_ && closing_ && accepted_ && !closed_) do_close();
      return;
    }
    if (closing_ && queue_.front().event) {
      // Shutting down: pending events are dropped (the client resumes from its last position),
      // control messages already queued still go out before the close frame.
      drop_events();
      if (queue_.empty()) return do_close();
    }
    writing_ = true;
    const Outgoing& front = queue_.front();
    const std::string* bytes = &front.own;
    if (front.event) {
      bytes = format_ == push::WireFormat::kJson ? &front.event->json : &front.event->capnp;
    }
    // With more than one message queued, gather their frames into one socket write
    // (corked_stream.h); on_write uncorks once the queue has run dry. A lone message goes
    // straight out.
    if (queue_.size() > 1) ws_.next_layer().cork();
    ws_.binary(format_ == push::WireFormat::kCapnp);
    ws_.async_write(asio::buffer(*bytes),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    Outgoing done = std::move(queue_.front());
    queue_.pop_front();
    core_.metrics.queued_messages.fetch_sub(1, std::memory_order_relaxed);
    ++tally_.pushed;
    if (done.event) {
      --queued_events_;
      tally_.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - done.event->read_at)
              .count());
    }
    if (tally_.pushed >= kReportEvery) core_.metrics.report(tally_);
    if (ec) {
      closed_ = true;
      return;
    }
    if (closing_) return do_write();
    pump();
    if (!writing_) {
      ws_.next_layer().uncork();
      core_.metrics.report(tally_);
    }
  }

  void drop_events() {
    std::deque<Outgoing> kept;
    for (auto& o : queue_) {
      if (!o.event) kept.push_back(std::move(o));
    }
    core_.metrics.queued_messages.fetch_sub(static_cast<std::int64_t>(queue_.size() - kept.size()),
                                            std::memory_order_relaxed);
    queue_ = std::move(kept);
    queued_events_ = 0;
  }

  // Stops taking events and closes once the write in flight (and queued control messages) are
  // done.
  void begin_close() {
    if (closing_) return;
    closing_ = true;
    if (filter_) {
      core_.dispatcher.remove_subscriber(this);
    }
    if (!accepted_) return;  // the handshake's own timeout ends it
    do_write();
  }

  void do_close() {
    if (close_sent_ || closed_) return;
    close_sent_ = true;
    ws_.next_layer().uncork();
    ws_.async_close(websocket::close_reason(close_code_),
                    [self = shared_from_this()](beast::error_code) { self->closed_ = true; });
  }

  websocket::stream<CorkedStream<beast::tcp_stream>> ws_;
  ServerCore& core_;
  const Principal principal_;
  http::request<http::string_body> request_;  // the upgrade request, kept until accepted
  beast::flat_buffer buffer_;
  push::WireFormat format_ = push::WireFormat::kJson;
  std::atomic<bool> notify_pending_{false};
  Metrics::PushTally tally_;  // pushed messages and lags not yet reported (strand-only)

  // Strand-only state.
  std::optional<push::Filter> filter_;
  std::uint64_t generation_ = 0;  // bumped per (un)subscribe: stale store pages are ignored
  GlobalPosition cursor_;         // last position considered
  GlobalPosition reported_;       // last position the client was told about (event/checkpoint)
  GlobalPosition target_;         // the store's head when the subscription started
  bool subscribing_ = false;      // a subscribe is reading the store's head
  bool live_ = false;             // caught up with the head and reading the ring
  bool page_pending_ = false;     // a store page is being read for this session
  std::deque<Outgoing> queue_;
  std::size_t queued_events_ = 0;
  push::Dispatcher::Events scratch_;
  bool accepted_ = false;
  bool writing_ = false;
  bool closing_ = false;  // no more events; close after the queued control messages
  bool close_sent_ = false;
  bool closed_ = false;  // the connection is finished (read or write failed, or closed)
  websocket::close_code close_code_ = websocket::close_code::normal;
};

}  // namespace

void start_websocket_session(tcp::socket socket, http::request<http::string_body> request,
                             ServerCore& core, Principal principal) {
  std::make_shared<WebSocketSession>(std::move(socket), core, std::move(principal))
      ->run(std::move(request));
}

}  // namespace duban::server::net
