#include "storage/token_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace duban::storage {

std::string to_string(const TokenGrant& grant) {
  return grant.is_supervisor() ? std::string("supervisor") : "unit:" + grant.unit.str();
}

std::string new_token_text() {
  unsigned char bytes[32];
  // RAND_bytes fails only when the OS entropy source is broken: an environment fault.
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "dbn_";
  // base64url without padding: 32 bytes -> 43 characters.
  unsigned bits = 0;
  int nbits = 0;
  for (unsigned char b : bytes) {
    bits = (bits << 8) | b;
    nbits += 8;
    while (nbits >= 6) {
      nbits -= 6;
      out.push_back(kAlphabet[(bits >> nbits) & 0x3f]);
    }
  }
  if (nbits > 0) out.push_back(kAlphabet[(bits << (6 - nbits)) & 0x3f]);
  return out;
}

std::string token_hash(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace duban::storage
