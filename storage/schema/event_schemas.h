// The payload structs behind task::Event's codec (storage/event_codec.h), for the tests that
// check the payload schema against the event declarations in model/task/events.h. Only tests
// and schema tools need this; nothing at run time does.
//
// Thread-safety: both functions are reentrant.
#pragma once

#include <capnp/schema.h>

#include <string>
#include <vector>

namespace duban::storage {

// The Cap'n Proto struct of every event type's payload, in task::Event's variant order.
std::vector<capnp::StructSchema> event_payload_schemas();

// What the compiler cannot check about the codec's wiring, one line per problem (a payload
// struct not named after its type's kType; a payload struct whose number of fields differs from
// the event struct's). Empty when all is well; see wire::Codec::schema_mismatches().
std::vector<std::string> event_schema_mismatches();

}  // namespace duban::storage
