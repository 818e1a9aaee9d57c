// StoreErrc: the one set of error codes every EventStore backend reports. Each backend
// translates its driver's errors (SQLite result codes, later libpq SQLSTATEs) into these at its
// boundary, so callers never see which database they talk to.
//
// Errors travel as duban::Error values whose `code` is the stable snake_case name below
// (e.g. "version_conflict"); the enum is also registered as a std::error_code category for code
// that prefers error_code. Header-only: the payload codec uses it without linking the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "model/result.h"

namespace duban::storage {

enum class StoreErrc {
  // Expected outcomes a caller handles.
  version_conflict = 1,  // the stream is not at the expected version; reload and retry
  command_id_reused,     // a command id already recorded for a different stream
  invalid_argument,      // e.g. no events, empty stream name or command id
  read_only,             // the store was opened read-only
  not_found,             // the database file does not exist (read-only open)
  bad_payload,           // payload bytes are not a well-formed message
  // Broken environments: reported, not retried blindly.
  schema_too_new,  // the database was written by a newer duban; upgrade duban
  busy,            // another process held the write lock past the busy timeout
  corrupt,         // not a duban database, or its file is damaged
  io_error,        // disk full, I/O error, permission denied
  internal,        // any other driver failure
};

inline constexpr std::string_view code_name(StoreErrc e) {
  switch (e) {
    case StoreErrc::version_conflict:
      return "version_conflict";
    case StoreErrc::command_id_reused:
      return "command_id_reused";
    case StoreErrc::invalid_argument:
      return "invalid_argument";
    case StoreErrc::read_only:
      return "read_only";
    case StoreErrc::not_found:
      return "not_found";
    case StoreErrc::bad_payload:
      return "bad_payload";
    case StoreErrc::schema_too_new:
      return "schema_too_new";
    case StoreErrc::busy:
      return "busy";
    case StoreErrc::corrupt:
      return "corrupt";
    case StoreErrc::io_error:
      return "io_error";
    case StoreErrc::internal:
      return "internal";
  }
  return "internal";
}

// The inverse of code_name; nullopt for codes that are not store codes.
inline std::optional<StoreErrc> parse_store_code(std::string_view code) {
  for (int i = static_cast<int>(StoreErrc::version_conflict);
       i <= static_cast<int>(StoreErrc::internal); ++i) {
    if (code_name(static_cast<StoreErrc>(i)) == code) return static_cast<StoreErrc>(i);
  }
  return std::nullopt;
}

inline Error store_error(StoreErrc e, std::string message) {
  return Error{std::string(code_name(e)), std::move(message)};
}

// True when `error` carries the code of `e`.
inline bool is(const Error& error, StoreErrc e) {
  return error.code == code_name(e);
}

namespace detail {
class StoreCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "duban.storage"; }
  std::string message(int ev) const override {
    return std::string(code_name(static_cast<StoreErrc>(ev)));
  }
};
}  // namespace detail

inline const std::error_category& store_category() {
  static const detail::StoreCategory category;
  return category;
}

inline std::error_code make_error_code(StoreErrc e) {
  return {static_cast<int>(e), store_category()};
}

}  // namespace duban::storage

template <>
struct std::is_error_code_enum<duban::storage::StoreErrc> : std::true_type {};
