// API token events: the bearer tokens machines use, issued and revoked in the same log as the
// accounts and tasks, so the audit covers who could act and when, and every node sees a
// revocation (it reads the log). Each token has its own stream, "token/<token id>"
// (token_stream_id()). service/token_service.h projects them and answers lookups.
//
// The secret never appears here: only its SHA-256 (lowercase hex, storage::token_hash()), the
// key a presented token is looked up by.
#pragma once

#include <string>
#include <string_view>

#include "model/account/events.h"
#include "model/ids.h"
#include "model/time.h"

namespace duban::account {

// What a token acts as: the supervising office, one unit, or one account (as that person).
enum class TokenScope {
  kOffice,   // the supervising office (督查室)
  kUnit,     // one unit; `unit` says which
  kAccount,  // one account: acts as its person, and stops when the account is disabled
};

// "office", "unit", "account": the text in payloads, the CLI and the API.
inline std::string_view token_scope_name(TokenScope s) {
  switch (s) {
    case TokenScope::kOffice:
      return "office";
    case TokenScope::kUnit:
      return "unit";
    case TokenScope::kAccount:
      return "account";
  }
  return "office";
}

// A token was issued. Always the first event of its stream.
struct TokenIssued {
  static constexpr std::string_view kType = "TokenIssued";
  static constexpr int kSchemaVersion = 1;
  std::string token;  // the token id ("tok-" + 12 hex), the stream's id suffix
  std::string name;   // what the token is for, unique among live tokens ("nightly-import")
  TokenScope scope = TokenScope::kOffice;
  UnitId unit;              // set only for kUnit
  AccountId account;        // set only for kAccount
  std::string secret_hash;  // lowercase hex SHA-256 of the token text; never the text
  Timestamp expires_at{};   // refused from then on; 0: never expires
  Timestamp issued_at{};
  bool operator==(const TokenIssued&) const = default;
};

// A token was revoked: it is refused from now on, on every node, and its open WebSocket
// connections close. A stream "token/legacy-<16 hex of the hash>" with only this event revokes a
// token created before tokens were events (the `tokens` table; see service/token_service.h).
struct TokenRevoked {
  static constexpr std::string_view kType = "TokenRevoked";
  static constexpr int kSchemaVersion = 1;
  std::string reason;  // why, for the audit (may be empty)
  Timestamp at{};
  bool operator==(const TokenRevoked&) const = default;
};

inline constexpr std::string_view kTokenStreamPrefix = "token/";
inline std::string token_stream_id(std::string_view token_id) {
  return std::string(kTokenStreamPrefix) + std::string(token_id);
}

}  // namespace duban::account
