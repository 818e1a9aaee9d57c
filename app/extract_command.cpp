// `duban extract FILE... [--format jsonl|table] [--documents | --list-units] [--units FILE]
// [--year YYYY] [--implicit]`
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "app/commands.h"
#include "app/input_file.h"
#include "app/json_output.h"
#include "app/table.h"
#include "app/units_arg.h"
#include "model/gazette/parser.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

std::string join_mentions(const gazette::Clause& c, gazette::Role role) {
  std::string out;
  for (const auto& a : c.assignments) {
    if (a.role != role) continue;
    if (!out.empty()) out += "、";
    out += a.mention;
  }
  return out;
}

struct UnitUse {
  std::map<std::string, int> mentions;  // as written -> count
  int count = 0;
};

void print_units(const std::map<std::string, UnitUse>& uses, const gazette::UnitDirectory& dir,
                 bool json) {
  Table table({"unit", "kind", "name", "clauses", "mentioned as"});
  for (const auto& [id, use] : uses) {
    const gazette::Unit* unit = dir.by_id(id);
    const bool known = unit != nullptr;
    std::string as;
    boost::json::object mentions;
    for (const auto& [m, n] : use.mentions) {
      if (!as.empty()) as += "、";
      as += m + "×" + std::to_string(n);
      mentions[m] = n;
    }
    if (json) {
      boost::json::array aliases;
      if (unit)
        for (const auto& a : unit->aliases) aliases.push_back(boost::json::string(a));
      boost::json::object o{{"unit", id},
                            {"kind", known ? unit->kind : std::string("unknown")},
                            {"name", known ? unit->name : use.mentions.begin()->first},
                            {"known", known},
                            {"aliases", std::move(aliases)},
                            {"count", use.count},
                            {"mentions", std::move(mentions)}};
      std::cout << boost::json::serialize(o) << "\n";
    } else {
      table.add(std::vector<std::string>{id, known ? unit->kind : std::string("UNKNOWN"),
                                         known ? unit->name : use.mentions.begin()->first,
                                         std::to_string(use.count), as});
    }
  }
  if (!json) table.print(std::cout, 80);
}

}  // namespace

