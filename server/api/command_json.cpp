#include "server/api/command_json.h"

#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/task/mode.h"
#include "model/task/reporting.h"
#include "server/api/error_status.h"

namespace duban::server {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxCommandIdLength = 200;  // characters
// A task id must fit, percent-encoded, in the URL that reads it back (the header limit is
// 16 KiB); 200 characters is 1800 bytes at most.
constexpr std::size_t kMaxTaskIdLength = 200;  // characters

// Characters (code points) of valid UTF-8 text.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// The first key that appears twice in one object of `text` (valid JSON), if any. Boost.JSON
// keeps one of the values silently; a command whose fields say two things is refused instead.
std::optional<std::string> duplicate_key(std::string_view text) {
  struct Level {
    bool object;
    std::set<std::string> keys;
  };
  std::vector<Level> stack;
  char prev = 0;  // the last structural character, or 'v' after a value
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      std::size_t j = i + 1;
      bool escaped = false;
      while (j < text.size() && text[j] != '"') {
        if (text[j] == '\\') {
          escaped = true;
          ++j;
        }
        ++j;
      }
      const std::string_view raw = text.substr(i, j - i + 1);
      if (!stack.empty() && stack.back().object && (prev == '{' || prev == ',')) {
        std::string key(raw.substr(1, raw.size() - 2));
        if (escaped) {
          boost::system::error_code ec;
          json::value v = json::parse(raw, ec);
          if (!ec && v.is_string()) key = std::string(v.as_string());
        }
        if (!stack.back().keys.insert(key).second) return key;
      }
      prev = '"';
      i = j;
    } else if (c == '{' || c == '[') {
      stack.push_back(Level{c == '{', {}});
      prev = c;
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      prev = c;
    } else if (c == ',' || c == ':') {
      prev = c;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      prev = 'v';
    }
  }
  return std::nullopt;
}

Error bad(std::string message) {
  return make_error(api_errc::kBadRequest, std::move(message));
}

// Reads fields of one JSON object, remembering which were read so unknown ones can be refused.
// The first problem sticks: later reads return defaults and error() reports the first.
class Fields {
 public:
  explicit Fields(const json::object& o) : o_(o) {}

  const json::value* find(std::string_view key) {
    seen_.insert(std::string(key));
    auto it = o_.find(key);
    return it == o_.end() ? nullptr : &it->value();
  }

