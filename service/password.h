// Passwords: Argon2id hashes through libsodium (crypto_pwhash_str), and generated passwords.
// The encoded hash carries its algorithm, salt and cost parameters, so a hash written today is
// still verified after the defaults change. The hash is what account events store
// (model/account/events.h); the password itself is never stored or logged.
//
// Cost: OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (2 passes over 64 MiB, well under a second
// on a server core), so each hash or check costs that much memory for its duration.
//
// Thread-safety: every function may be called concurrently.
#pragma once

#include <string>
#include <string_view>

#include "model/result.h"

namespace duban::service {

// The crypto_pwhash_str encoding of `password` with a fresh random salt. Errors: code
// invalid_command for a password shorter than kMinPasswordLength bytes or longer than 1024;
// "internal" when libsodium cannot initialize or allocate.
Result<std::string> hash_password(std::string_view password);

// True when `password` matches `encoded` (a hash_password() result). False for a wrong password
// and for an encoding that is not a valid hash.
bool verify_password(std::string_view password, const std::string& encoded);

// A fresh random password of 20 characters from an unambiguous alphabet (no 0/O, 1/l/I), about
// 100 bits: what `duban account create` prints when no password comes on stdin.
std::string generate_password();

inline constexpr std::size_t kMinPasswordLength = 10;

}  // namespace duban::service
