// One WebSocket connection (docs/protocol.md). All state below is touched only on the
// connection's strand.
//
// States (websocket_states.h, each with its allowed transitions): the connection (handshake,
// open, closing, close_sent, closed), the read side (idle, reading, paused, done) and the
// subscription (none, checking, replaying, live). The push follows the subscription:
//
//   none ──subscribe──▶ checking ──▶ replaying ──(nothing left after cursor, at target)──▶ live
//                                       ▲   sends caught_up at the switch                 │
//                                       └──────── fell_behind (ring moved past) ──────────┘
//
// Cursors, and the invariants check_invariants() asserts in debug builds:
// - `cursor_`: the last position considered (sent, or filtered out). Every event sent goes
//   through it in order, so neither replay nor the switch to live can skip or repeat a
//   position: each event taken is exactly cursor_ + 1 (take() asserts it).
// - `reported_`: the last position the client was told about (event, caught_up, checkpoint);
//   reported_ <= cursor_ always.
// - `target_`: the store's head when the subscription started; live implies cursor_ >= target_.
// Replay reads the dispatcher's ring while it still holds the next position, and the store (on
// the worker pool) when it does not.
//
// Memory: one send queue with one write in flight. It holds at most `ws_send_queue` events, and
// events and replies together are held to `ws_send_budget` bytes: events stop being taken at
// the budget (the client falls behind and replays later, as above); a client message whose
// reply leaves the queue over the budget pauses reading until the queue is back under it, and a
// connection still paused after `ws_budget_grace` is closed with 1008 and its queue dropped.
// Pings are rate-limited (a token bucket of `ws_pings_per_second`); each pong reads the store's
// head, so a flood must not reach the store.
#include "server/net/websocket_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cassert>
#include <chrono>
#include <deque>
#include <optional>

#include "server/net/corked_stream.h"
#include "server/net/websocket_states.h"
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

// The messages waiting to be written, the front one possibly in flight, with their count of
// events and of bytes; the shared gauges follow every change.
class SendQueue {
 public:
  struct Outgoing {
    std::shared_ptr<const push::PushedEvent> event;  // an event message, shared with the ring
    std::string own;                                 // any other message
    std::size_t size = 0;                            // bytes written for it
  };

  explicit SendQueue(Metrics& metrics) : metrics_(metrics) {}
  ~SendQueue() { drop(0, /*keep_replies=*/false); }
  SendQueue(const SendQueue&) = delete;
  SendQueue& operator=(const SendQueue&) = delete;

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  std::size_t events() const { return events_; }
  std::size_t bytes() const { return bytes_; }
  const Outgoing& front() const { return items_.front(); }

  void push(Outgoing out) {
    if (out.event) ++events_;
    bytes_ += out.size;
    metrics_.queued_messages.fetch_add(1, std::memory_order_relaxed);
    metrics_.queued_bytes.fetch_add(static_cast<std::int64_t>(out.size), std::memory_order_relaxed);
    items_.push_back(std::move(out));
    metrics_.observe_queued_bytes(static_cast<std::int64_t>(bytes_));
  }

  Outgoing pop() {
    Outgoing out = std::move(items_.front());
    items_.pop_front();
    forget(out);
    return out;
  }

  // Drops every message after the first `keep_front` ones: all of them, or only the events
  // when `keep_replies`.
  void drop(std::size_t keep_front, bool keep_replies) {
    std::deque<Outgoing> kept;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (i < keep_front || (keep_replies && !items_[i].event)) {
        kept.push_back(std::move(items_[i]));
      } else {
        forget(items_[i]);
      }
    }
    items_ = std::move(kept);
  }

  // The counts match the items (debug checks only: walks the queue).
  bool consistent() const {
    std::size_t events = 0, bytes = 0;
    for (const auto& o : items_) {
      events += o.event ? 1 : 0;
      bytes += o.size;
    }
    return events == events_ && bytes == bytes_;
  }

 private:
  void forget(const Outgoing& out) {
    if (out.event) --events_;
    bytes_ -= out.size;
    metrics_.queued_messages.fetch_sub(1, std::memory_order_relaxed);
    metrics_.queued_bytes.fetch_sub(static_cast<std::int64_t>(out.size), std::memory_order_relaxed);
  }

  Metrics& metrics_;
  std::deque<Outgoing> items_;
  std::size_t events_ = 0;
  std::size_t bytes_ = 0;
};

