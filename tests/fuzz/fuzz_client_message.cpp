// Fuzzes the WebSocket client-message decoder (server/push/client_message.h) with arbitrary
// bytes, as a JSON text frame and as a Cap'n Proto binary frame. It must never crash, hang or
// trip a sanitizer, and what it accepts must hold the decoder's promises: a subscribe names a
// filter whose id is empty exactly for "all", and a resume position is never negative.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/push/client_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duban::server::push;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (bool binary : {false, true}) {
    auto parsed = parse_client_message(bytes, binary);
    if (!parsed) {
      if (parsed.error().code != "bad_message") std::abort();
      continue;
    }
    if (parsed->kind != ClientMessage::Kind::kSubscribe) continue;
    const Filter& f = parsed->filter;
    if ((f.kind == Filter::Kind::kAll) != f.id.empty()) std::abort();
    if (parsed->from && parsed->from->value() < 0) std::abort();
  }
  return 0;
}
