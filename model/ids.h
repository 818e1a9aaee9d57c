// Strong types for identifiers, versions and positions, so that one cannot be passed where
// another is expected (a TaskId is not a UnitId, a StreamVersion is not a GlobalPosition).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace duban {

template <class Tag>
class StringId {
 public:
  StringId() = default;
  explicit StringId(std::string v) : v_(std::move(v)) {}
  const std::string& str() const { return v_; }
  bool empty() const { return v_.empty(); }
  auto operator<=>(const StringId&) const = default;

 private:
  std::string v_;
};

template <class Tag>
class Counter {
 public:
  constexpr Counter() = default;
  constexpr explicit Counter(std::int64_t v) : v_(v) {}
  constexpr std::int64_t value() const { return v_; }
  constexpr Counter next() const { return Counter(v_ + 1); }
  auto operator<=>(const Counter&) const = default;

 private:
  std::int64_t v_ = 0;
};

using TaskId = StringId<struct TaskIdTag>;          // stream id of one task
using UnitId = StringId<struct UnitIdTag>;          // canonical unit id from the directory
using DocumentId = StringId<struct DocumentIdTag>;  // issuing number, or the title
using CommandId = StringId<struct CommandIdTag>;    // client-chosen id making retries idempotent
using StreamVersion = Counter<struct StreamVersionTag>;    // 1 for a stream's first event
using GlobalPosition = Counter<struct GlobalPositionTag>;  // 1 for the log's first event

}  // namespace duban

// Hash and equality are transparent, so a map keyed by an id can be searched with the id's text
// (a stream name's tail, a decoded field) without building an id and allocating its string.
// The hash is deliberately not noexcept: libstdc++'s unordered containers then keep each key's
// hash in its node, so a lookup compares stored hashes before strings and never rehashes a
// neighbour's key to find where its bucket ends (about a tenth of a replay's time otherwise).
template <class Tag>
struct std::hash<duban::StringId<Tag>> {
  using is_transparent = void;
  size_t operator()(const duban::StringId<Tag>& id) const {
    return std::hash<std::string_view>{}(id.str());
  }
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

template <class Tag>
struct std::equal_to<duban::StringId<Tag>> {
  using is_transparent = void;
  bool operator()(const duban::StringId<Tag>& a, const duban::StringId<Tag>& b) const noexcept {
    return a == b;
  }
  bool operator()(const duban::StringId<Tag>& a, std::string_view b) const noexcept {
    return a.str() == b;
  }
  bool operator()(std::string_view a, const duban::StringId<Tag>& b) const noexcept {
    return a == b.str();
  }
};
