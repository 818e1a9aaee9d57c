// The stable codes of duban::Error values returned by decide() and plan_ingest(). Clients and
// the HTTP edge switch on these strings, so they never change once released.
#pragma once

namespace duban::task::errc {

inline constexpr const char* kForbidden = "forbidden";                   // wrong actor
inline constexpr const char* kIllegalTransition = "illegal_transition";  // wrong state
inline constexpr const char* kNotFound = "not_found";                    // no such task
inline constexpr const char* kInvalidCommand = "invalid_command";        // malformed fields
inline constexpr const char* kAlreadyExists = "already_exists";          // create twice

}  // namespace duban::task::errc
