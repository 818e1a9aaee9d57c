// The hash chain that makes the event log tamper-evident, shared by every backend and by
// auditors:
//
//   hash(e) = SHA-256( hash(previous event) ‖ canonical_envelope(e) ‖ payload(e) )
//
// with kHashSize zero bytes as the "previous hash" of position 1. The canonical envelope is a
// fixed, length-prefixed big-endian byte layout of the event's metadata (documented in
// docs/storage.md and in canonical_envelope() below); changing it is a new format tag, never an
// edit. Thread-safety: all functions are pure and may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"
#include "storage/event_store.h"

namespace duban::storage {

// Views of the fields the hash covers; no copies. Valid while the viewed strings live.
struct HashedFields {
  GlobalPosition position;
  std::string_view stream;
  StreamVersion version;
  std::string_view type;
  std::int32_t schema_version = 0;
  Timestamp recorded_at;
  std::string_view actor;
  std::string_view command_id;
  std::string_view payload;
};

HashedFields hashed_fields(const RecordedEvent& e);

// The 8-byte tag that opens every canonical envelope; names the layout version.
inline constexpr std::string_view kEnvelopeTag = "duban/e1";

// Layout (all integers big-endian; "str" = u32 byte length then the UTF-8 bytes):
//   tag[8] "duban/e1" | i64 position | str stream | i64 stream version | str type |
//   i32 schema version | i64 recorded_at (ms since the Unix epoch, UTC) | str actor |
//   str command id | u64 payload length
// The payload bytes themselves follow the envelope in the hash input, not inside it.
std::string canonical_envelope(const HashedFields& f);

// SHA-256(prev_hash ‖ canonical_envelope(f) ‖ f.payload), kHashSize raw bytes.
// prev_hash must be kHashSize bytes.
std::string chain_hash(std::string_view prev_hash, const HashedFields& f);

// kHashSize zero bytes: the previous hash of the first event.
std::string genesis_hash();

// Lowercase hex of raw bytes, for messages and logs.
std::string to_hex(std::string_view raw);

// Result of a successful verification.
struct ChainCheck {
  std::int64_t events = 0;  // how many events were checked
  Head head;                // the last checked position and hash
};

// Reads the whole log from position 1 in pages of `page_size` and checks that positions are
// gap-free from 1 and that every stored hash equals the recomputed one. Returns the first
// broken link as Error{"corrupt", "...position N..."}. Works on a read-only store.
Result<ChainCheck> verify_hash_chain(EventStore& store, std::size_t page_size = 4096);

}  // namespace duban::storage
