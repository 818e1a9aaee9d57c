// The WebSocket messages (docs/protocol.md) in their two encodings: JSON text frames (the
// default, subprotocol duban.json.v1 or none) and Cap'n Proto binary frames (subprotocol
// duban.capnp.v1, schema server/push/protocol.capnp). Each function builds one complete frame;
// client_message.h decodes what clients send.
//
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/events.h"
#include "server/api/router.h"
#include "server/push/client_message.h"
#include "server/push/filter.h"
#include "server/push/pushed_event.h"
#include "storage/event_store.h"

namespace duban::server::push {

enum class WireFormat { kJson, kCapnp };

inline constexpr std::string_view kJsonSubprotocol = "duban.json.v1";
inline constexpr std::string_view kCapnpSubprotocol = "duban.capnp.v1";
inline constexpr int kProtocolVersion = 1;

// Fills out.json and out.capnp with the event message for `recorded`. `decoded` is its payload
// decoded (nullptr when this build could not decode it: the message then has no data and says
// why in `decode_error`). Routing fields (task, document) must already be set in `out`.
void encode_event(const storage::RecordedEvent& recorded, const task::Event* decoded,
                  std::string_view decode_error, PushedEvent& out);

std::string encode_hello(WireFormat format, GlobalPosition head, const Principal& principal);
std::string encode_subscribed(WireFormat format, const Filter& filter, GlobalPosition from,
                              GlobalPosition head);

// The messages that carry only a position.
enum class PositionMessage { kCaughtUp, kCheckpoint, kFellBehind, kPong, kUnsubscribed };
std::string encode_position(WireFormat format, PositionMessage kind, GlobalPosition position);

std::string encode_error(WireFormat format, std::string_view code, std::string_view message);

}  // namespace duban::server::push
