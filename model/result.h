// Result<T>: a value or an Error, for expected failures at boundaries (bad input, refused
// commands, version conflicts). Exceptions stay for bugs and broken environments.
//
// We use our own small type instead of std::expected because clang 14 (used for the libFuzzer
// build) cannot compile libstdc++ 12's <expected>.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace duban {

// A failure a person can act on: a stable machine-readable code and a sentence for humans.
struct Error {
  std::string code;     // e.g. "not_utf8", "version_conflict"
  std::string message;  // says what was wrong and, where possible, what to do about it
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace duban
