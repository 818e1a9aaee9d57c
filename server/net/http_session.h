// HTTP sessions: one per accepted connection, in the style of Beast's advanced_server. Reads a
// request (a timeout on every read, a body limit on every parser), runs route() on the worker
// pool, writes the answer, and reads the next one; hands WebSocket upgrades of /ws to a
// WebSocket session.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "server/net/server_core.h"

namespace duban::server::net {

// Starts a session for `socket` (whose executor is the connection's strand).
void start_http_session(boost::asio::ip::tcp::socket socket, ServerCore& core);

}  // namespace duban::server::net
