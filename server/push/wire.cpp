#include "server/push/wire.h"

#include <capnp/message.h>
#include <boost/json.hpp>

#include "server/api/json_render.h"
#include "server/push/protocol.capnp.h"
#include "storage/event_codec.h"
#include "storage/schema/payload_codec.h"

namespace duban::server::push {
namespace json = boost::json;
namespace {

constexpr const char* kServerName = "duban/0.1.0";

// A capnp Text view of a std::string (NUL-terminated, as capnp requires).
capnp::Text::Reader text(const std::string& s) {
  return capnp::Text::Reader(s.c_str(), s.size());
}

const char* position_type(PositionMessage kind) {
  switch (kind) {
    case PositionMessage::kCaughtUp:
      return "caught_up";
    case PositionMessage::kCheckpoint:
      return "checkpoint";
    case PositionMessage::kFellBehind:
      return "fell_behind";
    case PositionMessage::kPong:
      return "pong";
    case PositionMessage::kUnsubscribed:
      return "unsubscribed";
  }
  return "checkpoint";
}

json::object filter_json(const Filter& f) {
  if (f.kind == Filter::Kind::kAll) return json::object{{"all", true}};
  return json::object{{kind_name(f.kind), f.id}};
}

void set_filter(wire::Filter::Builder b, const Filter& f) {
  switch (f.kind) {
    case Filter::Kind::kAll:
      b.setAll();
      break;
    case Filter::Kind::kUnit:
      b.setUnit(text(f.id));
      break;
    case Filter::Kind::kDocument:
      b.setDocument(text(f.id));
      break;
    case Filter::Kind::kTask:
      b.setTask(text(f.id));
      break;
  }
}

std::string json_text(const json::object& o) {
  return json::serialize(o);
}

}  // namespace

void encode_event(const storage::RecordedEvent& r, const task::Event* decoded,
                  std::string_view decode_error, PushedEvent& out) {
  json::object o;
  o["type"] = "event";
  if (decoded) {
    for (auto& kv : recorded_event_json(r, *decoded)) o[kv.key()] = std::move(kv.value());
  } else {
    o["position"] = r.position.value();
    o["stream"] = r.stream;
    o["version"] = r.version.value();
    o["event_type"] = r.type;
    o["schema_version"] = r.schema_version;
    o["recorded_at"] = iso_utc(r.recorded_at);
    o["actor"] = r.actor;
    o["command_id"] = r.command_id.str();
    o["data"] = nullptr;
    o["decode_error"] = decode_error;
  }
  if (!out.document.empty()) o["document"] = out.document;
  out.json = json_text(o);

  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<wire::ServerMessage>().initEvent();
  e.setPosition(r.position.value());
  e.setStream(text(r.stream));
  e.setVersion(r.version.value());
  e.setEventType(text(r.type));
  e.setRecordedAtMs(to_millis(r.recorded_at));
  e.setActor(text(r.actor));
  e.setCommandId(text(r.command_id.str()));
  e.setTask(text(out.task));
  e.setDocument(text(out.document));
  if (decoded) {
    e.setSchemaVersion(task::event_schema_version(*decoded));
    // The payload at the current schema version, whatever version the store holds (upcast).
    const std::string payload = r.schema_version == task::event_schema_version(*decoded)
                                    ? r.payload
                                    : storage::encode_event_payload(*decoded);
    e.setPayload(
        capnp::Data::Reader(reinterpret_cast<const kj::byte*>(payload.data()), payload.size()));
  } else {
    e.setSchemaVersion(r.schema_version);
  }
  out.capnp = storage::encode_payload(message);
}

std::string encode_hello(WireFormat format, GlobalPosition head, const Principal& principal) {
  const char* role = principal.is_supervisor() ? "supervisor" : "unit";
  if (format == WireFormat::kJson) {
    return json_text(
        json::object{{"type", "hello"},
                     {"server", kServerName},
                     {"protocol", kProtocolVersion},
                     {"head", head.value()},
                     {"role", role},
                     {"unit", principal.is_supervisor() ? json::value(nullptr)
                                                        : json::value(principal.unit.str())}});
  }
  capnp::MallocMessageBuilder message;
  auto h = message.initRoot<wire::ServerMessage>().initHello();
  h.setServer(kServerName);
  h.setProtocol(kProtocolVersion);
  h.setHead(head.value());
  h.setRole(role);
  h.setUnit(text(principal.unit.str()));
  return storage::encode_payload(message);
}

std::string encode_subscribed(WireFormat format, const Filter& filter, GlobalPosition from,
                              GlobalPosition head) {
  if (format == WireFormat::kJson) {
    return json_text(json::object{{"type", "subscribed"},
                                  {"filter", filter_json(filter)},
                                  {"from", from.value()},
                                  {"head", head.value()}});
  }
  capnp::MallocMessageBuilder message;
  auto s = message.initRoot<wire::ServerMessage>().initSubscribed();
  set_filter(s.initFilter(), filter);
  s.setFrom(from.value());
  s.setHead(head.value());
  return storage::encode_payload(message);
}

std::string encode_position(WireFormat format, PositionMessage kind, GlobalPosition position) {
  if (format == WireFormat::kJson) {
    return json_text(json::object{{"type", position_type(kind)}, {"position", position.value()}});
  }
  capnp::MallocMessageBuilder message;
  auto m = message.initRoot<wire::ServerMessage>();
  switch (kind) {
    case PositionMessage::kCaughtUp:
      m.setCaughtUp(position.value());
      break;
    case PositionMessage::kCheckpoint:
      m.setCheckpoint(position.value());
      break;
    case PositionMessage::kFellBehind:
      m.setFellBehind(position.value());
      break;
    case PositionMessage::kPong:
      m.setPong(position.value());
      break;
    case PositionMessage::kUnsubscribed:
      m.setUnsubscribed(position.value());
      break;
  }
  return storage::encode_payload(message);
}

std::string encode_error(WireFormat format, std::string_view code, std::string_view message) {
  if (format == WireFormat::kJson) {
    return json_text(json::object{{"type", "error"}, {"error", code}, {"message", message}});
  }
  const std::string c(code), m(message);
  capnp::MallocMessageBuilder builder;
  auto e = builder.initRoot<wire::ServerMessage>().initError();
  e.setCode(text(c));
  e.setMessage(text(m));
  return storage::encode_payload(builder);
}

}  // namespace duban::server::push
