// Private to server/api: the handlers route() dispatches to, one file per group
// (query_handlers.cpp, command_handlers.cpp, ingest_handler.cpp).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "model/task/events.h"
#include "model/task/task_state.h"
#include "storage/event_store.h"

#include "server/api/router.h"
#include "server/api/target.h"

namespace duban::server::detail {

// One authenticated call: valid for the handler's duration.
struct Call {
  const ApiRequest& request;
  const Target& target;
  const Principal& principal;
  ApiContext& ctx;
};

ApiResponse json_response(int status, const boost::json::value& body);

// One task's stream as `call.principal` may read it (query_handlers.cpp): the office reads every
// event; a unit those recorded while it was assigned (visibility.h); the lead units of a child
// task's parent read the whole child, as they follow what they handed down (the push does the
// same, push/filter.cpp). not_found for no such task, forbidden for a unit with no part in it.
struct TaskRead {
  std::vector<storage::RecordedEvent> recorded;
  std::vector<task::Event> events;
  task::TaskState state;      // folded from every event
  std::vector<bool> visible;  // per event
};
Result<TaskRead> read_task(const Call& call, const TaskId& task);

ApiResponse list_units(const Call& call);
ApiResponse get_unit(const Call& call, const std::string& unit);
ApiResponse get_inbox(const Call& call, const std::string& unit);
ApiResponse get_task(const Call& call, const std::string& task);
ApiResponse list_documents(const Call& call);
ApiResponse get_document(const Call& call, const std::string& document);
ApiResponse list_overdue(const Call& call);
ApiResponse list_scorecards(const Call& call);
ApiResponse whoami(const Call& call);
// The supervision report (report_handler.cpp): ?format=json|csv|html|xlsx&table=&unit=&doc=.
ApiResponse get_report(const Call& call);

// `action` "create" for POST /api/v1/tasks; `task` empty then.
ApiResponse run_command(const Call& call, const std::string& action, const std::string& task);
ApiResponse run_sweep(const Call& call);
// GET or POST /api/v1/units/{unit}/sign-off: the unit's sign-off rule (command_handlers.cpp).
ApiResponse sign_off_rule(const Call& call, const std::string& unit);
ApiResponse ingest_document(const Call& call);
ApiResponse set_document_deadlines(const Call& call, const std::string& document);
ApiResponse set_document_cycles(const Call& call, const std::string& document);

// GET /api/v1/notify/failures (notify_handler.cpp): office only.
ApiResponse list_notify_failures(const Call& call);

// Drafts (draft_handlers.cpp): supervisor only.
ApiResponse list_drafts(const Call& call);
ApiResponse get_draft(const Call& call, const std::string& document);
ApiResponse correct_draft(const Call& call, const std::string& document);
ApiResponse publish_draft(const Call& call, const std::string& document);
// PUT /api/v1/drafts/{document}/evidence {"required": bool, "reason"?}: whether completions of
// the document's tasks must carry evidence, from publication on.
ApiResponse set_draft_evidence(const Call& call, const std::string& document);
ApiResponse map_unit_name(const Call& call);

// Evidence attachments (attachment_handlers.cpp).
ApiResponse upload_attachment(const Call& call, const std::string& task);
ApiResponse download_attachment(const Call& call, const std::string& sha256);

}  // namespace duban::server::detail
