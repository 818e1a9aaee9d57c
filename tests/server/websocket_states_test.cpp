// The WebSocket session's state machines (server/net/websocket_states.h): which transitions each
// allows, that every state is reachable from the start and `closed`/`done` are final, and that a
// transition the table does not allow stops a debug build (the ASan build) at once.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "server/net/websocket_states.h"

namespace duban::server::net {
namespace {

// The states reachable from `start` through allowed transitions.
template <class State>
std::set<State> reachable(State start, const std::vector<State>& all) {
  std::set<State> seen{start};
  std::vector<State> todo{start};
  while (!todo.empty()) {
    const State s = todo.back();
    todo.pop_back();
    for (State next : all) {
      if (allowed(s, next) && seen.insert(next).second) todo.push_back(next);
    }
  }
  return seen;
}

TEST(WebSocketStates, EveryStateIsReachableAndTheEndsAreFinal) {
  const std::vector<Conn> conns = {Conn::kHandshake, Conn::kOpen, Conn::kClosing, Conn::kCloseSent,
                                   Conn::kClosed};
  EXPECT_EQ(reachable(Conn::kHandshake, conns).size(), conns.size());
  for (Conn c : conns) {
    EXPECT_FALSE(allowed(Conn::kClosed, c)) << name(c);
    if (c != Conn::kClosed) {
      EXPECT_TRUE(allowed(c, Conn::kClosed)) << name(c);  // a failed socket
    }
  }
  // Nothing goes back: no reopening, no second close frame.
  EXPECT_FALSE(allowed(Conn::kClosing, Conn::kOpen));
  EXPECT_FALSE(allowed(Conn::kCloseSent, Conn::kClosing));
  EXPECT_FALSE(allowed(Conn::kHandshake, Conn::kClosing));  // nothing is written before accept

  const std::vector<Read> reads = {Read::kIdle, Read::kReading, Read::kPaused, Read::kDone};
  EXPECT_EQ(reachable(Read::kIdle, reads).size(), reads.size());
  EXPECT_TRUE(allowed(Read::kPaused, Read::kReading));  // the queue drained under the budget
  for (Read r : reads) EXPECT_FALSE(allowed(Read::kDone, r)) << name(r);

  const std::vector<Sub> subs = {Sub::kNone, Sub::kChecking, Sub::kReplaying, Sub::kLive};
  EXPECT_EQ(reachable(Sub::kNone, subs).size(), subs.size());
  EXPECT_TRUE(allowed(Sub::kLive, Sub::kReplaying));  // fell_behind
  EXPECT_FALSE(allowed(Sub::kNone, Sub::kLive));      // always through checking and replaying
  EXPECT_FALSE(allowed(Sub::kChecking, Sub::kLive));  // caught_up comes from replaying only
}

TEST(WebSocketStates, AllowedTransitionsChangeTheState) {
  StateVar<Sub> sub(Sub::kNone);
  sub.to(Sub::kChecking);
  sub.to(Sub::kReplaying);
  sub.to(Sub::kLive);
  sub.to(Sub::kLive);  // staying is always allowed
  EXPECT_TRUE(sub.is(Sub::kLive));
  sub.to(Sub::kNone);
  EXPECT_EQ(sub.get(), Sub::kNone);
}

TEST(WebSocketStatesDeathTest, AForbiddenTransitionStopsADebugBuild) {
  StateVar<Conn> conn(Conn::kClosed);
  EXPECT_DEBUG_DEATH(conn.to(Conn::kOpen), "transition not allowed");
}

}  // namespace
}  // namespace duban::server::net
