// apply(): folds one event into a state. Total and pure: it never refuses (events are facts that
// already happened) and never reads a clock, so replaying a stream always rebuilds the same
// state. Server, replay and snapshots all use these functions.
//
// Call them qualified, as task::apply(state, event). Event is a std::variant, so an unqualified
// call also finds std::apply by argument-dependent lookup once <tuple> is included, and
// std::apply's deduced return type turns that into a hard compile error.
#pragma once

#include <vector>

#include "model/task/document_state.h"
#include "model/task/events.h"
#include "model/task/task_state.h"

namespace duban::task {

// Applies a task-stream event and increments state.version. A DocumentRegistered event here
// means events were routed to the wrong stream, a bug: it throws std::logic_error.
TaskState apply(TaskState state, const Event& event);
// The same, changing `state` where it is: what a projection holding many states uses, so a
// replay moves no state per event.
void apply_in_place(TaskState& state, const Event& event);

// Applies a document-stream event (DocumentRegistered) and increments state.version. A task
// event here throws std::logic_error, as above.
DocumentState apply(DocumentState state, const Event& event);
void apply_in_place(DocumentState& state, const Event& event);

// Folds events in order; convenient for replay and tests.
TaskState replay(TaskState state, const std::vector<Event>& events);
DocumentState replay(DocumentState state, const std::vector<Event>& events);

}  // namespace duban::task
