// The BlobStore contract, run on both backends (blob_store_test.cpp on a SQLite file,
// blob_store_postgres_test.cpp on a throwaway PostgreSQL database): a blob of several chunks
// round-trips byte for byte in chunks no larger than kBlobChunkSize, under its SHA-256; equal
// content is stored once; over-limit and empty sources keep nothing; and a changed stored byte
// shows in rehash_blob(). `corrupt_one_byte(sha256)` flips a byte of the stored chunk 1 with the
// backend's own SQL, as an operator with database access could.
//
// expect_blob_writer_contract(): the streaming side. A BlobWriter fed pieces of odd sizes stores
// the same blob as one put; its chunk rows appear as chunks fill (not at the end) and vanish on
// abort(), on destruction without commit, and on crossing the limit; a BlobReader yields the
// chunks in order. `chunk_rows()` counts all rows of blob_chunks with the backend's own SQL.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
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

inline void expect_blob_writer_contract(BlobStore& store,
                                        const std::function<std::int64_t()>& chunk_rows) {
  const Timestamp now = from_millis(1'767'312'000'000);
  const std::string bytes = pattern_bytes(kBlobChunkSize * 3 + 12345, 21);
  const std::int64_t rows_before = chunk_rows();

  // Pieces of odd sizes (as a network read delivers them): rows appear as chunks fill.
  auto writer = store.begin_put(50 << 20);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  std::size_t at = 0;
  std::size_t piece = 1;
  while (at < bytes.size()) {
    const std::size_t n = std::min(piece, bytes.size() - at);
    auto w = writer->write(std::string_view(bytes).substr(at, n));
    ASSERT_TRUE(w.ok()) << w.error().message;
    at += n;
    piece = piece * 3 + 7;
  }
  EXPECT_EQ(writer->size(), static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(chunk_rows(), rows_before + 3) << "three full chunks stored before the commit";
  auto info = writer->commit(now);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(chunk_rows(), rows_before + 4);
  auto whole = put_blob_bytes(store, bytes, 50 << 20, now);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(*whole, *info) << "the same bytes in other pieces: the same blob, stored once";
  EXPECT_EQ(chunk_rows(), rows_before + 4);

  // The reader yields the chunks in order.
  auto reader = store.open_reader(info->sha256);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ASSERT_TRUE(reader->has_value());
  EXPECT_EQ((*reader)->info(), *info);
  std::string back;
  int chunks = 0;
  for (;;) {
    auto chunk = (*reader)->next();
    ASSERT_TRUE(chunk.ok()) << chunk.error().message;
    if (!*chunk) break;
    EXPECT_LE((*chunk)->size(), kBlobChunkSize);
    back += **chunk;
    ++chunks;
  }
  EXPECT_EQ(chunks, 4);
  EXPECT_TRUE(back == bytes) << "the reader did not yield the bytes written";
  auto absent = store.open_reader(std::string(64, '0'));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  // Aborted, dropped uncommitted, or over the limit: nothing is kept.
  const std::string other = pattern_bytes(kBlobChunkSize * 2 + 5, 22);
  {
    auto aborted = store.begin_put(50 << 20);
    ASSERT_TRUE(aborted.ok());
    ASSERT_TRUE(aborted->write(other).ok());
    EXPECT_EQ(chunk_rows(), rows_before + 6);
    aborted->abort();
    EXPECT_EQ(chunk_rows(), rows_before + 4);
    EXPECT_FALSE(aborted->commit(now).ok()) << "an aborted writer cannot commit";
  }
  {
    auto dropped = store.begin_put(50 << 20);
    ASSERT_TRUE(dropped.ok());
    ASSERT_TRUE(dropped->write(other).ok());
  }
  EXPECT_EQ(chunk_rows(), rows_before + 4) << "an uncommitted writer leaves nothing";
  auto limited = store.begin_put(static_cast<std::int64_t>(kBlobChunkSize) + 10);
  ASSERT_TRUE(limited.ok());
  ASSERT_TRUE(limited->write(std::string_view(other).substr(0, kBlobChunkSize)).ok());
  auto over = limited->write(std::string_view(other).substr(kBlobChunkSize, 11));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "too_large");
  EXPECT_EQ(chunk_rows(), rows_before + 4) << "crossing the limit drops what was stored";
  auto empty = store.begin_put(100);
  ASSERT_TRUE(empty.ok());
  auto nothing = empty->commit(now);
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, "empty");
}

}  // namespace duban::storage::testing