class WebSocketSession : public push::Subscriber,
                         public Drainable,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(tcp::socket&& socket, ServerCore& core, Principal principal,
                   Credential credential, std::shared_ptr<void> slot)
      : ws_(std::move(socket)),
        core_(core),
        principal_(std::move(principal)),
        credential_(std::move(credential)),
        slot_(std::move(slot)),
        queue_(core.metrics),
        timer_(ws_.get_executor()),
        ping_tokens_(ping_capacity()),
        ping_refill_at_(std::chrono::steady_clock::now()) {
    core_.metrics.ws_connections.fetch_add(1, std::memory_order_relaxed);
  }

  ~WebSocketSession() override {
    core_.metrics.report(tally_);
    core_.dispatcher.remove_subscriber(this);
    core_.sessions.remove(this);
    core_.metrics.ws_connections.fetch_sub(1, std::memory_order_relaxed);
    if (filter_) core_.metrics.subscribers.fetch_sub(1, std::memory_order_relaxed);
    core_.heap_trim.connection_closed(std::max(peak_queued_, queue_.bytes()));
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
      // During the handshake on_accept sees the server draining and closes right after it.
      if (self->conn_.is(Conn::kHandshake)) return;
      self->begin_close(websocket::close_code::going_away, "");
    });
  }

  void force_close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->cut(); });
  }

  const Credential* credential() const override { return &credential_; }

  void revoke(std::string reason) override {
    // A close reason holds at most 123 bytes.
    if (reason.size() > 123) reason.resize(123);
    asio::post(ws_.get_executor(), [self = shared_from_this(), reason = std::move(reason)] {
      // During the handshake: the next re-check, once open, closes it.
      self->begin_close(websocket::close_code::policy_error, reason);
    });
  }

 private:
  using Outgoing = SendQueue::Outgoing;

  void on_accept(beast::error_code ec) {
    if (ec) return finish();  // handshake failed or timed out: the session ends here
    conn_.to(Conn::kOpen);
    if (core_.draining.load()) {  // drained while the handshake was running
      return begin_close(websocket::close_code::going_away, "");
    }
    // The hello names the store's head (an append acknowledged a moment ago counts even if the
    // dispatcher has not read it yet); reading it blocks, so it happens on the worker pool.
    asio::post(core_.workers, [self = shared_from_this()] {
      const GlobalPosition head = self->core_.dispatcher.store_head();
      asio::post(self->ws_.get_executor(), [self, head] {
        if (!self->conn_.is(Conn::kOpen)) return;
        self->enqueue_own(push::encode_hello(self->format_, head, self->principal_));
        self->do_write();
        self->do_read();
      });
    });
  }

  void do_read() {
    read_.to(Read::kReading);
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      // closed by the peer, a protocol error (Beast already sent 1002), an oversized message
      // (1009), the idle timeout, or our own close: the session ends once the write is done.
      return finish();
    }
    if (!conn_.is(Conn::kOpen)) return read_.to(Read::kDone);  // closing: not answered
    const bool binary = ws_.got_binary();
    std::string message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(bytes);
    if (message.size() > core_.options.ws_max_message) {
      send_error("message_too_large", "client messages are limited to " +
                                          std::to_string(core_.options.ws_max_message) + " bytes");
    } else {
      handle(message, binary);
    }
    check_invariants();
    if (!conn_.is(Conn::kOpen)) return read_.to(Read::kDone);
    if (over_budget()) return pause_reading();
    do_read();
  }

  bool over_budget() const { return queue_.bytes() > core_.options.ws_send_budget; }

  // The client sends faster than it reads its replies: read nothing more until the queue is
  // back under the budget, and close the connection if it is not within the grace.
  void pause_reading() {
    read_.to(Read::kPaused);
    core_.metrics.reads_paused.fetch_add(1, std::memory_order_relaxed);
    timer_.expires_after(core_.options.ws_budget_grace);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->on_budget_grace_over();
    });
  }

  void resume_reading_if_under_budget() {
    if (!read_.is(Read::kPaused) || over_budget() || !conn_.is(Conn::kOpen)) return;
    timer_.cancel();
    do_read();
  }

  void on_budget_grace_over() {
    if (!read_.is(Read::kPaused) || !conn_.is(Conn::kOpen)) return;
    core_.metrics.budget_closes.fetch_add(1, std::memory_order_relaxed);
    // Nothing queued goes out any more (the client is not reading it): the memory is returned
    // now, and the close frame follows the write in flight.
    queue_.drop(writing_ ? 1 : 0, /*keep_replies=*/false);
    begin_close(websocket::close_code::policy_error,
                "send budget exceeded: the client sends without reading the replies");
  }

  void handle(std::string_view bytes, bool binary) {
    auto parsed = push::parse_client_message(bytes, binary);
    if (!parsed) return send_error(parsed.error().code, parsed.error().message);
    switch (parsed->kind) {
      case push::ClientMessage::Kind::kPing:
        if (!take_ping_token()) {
          core_.metrics.pings_limited.fetch_add(1, std::memory_order_relaxed);
          return send_error("rate_limited", "pings are answered at most " +
                                                std::to_string(ping_capacity()) +
                                                " times a second on one connection");
        }
        // The store's head, as in hello (reading it blocks: on the worker pool).
        asio::post(core_.workers, [self = shared_from_this()] {
          const GlobalPosition head = self->core_.dispatcher.store_head();
          asio::post(self->ws_.get_executor(), [self, head] {
            if (!self->conn_.is(Conn::kOpen)) return;
            self->enqueue_own(
                push::encode_position(self->format_, push::PositionMessage::kPong, head));
            self->do_write();
          });
        });
        return;
      case push::ClientMessage::Kind::kUnsubscribe:
        if (!filter_) return send_error("not_subscribed", "there is no subscription to end");
        enqueue_own(push::encode_position(format_, push::PositionMessage::kUnsubscribed, cursor_));
        end_subscription();
        return do_write();
      case push::ClientMessage::Kind::kSubscribe:
        return subscribe(parsed->filter, parsed->from);
    }
  }

  std::size_t ping_capacity() const {
    return static_cast<std::size_t>(std::max(1.0, core_.options.ws_pings_per_second));
  }

  // A token bucket: ping_capacity() tokens, refilled at ws_pings_per_second; 0 turns it off.
  bool take_ping_token() {
    const double rate = core_.options.ws_pings_per_second;
    if (rate <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - ping_refill_at_).count();
    ping_refill_at_ = now;
    ping_tokens_ = std::min(static_cast<double>(ping_capacity()), ping_tokens_ + elapsed * rate);
    if (ping_tokens_ < 1) return false;
    ping_tokens_ -= 1;
    return true;
  }

  void subscribe(const push::Filter& filter, std::optional<GlobalPosition> from) {
    if (!sub_.is(Sub::kNone)) {
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
    sub_.to(Sub::kChecking);
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
          self->sub_.to(Sub::kNone);
          if (!self->conn_.is(Conn::kOpen)) return;
          return self->send_error("forbidden", "task '" + filter.id + "' was never assigned to " +
                                                   self->principal_.unit.str());
        }
        self->start_subscription(filter, from, head);
      });
    });
  }

  void start_subscription(const push::Filter& filter, std::optional<GlobalPosition> from,
                          GlobalPosition head) {
    if (!conn_.is(Conn::kOpen)) return sub_.to(Sub::kNone);
    if (from && *from > head) {
      sub_.to(Sub::kNone);
      return send_error("from_ahead",
                        "position " + std::to_string(from->value()) + " is past the log's head " +
                            std::to_string(head.value()) + ": it does not come from this log");
    }
    sub_.to(Sub::kReplaying);
    filter_ = filter;
    ++generation_;
    cursor_ = from.value_or(head);
    reported_ = cursor_;
    target_ = head;
    core_.metrics.subscribers.fetch_add(1, std::memory_order_relaxed);
    enqueue_own(push::encode_subscribed(format_, filter, cursor_, head));
    core_.dispatcher.add_subscriber(shared_from_this());
    pump();
  }

  // Unsubscribe, close, or a failed connection: no more events; a store page still being read
  // for it is ignored when it arrives (generation).
  void end_subscription() {
    if (!filter_) return;
    filter_.reset();
    ++generation_;
    sub_.to(Sub::kNone);
    core_.dispatcher.remove_subscriber(this);
    core_.metrics.subscribers.fetch_sub(1, std::memory_order_relaxed);
  }

  bool subscribed() const { return sub_.is(Sub::kReplaying) || sub_.is(Sub::kLive); }

  bool room_for_events() const {
    return queue_.events() < core_.options.ws_send_queue &&
           queue_.bytes() < core_.options.ws_send_budget;
  }

  // Moves events from the ring (or, when the ring has moved past the cursor, from the store)
  // into the send queue until the queue is full or nothing is left, then writes.
  void pump() {
    while (subscribed() && conn_.is(Conn::kOpen) && !page_pending_ && room_for_events()) {
      scratch_.clear();
      if (core_.dispatcher.read_ring(cursor_, kRingBatch, scratch_) ==
          push::Dispatcher::RingRead::kEvicted) {
        if (sub_.is(Sub::kLive)) {
          sub_.to(Sub::kReplaying);
          core_.metrics.fell_behind.fetch_add(1, std::memory_order_relaxed);
          enqueue_own(push::encode_position(format_, push::PositionMessage::kFellBehind, cursor_));
        }
        request_page();
        break;
      }
      if (scratch_.empty()) {
        // Caught up once the store's head at subscription time is reached; until then the
        // dispatcher is still reading it and will wake this session.
        if (sub_.is(Sub::kReplaying) && cursor_ >= target_) {
          sub_.to(Sub::kLive);
          reported_ = cursor_;
          enqueue_own(push::encode_position(format_, push::PositionMessage::kCaughtUp, cursor_));
        }
        break;
      }
      if (!take(scratch_)) break;
    }
    check_invariants();
    do_write();
  }

  // Queues the matching ones of `events` (in order, after the cursor); false when the queue
  // filled before the end (the cursor stops before the first event not taken).
  bool take(const push::Dispatcher::Events& events) {
    for (const auto& e : events) {
      if (e->position <= cursor_) continue;
      // Ring and store pages both hand out contiguous positions after the cursor.
      assert(e->position == cursor_.next() && "websocket session: a position would be skipped");
      if (push::matches(*filter_, principal_, *e)) {
        if (!room_for_events()) return false;
        Outgoing out;
        out.size = (format_ == push::WireFormat::kJson ? e->json : e->capnp).size();
        out.event = e;
        queue_.push(std::move(out));
        peak_queued_ = std::max(peak_queued_, queue_.bytes());
        reported_ = e->position;
      }
      cursor_ = e->position;
    }
    return true;
  }

  void request_page() {
    page_pending_ = true;
    const std::size_t room = core_.options.ws_send_queue - queue_.events();
    const std::size_t max = std::min(core_.options.page_size, room + kRingBatch);
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
    if (generation != generation_ || !subscribed() || !conn_.is(Conn::kOpen)) return pump();
    if (!page) {
      send_error("replay_failed", "reading the log failed: " + page.error().message +
                                      "; reconnect and resume from your last position");
      return begin_close(websocket::close_code::internal_error, "");
    }
    take(*page);
    pump();
  }

  // A quiet live subscription is told how far it has got, so its resume position advances
  // even when its filter matches rarely.
  void checkpoint() {
    if (!sub_.is(Sub::kLive) || !conn_.is(Conn::kOpen) || !queue_.empty() || cursor_ <= reported_) {
      return;
    }
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
    out.size = message.size();
    out.own = std::move(message);
    queue_.push(std::move(out));
    peak_queued_ = std::max(peak_queued_, queue_.bytes());
  }

  void do_write() {
    if (writing_) return;
    if (conn_.is(Conn::kClosing)) {
      // Shutting down: pending events are dropped (the client resumes from its last position),
      // replies already queued still go out before the close frame.
      queue_.drop(0, /*keep_replies=*/true);
      if (queue_.empty()) return do_close();
    }
    if (queue_.empty() || !(conn_.is(Conn::kOpen) || conn_.is(Conn::kClosing))) return;
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
    const Outgoing done = queue_.pop();
    ++tally_.pushed;
    if (done.event) {
      tally_.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - done.event->read_at)
              .count());
    }
    if (tally_.pushed >= kReportEvery) core_.metrics.report(tally_);
    if (ec) return finish();
    if (conn_.is(Conn::kClosing)) return do_write();
    resume_reading_if_under_budget();
    pump();
    if (!writing_) {
      ws_.next_layer().uncork();
      core_.metrics.report(tally_);
    }
  }

  // Stops taking events and reading, and closes once the write in flight (and queued replies)
  // are done; a close that has not finished within the handshake timeout is cut.
  void begin_close(websocket::close_code code, std::string reason) {
    if (!conn_.is(Conn::kOpen)) return;
    close_code_ = code;
    close_reason_ = std::move(reason);
    conn_.to(Conn::kClosing);
    if (!read_.is(Read::kReading)) read_.to(Read::kDone);  // a read in flight ends in on_read
    end_subscription();
    timer_.expires_after(core_.options.ws_handshake_timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && !self->conn_.is(Conn::kClosed)) self->cut();
    });
    do_write();
  }

  void do_close() {
    conn_.to(Conn::kCloseSent);
    ws_.next_layer().uncork();
    ws_.async_close(websocket::close_reason(close_code_, close_reason_),
                    [self = shared_from_this()](beast::error_code) { self->finish(); });
  }

  // The connection is finished: nothing more is read, written or pushed.
  void finish() {
    conn_.to(Conn::kClosed);
    read_.to(Read::kDone);
    end_subscription();
    timer_.cancel();
    check_invariants();
  }

  // Shuts the socket: every operation in flight completes with an error, then finish().
  void cut() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
  }

  // The cursors' and the queue's invariants (file comment); debug builds only.
  void check_invariants() const {
#ifndef NDEBUG
    assert(reported_ <= cursor_);
    assert(subscribed() == filter_.has_value());
    assert(!sub_.is(Sub::kLive) || cursor_ >= target_);
    assert(queue_.consistent());
    assert(queue_.events() <= core_.options.ws_send_queue);
    assert(!writing_ || !queue_.empty());
    assert(!read_.is(Read::kPaused) || conn_.is(Conn::kOpen));
    assert(!conn_.is(Conn::kHandshake) || queue_.empty());
#endif
  }

  websocket::stream<CorkedStream<beast::tcp_stream>> ws_;
  ServerCore& core_;
  const Principal principal_;
  const Credential credential_;  // what it authenticated with (the server re-checks it)
  std::shared_ptr<void> slot_;   // the listener's count of this connection; released with it
  std::size_t peak_queued_ = 0;  // the most bytes queued at once (heap_trim at close)
  http::request<http::string_body> request_;  // the upgrade request, kept until accepted
  beast::flat_buffer buffer_;
  push::WireFormat format_ = push::WireFormat::kJson;
  std::atomic<bool> notify_pending_{false};
  Metrics::PushTally tally_;  // pushed messages and lags not yet reported (strand-only)

  // Strand-only state.
  StateVar<Conn> conn_{Conn::kHandshake};
  StateVar<Read> read_{Read::kIdle};
  StateVar<Sub> sub_{Sub::kNone};
  std::optional<push::Filter> filter_;  // set exactly while replaying or live
  std::uint64_t generation_ = 0;        // bumped per (un)subscribe: stale store pages are ignored
  GlobalPosition cursor_;               // last position considered
  GlobalPosition reported_;             // last position the client was told about
  GlobalPosition target_;               // the store's head when the subscription started
  bool page_pending_ = false;           // a store page is being read (one at a time, even across a
                               // resubscribe: the stale one is ignored, then pump() resumes)
  bool writing_ = false;  // the queue's front is being written
  SendQueue queue_;
  push::Dispatcher::Events scratch_;
  asio::steady_timer timer_;  // the budget grace while paused; the close deadline while closing
  double ping_tokens_;
  std::chrono::steady_clock::time_point ping_refill_at_;
  websocket::close_code close_code_ = websocket::close_code::normal;
  std::string close_reason_;
};

}  // namespace

void start_websocket_session(tcp::socket socket, http::request<http::string_body> request,
                             ServerCore& core, Principal principal, Credential credential,
                             std::shared_ptr<void> slot) {
  std::make_shared<WebSocketSession>(std::move(socket), core, std::move(principal),
                                     std::move(credential), std::move(slot))
      ->run(std::move(request));
}

}  // namespace duban::server::net
