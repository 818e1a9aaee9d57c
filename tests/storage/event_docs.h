// Checks a Markdown event catalogue (docs/events.md, or a test's own page) against the event
// declarations and their payload structs, so the page cannot drift from the code. The page's
// shape, as docs/events.md has it:
//
//   ## Catalogue                       a table with one row per event type, in variant order:
//   | `TaskCreated` | 2 | task | …     name, schema version, anything after
//
//   ### `TaskCreated` — …              one section per event type, whose field table lists every
//   | field | type | meaning |          payload field by its C++ name (snake_case, no `Ms` suffix);
//   | a, b | … |                        a cell may list several fields ("old_mode, new_mode");
//   | unit (payload: target) | … |      "(payload: x)" names the payload field when it differs.
//
// Header-only; used by event_docs_test.cpp (the real page) and test_event_codec_test.cpp (a
// test-only event and its page).
#pragma once

#include <capnp/schema.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "model/task/event_catalogue.h"

namespace duban::storage::testing {

struct DocumentedEvent {
  int catalogue_version = 0;  // the catalogue table's schema version; 0: no row
  bool has_section = false;   // a "### `Name`" section exists
  std::set<std::string> fields;
};

inline std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The cells of a Markdown table row ("| a | b |" → {"a", "b"}); empty when not a row.
inline std::vector<std::string> table_cells(std::string_view line) {
  std::vector<std::string> cells;
  std::string l = trim(line);
  if (l.size() < 2 || l.front() != '|' || l.back() != '|') return cells;
  std::string_view rest(l);
  rest = rest.substr(1, rest.size() - 2);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '|') {
      cells.push_back(trim(rest.substr(start, i - start)));
      start = i + 1;
    }
  }
  return cells;
}

// "`TaskCreated`" → "TaskCreated"; "" when the text does not start with a code span.
inline std::string code_span(std::string_view s) {
  if (s.empty() || s.front() != '`') return "";
  std::size_t end = s.find('`', 1);
  return end == std::string_view::npos ? "" : std::string(s.substr(1, end - 1));
}

inline std::map<std::string, DocumentedEvent> parse_event_docs(std::string_view markdown) {
  std::map<std::string, DocumentedEvent> out;
  std::istringstream in{std::string(markdown)};
  std::string line;
  enum class In { kOther, kCatalogue, kSection } where = In::kOther;
  std::string section;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      where = trim(line) == "## Catalogue" ? In::kCatalogue : In::kOther;
      continue;
    }
    if (line.rfind("### ", 0) == 0) {
      section = code_span(std::string_view(line).substr(4));
      where = section.empty() ? In::kOther : In::kSection;
      if (!section.empty()) out[section].has_section = true;
      continue;
    }
    const std::vector<std::string> cells = table_cells(line);
    if (cells.size() < 2) continue;
    if (where == In::kCatalogue) {
      const std::string name = code_span(cells[0]);
      if (!name.empty()) out[name].catalogue_version = std::atoi(cells[1].c_str());
    } else if (where == In::kSection) {
      if (cells[0] == "field" || cells[0].rfind("---", 0) == 0) continue;
      std::stringstream names(cells[0]);
      std::string name;
      while (std::getline(names, name, ',')) {
        name = trim(name);
        const std::size_t alias = name.find("(payload: ");
        if (alias != std::string::npos) {
          name = name.substr(alias + 10, name.find(')', alias) - alias - 10);
        }
        out[section].fields.insert(trim(name));
      }
    }
  }
  return out;
}

// A payload field's name as the page writes it: createdAtMs → created_at, signedDate →
// signed_date.
inline std::string documented_field_name(std::string_view wire) {
  std::string out;
  for (char c : wire) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  if (out.size() > 3 && out.ends_with("_ms")) out.resize(out.size() - 3);
  return out;
}

// Every difference between the page and the declarations, as an instruction to fix it. `types`
// and `schemas` are in variant order (EventCatalogue<V>::kTypes, Codec<V>::payload_schemas()).
template <std::size_t N>
std::vector<std::string> event_doc_mismatches(const std::array<task::EventTypeInfo, N>& types,
                                              const std::vector<capnp::StructSchema>& schemas,
                                              std::string_view markdown,
                                              std::string_view page = "docs/events.md") {
  std::vector<std::string> out;
  const auto documented = parse_event_docs(markdown);
  const std::string in = " in " + std::string(page);
  for (std::size_t i = 0; i < N; ++i) {
    const std::string name(types[i].name);
    const std::string v = std::to_string(types[i].schema_version);
    auto it = documented.find(name);
    if (it == documented.end() || it->second.catalogue_version == 0) {
      out.push_back(name + ": add the row | `" + name + "` | " + v + " | … | to \"## Catalogue\"" +
                    in);
    } else if (it->second.catalogue_version != types[i].schema_version) {
      out.push_back(name + ": the catalogue" + in + " says schema version " +
                    std::to_string(it->second.catalogue_version) + ", the code " + v);
    }
    if (it == documented.end() || !it->second.has_section) {
      out.push_back(name + ": add a section \"### `" + name + "` — …\" with its field table" + in);
      continue;
    }
    std::set<std::string> wire;
    for (capnp::StructSchema::Field f : schemas.at(i).getFields()) {
      const kj::StringPtr n = f.getProto().getName();
      if (!n.startsWith("obsolete")) wire.insert(documented_field_name(n.cStr()));
    }
    for (const std::string& f : wire) {
      if (!it->second.fields.contains(f)) {
        out.push_back(name + ": field " + f + " is not in its field table" + in);
      }
    }
    for (const std::string& f : it->second.fields) {
      if (!wire.contains(f)) {
        out.push_back(name + ": the field table" + in + " lists " + f +
                      ", which its payload struct does not have");
      }
    }
  }
  std::set<std::string_view> declared;
  for (const task::EventTypeInfo& t : types) declared.insert(t.name);
  for (const auto& [name, doc] : documented) {
    if (!declared.contains(name)) {
      out.push_back(name + ":" + in + " documents it, but no event type has this kType");
    }
  }
  return out;
}

}  // namespace duban::storage::testing
