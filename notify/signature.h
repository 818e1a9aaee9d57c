// The webhook signature: X-Duban-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>.
// A receiver recomputes it over the raw body with the channel's secret and compares (in
// constant time) before trusting the message.
#pragma once

#include <string>
#include <string_view>

namespace duban::notify {

inline constexpr const char* kSignatureHeader = "X-Duban-Signature";

// Lowercase hex HMAC-SHA256 of `body` under `secret` (OpenSSL). Reentrant.
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// "sha256=" + hmac_sha256_hex(secret, body): the header's value.
std::string signature_header_value(std::string_view secret, std::string_view body);

}  // namespace duban::notify
