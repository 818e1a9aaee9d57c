#include "storage/blob_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
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

Result<BlobInfo> put_chunked(const BlobSource& source, std::int64_t max_size,
                             const ChunkWriter& writer) {
  const std::string key = upload_key();
  Sha256 hash;
  std::vector<char> buffer(kBlobChunkSize);
  std::int64_t size = 0;
  std::int64_t chunks = 0;
  auto fail = [&](Error e) -> Result<BlobInfo> {
    writer.drop(key);
    return e;
  };
  for (;;) {
    // Fill a whole chunk (a source may return less than asked for before its end).
    std::size_t filled = 0;
    while (filled < buffer.size()) {
      auto got = source(buffer.data() + filled, buffer.size() - filled);
      if (!got) return fail(got.error());
      if (*got == 0) break;
      filled += *got;
    }
    if (filled == 0) break;
    size += static_cast<std::int64_t>(filled);
    if (size > max_size) {
      return fail(make_error("too_large", "the file is larger than the limit of " +
                                              std::to_string(max_size) + " bytes"));
    }
    const std::string_view chunk(buffer.data(), filled);
    hash.update(chunk);
    if (auto w = writer.write(key, chunks, chunk); !w) return fail(w.error());
    ++chunks;
    if (filled < buffer.size()) break;
  }
  if (size == 0) return fail(make_error("empty", "the file is empty"));
  BlobInfo info{hash.hex(), size};
  if (auto p = writer.publish(key, info, chunks); !p) return fail(p.error());
  return info;
}

}  // namespace detail

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
