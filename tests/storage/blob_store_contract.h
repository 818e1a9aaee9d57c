// The BlobStore contract, run on both backends (blob_store_test.cpp on a SQLite file,
// blob_store_postgres_test.cpp on a throwaway PostgreSQL database): a blob of several chunks
// round-trips byte for byte in chunks no larger than kBlobChunkSize, under its SHA-256; equal
// content is stored once; over-limit and empty sources keep nothing; and a changed stored byte
// shows in rehash_blob(). `corrupt_one_byte(sha256)` flips a byte of the stored chunk 1 with the
// backend's own SQL, as an operator with database access could.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "storage/blob_store.h"

namespace duban::storage::testing {

// n bytes of a fixed pseudo-random pattern (every byte value appears; NULs included).
inline std::string pattern_bytes(std::size_t n, unsigned seed = 7) {
  std::string out(n, '\0');
  unsigned x = seed;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 16);
  }
  return out;
}

inline void expect_blob_store_contract(BlobStore& store,
                                       const std::function<void(const std::string&)>& corrupt) {
  const Timestamp now = from_millis(1'767'312'000'000);
  // 2.5 chunks: the last chunk is short.
  const std::string bytes = pattern_bytes(kBlobChunkSize * 2 + kBlobChunkSize / 2);
  auto put = put_blob_bytes(store, bytes, 50 << 20, now);
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(put->sha256.size(), 64u);

  std::string back;
  int chunks = 0;
  auto read = store.read(put->sha256, [&](std::string_view chunk) -> Result<bool> {
    EXPECT_LE(chunk.size(), kBlobChunkSize);
    back.append(chunk);
    ++chunks;
    return true;
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_TRUE(*read);
  EXPECT_EQ(chunks, 3);
  EXPECT_TRUE(back == bytes) << "the blob did not round-trip byte for byte";

  auto found = store.find(put->sha256);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->size, put->size);

  // The same content again: the same reference, one copy.
  auto again = put_blob_bytes(store, bytes, 50 << 20, now);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *put);

  // Over the limit, and empty: refused, nothing kept.
  auto big = put_blob_bytes(store, pattern_bytes(kBlobChunkSize + 10, 9), kBlobChunkSize, now);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, "too_large");
  auto empty = put_blob_bytes(store, "", 100, now);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "empty");

  const std::string absent(64, '0');
  EXPECT_FALSE(store.find(absent)->has_value());
  EXPECT_FALSE(*store.read(absent, [](std::string_view) -> Result<bool> { return true; }));

  // The stored bytes hash to their key, until one byte changes.
  auto rehashed = rehash_blob(store, put->sha256);
  ASSERT_TRUE(rehashed.ok());
  ASSERT_TRUE(rehashed->has_value());
  EXPECT_EQ((*rehashed)->sha256, put->sha256);
  corrupt(put->sha256);
  auto after = rehash_blob(store, put->sha256);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(after->has_value());
  EXPECT_NE((*after)->sha256, put->sha256);
  EXPECT_EQ((*after)->size, put->size);
}

}  // namespace duban::storage::testing
