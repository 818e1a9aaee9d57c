#include "service/gazette_ingest.h"

#include <algorithm>
#include <map>
#include <type_traits>

#include "model/task/error_codes.h"
#include "model/task/relative_deadlines.h"
#include "service/content_hash.h"

namespace duban::service {

void IngestCounts::add(const IngestCounts& o) {
  registered += o.registered;
  created += o.created;
  reassigned += o.reassigned;
  revised += o.revised;
  deadlines += o.deadlines;
  cancelled += o.cancelled;
  events += o.events;
}

std::string document_text(std::string_view bytes, int first_line, int last_line) {
  std::string out;
  int line = 1;
  std::size_t start = 0;
  while (start <= bytes.size() && line <= last_line) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    if (line >= first_line) {
      std::string_view text = bytes.substr(start, end - start);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      out.append(text);
      out.push_back('\n');
    }
    start = end + 1;
    ++line;
  }
  return out;
}

std::vector<PlannedDocument> plan_documents(const std::vector<IngestSource>& sources,
                                            const projections::ReadModel& model,
                                            std::vector<std::string>& problems,
                                            const std::optional<AssignedAt>& assigned) {
  std::vector<PlannedDocument> planned;
  std::map<std::string, std::string> seen;  // document id -> source
  for (const IngestSource& in : sources) {
    for (const gazette::Document& doc : in.parsed.documents) {
      // Both texts would be planned against the same registered version; one run, one text.
      if (auto [it, fresh] = seen.emplace(doc.id, in.name); !fresh) {
        problems.push_back(in.name + ": document " + doc.id + " also appears in " + it->second +
                           " in this run; ingest the two texts in separate runs, older first");
        continue;
      }
      std::vector<gazette::Clause> clauses;
      for (const auto& c : in.parsed.clauses) {
        if (c.doc == doc.id) clauses.push_back(c);
      }
      const std::string hash = content_hash(document_text(in.bytes, doc.line, doc.end_line));
      const task::DocumentState registered = model.document(DocumentId(doc.id));
      const std::vector<task::TaskState> existing = model.tasks_of_document(DocumentId(doc.id));
      const int version = registered.document_version + 1;
      auto plan = task::plan_ingest(
          task::IngestInput{doc, clauses, version, hash, {}, registered, existing});
      if (!plan) {
        problems.push_back(in.name + ": " + doc.id + ": " + plan.error().message);
        continue;
      }
      if (assigned) {
        task::resolve_relative_deadlines(*plan, clauses, task::shanghai_date(assigned->at),
                                         assigned->calendar);
      }
      PlannedDocument d{in.name, doc, version, std::move(*plan)};
      for (const auto& c : clauses)
        d.last_clause_line = std::max(d.last_clause_line, c.source.line);
      std::map<TaskId, int> line_of;
      for (const auto& s : existing) {
        if (!s.is_open()) continue;
        ++d.open_tasks_before;
        line_of[s.id] = s.provenance.line;
      }
      d.tail_missing = true;
      for (const auto& pc : d.plan.commands) {
        if (!std::holds_alternative<task::CancelTask>(pc.command)) continue;
        ++d.cancels;
        const auto it = line_of.find(*task::task_of(pc.command));
        if (it == line_of.end() || it->second <= d.last_clause_line) d.tail_missing = false;
      }
      if (d.cancels == 0) d.tail_missing = false;
      planned.push_back(std::move(d));
    }
  }
  return planned;
}

