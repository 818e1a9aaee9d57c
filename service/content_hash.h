// Content hashes of ingested texts: how `duban ingest` tells a re-run of the same document from a
// revision (DocumentRegistered.content_hash, task::plan_ingest()).
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>

namespace duban::service {

// "sha256:" followed by the lowercase hex SHA-256 of `bytes` (OpenSSL libcrypto). The prefix
// names the algorithm, so a later change of algorithm can never compare equal by accident.
std::string content_hash(std::string_view bytes);

}  // namespace duban::service
