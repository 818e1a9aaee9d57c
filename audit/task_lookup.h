// Finding the task a person means, for `duban audit history`: its id, or its document and clause
// label as printed ("青政〔2015〕70号 (四)"), looked up in the projections when the id itself is
// not in the log.
//
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "model/ids.h"
#include "model/result.h"
#include "storage/event_store.h"

namespace duban::audit {

// `text` is a task id (a stream "task/<text>" exists), or "DOCUMENT LABEL" / "DOCUMENT|LABEL":
// the document id and the clause numbering, split at the first blank or '|'. Errors: "not_found"
// when nothing matches, or when the document and label match several tasks (the message lists
// them and says what to give instead); the store's errors.
Result<TaskId> find_task(storage::EventStore& store, const std::string& text);

}  // namespace duban::audit
