#include "storage/schema/payload_codec.h"

#include <capnp/any.h>
#include <kj/exception.h>

#include <cstring>

#include "storage/store_errc.h"

namespace duban::storage {

std::string encode_payload(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const kj::byte> bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

Result<PayloadReader> PayloadReader::open(std::string_view bytes, capnp::ReaderOptions options) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return store_error(StoreErrc::bad_payload,
                       "payload of " + std::to_string(bytes.size()) +
                           " bytes is not a Cap'n Proto message (size must be a positive "
                           "multiple of 8)");
  }
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  // Business logic never catches, but this is the decoding boundary: capnp reports malformed
  // input by throwing kj::Exception, and here it becomes a value.
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
    capnp::FlatArrayMessageReader probe(words.asPtr(), options);
    // Walks every pointer of the message, so any out-of-bounds pointer fails now, not later.
    (void)probe.getRoot<capnp::AnyPointer>().targetSize();
    KJ_REQUIRE(probe.getEnd() == words.end(), "trailing bytes after the message");
  });
  KJ_IF_MAYBE (e, failure) {
    return store_error(StoreErrc::bad_payload,
                       std::string("malformed Cap'n Proto payload: ") + e->getDescription().cStr());
  }
  auto reader = kj::heap<capnp::FlatArrayMessageReader>(words.asPtr(), options);
  return PayloadReader(kj::mv(words), kj::mv(reader));
}

}  // namespace duban::storage
