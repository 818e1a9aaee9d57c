#include "model/task/document_state.h"

namespace duban::task {

std::string document_stream_id(const DocumentId& id) {
  return "document:" + id.str();
}

}  // namespace duban::task