int run_extract(int argc, char** argv) {
  po::options_description visible(
      "usage: duban extract FILE... [options]\n\n"
      "Reads gazettes (Markdown as OCR'd, plain text, HTML, Word .docx, or PDF with a text layer;\n"
      "'-' for standard input) and prints"
      " one task clause per line, in document order.\n\noptions");
  std::string format = "jsonl";
  visible.add_options()("help,h", "show this help")(
      "format", po::value(&format)->default_value("jsonl"), "jsonl | table")(
      "documents", "list the documents found instead of clauses")(
      "list-units", "list the units named, with aliases and counts; unknown units are flagged")(
      "input-format", po::value<std::string>(),
      "markdown | text | html | docx | pdf (default: from the file name, else the content)")(
      "units", po::value<std::string>(),
      "read unit names with this directory: a TSV in the format of data/units.tsv (e.g. "
      "data/units-state-council.tsv) instead of the built-in one")(
      "year", po::value<int>(),
      "the year of deadlines written without one (6月底前, 年底前) in every document; default: "
      "each document's own (its number 〔2026〕, title, date or the document it cites)")(
      "implicit",
      "also read items without a note whose sentences give a unit a duty (由X负责…, X要…) as "
      "clauses of kind implicit (low confidence; review them)");
  po::options_description all;
  // --directory FILE: the earlier name of --units FILE.
  all.add(visible).add_options()("file", po::value<std::vector<std::string>>(), "")(
      "directory", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("file", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban extract: " << e.what()
              << (std::string_view(e.what()).find("units") != std::string_view::npos
                      ? " (--units FILE reads a unit directory; --list-units lists the units "
                        "named)"
                      : "")
              << "\n(see duban extract --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban extract data/qinghai-gazette-2015-08.md --format table\n"
                 "  duban extract gazette.html --list-units\n"
                 "  duban extract notice.docx --units data/units-state-council.tsv\n";
    return kExitOk;
  }
  if (format != "jsonl" && format != "table") {
    std::cerr << "duban extract: --format must be jsonl or table, not '" << format << "'\n";
    return kExitUsage;
  }
  if (!vm.count("file")) {
    std::cerr << "duban extract: name at least one gazette file (see duban extract --help)\n";
    return kExitUsage;
  }
  std::optional<formats::Kind> forced;
  if (vm.count("input-format")) {
    forced = formats::kind_named(vm["input-format"].as<std::string>());
    if (!forced) {
      std::cerr << "duban extract: --input-format must be markdown, text, html, docx or pdf\n";
      return kExitUsage;
    }
  }
  const bool json = format == "jsonl";
  int year = 0;
  if (vm.count("year")) {
    year = vm["year"].as<int>();
    if (year < 1949 || year > 2200) {
      std::cerr << "duban extract: --year must be a year such as 2026, not " << year << "\n";
      return kExitUsage;
    }
  }
  std::optional<std::string> units_file;
  if (vm.count("units")) units_file = vm["units"].as<std::string>();
  if (vm.count("directory")) units_file = vm["directory"].as<std::string>();
  auto units_text = read_units_file(units_file);
  if (!units_text) {
    std::cerr << "duban extract: --units: " << units_text.error().message << "\n";
    return kExitUsage;
  }
  auto chosen = service::parse_directory(units_text->value_or(service::builtin_directory_text()));
  if (!chosen) {
    std::cerr << "duban extract: " << chosen.error().message << "\n";
    return kExitUsage;
  }
  const gazette::UnitDirectory& dir = *chosen;

  int status = kExitOk;
  Table clause_table(
      {"doc", "label", "mode", "lead", "participants", "deadline", "sure", "heading"});
  Table document_table({"document", "issuer", "signed", "clauses", "title"});
  std::map<std::string, UnitUse> unit_uses;
  for (const auto& file : vm["file"].as<std::vector<std::string>>()) {
    auto input = read_gazette_input(file, forced, "duban extract: ");
    if (!input) {
      std::cerr << "duban extract: " << input.error().message << "\n";
      status = kExitFailure;
      continue;
    }
    gazette::ParseOptions options;
    options.implicit_duties = vm.count("implicit") > 0;
    options.year = year;
    auto parsed = gazette::parse_gazette(input->text(), input->format(), dir, options);
    if (!parsed) {
      std::cerr << "duban extract: " << file << ": " << parsed.error().message << "\n";
      status = kExitFailure;
      continue;
    }
    for (const auto& w : parsed->warnings) {
      std::cerr << "duban extract: " << file << ":" << w.line << ": warning: " << w.message << "\n";
    }
    if (parsed->clauses.empty()) {
      std::cerr
          << "duban extract: " << file
          << ": no task clauses found (no numbered item or sentence ends with a "
             "responsibility parenthetical such as （省财政厅牵头负责）, and no task-division "
             "table names its units; --implicit also reads duties written as sentences)\n";
    }
    if (vm.count("documents")) {
      for (const auto& d : parsed->documents) {
        std::size_t n = 0;
        for (const auto& c : parsed->clauses) n += c.doc == d.id ? 1 : 0;
        if (json)
          std::cout << boost::json::serialize(to_json(d, n)) << "\n";
        else
          document_table.add(
              std::vector<std::string>{d.id, d.issuer, d.signed_date, std::to_string(n), d.title});
      }
    } else if (vm.count("list-units")) {
      for (const auto& c : parsed->clauses) {
        std::set<std::string> in_clause;
        for (const auto& a : c.assignments) {
          UnitUse& use = unit_uses[a.unit];
          ++use.mentions[a.mention];
          if (in_clause.insert(a.unit).second) ++use.count;
        }
      }
    } else {
      for (const auto& c : parsed->clauses) {
        if (json) {
          std::cout << boost::json::serialize(to_json(c)) << "\n";
        } else {
          clause_table.add(std::vector<std::string>{
              c.doc, c.label, std::string(gazette::to_string(c.mode)),
              join_mentions(c, gazette::Role::kLead), join_mentions(c, gazette::Role::kParticipant),
              c.deadlines.empty() ? "" : c.deadlines.back().date,
              std::to_string(static_cast<int>(c.confidence * 100 + 0.5)) + "%", c.heading});
        }
      }
    }
  }
  if (vm.count("list-units"))
    print_units(unit_uses, dir, json);
  else if (!json && vm.count("documents"))
    document_table.print(std::cout, 70);
  else if (!json)
    clause_table.print(std::cout, 40);
  return status;
}

}  // namespace duban::app
