// HTTP sessions: one per accepted connection, in the style of Beast's advanced_server. Reads a
// request (a timeout on every read, a body limit on every parser), runs route() on the worker
// pool, writes the answer, and reads the next one; hands WebSocket upgrades of /ws to a
// WebSocket session. When a header announces a body, the router first decides from the header
// alone (refuse_before_body: token, supervisor-only paths) whether the body is read at all; a
// refused request is answered and the connection closed, the body unread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server/net/server_core.h"

namespace duban::server::net {

// Starts a session for `socket` (whose executor is the connection's strand). `slot` is held
// until the connection closes (the listener's connection count).
void start_http_session(boost::asio::ip::tcp::socket socket, ServerCore& core,
                        std::shared_ptr<void> slot = {});

}  // namespace duban::server::net
