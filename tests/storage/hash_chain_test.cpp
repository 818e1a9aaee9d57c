// The hash chain's definition, pinned: the canonical envelope's exact bytes (as documented in
// docs/storage.md) and the chain hash against a SHA-256 computed independently (Python hashlib)
// over the same bytes. A change here changes every stored hash: it needs a new envelope tag.
#include <gtest/gtest.h>

#include "storage/hash_chain.h"

namespace duban::storage {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const std::string kPayload("\x00\x01payload", 9);

HashedFields sample() {
  return HashedFields{GlobalPosition(7), "task/一", StreamVersion(3),
                      "TaskUrged",       2,         from_millis(1'767'312'000'123),
                      "office",          "cmd-9",   kPayload};
}

TEST(HashChain, TheCanonicalEnvelopeHasTheDocumentedByteLayout) {
  const std::string expected = from_hex(
      "647562616e2f6531"  // "duban/e1"
      "0000000000000007"  // position 7
      "00000008"
      "7461736b2fe4b880"  // stream "task/一" (UTF-8, 8 bytes)
      "0000000000000003"  // stream version 3
      "00000009"
      "5461736b5572676564"  // type "TaskUrged"
      "00000002"            // schema version 2
      "0000019b7c01047b"    // recorded at 1767312000123 ms
      "00000006"
      "6f6666696365"  // actor "office"
      "00000005"
      "636d642d39"          // command id "cmd-9"
      "0000000000000009");  // payload length 9
  EXPECT_EQ(to_hex(canonical_envelope(sample())), to_hex(expected));
}

TEST(HashChain, TheHashIsSha256OfPreviousHashEnvelopeAndPayload) {
  std::string prev;
  for (int i = 0; i < 32; ++i) prev.push_back(static_cast<char>(i));
  EXPECT_EQ(to_hex(chain_hash(prev, sample())),
            "8fce329fd3f49963387936ff29063cea17a68415b959a8f20a1f2ae2f8912662");
  EXPECT_EQ(to_hex(chain_hash(genesis_hash(), sample())),
            "d2b7dceabc63d98b86e9df8184640189a85bacd1f1a8ad7fce38ae5904feb19f");
}

TEST(HashChain, ChangingAnyCoveredFieldChangesTheHash) {
  const std::string base = chain_hash(genesis_hash(), sample());
  auto differs = [&](auto mutate) {
    HashedFields f = sample();
    mutate(f);
    return chain_hash(genesis_hash(), f) != base;
  };
  EXPECT_TRUE(differs([](HashedFields& f) { f.position = GlobalPosition(8); }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.stream = "task/二"; }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.version = StreamVersion(4); }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.type = "TaskUrgeD"; }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.schema_version = 3; }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.recorded_at += std::chrono::milliseconds(1); }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.actor = "office2"; }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.command_id = "cmd-0"; }));
  EXPECT_TRUE(differs([](HashedFields& f) { f.payload = "other"; }));
  // Length prefixes keep field boundaries unambiguous: moving a byte between fields shows.
  EXPECT_TRUE(differs([](HashedFields& f) {
    f.actor = "officec";
    f.command_id = "md-9";
  }));
}

}  // namespace
}  // namespace duban::storage
