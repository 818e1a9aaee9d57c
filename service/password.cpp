#include "service/password.h"

#include <sodium.h>

#include <stdexcept>

#include "model/task/error_codes.h"

namespace duban::service {
namespace {

bool ready() {
  static const bool ok = sodium_init() >= 0;  // thread-safe in libsodium; idempotent
  return ok;
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
  if (password.size() < kMinPasswordLength || password.size() > 1024) {
    return make_error(task::errc::kInvalidCommand,
                      "a password needs " + std::to_string(kMinPasswordLength) +
                          " to 1024 bytes; this one has " + std::to_string(password.size()));
  }
  if (!ready()) return make_error("internal", "libsodium could not initialize");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return make_error("internal", "hashing a password ran out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (!ready() || encoded.empty()) return false;
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

std::string generate_password() {
  if (!ready()) throw std::runtime_error("libsodium could not initialize");
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return out;
}

}  // namespace duban::service