  std::string text(std::string_view key, bool required) {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail("missing field '" + std::string(key) + "' (a string)");
      return {};
    }
    if (!v->is_string()) {
      fail("field '" + std::string(key) + "' must be a string");
      return {};
    }
    return std::string(v->as_string());
  }

  std::optional<std::string> optional_text(std::string_view key) {
    const json::value* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      fail("field '" + std::string(key) + "' must be a string or null");
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  std::optional<std::int64_t> optional_int(std::string_view key) {
    const json::value* v = find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v->as_uint64());
    }
    fail("field '" + std::string(key) + "' must be an integer");
    return std::nullopt;
  }

  std::optional<int> optional_small_int(std::string_view key) {
    auto v = optional_int(key);
    if (!v) return std::nullopt;
    if (*v < INT32_MIN || *v > INT32_MAX) {
      fail("field '" + std::string(key) + "' is out of range");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::vector<UnitId> unit_list(std::string_view key, bool required) {
    std::vector<UnitId> out;
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail("missing field '" + std::string(key) + "' (a list of unit ids)");
      return out;
    }
    if (!v->is_array()) {
      fail("field '" + std::string(key) + "' must be a list of unit ids");
      return out;
    }
    for (const json::value& u : v->as_array()) {
      if (!u.is_string()) {
        fail("field '" + std::string(key) + "' must hold unit ids (strings)");
        return {};
      }
      out.emplace_back(std::string(u.as_string()));
    }
    return out;
  }

  std::optional<UnitId> optional_unit(std::string_view key) {
    auto t = optional_text(key);
    if (!t) return std::nullopt;
    return UnitId(*t);
  }

  std::optional<task::Mode> optional_mode(std::string_view key) {
    auto t = optional_text(key);
    if (!t) return std::nullopt;
    auto m = task::parse_mode(*t);
    if (!m) fail("field '" + std::string(key) + "' must be lead, separately or responsible");
    return m;
  }

  // A deadline: an ISO date string or null (no deadline). Validated by decide().
  task::Deadline deadline(std::string_view key, bool required) {
    const json::value* v = find(key);
    if (!v) {
      if (required) fail("missing field '" + std::string(key) + "' (an ISO date or null)");
      return std::nullopt;
    }
    if (v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      fail("field '" + std::string(key) + "' must be an ISO date (YYYY-MM-DD) or null");
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  std::optional<json::object> object(std::string_view key, bool required) {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail("missing field '" + std::string(key) + "' (an object)");
      return std::nullopt;
    }
    if (!v->is_object()) {
      fail("field '" + std::string(key) + "' must be an object");
      return std::nullopt;
    }
    return v->as_object();
  }

  // Evidence references: [{"sha256": hex, "name": text}, ...] as the upload returned them
  // (media_type and size may come along; the server takes both from the stored blob).
  task::Attachments attachments(std::string_view key) {
    task::Attachments out;
    const json::value* v = find(key);
    if (!v || v->is_null()) return out;
    const std::string what = "field '" + std::string(key) + "'";
    if (!v->is_array()) {
      fail(what + " must be a list of {\"sha256\", \"name\"} objects");
      return out;
    }
    for (const json::value& item : v->as_array()) {
      const auto* o = item.if_object();
      const auto* sha = o ? o->if_contains("sha256") : nullptr;
      const auto* name = o ? o->if_contains("name") : nullptr;
      if (!sha || !sha->is_string() || !name || !name->is_string()) {
        fail(what + " must hold objects with a string sha256 and name");
        return {};
      }
      for (const auto& kv : *o) {
        if (kv.key() != "sha256" && kv.key() != "name" && kv.key() != "media_type" &&
            kv.key() != "size") {
          fail("unknown field '" + std::string(kv.key()) + "' in an attachment");
          return {};
        }
      }
      out.push_back(
          task::Attachment{std::string(sha->as_string()), std::string(name->as_string()), "", 0});
    }
    return out;
  }

  void fail(std::string message) {
    if (!error_) error_ = bad(std::move(message));
  }

  // The first problem, or an unknown field.
  std::optional<Error> finish(std::string_view what) {
    if (error_) return error_;
    for (const auto& kv : o_) {
      if (!seen_.count(std::string(kv.key()))) {
        return bad("unknown field '" + std::string(kv.key()) + "' in " + std::string(what) +
                   " (docs/api.md lists the fields)");
      }
    }
    return std::nullopt;
  }

 private:
  const json::object& o_;
  std::set<std::string> seen_;
  std::optional<Error> error_;
};

Result<task::Provenance> provenance_from(const json::object& o) {
  Fields f(o);
  task::Provenance p;
  p.document = DocumentId(f.text("document", true));
  p.document_version = f.optional_small_int("document_version").value_or(0);
  p.part = f.text("part", false);
  p.label = f.text("label", false);
  p.heading = f.text("heading", false);
  p.text = f.text("text", false);
  p.line = f.optional_small_int("line").value_or(0);
  p.end_line = f.optional_small_int("end_line").value_or(0);
  if (auto e = f.finish("provenance")) return *e;
  return p;
}

}  // namespace

