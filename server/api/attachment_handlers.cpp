// POST /api/v1/tasks/{id}/attachments and GET /api/v1/attachments/{sha256}?task=ID.
#include <algorithm>
#include <boost/json.hpp>
#include <variant>

#include "model/task/error_codes.h"
#include "model/task/streams.h"
#include "server/api/attachments.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "server/api/json_render.h"
#include "server/api/sign_in.h"
#include "server/api/target.h"
#include "storage/event_codec.h"

namespace duban::server {
namespace json = boost::json;

namespace {

Error forbidden(std::string message) {
  return make_error("forbidden", std::move(message));
}

Error no_attachments() {
  return make_error("not_found", "this server keeps no attachments");
}

// The first chunk of a blob (at most kBlobChunkSize bytes, enough to sniff), or nullopt.
Result<std::optional<std::string>> blob_head(storage::BlobStore& blobs, const std::string& sha) {
  std::optional<std::string> head;
  auto read = blobs.read(sha, [&](std::string_view chunk) -> Result<bool> {
    head = std::string(chunk);
    return make_error("stop", "");  // one chunk is enough
  });
  if (!read && read.error().code != "stop") return read.error();
  return head;
}

}  // namespace

bool is_attachment_upload(std::string_view path) {
  constexpr std::string_view kPrefix = "/api/v1/tasks/";
  constexpr std::string_view kSuffix = "/attachments";
  if (path.size() <= kPrefix.size() + kSuffix.size()) return false;
  if (path.substr(0, kPrefix.size()) != kPrefix) return false;
  if (path.substr(path.size() - kSuffix.size()) != kSuffix) return false;
  const auto id = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  return !id.empty() && id.find('/') == std::string_view::npos;
}

std::string content_disposition(std::string_view name) {
  std::string fallback;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
      if (u >= 0x80 && (u & 0xC0) == 0x80) continue;  // one '_' per non-ASCII character
      fallback += '_';
    } else {
      fallback += c;
    }
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + percent_encode(name);
}

Result<bool> resolve_attachments(task::Attachments& list, ApiContext& ctx) {
  if (list.empty()) return true;
  if (!ctx.blobs) return no_attachments();
  for (auto& a : list) {
    if (!task::is_sha256_hex(a.sha256)) {
      return make_error(task::errc::kInvalidCommand,
                        "attachment '" + a.name + "': sha256 must be 64 lowercase hex digits");
    }
    auto name = service::clean_file_name(a.name);
    if (!name) return name.error();
    auto head = blob_head(*ctx.blobs, a.sha256);
    if (!head) return head.error();
    auto found = ctx.blobs->find(a.sha256);
    if (!found) return found.error();
    if (!*head || !*found) {
      return make_error(task::errc::kInvalidCommand,
                        "attachment " + a.sha256 + " ('" + a.name +
                            "') was never uploaded: POST it to /api/v1/tasks/{id}/attachments "
                            "first");
    }
    auto type = service::sniff_media_type(**head, *name);
    if (!type) return type.error();
    a.name = *name;
    a.media_type = *type;
    a.size = (*found)->size;
  }
  return true;
}

namespace detail {

namespace {

// The checks made before a byte of the body is stored: the task, the caller's access, the name.
Result<service::EvidenceUpload> begin_upload(const Call& call, const std::string& task) {
  if (!call.ctx.blobs) return no_attachments();
  const TaskId id(task);
  auto& model = call.ctx.service.read_model();
  auto state = model.task(id);
  if (!state) {
    if (auto caught = call.ctx.service.refresh(); !caught) return caught.error();
    state = model.task(id);
  }
  if (!state) return make_error("not_found", "no task '" + task + "'");
  if (!call.principal.is_supervisor() && !state->is_assigned(call.principal.unit)) {
    return forbidden("task '" + task + "' is not assigned to " + call.principal.unit.str());
  }
  const auto name = call.target.query.find("name");
  if (name == call.target.query.end() || name->second.empty()) {
    return make_error(api_errc::kBadRequest,
                      "name the file: POST .../attachments?name=<file name, %-encoded UTF-8>");
  }
  return service::EvidenceUpload::start(*call.ctx.blobs, name->second, call.request.content_type,
                                        call.ctx.evidence);
}

ApiResponse upload_error(Error e) {
  if (e.code == "too_large") e.code = api_errc::kTooLarge;
  return error_response(e);
}

ApiResponse created(const task::Attachment& a) {
  return json_response(
      201,
      json::object{
          {"sha256", a.sha256}, {"name", a.name}, {"media_type", a.media_type}, {"size", a.size}});
}

ApiResponse internal_error(const std::exception& e) {
  return error_response(
      make_error(api_errc::kInternal, std::string("internal error: ") + e.what()));
}

// An upload fed by the session piece by piece; answers are counted and named as route()'s are.
class StreamedUpload final : public AttachmentUpload {
 public:
  StreamedUpload(service::EvidenceUpload upload, ApiContext& ctx, std::string principal)
      : upload_(std::move(upload)), ctx_(ctx), principal_(std::move(principal)) {}

