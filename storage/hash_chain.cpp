#include "storage/hash_chain.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "storage/store_errc.h"

namespace duban::storage {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_i64(std::string& out, std::int64_t v) {
  put_u64(out, static_cast<std::uint64_t>(v));
}
void put_str(std::string& out, std::string_view s) {
  if (s.size() > 0xffffffffu) throw std::length_error("envelope field longer than 4 GiB");
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

HashedFields hashed_fields(const RecordedEvent& e) {
  return HashedFields{e.position,    e.stream, e.version,          e.type,   e.schema_version,
                      e.recorded_at, e.actor,  e.command_id.str(), e.payload};
}

std::string canonical_envelope(const HashedFields& f) {
  std::string out;
  out.reserve(kEnvelopeTag.size() + 8 * 5 + 4 * 5 + f.stream.size() + f.type.size() +
              f.actor.size() + f.command_id.size());
  out.append(kEnvelopeTag);
  put_i64(out, f.position.value());
  put_str(out, f.stream);
  put_i64(out, f.version.value());
  put_str(out, f.type);
  put_u32(out, static_cast<std::uint32_t>(f.schema_version));
  put_i64(out, to_millis(f.recorded_at));
  put_str(out, f.actor);
  put_str(out, f.command_id);
  put_u64(out, f.payload.size());
  return out;
}

std::string chain_hash(std::string_view prev_hash, const HashedFields& f) {
  if (prev_hash.size() != kHashSize) throw std::invalid_argument("prev_hash must be 32 bytes");
  // One context per thread, reused: EVP_MD_CTX_new per event costs more than the hash itself.
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  const std::string envelope = canonical_envelope(f);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), prev_hash.data(), prev_hash.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), envelope.data(), envelope.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), f.payload.data(), f.payload.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1 || len != kHashSize) {
    throw std::runtime_error("OpenSSL SHA-256 failed");  // a broken environment, not an outcome
  }
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string genesis_hash() {
  return std::string(kHashSize, '\0');
}

std::string to_hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

Result<ChainCheck> verify_hash_chain(EventStore& store, std::size_t page_size) {
  if (page_size == 0) return store_error(StoreErrc::invalid_argument, "page_size must be positive");
  ChainCheck check;
  check.head = Head{GlobalPosition(0), genesis_hash()};
  for (;;) {
    auto page = store.read_all(check.head.position.next(), page_size);
    if (!page) return page.error();
    for (const RecordedEvent& e : *page) {
      if (e.position != check.head.position.next()) {
        return store_error(StoreErrc::corrupt,
                           "hash chain broken: expected position " +
                               std::to_string(check.head.position.next().value()) + ", found " +
                               std::to_string(e.position.value()));
      }
      const std::string expected = chain_hash(check.head.hash, hashed_fields(e));
      if (e.hash != expected) {
        return store_error(StoreErrc::corrupt,
                           "hash chain broken at position " + std::to_string(e.position.value()) +
                               ": stored " + to_hex(e.hash) + ", recomputed " + to_hex(expected) +
                               "; the event or one before it was altered");
      }
      check.head = Head{e.position, e.hash};
      ++check.events;
    }
    if (page->size() < page_size) return check;
  }
}

}  // namespace duban::storage
