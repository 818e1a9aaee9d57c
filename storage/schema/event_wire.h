// The machinery behind the event codec, generic over an event variant: each event type E maps
// onto one Cap'n Proto struct through a Wire<E> specialization, and everything else (encode
// dispatch, the decoder table keyed by type name, the schema version checks, upcasting) follows
// from the variant's alternatives. storage/event_codec.cpp instantiates it for task::Event;
// tests/storage/test_event_codec_test.cpp for a test-only event declared the same way, which is
// how docs/events.md ("Adding an event type") shows the one-place declaration at work.
//
// A Wire<E> specialization provides:
//   using Schema = <capnp struct named E::kType>;
//   static void write(Schema::Builder, const E&);
//   static E read(Schema::Reader, Problems&);
//   static E upcast(E, int from_version);   // required when E::kSchemaVersion > 1
// Missing ones are compile errors naming the step in docs/events.md. What the compiler cannot
// see (the struct's name and its number of fields against E) schema_mismatches() reports, and
// the codec tests require it to report nothing.
//
// Thread-safety: every function is reentrant and may be called concurrently.
#pragma once

#include <capnp/message.h>
#include <capnp/schema.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <kj/exception.h>

#include <algorithm>
#include <concepts>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "model/result.h"
#include "model/task/event_catalogue.h"
#include "storage/event_store.h"
#include "storage/schema/payload_codec.h"
#include "storage/store_errc.h"

namespace duban::storage::wire {

// Problems the schema cannot rule out (an enumerant this build does not know) are collected
// here while reading, and turned into one bad_payload error afterwards.
struct Problems {
  std::string first;
  void note(std::string what) {
    if (first.empty()) first = std::move(what);
  }
};

// Specialized once per event type, next to its capnp struct's users (see the header comment).
template <class E>
struct Wire;

template <class E>
concept Wired = requires {
  typename Wire<E>::Schema;
};

template <class E>
concept Upcastable = requires(E e) {
  { Wire<E>::upcast(std::move(e), 1) } -> std::same_as<E>;
};

// Compile-time checks of one event type's wiring, with the step of docs/events.md to take.
template <class E>
constexpr bool check_wired() {
  static_assert(Wired<E>,
                "an event type has no Wire<E>: add its struct (named after kType) to the payload "
                "schema and a Wire<E> specialization with write() and read() (docs/events.md, "
                "'Adding an event type', step 2)");
  static_assert(E::kSchemaVersion == 1 || Upcastable<E>,
                "kSchemaVersion > 1 needs Wire<E>::upcast(E, int from_version) reading every older "
                "version (docs/events.md, 'Adding the next version')");
  return true;
}

inline capnp::Text::Reader text(const std::string& v) {
  return capnp::Text::Reader(v.data(), v.size());
}
inline std::string str(capnp::Text::Reader t) {
  return std::string(t.begin(), t.size());
}

// "event 7 (TaskCreated)" in the log, "TaskCreated payload" outside it.
inline std::string where(std::string_view type, GlobalPosition position) {
  return position.value() > 0
             ? "event " + std::to_string(position.value()) + " (" + std::string(type) + ")"
             : std::string(type) + " payload";
}

// The aligned copy capnp needs (docs/storage.md), reused per thread so decoding a long log does
// not allocate a buffer per event. Valid until the thread's next call.
inline kj::ArrayPtr<const capnp::word> aligned_copy(std::string_view bytes) {
  thread_local kj::Array<capnp::word> buffer;
  const std::size_t words = bytes.size() / sizeof(capnp::word);
  if (buffer.size() < words) buffer = kj::heapArray<capnp::word>(std::max<std::size_t>(words, 512));
  std::memcpy(buffer.begin(), bytes.data(), bytes.size());
  return buffer.asPtr().slice(0, words);
}

inline constexpr unsigned kFirstSegmentWords = 256;  // most payloads fit; big ones grow

// Encoding, decoding and schema checks for every alternative of `Variant`.
template <class Variant>
class Codec {
 public:
  using Catalogue = task::EventCatalogue<Variant>;

  // The payload bytes of `event`, at its type's current schema version.
  static std::string encode(const Variant& event) {
    return std::visit([](const auto& e) { return encode_one(e); }, event);
  }

  // The event a payload of (type, schema_version) holds, upcast to the current version; errors
  // as documented at storage::decode_event().
  static Result<Variant> decode(std::string_view type, int schema_version, std::string_view payload,
                                GlobalPosition position) {
    const auto& table = decoders();
    auto it = table.find(type);
    if (it == table.end()) {
      return store_error(StoreErrc::bad_payload,
                         where(type, position) + ": unknown event type '" + std::string(type) +
                             "' (not one of the " + std::to_string(table.size()) +
                             " types this duban knows; a newer duban may have written it)");
    }
    return it->second(payload, schema_version, position);
  }

