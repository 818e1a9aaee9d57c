// How a task's units share the work, and the role a unit plays in it. The task domain keeps its
// own enums rather than reusing gazette::Mode so the stored event vocabulary does not move when
// the parser's does; ingest_plan.cpp is the one place that converts.
#pragma once

#include <optional>
#include <string_view>

namespace duban::task {

enum class Mode {
  kLead,         // 牵头: the lead units share one completion (any lead reports, one approval)
  kSeparately,   // 分别负责: each lead unit owns its part, reported and approved on its own
  kResponsible,  // 负责: every named unit is responsible; completion is shared as in kLead
};

enum class Role {
  kLead,         // may report completion and request extensions
  kParticipant,  // may acknowledge and report progress
};

// Stable names used in events, logs and JSON: "lead" | "separately" | "responsible".
std::string_view to_string(Mode mode);
// "lead" | "participant".
std::string_view to_string(Role role);

// The inverse of to_string; nullopt for a name this build does not know.
std::optional<Mode> parse_mode(std::string_view name);
std::optional<Role> parse_role(std::string_view name);

}  // namespace duban::task
