// WebSocket sessions (docs/protocol.md): one per upgraded connection, in the style of Beast's
// chat-multi example. Declared here without Beast's WebSocket headers so that the HTTP session
// can hand over a connection without compiling them.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>

#include "server/api/router.h"
#include "server/net/server_core.h"

namespace duban::server::net {

// Accepts the upgrade `request` (already authenticated as `principal`) on `socket` and runs the
// session until the connection closes. `slot` is the listener's count of the connection (in all
// and per address): the session holds it, so an upgraded connection stays counted until it closes.
// `credential` is what it authenticated with: the server re-checks it while the connection is open
// and closes the connection (1008) once it no longer holds.
void start_websocket_session(boost::asio::ip::tcp::socket socket,
                             boost::beast::http::request<boost::beast::http::string_body> request,
                             ServerCore& core, Principal principal, Credential credential,
                             std::shared_ptr<void> slot);

}  // namespace duban::server::net
