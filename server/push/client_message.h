// The messages a WebSocket client sends (docs/protocol.md, "Client messages"): subscribe with a
// filter and an optional resume position, unsubscribe, ping; as a JSON text frame or a capnp
// ClientMessage (server/push/protocol.capnp) in a binary frame. The decoder sees bytes straight
// from the network, so it has a libFuzzer target (tests/fuzz/fuzz_client_message.cpp) and must
// turn any input into a message or a bad_message error.
//
// Thread-safety: reentrant. Depends on Boost.JSON and Cap'n Proto only (the fuzz build compiles
// it without the rest of the server).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"

namespace duban::server::push {

// What a subscription asks for (filter.h has who may ask for what).
struct Filter {
  enum class Kind { kAll, kUnit, kDocument, kTask };
  Kind kind = Kind::kAll;
  std::string id;  // the unit, document or task id; empty for kAll
  bool operator==(const Filter&) const = default;
};

struct ClientMessage {
  enum class Kind { kSubscribe, kUnsubscribe, kPing };
  Kind kind = Kind::kPing;
  Filter filter;                       // kSubscribe only
  std::optional<GlobalPosition> from;  // kSubscribe only; nullopt: live from the head
};

// Parses one client frame: JSON when `binary` is false, a capnp ClientMessage otherwise.
// Error code bad_message with what was wrong. A subscribe's filter id is never empty.
Result<ClientMessage> parse_client_message(std::string_view bytes, bool binary);

}  // namespace duban::server::push
