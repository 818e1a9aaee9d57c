// DocumentState: what the document stream says about one ingested document, folded by apply().
// plan_ingest() uses it to tell a re-run of the same text from a revision.
#pragma once

#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/streams.h"
#include "model/time.h"

namespace duban::task {

struct DocumentState {
  DocumentId id;  // empty until the first DocumentRegistered
  std::string number;
  std::string title;
  std::string issuer;
  std::string signed_date;
  std::vector<std::string> parts;
  int document_version = 0;  // latest registered version; 0 when never registered
  std::string content_hash;  // hash of the latest registered version
  StreamVersion version;     // events applied; equals the stream version

  bool exists() const { return version.value() > 0; }
  bool operator==(const DocumentState&) const = default;
};

}  // namespace duban::task
