#include "storage/blob_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/detail/blob_tables.h"
#include "storage/store_errc.h"

namespace duban::storage {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Incremental SHA-256 as lowercase hex.
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL SHA-256 is unavailable");
    }
  }
  void update(std::string_view bytes) {
    if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) {
      throw std::runtime_error("OpenSSL SHA-256 update failed");
    }
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest, &len) != 1) {
      throw std::runtime_error("OpenSSL SHA-256 final failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx_;
};

std::string upload_key() {
  unsigned char raw[12];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "upload:";
  for (unsigned char c : raw) {
    key += kHex[c >> 4];
    key += kHex[c & 15];
  }
  return key;
}

}  // namespace

namespace detail {

// A BlobWriter's state: the backend's functions, the temporary key, the running hash, and the
// chunk being filled (reserved once at kBlobChunkSize, never grown past it).
struct WriterState {
  ChunkWriter backend;
  std::int64_t max_size = 0;
  std::string key = upload_key();
  Sha256 hash;
  std::string pending;
  std::int64_t size = 0;
  std::int64_t chunks = 0;
  bool wrote_rows = false;
  bool finished = false;  // committed or aborted: nothing more to do
  std::optional<Error> failed;

  // Stores `pending` as the next chunk.
  Result<bool> flush() {
    if (pending.empty()) return true;
    hash.update(pending);
    wrote_rows = true;
    if (auto w = backend.write(key, chunks, pending); !w) return w.error();
    ++chunks;
    pending.clear();
    return true;
  }
  void drop() {
    if (finished) return;
    finished = true;
    if (wrote_rows) backend.drop(key);
    pending = std::string();
  }
  Error fail(Error e) {
    drop();
    failed = e;
    return e;
  }
};

}  // namespace detail

BlobWriter::BlobWriter(detail::ChunkWriter writer, std::int64_t max_size)
    : s_(std::make_unique<detail::WriterState>()) {
  s_->backend = std::move(writer);
  s_->max_size = max_size;
  s_->pending.reserve(kBlobChunkSize);
}
BlobWriter::BlobWriter(BlobWriter&&) noexcept = default;
BlobWriter& BlobWriter::operator=(BlobWriter&& other) noexcept {
  if (this != &other) {
    abort();
    s_ = std::move(other.s_);
  }
  return *this;
}
BlobWriter::~BlobWriter() {
  abort();
}

Result<bool> BlobWriter::write(std::string_view bytes) {
  auto& s = *s_;
  if (s.failed) return *s.failed;
  if (s.finished) return make_error("invalid_argument", "the attachment was already finished");
  s.size += static_cast<std::int64_t>(bytes.size());
  if (s.size > s.max_size) {
    return s.fail(make_error("too_large", "the file is larger than the limit of " +
                                              std::to_string(s.max_size) + " bytes"));
  }
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kBlobChunkSize - s.pending.size());
    s.pending.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (s.pending.size() == kBlobChunkSize) {
      if (auto f = s.flush(); !f) return s.fail(f.error());
    }
  }
  return true;
}

Result<BlobInfo> BlobWriter::commit(Timestamp now) {
  auto& s = *s_;
  if (s.failed) return *s.failed;
  if (s.finished) return make_error("invalid_argument", "the attachment was already finished");
  if (s.size == 0) return s.fail(make_error("empty", "the file is empty"));
  if (auto f = s.flush(); !f) return s.fail(f.error());
  BlobInfo info{s.hash.hex(), s.size};
  if (auto p = s.backend.publish(s.key, info, s.chunks, now); !p) return s.fail(p.error());
  s.finished = true;
  return info;
}

void BlobWriter::abort() {
  if (s_) s_->drop();
}

std::int64_t BlobWriter::size() const {
  return s_ ? s_->size : 0;
}

Result<std::optional<std::string>> BlobReader::next() {
  if (next_ >= chunks_) return std::optional<std::string>();
  auto chunk = fetch_(next_);
  if (!chunk) return chunk.error();
  ++next_;
  return std::optional<std::string>(std::move(*chunk));
}

Result<BlobInfo> BlobStore::put(const BlobSource& source, std::int64_t max_size, Timestamp now) {
  auto writer = begin_put(max_size);
  if (!writer) return writer.error();
  std::vector<char> buffer(kBlobChunkSize);
  for (;;) {
    auto got = source(buffer.data(), buffer.size());
    if (!got) return got.error();  // the writer aborts as it goes out of scope
    if (*got == 0) break;
    if (auto w = writer->write(std::string_view(buffer.data(), *got)); !w) return w.error();
  }
  return writer->commit(now);
}

Result<bool> BlobStore::read(std::string_view sha256, const BlobSink& sink) {
  auto reader = open_reader(sha256);
  if (!reader) return reader.error();
  if (!*reader) return false;
  for (;;) {
    auto chunk = (*reader)->next();
    if (!chunk) return chunk.error();
    if (!*chunk) return true;
    if (auto s = sink(**chunk); !s) return s.error();
  }
}

Result<std::optional<BlobInfo>> rehash_blob(BlobStore& store, std::string_view sha256) {
  Sha256 hash;
  std::int64_t size = 0;
  auto found = store.read(sha256, [&](std::string_view chunk) -> Result<bool> {
    hash.update(chunk);
    size += static_cast<std::int64_t>(chunk.size());
    return true;
  });
  if (!found) return found.error();
  if (!*found) return std::optional<BlobInfo>();
  return std::optional<BlobInfo>(BlobInfo{hash.hex(), size});
}

Result<BlobInfo> put_blob_bytes(BlobStore& store, std::string_view bytes, std::int64_t max_size,
                                Timestamp now) {
  std::size_t at = 0;
  return store.put(
      [&](char* buffer, std::size_t capacity) -> Result<std::size_t> {
        const std::size_t n = std::min(capacity, bytes.size() - at);
        std::copy_n(bytes.data() + at, n, buffer);
        at += n;
        return n;
      },
      max_size, now);
}

}  // namespace duban::storage