Result<CommandRequest> parse_command(std::string_view action, const TaskId& task,
                                     std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return bad("the body is not JSON: " + ec.message());
  if (!doc.is_object()) return bad("the body must be a JSON object");
  if (auto key = duplicate_key(body)) {
    return bad("field '" + *key + "' appears twice; send each field once");
  }
  const json::object& o = doc.as_object();
  Fields f(o);

  CommandRequest out;
  const std::string command_id = f.text("command_id", true);
  if (characters(command_id) > kMaxCommandIdLength) {
    f.fail("command_id is longer than " + std::to_string(kMaxCommandIdLength) + " characters");
  }
  out.command_id = CommandId(command_id);
  const auto expected = f.optional_int("expected_version");
  if (!expected) {
    f.fail(
        "missing field 'expected_version' (the task version the command was decided on; 0 "
        "to create)");
  }
  if (expected && *expected < 0) f.fail("expected_version must be 0 or more");
  out.expected = StreamVersion(expected.value_or(0));

  if (action == "create") {
    task::CreateTask c;
    c.task = TaskId(f.text("task", true));
    if (characters(c.task.str()) > kMaxTaskIdLength) {
      f.fail("task ids are at most " + std::to_string(kMaxTaskIdLength) +
             " characters (the id must fit in the URL that reads the task back)");
    }
    if (auto p = f.object("provenance", true)) {
      auto prov = provenance_from(*p);
      if (!prov) return prov.error();
      c.provenance = std::move(*prov);
    }
    c.mode = f.optional_mode("mode").value_or(task::Mode::kLead);
    c.leads = f.unit_list("leads", true);
    c.participants = f.unit_list("participants", false);
    c.deadline = f.deadline("deadline", false);
    out.command = std::move(c);
  } else if (action == "reassign") {
    task::ReassignTask c;
    c.task = task;
    c.leads = f.unit_list("leads", true);
    c.participants = f.unit_list("participants", false);
    c.mode = f.optional_mode("mode");
    c.reason = f.text("reason", true);
    c.document_version = f.optional_small_int("document_version");
    out.command = std::move(c);
  } else if (action == "revise") {
    task::ReviseTask c;
    c.task = task;
    if (auto p = f.object("provenance", true)) {
      auto prov = provenance_from(*p);
      if (!prov) return prov.error();
      c.provenance = std::move(*prov);
    }
    out.command = std::move(c);
  } else if (action == "acknowledge") {
    out.command = task::AcknowledgeTask{task};
  } else if (action == "progress") {
    task::ReportProgress c;
    c.task = task;
    c.note = f.text("note", false);
    c.percent = f.optional_small_int("percent");
    c.attachments = f.attachments("attachments");
    out.command = std::move(c);
  } else if (action == "urge") {
    task::UrgeTask c;
    c.task = task;
    c.unit = f.optional_unit("unit");
    c.note = f.text("note", false);
    out.command = std::move(c);
  } else if (action == "request-extension") {
    task::RequestExtension c;
    c.task = task;
    c.requested_deadline = f.text("requested_deadline", true);
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "approve-extension") {
    task::ApproveExtension c;
    c.task = task;
    c.deadline = f.optional_text("deadline");
    out.command = std::move(c);
  } else if (action == "reject-extension") {
    task::RejectExtension c;
    c.task = task;
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "deadline") {
    task::SetDeadline c;
    c.task = task;
    c.deadline = f.deadline("deadline", true);
    c.reason = f.text("reason", false);
    c.document_version = f.optional_small_int("document_version");
    out.command = std::move(c);
  } else if (action == "report-completion") {
    task::ReportCompletion c;
    c.task = task;
    c.summary = f.text("summary", true);
    c.attachments = f.attachments("attachments");
    out.command = std::move(c);
  } else if (action == "approve-completion") {
    task::ApproveCompletion c;
    c.task = task;
    c.unit = f.optional_unit("unit");
    out.command = std::move(c);
  } else if (action == "return") {
    task::ReturnTask c;
    c.task = task;
    c.unit = f.optional_unit("unit");
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "reopen") {
    task::ReopenTask c;
    c.task = task;
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "cancel") {
    task::CancelTask c;
    c.task = task;
    c.reason = f.text("reason", true);
    c.document_version = f.optional_small_int("document_version");
    out.command = std::move(c);
  } else if (action == "reporting-cycle") {
    task::SetReportingCycle c;
    c.task = task;
    const std::string cycle = f.text("cycle", true);
    if (auto named = task::reporting_cycle_named(cycle)) {
      c.cycle = *named;
    } else {
      f.fail("field 'cycle' must be \"monthly\", \"quarterly\" or \"none\"");
    }
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "sign-off") {
    task::SignOffCompletion c;
    c.task = task;
    c.note = f.text("note", false);
    out.command = std::move(c);
  } else if (action == "refuse-sign-off") {
    task::RefuseSignOff c;
    c.task = task;
    c.reason = f.text("reason", true);
    out.command = std::move(c);
  } else if (action == "expand") {
    task::ExpandTask c;
    c.task = task;
    c.group = UnitId(f.text("group", true));
    c.members = f.unit_list("members", false);  // empty: the unit directory's members
    c.deadline = f.deadline("deadline", false);
    c.note = f.text("note", false);
    out.command = std::move(c);
  } else if (action == "delegate") {
    task::DelegateTask c;
    c.task = task;
    c.units = f.unit_list("units", true);
    c.deadline = f.deadline("deadline", false);
    c.note = f.text("note", false);
    out.command = std::move(c);
  } else if (action == "contribute") {
    task::ReportContribution c;
    c.task = task;
    c.text = f.text("text", true);
    c.attachments = f.attachments("attachments");
    out.command = std::move(c);
  } else {
    return make_error("not_found",
                      "no task action '" + std::string(action) + "' (docs/api.md lists them)");
  }
  if (auto e = f.finish("the " + std::string(action) + " command")) return *e;
  return out;
}

}  // namespace duban::server
