#include "audit/head_ref.h"

#include <cctype>

#include "storage/hash_chain.h"

namespace duban::audit {
namespace {

Error bad(std::string_view text, const std::string& why) {
  return make_error("bad_head", "cannot read '" + std::string(text) + "' as a head (" + why +
                                    "): expected POSITION:HASH, e.g. 271:" +
                                    std::string(2 * storage::kHashSize, '0') +
                                    ", as `duban audit verify --export-head` prints it");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string format_head(const HeadRef& head) {
  return std::to_string(head.position.value()) + ":" + storage::to_hex(head.hash);
}

Result<HeadRef> parse_head(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return bad(text, "no ':'");
  const std::string_view pos = text.substr(0, colon);
  const std::string_view hex = text.substr(colon + 1);
  if (pos.empty() || pos.size() > 18) return bad(text, "the position is not a number");
  std::int64_t position = 0;
  for (char c : pos) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return bad(text, "the position is not a number");
    position = position * 10 + (c - '0');
  }
  if (hex.size() != 2 * storage::kHashSize) {
    return bad(text, "the hash has " + std::to_string(hex.size()) + " hex digits, not " +
                         std::to_string(2 * storage::kHashSize));
  }
  std::string raw;
  raw.reserve(storage::kHashSize);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return bad(text, "the hash is not hexadecimal");
    raw.push_back(static_cast<char>(hi * 16 + lo));
  }
  return HeadRef{GlobalPosition(position), std::move(raw)};
}

}  // namespace duban::audit