std::optional<Error> check_cancellations(const std::vector<PlannedDocument>& planned,
                                         std::optional<int> allowed, std::string_view allow_hint) {
  int total = 0;
  bool too_many = false;
  std::string details;
  for (const PlannedDocument& d : planned) {
    if (d.cancels == 0) continue;
    total += d.cancels;
    if (d.cancels >= 2 && d.cancels * 2 > d.open_tasks_before) too_many = true;
    details += "\n  " + d.document.id + " v" + std::to_string(d.version) + ": cancels " +
               std::to_string(d.cancels) + " of its " + std::to_string(d.open_tasks_before) +
               " open tasks";
    if (d.tail_missing) {
      details += "; every clause after line " + std::to_string(d.last_clause_line) +
                 " is missing (is the file truncated?)";
    }
  }
  if (total > kDefaultCancelLimit) too_many = true;
  if (allowed) too_many = total > *allowed;
  if (!too_many) return std::nullopt;
  std::string message = "this ingest would cancel " + std::to_string(total) + " task" +
                        (total == 1 ? "" : "s") + details +
                        "\nnothing was written. A file cut short or the wrong file looks like a "
                        "revision that removed clauses; check it. If the cancellations are "
                        "intended, ingest again with " +
                        std::string(allow_hint) + std::to_string(total);
  if (allowed) {
    message += " (allowed now: " + std::to_string(*allowed) + ")";
  }
  return Error{"too_many_cancellations", std::move(message)};
}

CommandId ingest_command_id(const PlannedDocument& d, const task::PlannedCommand& pc) {
  std::string id = "ingest:" + d.document.id + "@v" + std::to_string(d.version) + ":";
  if (auto t = task::task_of(pc.command)) id += t->str() + ":";
  id += std::string(task::command_name(pc.command));
  return CommandId(std::move(id));
}

std::optional<Error> check_plan_roles(const PlannedDocument& d, const task::Actor& actor) {
  if (!actor.is_person()) return std::nullopt;
  for (const auto& pc : d.plan.commands) {
    const account::Role needed = std::holds_alternative<task::CancelTask>(pc.command)
                                     ? account::Role::kLeader
                                     : account::Role::kInspector;
    if (actor.kind != task::Actor::Kind::kSupervisor || !actor.may(needed)) {
      return make_error(task::errc::kForbidden,
                        d.document.id + ": " + std::string(task::command_name(pc.command)) +
                            " needs the supervising office's role " +
                            std::string(account::role_name(needed)) + "; " +
                            task::to_string(actor) + " does not hold it (nothing was written)");
    }
  }
  return std::nullopt;
}

Result<IngestCounts> run_plan(TaskService& service, const PlannedDocument& d,
                              const AfterCommand& after, std::vector<IngestStep>* steps,
                              const task::Actor& actor) {
  if (auto refused = check_plan_roles(d, actor)) return *refused;
  std::vector<const task::PlannedCommand*> order;
  const task::PlannedCommand* registration = nullptr;
  for (const auto& pc : d.plan.commands) {
    if (std::holds_alternative<task::RegisterDocument>(pc.command))
      registration = &pc;
    else
      order.push_back(&pc);
  }
  if (registration) order.push_back(registration);

  IngestCounts counts;
  for (const task::PlannedCommand* pc : order) {
    auto done = service.execute(pc->command, actor, ingest_command_id(d, *pc));
    if (!done) {
      return make_error(
          done.error().code,
          std::string(task::command_name(pc->command)) + " for " +
              (task::task_of(pc->command) ? task::task_of(pc->command)->str() : d.document.id) +
              " failed: " + done.error().message);
    }
    std::visit(
        [&](const auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, task::RegisterDocument>) ++counts.registered;
          if constexpr (std::is_same_v<C, task::CreateTask>) ++counts.created;
          if constexpr (std::is_same_v<C, task::ReassignTask>) ++counts.reassigned;
          if constexpr (std::is_same_v<C, task::ReviseTask>) ++counts.revised;
          if constexpr (std::is_same_v<C, task::SetDeadline>) ++counts.deadlines;
          if constexpr (std::is_same_v<C, task::CancelTask>) ++counts.cancelled;
        },
        pc->command);
    counts.events += static_cast<std::int64_t>(done->events.size());
    if (steps) steps->push_back(IngestStep{pc->command, *done});
    if (after && !after(*pc)) {
      return make_error("interrupted", "stopped after " +
                                           std::string(task::command_name(pc->command)) + "; " +
                                           d.document.id + " stays unregistered");
    }
  }
  return counts;
}

}  // namespace duban::service
