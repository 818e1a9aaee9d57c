// Private to storage/: the text forms the PostgreSQL store exchanges with the server. Every
// value travels in PostgreSQL's text protocol: bytea as hex ("\x0aff"), and a whole batch of
// rows as one array literal per column ('{"a","b"}'), which the append statement unnests; one
// prepared statement then writes any number of events in one round trip.
//
// Thread-safety: pure functions and a value type; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace duban::storage::detail {

// "\x" followed by lowercase hex: bytea's input form (and its output with bytea_output = hex).
std::string bytea_hex(std::string_view raw);

// The bytes of a bytea value in hex output form ("\x..."). Throws std::runtime_error on
// anything else: the store sets bytea_output = hex on every connection, so other input is a bug.
std::string bytea_from_hex(std::string_view text);

// True when PostgreSQL's text type can hold `s` unchanged: valid UTF-8 without NUL bytes.
// (SQLite stores any bytes; PostgreSQL rejects both, so the store refuses them up front.)
bool fits_pg_text(std::string_view s);

// Builds a one-dimensional PostgreSQL array literal element by element. Strings are always
// quoted, so "NULL", braces, commas and blanks stay ordinary text.
class ArrayLiteral {
 public:
  ArrayLiteral() : text_("{") {}

  void add_text(std::string_view s);  // s must satisfy fits_pg_text()
  void add_bytea(std::string_view raw);
  void add_int(std::int64_t v);

  std::size_t size() const { return count_; }
  // The finished literal, e.g. {"a","b"} or {} when empty. The builder is spent afterwards.
  std::string take();

 private:
  void separator();
  std::string text_;
  std::size_t count_ = 0;
};

}  // namespace duban::storage::detail
