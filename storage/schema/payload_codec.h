// Encoding and decoding Cap'n Proto event payloads to and from the opaque bytes the EventStore
// keeps. Payloads are single-segment-or-more flat messages (capnp::messageToFlatArray layout,
// unpacked), so a stored payload can be read in place after one aligned copy.
//
// Why the copy: capnp readers need 8-byte-aligned words, and neither std::string nor SQLite BLOB
// pointers promise that alignment. PayloadReader copies the bytes into a kj::heapArray of
// capnp::word once and owns it for the reader's lifetime.
//
// Thread-safety: encode_payload is reentrant; a PayloadReader is used by one thread at a time.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <kj/memory.h>

#include <string>
#include <string_view>

#include "model/result.h"

namespace duban::storage {

// The bytes of a built message, ready to be a NewEvent payload.
std::string encode_payload(capnp::MessageBuilder& message);

// Convenience: builds nothing, just serializes an existing struct reader into fresh bytes.
template <class T>
std::string encode_payload_from(typename T::Reader root) {
  capnp::MallocMessageBuilder message;
  message.setRoot(root);
  return encode_payload(message);
}

class PayloadReader {
 public:
  // Copies `bytes` into an aligned buffer and checks the whole message is well-formed (segment
  // table and every pointer within bounds, within `options` limits). Error code bad_payload
  // otherwise. After a successful open, reading fields does not fail on malformed data.
  static Result<PayloadReader> open(std::string_view bytes,
                                    capnp::ReaderOptions options = capnp::ReaderOptions());

  PayloadReader(PayloadReader&&) = default;
  PayloadReader& operator=(PayloadReader&&) = default;

  // The message root as T (a generated struct type). Valid while this reader lives.
  template <class T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

 private:
  PayloadReader(kj::Array<capnp::word> words, kj::Own<capnp::FlatArrayMessageReader> reader)
      : words_(kj::mv(words)), reader_(kj::mv(reader)) {}
  kj::Array<capnp::word> words_;                   // the aligned copy `reader_` reads from
  kj::Own<capnp::FlatArrayMessageReader> reader_;  // declared after words_: destroyed first
};

}  // namespace duban::storage