  // The payload struct of every event type, in variant order.
  static std::vector<capnp::StructSchema> payload_schemas() {
    return payload_schemas(std::make_index_sequence<Catalogue::kSize>{});
  }

  // What the compiler cannot check about the wiring, one line per problem: each payload struct
  // is named after its type's kType and has as many fields as the event struct (a named union
  // counts as one field, like the std::optional it holds). Empty when all is well.
  static std::vector<std::string> schema_mismatches() {
    std::vector<std::string> out;
    mismatches(out, std::make_index_sequence<Catalogue::kSize>{});
    return out;
  }

 private:
  using Decoder = Result<Variant> (*)(std::string_view, int, GlobalPosition);

  template <class E>
  static std::string encode_one(const E& e) {
    static_assert(check_wired<E>());
    capnp::MallocMessageBuilder message(kFirstSegmentWords);
    Wire<E>::write(message.initRoot<typename Wire<E>::Schema>(), e);
    return encode_payload(message);
  }

  template <class E>
  static Result<Variant> decode_one(std::string_view payload, int version,
                                    GlobalPosition position) {
    static_assert(check_wired<E>());
    constexpr int current = E::kSchemaVersion;
    if (version > current) {
      return store_error(StoreErrc::bad_payload,
                         where(E::kType, position) + " has schema version " +
                             std::to_string(version) + ", newer than this duban knows (" +
                             std::to_string(current) + "): upgrade duban to read this log");
    }
    if (version < 1) {
      return store_error(StoreErrc::bad_payload,
                         where(E::kType, position) + " has schema version " +
                             std::to_string(version) + "; versions start at 1");
    }
    if (payload.empty() || payload.size() % sizeof(capnp::word) != 0) {
      return store_error(StoreErrc::bad_payload,
                         where(E::kType, position) + " of " + std::to_string(payload.size()) +
                             " bytes is not a Cap'n Proto message (size must be a positive "
                             "multiple of 8)");
    }
    std::optional<E> event;
    Problems problems;
    // This is the decoding boundary: capnp reports malformed input by throwing kj::Exception,
    // and here it becomes a value. Nothing else in duban catches.
    kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
      kj::ArrayPtr<const capnp::word> words = aligned_copy(payload);
      capnp::FlatArrayMessageReader message(words);
      KJ_REQUIRE(message.getEnd() == words.end(), "trailing bytes after the message");
      event = Wire<E>::read(message.getRoot<typename Wire<E>::Schema>(), problems);
    });
    KJ_IF_MAYBE (e, failure) {
      return store_error(StoreErrc::bad_payload, "malformed " + where(E::kType, position) + ": " +
                                                     e->getDescription().cStr());
    }
    if (!problems.first.empty()) {
      return store_error(StoreErrc::bad_payload, where(E::kType, position) + ": " + problems.first);
    }
    if constexpr (current > 1) {
      if (version < current) return Variant(Wire<E>::upcast(std::move(*event), version));
    }
    return Variant(std::move(*event));
  }

  template <std::size_t... I>
  static std::unordered_map<std::string_view, Decoder> make_decoders(std::index_sequence<I...>) {
    return {{std::variant_alternative_t<I, Variant>::kType,
             &decode_one<std::variant_alternative_t<I, Variant>>}...};
  }

  static const std::unordered_map<std::string_view, Decoder>& decoders() {
    static const auto table = make_decoders(std::make_index_sequence<Catalogue::kSize>{});
    return table;
  }

  template <std::size_t... I>
  static std::vector<capnp::StructSchema> payload_schemas(std::index_sequence<I...>) {
    return {
        capnp::Schema::from<typename Wire<std::variant_alternative_t<I, Variant>>::Schema>()...};
  }

  template <std::size_t... I>
  static void mismatches(std::vector<std::string>& out, std::index_sequence<I...>) {
    (mismatch<std::variant_alternative_t<I, Variant>>(out), ...);
  }

  template <class E>
  static void mismatch(std::vector<std::string>& out) {
    const capnp::StructSchema schema = capnp::Schema::from<typename Wire<E>::Schema>();
    const kj::StringPtr name = schema.getShortDisplayName();
    if (std::string_view(name.cStr(), name.size()) != E::kType) {
      out.push_back(std::string(E::kType) + ": its payload struct is named '" + name.cStr() +
                    "'; name it after the type");
    }
    std::size_t wire_fields = 0;  // retired fields (renamed obsolete…) stay in the schema
    for (capnp::StructSchema::Field f : schema.getFields()) {
      if (!f.getProto().getName().startsWith("obsolete")) ++wire_fields;
    }
    constexpr std::size_t cpp_fields = task::aggregate_field_count<E>();
    if (wire_fields != cpp_fields) {
      out.push_back(std::string(E::kType) + ": the event struct has " + std::to_string(cpp_fields) +
                    " fields, its payload struct " + std::to_string(wire_fields) +
                    "; every field needs a payload field (a named union for an optional)");
    }
  }
};

}  // namespace duban::storage::wire
