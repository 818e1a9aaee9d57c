// TokenStore: the bearer tokens `duban serve` accepts. Each token is bound to one grant: the
// supervisor role, or one unit. Only a SHA-256 of the token is stored, so a copy of the database
// does not hand out working tokens; the token text is shown once, when it is created.
//
// Backends: SQLite (sqlite_token_store.h) and PostgreSQL (postgres_token_store.h), each a
// `tokens` table beside the event log with the same columns (TEXT, BIGINT); store_factory.h
// picks the one a --db value names. Errors are duban::Error values with the codes of
// storage/store_errc.h.
//
// Thread-safety: every member may be called concurrently from any number of threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"

namespace duban::storage {

// What a token allows: everything (the supervising office), or acting as one unit.
struct TokenGrant {
  enum class Role { kSupervisor, kUnit };
  Role role = Role::kUnit;
  UnitId unit;  // set only when role == kUnit

  static TokenGrant supervisor() { return TokenGrant{Role::kSupervisor, {}}; }
  static TokenGrant of_unit(UnitId unit) { return TokenGrant{Role::kUnit, std::move(unit)}; }
  bool is_supervisor() const { return role == Role::kSupervisor; }
  bool operator==(const TokenGrant&) const = default;
};

// "supervisor" or "unit:<id>", as in envelopes and logs.
std::string to_string(const TokenGrant& grant);

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // Creates a fresh random token for `grant` (unit grants need a non-empty unit), stores its
  // hash with `now`, and returns the token text. The text is not kept: print it now.
  virtual Result<std::string> create(const TokenGrant& grant, Timestamp now) = 0;

  // The grant of a presented token; nullopt when no such token exists.
  virtual Result<std::optional<TokenGrant>> find(std::string_view token) = 0;
};

// A new token: "dbn_" followed by 43 base64url characters of 32 random bytes (OpenSSL RAND).
std::string new_token_text();

// Lowercase hex SHA-256 of a token: the key under which a backend stores it.
std::string token_hash(std::string_view token);

}  // namespace duban::storage
