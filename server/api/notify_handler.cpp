// GET /api/v1/notify/failures (docs/api.md): the deliveries the notifier gave up on after its
// last attempt (storage/notify_state_store.h), for the office's page. Office only.
#include <boost/json.hpp>

#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "server/api/json_render.h"

namespace duban::server::detail {

ApiResponse list_notify_failures(const Call& call) {
  if (!call.principal.is_supervisor()) {
    return error_response(
        make_error("forbidden", "only the office sees the notifications given up"));
  }
  boost::json::array out;
  bool enabled = call.ctx.notify_state != nullptr;
  if (enabled) {
    auto failures = call.ctx.notify_state->failures();
    if (!failures) return error_response(failures.error());
    for (const auto& f : *failures) {
      out.push_back(boost::json::object{{"idempotency_key", f.idempotency_key},
                                        {"position", f.position.value()},
                                        {"recipient", f.recipient},
                                        {"channel", f.channel},
                                        {"attempts", f.attempts},
                                        {"last_error", f.last_error},
                                        {"failed_at", iso_utc(f.failed_at)}});
    }
  }
  return json_response(200,
                       boost::json::object{{"enabled", enabled}, {"failures", std::move(out)}});
}

}  // namespace duban::server::detail
