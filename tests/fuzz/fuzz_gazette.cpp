// Fuzzes the gazette parser with arbitrary bytes in each input format. The parser must never
// crash, hang or trip a sanitizer; every clause it returns must satisfy basic invariants.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/gazette/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duban::gazette;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (Format f : {Format::kMarkdown, Format::kHtml}) {
    auto result = parse_gazette(bytes, f, UnitDirectory::builtin());
    if (!result) continue;
    for (const Clause& c : result->clauses) {
      bool lead = false;
      for (const auto& a : c.assignments) lead = lead || a.role == Role::kLead;
      if (!lead || c.source.line > c.source.end_line || c.doc.empty()) std::abort();
    }
  }
  return 0;
}
