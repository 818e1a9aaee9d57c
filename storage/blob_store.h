// BlobStore: the bytes of evidence attachments (佐证材料), content-addressed by SHA-256, in
// tables beside the event log (docs/storage.md, "Attachments"). Events refer to a blob by its
// hash (model/task/attachment.h); `duban audit verify` reads every referenced blob back and
// recomputes its hash.
//
// Bytes move in chunks of kBlobChunkSize, both ways: a BlobWriter takes pieces as they come and
// writes one row per chunk, a BlobReader yields one chunk per call (put() and read() are loops
// over them), so no caller or backend ever holds a whole file. A put writes its chunks under a
// temporary key ("upload:<random>") in short transactions, then in one transaction either renames
// them to the hash (new content) or drops them (the content is there already): a reader never sees
// half a blob, and equal content is stored once. A process killed mid-put leaves rows under its
// temporary key, which no reader ever finds (docs/storage.md says how to remove them).
//
// Backends: SQLite (the tables `blobs` and `blob_chunks` in the event store's file) and
// PostgreSQL (the same tables in its database), picked by open_blob_store() from a --db value.
//
// Thread-safety: every member may be called concurrently from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/result.h"
#include "model/time.h"

namespace duban::storage {

// Bytes per stored chunk (the last chunk of a blob may be shorter). 256 KiB.
inline constexpr std::size_t kBlobChunkSize = 256 * 1024;

struct BlobInfo {
  std::string sha256;     // lowercase hex SHA-256 of the bytes
  std::int64_t size = 0;  // bytes
  bool operator==(const BlobInfo&) const = default;
};

// Fills `buffer` with up to `capacity` bytes and returns how many; 0 means the end. An error
// aborts the put() (its temporary rows are removed).
using BlobSource = std::function<Result<std::size_t>(char* buffer, std::size_t capacity)>;
// Receives the next chunk of a blob, in order. An error stops the read() and is returned.
using BlobSink = std::function<Result<bool>(std::string_view chunk)>;

namespace detail {
struct ChunkWriter;
struct WriterState;
}  // namespace detail

// One put in progress, fed by the caller as bytes arrive (an HTTP body read in pieces): pieces
// of any size are gathered into kBlobChunkSize chunks, hashed (SHA-256, incrementally) and
// stored under a temporary key as each chunk fills, so the writer holds at most one chunk.
// commit() stores the last chunk and publishes the blob under its hash; abort(), a failed
// write(), or destroying an uncommitted writer removes the temporary rows (nothing is kept).
// Must not outlive its store. Not thread-safe: one caller at a time (any thread).
class BlobWriter {
 public:
  BlobWriter(detail::ChunkWriter writer, std::int64_t max_size);
  BlobWriter(BlobWriter&&) noexcept;
  BlobWriter& operator=(BlobWriter&&) noexcept;
  ~BlobWriter();

  // Appends `bytes`. Errors: "too_large" as soon as the total passes max_size, or the backend's
  // StoreErrc; after an error the writer is aborted and every later call fails.
  Result<bool> write(std::string_view bytes);
  // Stores the rest and publishes the blob (equal content already stored keeps that copy).
  // Errors: "empty" for no bytes, the backend's; either way nothing is kept.
  Result<BlobInfo> commit(Timestamp now);
  // Drops what was written. Idempotent; a no-op after commit().
  void abort();
  // Bytes written so far.
  std::int64_t size() const;

 private:
  std::unique_ptr<detail::WriterState> s_;
};

// One blob being read, a chunk at a time, in order (the caller pulls: an HTTP response written
// chunk by chunk). Each next() is one backend query; no transaction stays open between them.
// Must not outlive its store. Not thread-safe: one caller at a time (any thread).
class BlobReader {
 public:
  using Fetch = std::function<Result<std::string>(std::int64_t chunk_no)>;
  BlobReader(BlobInfo info, std::int64_t chunks, Fetch fetch)
      : info_(std::move(info)), chunks_(chunks), fetch_(std::move(fetch)) {}

  const BlobInfo& info() const { return info_; }
  // The next chunk (at most kBlobChunkSize bytes), or nullopt after the last. Errors: the
  // backend's (a missing chunk reads as corrupt).
  Result<std::optional<std::string>> next();

 private:
  BlobInfo info_;
  std::int64_t chunks_ = 0;
  std::int64_t next_ = 0;
  Fetch fetch_;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // A writer for one new blob of at most `max_size` bytes (see BlobWriter). Errors: "read_only"
  // (StoreErrc) when the store was opened read-only.
  virtual Result<BlobWriter> begin_put(std::int64_t max_size) = 0;

  // A reader of the blob with that hash, or nullopt when there is none.
  virtual Result<std::optional<BlobReader>> open_reader(std::string_view sha256) = 0;

  // The blob's size, or nullopt when no blob has that hash.
  virtual Result<std::optional<BlobInfo>> find(std::string_view sha256) = 0;

  // Reads `source` to its end in chunks, storing it under its SHA-256, through begin_put().
  // `max_size`: more bytes than this abort the put with "too_large" (nothing is kept). Storing
  // content that is there already succeeds and keeps one copy. Errors: the source's,
  // "too_large", "empty" for no bytes, or the backend's StoreErrc.
  Result<BlobInfo> put(const BlobSource& source, std::int64_t max_size, Timestamp now);

  // Hands the blob's chunks to `sink` in order, through open_reader(); false when no blob has
  // that hash.
  Result<bool> read(std::string_view sha256, const BlobSink& sink);
};

// Reads the blob back and returns the SHA-256 of the bytes stored (what `audit verify`
// compares with the key), or nullopt when no blob has that hash.
Result<std::optional<BlobInfo>> rehash_blob(BlobStore& store, std::string_view sha256);

// A put() from bytes already in memory (tests, small uploads).
Result<BlobInfo> put_blob_bytes(BlobStore& store, std::string_view bytes, std::int64_t max_size,
                                Timestamp now);

// Opens the blob tables beside the event store `db` names (a SQLite path or a postgresql://
// URL), creating them if missing. Open the event store first (the SQLite event store refuses a
// non-empty file without its own tables). With `read_only` nothing is created or written (for
// `duban audit verify`): a database without the tables is a store without blobs, and put()
// fails with "read_only". Errors: the backend's StoreErrc code with a message naming the
// (redacted) database. (blob_store_factory.cpp, library duban_blob_store; the rest of this
// header is duban_blob_core, which links no database.)
Result<std::unique_ptr<BlobStore>> open_blob_store(const std::string& db, bool read_only = false);

}  // namespace duban::storage
