// The server address `duban watch` is given: ws://host:port[/path] (http:// is accepted and
// means the same server). The path defaults to /ws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duban::clients {

struct WatchUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string path = "/ws";
};

// nullopt for anything but ws:// or http:// with a host (wss/https are not supported).
std::optional<WatchUrl> parse_watch_url(std::string_view url);

}  // namespace duban::clients
