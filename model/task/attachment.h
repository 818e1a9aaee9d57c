// Attachment: a piece of evidence (佐证材料) a report carries, by reference. The bytes live in
// the store's blob table (storage/blob_store.h), keyed by their SHA-256; the event holds only
// this small value, so the hash chain over the events covers the bytes too: `duban audit verify`
// recomputes each referenced blob's hash (docs/audit.md, docs/storage.md "Attachments").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duban::task {

struct Attachment {
  std::string sha256;      // lowercase hex SHA-256 of the bytes (64 characters): the blob's key
  std::string name;        // the file name as uploaded (UTF-8, no path), for the download
  std::string media_type;  // the type sniffed from the content ("application/pdf", ...)
  std::int64_t size = 0;   // bytes
  bool operator==(const Attachment&) const = default;
};

using Attachments = std::vector<Attachment>;

// At most this many attachments on one report.
inline constexpr std::size_t kMaxAttachmentsPerReport = 20;

// True when `s` is 64 lowercase hex digits.
inline bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace duban::task
