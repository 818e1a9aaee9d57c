// CorkedStream: a stream layer between a Beast WebSocket stream and its TCP stream that can send
// the frames of many messages in one socket write. Fan-out is bound by system calls: writing a
// hundred queued event messages to a connection as a hundred writes costs a hundred syscalls,
// while the bytes would fit one. Server frames are not masked, so the frames Beast builds can be
// gathered as they are.
//
// While corked, each frame Beast writes is copied into a gather buffer and its write completes at
// once; uncork() sends the buffer with one write. A write that arrives while that send is in
// flight (the next batch, or a pong) is held, and completes only when the socket has taken the
// send: memory stays bounded by one batch (kMaxBatch bytes) and one frame (an idle connection
// keeps at most kKeepCapacity), and a connection that does not read stalls its writer exactly as
// before. Uncorked, writes pass through in order.
//
// Beast serializes the writes of one WebSocket stream (data, pings, pongs, close), so at most one
// write_some is pending here at a time. Thread-safety: like the stream under it, use it from one
// strand.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace duban::server::net {

template <class NextLayer>
class CorkedStream {
 public:
  using executor_type = typename NextLayer::executor_type;
  using next_layer_type = NextLayer;
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

  // Bytes gathered before a batch is sent even while corked: enough frames (dozens of event
  // messages) to amortize the system call, little enough memory per connection.
  static constexpr std::size_t kMaxBatch = 16 * 1024;
  // Buffer capacity an idle connection keeps; more is given back after each send, so ten
  // thousand quiet connections do not each hold a batch's worth.
  static constexpr std::size_t kKeepCapacity = 4 * 1024;

  template <class... Args>
  explicit CorkedStream(Args&&... args) : next_(std::forward<Args>(args)...) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return next_.async_read_some(buffers, std::forward<ReadToken>(token));
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& b) {
          start_write(b, Handler(std::move(handler)));
        },
        token, buffers);
  }

  // The object that owns this stream: a send in flight keeps it alive (a corked write completes
  // before its bytes are sent, so the owner may have no other operation pending).
  void hold(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  // Gather the next writes until uncork().
  void cork() { corked_ = true; }
  // Send what was gathered (if no send is in flight; otherwise it follows that one).
  void uncork() {
    corked_ = false;
    if (!flushing_ && !gather_.empty()) flush();
  }

 private:
  template <class Buffers>
  static void append(std::string& to, const Buffers& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::const_buffer b(*it);
      to.append(static_cast<const char*>(b.data()), b.size());
    }
  }

  template <class Buffers>
  void start_write(const Buffers& buffers, Handler handler) {
    const std::size_t n = boost::asio::buffer_size(buffers);
    if (flushing_) {
      append(held_, buffers);
      held_handler_.emplace(std::move(handler));
      held_size_ = n;
      return;
    }
    append(gather_, buffers);
    accept(std::move(handler), n);
  }

  // `handler`'s bytes are in gather_: complete it now (corked, room left) or with the send.
  void accept(Handler handler, std::size_t n) {
    if (corked_ && gather_.size() < kMaxBatch) {
      // On the stream's executor: the connection's strand, where every handler of it runs.
      boost::asio::post(get_executor(), [h = std::move(handler), n]() mutable {
        std::move(h)(boost::system::error_code(), n);
      });
      return;
    }
    flush_handler_.emplace(std::move(handler));
    flush_size_ = n;
    flush();
  }

  // The send starts from a posted handler, never inline: flush() can be reached from inside the
  // completion of the previous send (on_flushed -> accept), while the stream under us still
  // counts that write as pending, and starting another there trips Beast's one-write rule.
  void flush() {
    flushing_ = true;
    boost::asio::post(get_executor(), [this, keep = owner_.lock()] {
      boost::asio::async_write(
          next_, boost::asio::buffer(gather_),
          [this, keep](boost::system::error_code ec, std::size_t) { on_flushed(ec); });
    });
  }

  void on_flushed(boost::system::error_code ec) {
    flushing_ = false;
    gather_.clear();
    if (gather_.capacity() > kKeepCapacity) std::string().swap(gather_);
    std::optional<Handler> sent;
    if (flush_handler_) sent.emplace(take(flush_handler_));
    if (held_handler_) {
      Handler h = take(held_handler_);
      if (ec) {
        held_.clear();
        complete(std::move(h), ec, 0);
      } else {
        gather_.swap(held_);
        held_.clear();
        if (held_.capacity() > kKeepCapacity) std::string().swap(held_);
        accept(std::move(h), held_size_);
      }
    }
    // Last: completing may start the next write at once (on this strand), which must find the
    // state above already settled.
    if (sent) complete(std::move(*sent), ec, ec ? 0 : flush_size_);
  }

  // Handlers are only ever move-constructed, never move-assigned: Asio 1.26's
  // any_completion_handler move assignment wraps the handler in itself and recurses forever.
  static Handler take(std::optional<Handler>& slot) {
    Handler h(std::move(*slot));
    slot.reset();
    return h;
  }

  void complete(Handler h, boost::system::error_code ec, std::size_t n) {
    boost::asio::dispatch(get_executor(),
                          [h = std::move(h), ec, n]() mutable { std::move(h)(ec, n); });
  }

  NextLayer next_;
  std::weak_ptr<void> owner_;
  bool corked_ = false;
  bool flushing_ = false;                 // a send of gather_ is in flight
  std::string gather_;                    // frames gathered for the next send (or being sent)
  std::optional<Handler> flush_handler_;  // the write completing with the send in flight
  std::size_t flush_size_ = 0;
  std::string held_;  // a frame that arrived while a send was in flight
  std::optional<Handler> held_handler_;
  std::size_t held_size_ = 0;
};

// Closing the WebSocket tears down the TCP stream beneath (found by argument-dependent lookup).
template <class NextLayer>
void teardown(boost::beast::role_type role, CorkedStream<NextLayer>& stream,
              boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

template <class NextLayer, class TeardownHandler>
void async_teardown(boost::beast::role_type role, CorkedStream<NextLayer>& stream,
                    TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

}  // namespace duban::server::net