  std::optional<ApiResponse> write(std::string_view piece) override {
    try {
      if (auto w = upload_.write(piece); !w) return answer(upload_error(w.error()));
      return std::nullopt;
    } catch (const std::exception& e) {
      return answer(internal_error(e));
    }
  }

  ApiResponse finish() override {
    try {
      auto stored = upload_.finish(ctx_.clock.now());
      return answer(stored ? created(*stored) : upload_error(stored.error()));
    } catch (const std::exception& e) {
      return answer(internal_error(e));
    }
  }

 private:
  ApiResponse answer(ApiResponse r) {
    r.principal = principal_;
    ctx_.metrics.count_request(r.status);
    return r;
  }

  service::EvidenceUpload upload_;
  ApiContext& ctx_;
  std::string principal_;
};

}  // namespace

ApiResponse upload_attachment(const Call& call, const std::string& task) {
  // A whole body (route() called directly): the same upload, fed in one piece.
  auto upload = begin_upload(call, task);
  if (!upload) return error_response(upload.error());
  if (auto w = upload->write(call.request.body); !w) return upload_error(w.error());
  auto stored = upload->finish(call.ctx.clock.now());
  if (!stored) return upload_error(stored.error());
  return created(*stored);
}

ApiResponse download_attachment(const Call& call, const std::string& sha256) {
  if (!call.ctx.blobs) return error_response(no_attachments());
  const auto task = call.target.query.find("task");
  if (task == call.target.query.end() || task->second.empty()) {
    return error_response(make_error(api_errc::kBadRequest,
                                     "say which task the attachment belongs to: ?task=<task id>"));
  }
  // The attachment is visible to whoever sees an event of the task that references it.
  auto read = read_task(call, TaskId(task->second));
  if (!read) return error_response(read.error());
  const auto& events = read->events;
  const auto& visible = read->visible;
  std::optional<task::Attachment> ref;
  for (std::size_t i = 0; i < events.size() && !ref; ++i) {
    if (!visible[i]) continue;
    std::visit(
        [&](const auto& e) {
          if constexpr (requires { e.attachments; }) {
            for (const auto& a : e.attachments) {
              if (a.sha256 == sha256) ref = a;
            }
          }
        },
        events[i]);
  }
  if (!ref) {
    return error_response(make_error("not_found", "no attachment " + sha256 + " on task '" +
                                                      task->second + "' that you may see"));
  }
  auto reader = call.ctx.blobs->open_reader(sha256);
  if (!reader) return error_response(reader.error());
  if (!*reader) {
    return error_response(
        make_error("not_found", "attachment " + sha256 + " is missing from the store"));
  }
  // The bytes follow chunk by chunk as the session writes them (one store read per chunk).
  ApiResponse r;
  r.stream = std::make_shared<StreamedBody>();
  r.stream->size = (*reader)->info().size;
  r.stream->next = [reader = std::make_shared<storage::BlobReader>(
                        std::move(**reader))]() -> std::optional<std::string> {
    auto chunk = reader->next();
    if (!chunk) return std::nullopt;
    return *chunk ? std::move(**chunk) : std::string();
  };
  r.content_type = ref->media_type;
  r.headers.emplace_back("Content-Disposition", content_disposition(ref->name));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return r;
}

}  // namespace detail

std::variant<ApiResponse, std::unique_ptr<AttachmentUpload>> start_attachment_upload(
    const ApiRequest& header, ApiContext& ctx) {
  auto answer = [&](ApiResponse r, std::string principal = {}) {
    r.principal = std::move(principal);
    ctx.metrics.count_request(r.status);
    return r;
  };
  try {
    auto target = parse_target(header.target);
    if (!target) return answer(error_response(target.error()));
    const auto& s = target->segments;
    if (s.size() != 5 || s[2] != "tasks" || s[4] != "attachments" || header.method != "POST") {
      return answer(error_response(make_error("not_found", "no upload at " + header.target)));
    }
    // A bearer token when the request has one; otherwise a sign-in session's cookie.
    std::string who;
    auto principal = header.authorization.empty() && !header.cookie.empty()
                         ? authenticate_session(header, ctx, who)
                         : authenticate(header.authorization, "", ctx);
    if (!principal) return answer(error_response(principal.error()), who);
    if (who.empty()) who = log_name(*principal);
    auto upload = detail::begin_upload(detail::Call{header, *target, *principal, ctx}, s[3]);
    if (!upload) return answer(error_response(upload.error()), who);
    return std::make_unique<detail::StreamedUpload>(std::move(*upload), ctx, who);
  } catch (const std::exception& e) {
    return answer(detail::internal_error(e));
  }
}

}  // namespace duban::server
