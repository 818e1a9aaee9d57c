// PushedEvent: one event of the log as the push path hands it around: routing facts (task,
// document, units that see it) and the finished message in both wire formats, built once by the
// dispatcher and shared, immutable, by every connection that sends it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "model/ids.h"

namespace duban::server::push {

struct PushedEvent {
  GlobalPosition position;
  std::string stream;
  std::string task;           // the task id for a task stream; empty otherwise
  std::string document;       // the task's document, or the document stream's id
  std::vector<UnitId> units;  // units assigned to the task at or before this event
  // For a child task's event (分解/转办): the parent task and its lead units at this event, who
  // follow the child live (routing_index.h). Empty otherwise.
  std::string parent;
  std::vector<UnitId> parent_leads;
  std::string json;   // the complete "event" message, JSON text
  std::string capnp;  // the same message as a capnp ServerMessage (binary)
  // When the dispatcher read it off the log (steady clock), for the push-lag metric; replayed
  // events carry the time they were read from the store.
  std::chrono::steady_clock::time_point read_at;

  // Roughly the memory this event holds: its strings and the struct itself (the ring's byte
  // bound and the dispatcher's metrics count this).
  std::size_t bytes() const {
    return sizeof(PushedEvent) + stream.size() + task.size() + document.size() +
           units.size() * sizeof(UnitId) + parent.size() + parent_leads.size() * sizeof(UnitId) +
           json.size() + capnp.size();
  }
};

}  // namespace duban::server::push
