#include "clients/watch/watch_url.h"

namespace duban::clients {

std::optional<WatchUrl> parse_watch_url(std::string_view url) {
  WatchUrl out;
  std::string_view rest;
  for (std::string_view scheme : {std::string_view("ws://"), std::string_view("http://")}) {
    if (url.substr(0, scheme.size()) == scheme) rest = url.substr(scheme.size());
  }
  if (rest.empty()) return std::nullopt;
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    if (path != "/") out.path = std::string(path);
  }
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    const unsigned long p = std::stoul(std::string(port));
    if (p == 0 || p > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(p);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return std::nullopt;
  out.host = std::string(authority);
  return out;
}

}  // namespace duban::clients
