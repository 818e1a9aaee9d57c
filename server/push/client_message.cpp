#include "server/push/client_message.h"

#include <boost/json.hpp>
#include <cstdint>

#include "server/push/protocol.capnp.h"
#include "storage/schema/payload_codec.h"

namespace duban::server::push {
namespace json = boost::json;
namespace {

Error bad_message(std::string message) {
  return make_error("bad_message", std::move(message));
}

Result<Filter> filter_from_json(const json::value* v) {
  if (!v || !v->is_object() || v->as_object().size() != 1) {
    return bad_message(
        "filter must be an object with one of {\"all\": true}, {\"unit\": ID}, "
        "{\"document\": ID}, {\"task\": ID}");
  }
  const auto& [key, value] = *v->as_object().begin();
  Filter f;
  if (key == "all") {
    if (!value.is_bool() || !value.as_bool()) return bad_message("filter all must be true");
    return f;
  }
  if (key == "unit")
    f.kind = Filter::Kind::kUnit;
  else if (key == "document")
    f.kind = Filter::Kind::kDocument;
  else if (key == "task")
    f.kind = Filter::Kind::kTask;
  else
    return bad_message("unknown filter '" + std::string(key) + "'");
  if (!value.is_string() || value.as_string().empty()) {
    return bad_message("filter " + std::string(key) + " must be a non-empty string");
  }
  f.id = std::string(value.as_string());
  return f;
}

Result<ClientMessage> parse_json(std::string_view bytes) {
  boost::system::error_code ec;
  json::value v = json::parse(bytes, ec);
  if (ec) return bad_message("not JSON: " + ec.message());
  if (!v.is_object()) return bad_message("a message must be a JSON object with a \"type\"");
  const json::object& o = v.as_object();
  const json::value* type = o.if_contains("type");
  if (!type || !type->is_string()) return bad_message("a message needs a string \"type\"");
  ClientMessage m;
  const std::string_view t = type->as_string();
  if (t == "ping") {
    m.kind = ClientMessage::Kind::kPing;
  } else if (t == "unsubscribe") {
    m.kind = ClientMessage::Kind::kUnsubscribe;
  } else if (t == "subscribe") {
    m.kind = ClientMessage::Kind::kSubscribe;
    auto f = filter_from_json(o.if_contains("filter"));
    if (!f) return f.error();
    m.filter = std::move(*f);
    if (const json::value* from = o.if_contains("from"); from && !from->is_null()) {
      if (from->is_int64() && from->as_int64() >= 0) {
        m.from = GlobalPosition(from->as_int64());
      } else if (from->is_uint64() && from->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        m.from = GlobalPosition(static_cast<std::int64_t>(from->as_uint64()));
      } else {
        return bad_message("from must be a position (a whole number, 0 or more) or null");
      }
    }
    for (const auto& kv : o) {
      if (kv.key() != "type" && kv.key() != "filter" && kv.key() != "from") {
        return bad_message("unknown field '" + std::string(kv.key()) + "' in subscribe");
      }
    }
  } else {
    return bad_message("unknown message type '" + std::string(t) +
                       "' (subscribe, unsubscribe or ping)");
  }
  return m;
}

Result<ClientMessage> parse_capnp(std::string_view bytes) {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = 64 * 1024;  // client messages are tiny
  options.nestingLimit = 8;
  auto reader = storage::PayloadReader::open(bytes, options);
  if (!reader) return bad_message("not a Cap'n Proto message: " + reader.error().message);
  try {
    auto root = reader->root<wire::ClientMessage>();
    ClientMessage m;
    switch (root.which()) {
      case wire::ClientMessage::PING:
        m.kind = ClientMessage::Kind::kPing;
        return m;
      case wire::ClientMessage::UNSUBSCRIBE:
        m.kind = ClientMessage::Kind::kUnsubscribe;
        return m;
      case wire::ClientMessage::SUBSCRIBE:
        break;
      default:
        return bad_message("unknown ClientMessage kind");
    }
    m.kind = ClientMessage::Kind::kSubscribe;
    auto s = root.getSubscribe();
    auto f = s.getFilter();
    switch (f.which()) {
      case wire::Filter::ALL:
        m.filter.kind = Filter::Kind::kAll;
        break;
      case wire::Filter::UNIT:
        m.filter = {Filter::Kind::kUnit, std::string(f.getUnit().cStr(), f.getUnit().size())};
        break;
      case wire::Filter::DOCUMENT:
        m.filter = {Filter::Kind::kDocument,
                    std::string(f.getDocument().cStr(), f.getDocument().size())};
        break;
      case wire::Filter::TASK:
        m.filter = {Filter::Kind::kTask, std::string(f.getTask().cStr(), f.getTask().size())};
        break;
      default:
        return bad_message("unknown filter kind");
    }
    if (m.filter.kind != Filter::Kind::kAll && m.filter.id.empty()) {
      return bad_message("the filter id must not be empty");
    }
    if (s.getFrom() < -1) return bad_message("from must be -1 (live) or a position");
    if (s.getFrom() >= 0) m.from = GlobalPosition(s.getFrom());
    return m;
  } catch (const kj::Exception& e) {
    return bad_message(std::string("malformed Cap'n Proto message: ") + e.getDescription().cStr());
  }
}

}  // namespace

Result<ClientMessage> parse_client_message(std::string_view bytes, bool binary) {
  return binary ? parse_capnp(bytes) : parse_json(bytes);
}

}  // namespace duban::server::push
