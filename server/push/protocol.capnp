# The WebSocket messages of `duban serve` (docs/protocol.md) as Cap'n Proto, for clients that ask
# for the subprotocol `duban.capnp.v1`: every binary frame holds one ServerMessage (server to
# client) or one ClientMessage (client to server), as an unpacked flat message
# (capnp::messageToFlatArray). The JSON text frames of the default protocol carry the same
# messages field for field.
#
# Evolution rules (as for storage/schema/events.capnp): a field or union number is never changed
# or reused; new fields and new message kinds take the next free number; a retired field stays,
# renamed with an `obsolete` prefix. A change of meaning is a new subprotocol (duban.capnp.v2).
@0xb1d6199953719bf1;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("duban::server::wire");

# Server to client.
struct ServerMessage {
  union {
    hello @0 :Hello;            # first message on every connection
    subscribed @1 :Subscribed;  # the subscription is in place; replay follows
    event @2 :Event;            # one event of the log that matches the filter
    caughtUp @3 :Int64;         # replay reached the log's head at this position; live from here
    checkpoint @4 :Int64;       # every event up to this position was considered; resume after it
    fellBehind @5 :Int64;       # the send queue overflowed after this position; replay follows
    error @6 :Error;            # a client message was refused; the connection stays open
    pong @7 :Int64;             # answer to ping: the log's head position
    unsubscribed @8 :Int64;     # the subscription ended after this position
  }
}

struct Hello {
  server @0 :Text;      # "duban/0.1.0"
  protocol @1 :UInt32;  # 1
  head @2 :Int64;       # the log's head position when the connection opened
  role @3 :Text;        # "supervisor" or "unit": the token's grant
  unit @4 :Text;        # the unit of a unit token; empty for the supervisor
}

struct Subscribed {
  filter @0 :Filter;    # as requested
  from @1 :Int64;       # replay starts after this position
  head @2 :Int64;       # the log's head when the subscription started
}

struct Filter {
  union {
    all @0 :Void;       # every event (supervisor only)
    unit @1 :Text;      # events of tasks the unit is or was assigned to, from its assignment on
    document @2 :Text;  # the document's registrations and the events of its tasks
    task @3 :Text;      # one task's events
  }
}

struct Event {
  position @0 :Int64;       # global position: 1, 2, 3, ... gap-free across the log
  stream @1 :Text;          # "task/<id>" or "document/<id>"
  version @2 :Int64;        # the stream's version after this event
  eventType @3 :Text;       # "TaskCreated", ... (docs/events.md)
  schemaVersion @4 :Int32;  # the schema version of `payload` (always the current one)
  recordedAtMs @5 :Int64;   # when the append committed, ms since the Unix epoch, UTC
  actor @6 :Text;           # "supervisor", "unit:<id>" or "system"
  commandId @7 :Text;       # the command that appended it
  task @8 :Text;            # the task id for task streams; empty otherwise
  document @9 :Text;        # the document of the task, or of a document stream
  payload @10 :Data;        # the event's fields: the struct `eventType` of
                            # storage/schema/events.capnp, as a flat message; empty when this
                            # server could not decode the stored event
}

struct Error {
  code @0 :Text;     # e.g. "bad_message", "forbidden" (docs/protocol.md lists them)
  message @1 :Text;  # what was wrong, for a person
}

# Client to server.
struct ClientMessage {
  union {
    subscribe @0 :Subscribe;
    unsubscribe @1 :Void;
    ping @2 :Void;
  }
}

struct Subscribe {
  filter @0 :Filter;
  from @1 :Int64 = -1;  # replay the events after this position; -1: start live at the head
}
