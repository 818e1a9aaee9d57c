// The event codec: domain events (model/task/events.h) to and from the store's opaque payloads,
// as Cap'n Proto messages of storage/schema/events.capnp.
//
// The envelope's type is event_type_name(event) and its schema version event_schema_version(
// event). Decoding dispatches on both: a payload written by an older schema version of its type
// goes through that type's upcaster (today: TaskCreated v1 → v2, see docs/events.md), so callers
// only ever see current events. Nothing above this header knows the wire format.
//
// Thread-safety: both functions are reentrant and may be called concurrently.
#pragma once

#include <string_view>

#include "model/result.h"
#include "model/task/actor.h"
#include "model/task/events.h"
#include "storage/event_store.h"

namespace duban::storage {

// The event as a NewEvent ready for EventStore::append: type, current schema version, payload
// bytes, and the actor as to_string(actor) ("supervisor", "unit:<id>", "system").
NewEvent encode_event(const task::Event& event, const task::Actor& actor);

// Only the payload bytes of encode_event(); for tools that build envelopes themselves.
std::string encode_event_payload(const task::Event& event);

// The event a recorded payload holds, upcast to the current schema version. Errors, all with
// code bad_payload and a message naming the position and type: a type this build does not know,
// a schema version newer than this build (upgrade duban) or below 1, malformed bytes, and an
// enum value outside the schema.
Result<task::Event> decode_event(const RecordedEvent& recorded);

// The same for a payload outside an envelope; `position` is only used in messages (0: none).
Result<task::Event> decode_event(std::string_view type, int schema_version,
                                 std::string_view payload, GlobalPosition position = {});

}  // namespace duban::storage
