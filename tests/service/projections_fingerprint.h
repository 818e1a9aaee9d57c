// The projections' fingerprint: a hash of what a snapshot of the projections depends on, so a
// change to it that does not bump kProjectionsVersion fails a test
// (projections_version_test.cpp) instead of letting old snapshots load as if the new rules had
// produced them.
//
// It covers
//   - the snapshot schema (service/schema/snapshot.capnp) from its root struct down: every
//     struct, group and enum reached, each field's name, number, union discriminant, type and
//     explicit default. Comments and the file's layout do not count;
//   - the event catalogue (model/task/event_catalogue.h): every event type the projections fold,
//     with its schema version, in variant order, because a new event type or version is a new
//     input to the projections.
// It cannot see a rule that changes inside a projection's apply() while keeping both; such a
// change still bumps the version by hand (service/snapshot_format.h says how).
//
// Header-only test support, generic over the root struct and the event variant so tests can
// show it reacting to a test-only schema or event.
#pragma once

#include <capnp/schema.h>
#include <kj/string.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "model/task/event_catalogue.h"

namespace duban::service::testing {

namespace detail {

class SchemaDescriber {
 public:
  // Every struct and enum reachable from `root`, depth first in field order, one block each.
  std::string describe(capnp::StructSchema root) {
    pending_.push_back(root);
    std::string out;
    while (!pending_.empty()) {
      capnp::Schema next = pending_.front();
      pending_.erase(pending_.begin());
      if (next.getProto().isEnum()) {
        out += describe_enum(next.asEnum());
      } else {
        out += "struct " + name(next) + " " + describe_fields(next.asStruct(), "") + "\n";
      }
    }
    return out;
  }

 private:
  static std::string name(capnp::Schema s) { return s.getShortDisplayName().cStr(); }

  void reach(capnp::Schema s) {
    if (seen_.insert(s.getProto().getId()).second) pending_.push_back(s);
  }

  std::string type_name(capnp::Type t) {
    using W = capnp::schema::Type;
    switch (t.which()) {
      case W::VOID:
        return "Void";
      case W::BOOL:
        return "Bool";
      case W::INT8:
        return "Int8";
      case W::INT16:
        return "Int16";
      case W::INT32:
        return "Int32";
      case W::INT64:
        return "Int64";
      case W::UINT8:
        return "UInt8";
      case W::UINT16:
        return "UInt16";
      case W::UINT32:
        return "UInt32";
      case W::UINT64:
        return "UInt64";
      case W::FLOAT32:
        return "Float32";
      case W::FLOAT64:
        return "Float64";
      case W::TEXT:
        return "Text";
      case W::DATA:
        return "Data";
      case W::LIST:
        return "List(" + type_name(t.asList().getElementType()) + ")";
      case W::ENUM:
        reach(t.asEnum());
        return "enum " + name(t.asEnum());
      case W::STRUCT:
        reach(t.asStruct());
        return "struct " + name(t.asStruct());
      case W::INTERFACE:
        return "interface " + name(t.asInterface());
      case W::ANY_POINTER:
        return "AnyPointer";
    }
    return "?";
  }

  std::string describe_fields(capnp::StructSchema s, const std::string& indent) {
    std::string out = "{\n";
    for (capnp::StructSchema::Field f : s.getFields()) {
      const auto proto = f.getProto();
      out += indent + "  " + proto.getName().cStr();
      if (proto.getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT) {
        out += " |" + std::to_string(proto.getDiscriminantValue());
      }
      if (proto.isGroup()) {
        out += " group " + describe_fields(f.getType().asStruct(), indent + "  ");
      } else {
        out +=
            " @" + std::to_string(proto.getOrdinal().getExplicit()) + " :" + type_name(f.getType());
        if (proto.getSlot().getHadExplicitDefault()) {
          out += " = " + std::string(kj::str(proto.getSlot().getDefaultValue()).cStr());
        }
        out += "\n";
      }
    }
    return out + indent + "}\n";
  }

  std::string describe_enum(capnp::EnumSchema e) {
    std::string out = "enum " + name(e) + " {";
    for (capnp::EnumSchema::Enumerant x : e.getEnumerants()) {
      out += " " + std::string(x.getProto().getName().cStr());
    }
    return out + " }\n\n";
  }

  std::vector<capnp::Schema> pending_;
  std::set<std::uint64_t> seen_;
};

}  // namespace detail

// What the fingerprint hashes, readable: printed when the fingerprint changes.
template <class EventVariant>
std::string projections_description(capnp::StructSchema snapshot_root) {
  std::string out = detail::SchemaDescriber().describe(snapshot_root);
  out += "events {";
  for (const task::EventTypeInfo& t : task::EventCatalogue<EventVariant>::kTypes) {
    out += " " + std::string(t.name) + "/" + std::to_string(t.schema_version);
  }
  return out + " }\n";
}

// 64-bit FNV-1a of the description, as 16 hex digits. Not a security measure: it only has to
// change when the description does.
inline std::string fingerprint_of(const std::string& description) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : description) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

template <class EventVariant>
std::string projections_fingerprint(capnp::StructSchema snapshot_root) {
  return fingerprint_of(projections_description<EventVariant>(snapshot_root));
}

}  // namespace duban::service::testing
