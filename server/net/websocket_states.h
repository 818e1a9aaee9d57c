// The states of one WebSocket session (websocket_session.cpp, docs/protocol.md "Session
// states"), each an enum with the transitions it allows. A session holds three of them, which
// change independently: the connection, the read side, and the subscription. A transition not
// listed here is a bug: StateVar::to() asserts in debug builds (the ASan build is one).
//
// Thread-safety: none; a session touches its states on its strand only.
#pragma once

#include <cassert>
#include <string_view>

namespace duban::server::net {

// The connection as a whole.
//
//   handshake ──accepted──▶ open ──begin_close──▶ closing ──close frame──▶ close_sent
//       │                    │                       │                         │
//       └────────────────────┴─ read/write failed ───┴───── or close done ─────┴──▶ closed
//
// A drain during the handshake is seen by on_accept (the server's draining flag), which opens
// and closes at once: nothing is written before the handshake has finished.
enum class Conn {
  kHandshake,  // async_accept running; nothing may be written
  kOpen,       // hello queued; reading client messages, writing replies and events
  kClosing,    // no more events or reads; queued replies go out, then the close frame
  kCloseSent,  // async_close running
  kClosed,     // finished: a read or write failed, or the close handshake ended
};

constexpr bool allowed(Conn from, Conn to) {
  switch (from) {
    case Conn::kHandshake:
      return to == Conn::kOpen || to == Conn::kClosed;
    case Conn::kOpen:
      return to == Conn::kClosing || to == Conn::kClosed;
    case Conn::kClosing:
      return to == Conn::kCloseSent || to == Conn::kClosed;
    case Conn::kCloseSent:
      return to == Conn::kClosed;
    case Conn::kClosed:
      return false;
  }
  return false;
}

// Reading client messages: one read in flight at a time, paused while the send queue is over
// its byte budget (the client sends faster than it reads its replies).
//
//   idle ──hello sent──▶ reading ◀──queue back under budget──┐
//    │                    │  └──reply left queue over budget──▶ paused
//    └────────────────────┴──── read failed, or closing ────────┴──▶ done
enum class Read {
  kIdle,     // before the hello: nothing read yet
  kReading,  // an async_read is in flight
  kPaused,   // no read in flight until the queue drains under the budget (or the grace ends)
  kDone,     // no more reads
};

constexpr bool allowed(Read from, Read to) {
  switch (from) {
    case Read::kIdle:
      return to == Read::kReading || to == Read::kDone;
    case Read::kReading:
      return to == Read::kPaused || to == Read::kDone;
    case Read::kPaused:
      return to == Read::kReading || to == Read::kDone;
    case Read::kDone:
      return false;
  }
  return false;
}

// The push subscription.
//
//   none ──subscribe──▶ checking ──allowed──▶ replaying ──(cursor reached the target)──▶ live
//    ▲                     │                    ▲   sends caught_up at the switch         │
//    │                     │                    └──── fell_behind (ring moved past) ──────┘
//    └─ refused ───────────┘
//    └─ unsubscribe, or closing, from replaying or live
enum class Sub {
  kNone,       // no subscription
  kChecking,   // a subscribe is reading the store's head (and the unit's assignment)
  kReplaying,  // sending events after the cursor, from the ring or store pages
  kLive,       // caught up with the subscription's target; following the ring
};

constexpr bool allowed(Sub from, Sub to) {
  switch (from) {
    case Sub::kNone:
      return to == Sub::kChecking;
    case Sub::kChecking:
      return to == Sub::kNone || to == Sub::kReplaying;
    case Sub::kReplaying:
      return to == Sub::kLive || to == Sub::kNone;
    case Sub::kLive:
      return to == Sub::kReplaying || to == Sub::kNone;
  }
  return false;
}

constexpr std::string_view name(Conn s) {
  switch (s) {
    case Conn::kHandshake:
      return "handshake";
    case Conn::kOpen:
      return "open";
    case Conn::kClosing:
      return "closing";
    case Conn::kCloseSent:
      return "close_sent";
    case Conn::kClosed:
      return "closed";
  }
  return "?";
}
constexpr std::string_view name(Read s) {
  switch (s) {
    case Read::kIdle:
      return "idle";
    case Read::kReading:
      return "reading";
    case Read::kPaused:
      return "paused";
    case Read::kDone:
      return "done";
  }
  return "?";
}
constexpr std::string_view name(Sub s) {
  switch (s) {
    case Sub::kNone:
      return "none";
    case Sub::kChecking:
      return "checking";
    case Sub::kReplaying:
      return "replaying";
    case Sub::kLive:
      return "live";
  }
  return "?";
}

// One state variable: reads freely, changes only through to(), which checks allowed(from, to).
template <class State>
class StateVar {
 public:
  explicit StateVar(State initial) : state_(initial) {}
  State get() const { return state_; }
  bool is(State s) const { return state_ == s; }
  // Moves to `next`; `next` equal to the current state is a no-op (always allowed).
  void to(State next) {
    if (next == state_) return;
    assert(allowed(state_, next) && "websocket session: transition not allowed");
    state_ = next;
  }

 private:
  State state_;
};

}  // namespace duban::server::net
