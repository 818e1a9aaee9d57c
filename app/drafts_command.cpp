// `duban drafts [list] | show DOC | correct KIND ... | publish DOC`: the supervisor's review of
// documents recorded with `duban ingest --review` (拟办 → 审核 → 交办). service/drafts.h does the
// work; this file parses arguments and prints.
#include <algorithm>
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/calendar_arg.h"
#include "app/commands.h"
#include "app/database.h"
#include "app/table.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "app/write_clock.h"
#include "model/draft/commands.h"
#include "platform/system_clock.h"
#include "service/drafts.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "service/views/draft_json.h"
#include "service/views/unit_names.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage =
    "usage: duban drafts [list]                      the drafts and how far their review got\n"
    "       duban drafts show DOC                    a draft's clauses, doubtful ones first\n"
    "       duban drafts correct KIND DOC ...        correct a clause (KIND: units, mode, label,\n"
    "                                                deadline, split, merge, drop, add,\n"
    "                                                unit-name; duban drafts correct KIND --help)\n"
    "       duban drafts publish DOC                 交办: create the reviewed tasks\n"
    "       duban drafts evidence DOC on|off         completions must (not) carry evidence\n"
    "common options: --db PATH|URL (default duban.db), --now T\n";

// The directory recorded in the log (app/units_arg.h), once the store is open; before that
// (and for a log that holds none) the built-in one. Set once per run, before any output.
std::optional<gazette::UnitDirectory> g_log_units;

const gazette::UnitDirectory& directory() {
  return g_log_units ? *g_log_units : gazette::UnitDirectory::builtin();
}

std::string unit_label(const UnitId& id) {
  return service::views::unit_name(directory(), id);
}

// A unit typed by the supervisor: an id or any name or alias of the directory.
std::optional<task::DraftUnit> typed_unit(const std::string& text, task::Role role) {
  if (const auto* u = directory().by_id(text)) return task::DraftUnit{u->name, UnitId(u->id), role};
  if (const auto* u = directory().find(text)) return task::DraftUnit{text, UnitId(u->id), role};
  return std::nullopt;
}

std::string units_text(const task::DraftClause& c) {
  std::string out;
  for (const auto& u : c.units) {
    if (!out.empty()) out += "、";
    out += unit_label(u.unit);
    if (u.role == task::Role::kParticipant) out += "(参加)";
  }
  return out.empty() ? "-" : out;
}

std::string percent(double confidence) {
  return std::to_string(static_cast<int>(confidence * 100 + 0.5)) + "%";
}

// The store, read model, services and clock one invocation needs.
struct Session {
  WriteClock clocks;
  std::unique_ptr<storage::EventStore> store;
  std::optional<WriteTarget> target;  // the store, or a simulation over it
  service::projections::ReadModel model;
  std::unique_ptr<service::TaskService> tasks;
  std::unique_ptr<service::DraftService> drafts;

  const Clock& clock() const { return clocks.clock(); }
};

// Opens the store named by --db; prints the error and returns false when it cannot.
bool open(Session& s, const po::variables_map& vm, storage::StoreAccess access) {
  auto clocks = write_clock(vm, "duban drafts");
  if (!clocks) return false;
  s.clocks = *clocks;
  const std::string db = vm["db"].as<std::string>();
  auto store = storage::open_event_store(db, access, s.clocks.wall);
  if (!store) {
    std::cerr << "duban drafts: " << store.error().message << "\n";
    return false;
  }
  s.store = std::move(*store);
  g_log_units = log_units(*s.store, "duban drafts");
  if (!g_log_units) return false;
  s.target.emplace(*s.store, s.clocks.simulate);
  s.tasks = std::make_unique<service::TaskService>(s.target->get(), s.model, s.clock());
  s.drafts = std::make_unique<service::DraftService>(s.target->get(), *s.tasks, s.clock());
  if (auto caught = s.tasks->refresh(); !caught) {
    std::cerr << "duban drafts: reading " << storage::redact_db(db) << ": "
              << caught.error().message << "\n";
    return false;
  }
  return true;
}

void add_common(po::options_description& o) {
  o.add_options()("help,h", "show this help")(
      "db", po::value<std::string>()->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_write).c_str())(
      "now", po::value<std::string>(),
      "the time recorded instead of the clock; only with --simulate")("simulate", kSimulateHelp);
}

// Parses `args` with `visible` and positional `names`; nullopt (and a message) on misuse.
std::optional<po::variables_map> parse(std::vector<std::string> args,
                                       const po::options_description& visible,
                                       const std::vector<std::string>& names,
                                       const std::string& usage) {
  po::options_description all;
  all.add(visible);
  po::positional_options_description positional;
  for (const auto& n : names) {
    all.add_options()(n.c_str(), po::value<std::string>(), "");
    positional.add(n.c_str(), 1);
  }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban drafts: " << e.what() << "\n" << usage << "\n";
    return std::nullopt;
  }
  if (vm.count("help")) {
    std::cout << usage << "\n" << visible;
    return vm;
  }
  for (const auto& n : names) {
    if (!vm.count(n)) {
      std::cerr << "duban drafts: missing " << n << "\n" << usage << "\n";
      return std::nullopt;
    }
  }
  return vm;
}

int print_error(const Error& e) {
  std::cerr << "duban drafts: " << e.code << ": " << e.message << "\n";
  return kExitFailure;
}

// The --calendar option's calendar; prints the error and returns nullopt when it cannot load.
std::optional<calendar::Calendar> calendar_of(const po::variables_map& vm) {
  std::optional<std::string> file;
  if (vm.count("calendar")) file = vm["calendar"].as<std::string>();
  auto cal = load_calendar(file);
  if (!cal) {
    std::cerr << "duban drafts: --calendar: " << cal.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*cal);
}

int run_list(const std::vector<std::string>& args) {
  po::options_description o("options");
  add_common(o);
  o.add_options()("format", po::value<std::string>()->default_value("table"), "table | json");
  auto vm = parse(args, o, {}, "usage: duban drafts [list] [options]");
  if (!vm) return kExitUsage;
  if (vm->count("help")) return kExitOk;
  Session s;
  if (!open(s, *vm, storage::StoreAccess::read_write)) return kExitFailure;
  auto rows = s.drafts->list();
  if (!rows) return print_error(rows.error());
  if ((*vm)["format"].as<std::string>() == "json") {
    for (const auto& r : *rows) {
      std::cout << boost::json::serialize(service::views::draft_summary_json(r)) << "\n";
    }
    return kExitOk;
  }
  if (rows->empty()) {
    std::cout << "no drafts (duban ingest FILE --review records one)\n";
    return kExitOk;
  }
  Table t({"document", "version", "clauses", "doubtful", "corrections", "state", "title"});
  for (const auto& r : *rows) {
    t.add({r.document.str(), std::to_string(r.version), std::to_string(r.clauses),
           std::to_string(r.doubtful), std::to_string(r.corrections),
           r.published ? "published (" + std::to_string(r.tasks) + " tasks)" : "in review",
           r.title});
  }
  t.print(std::cout);
  return kExitOk;
}

int run_show(const std::vector<std::string>& args) {
  po::options_description o("options");
  add_common(o);
  o.add_options()("format", po::value<std::string>()->default_value("table"), "table | json")(
      "calendar", po::value<std::string>(), kCalendarHelp);
  const std::string usage =
      "usage: duban drafts show DOC [options]\n\n"
      "The draft's clauses, the doubtful ones (confidence below 80%, not corrected yet) first,\n"
      "then the rest in document order, each with its key (c7) for duban drafts correct.\n"
      "The draft of a revised document (duban ingest REVISED --review) also says what\n"
      "publishing would change on the live tasks: new tasks, units and deadlines the document\n"
      "changed, tasks whose clause is gone (the column 'change' and the list after the table).";
  auto vm = parse(args, o, {"document"}, usage);
  if (!vm) return kExitUsage;
  if (vm->count("help")) return kExitOk;
  Session s;
  if (!open(s, *vm, storage::StoreAccess::read_write)) return kExitFailure;
  auto d = s.drafts->draft(DocumentId((*vm)["document"].as<std::string>()));
  if (!d) return print_error(d.error());
  // What publishing would do now, per clause (a revision proposes changes to live tasks).
  std::optional<service::DraftProposal> proposal;
  if (!d->published) {
    auto cal = calendar_of(*vm);
    if (!cal) return kExitUsage;
    auto p = s.drafts->propose(d->document, *cal);
    if (!p) return print_error(p.error());
    proposal = std::move(*p);
  }
  auto proposed_for = [&](const std::string& key) {
    std::string out;
    if (!proposal) return out;
    for (const auto& c : proposal->changes) {
      if (c.key != key) continue;
      const std::string what = c.what == "CreateTask"     ? "new task"
                               : c.what == "ReassignTask" ? "units"
                               : c.what == "SetDeadline"  ? "deadline"
                               : c.what == "ReviseTask"   ? "text"
                                                          : c.what;
      if (out.find(what) == std::string::npos) out += (out.empty() ? "" : ", ") + what;
    }
    return out;
  };
  std::vector<const task::DraftClause*> order;
  for (const auto& c : d->clauses)
    if (draft::is_doubtful(*d, c)) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->confidence < b->confidence; });
  for (const auto& c : d->clauses)
    if (!draft::is_doubtful(*d, c)) order.push_back(&c);
  if ((*vm)["format"].as<std::string>() == "json") {
    for (const auto* c : order) {
      auto o = service::views::draft_clause_json(*c);
      o["doubtful"] = draft::is_doubtful(*d, *c);
      o["corrected"] = d->corrected.count(c->key) > 0;
      if (proposal) o["proposed"] = proposed_for(c->key);
      std::cout << boost::json::serialize(o) << "\n";
    }
    return kExitOk;
  }
  std::cout << d->document.str() << " " << d->title << " (version " << d->document_version << ", "
            << (d->published ? "published" : "in review") << ", " << d->corrections
            << " corrections" << (d->evidence_required ? ", completions must carry evidence" : "")
            << ")\n";
  const bool revision = proposal && proposal->revision;
  std::vector<std::string> columns{"",      "key",      "label", "sure",    "mode",
                                   "units", "deadline", "lines", "heading", "why"};
  if (revision) columns.insert(columns.begin() + 3, "change");
  Table t(columns);
  for (const auto* c : order) {
    std::string why;
    for (const auto& w : c->why) why += (why.empty() ? "" : "; ") + w;
    std::vector<std::string> row{
        draft::is_doubtful(*d, *c) ? "?" : (d->corrected.count(c->key) ? "✓" : ""),
        c->key,
        c->label,
        percent(c->confidence),
        std::string(task::to_string(c->mode)),
        units_text(*c),
        c->deadline.value_or(c->deadline_text.empty() ? "-" : c->deadline_text),
        std::to_string(c->line) + "-" + std::to_string(c->end_line),
        c->heading,
        why};
    if (revision) {
      const std::string change = proposed_for(c->key);
      row.insert(row.begin() + 3, change.empty() ? "-" : change);
    }
    t.add(row);
  }
  t.print(std::cout, 40);
  if (revision) {
    // The draft of a revision: what publishing changes on the live tasks, three-way.
    std::cout << "\npublishing (交办) changes the live tasks of " << d->document.str() << " so ("
              << proposal->changes.size() << " commands; what people set by hand stays):\n";
    if (proposal->plan.empty()) std::cout << "  nothing: this text is live already\n";
    for (const auto& c : proposal->changes) {
      std::cout << "  " << (c.key.empty() ? "-" : c.key) << "  " << c.what << " " << c.task.str()
                << ": " << c.detail << "\n";
    }
    for (const auto& note : proposal->plan.notes) std::cout << "  note: " << note << "\n";
  }
  return kExitOk;
}

int run_publish(const std::vector<std::string>& args) {
  po::options_description o("options");
  add_common(o);
  o.add_options()("calendar", po::value<std::string>(), kCalendarHelp);
  const std::string usage =
      "usage: duban drafts publish DOC [options]\n\n"
      "交办: turns the reviewed draft into tasks in one go (TaskCreated, UnitAssigned, then\n"
      "DocumentRegistered, as a plain ingest would), then records DraftPublished. From then on\n"
      "the document is live. A clause whose only deadline is relative (7个工作日内, 30日内) gets\n"
      "the date it ends on, counted from now (--now) in working days of the calendar. The draft\n"
      "of a revised document changes the live tasks only as `duban drafts show` proposes:\n"
      "deadlines, units and extensions set by hand and every unit's progress stay. Publishing\n"
      "again appends nothing.";
  auto vm = parse(args, o, {"document"}, usage);
  if (!vm) return kExitUsage;
  if (vm->count("help")) return kExitOk;
  auto cal = calendar_of(*vm);
  if (!cal) return kExitUsage;
  Session s;
  if (!open(s, *vm, storage::StoreAccess::read_write)) return kExitFailure;
  auto done = s.drafts->publish(DocumentId((*vm)["document"].as<std::string>()),
                                task::Actor::supervisor(), *cal);
  if (!done) return print_error(done.error());
  if (done->already_published) {
    std::cout << "already published: " << done->document.str() << " v" << done->version << ", "
              << done->tasks.size() << " tasks; nothing appended\n";
    return kExitOk;
  }
  std::cout << "published " << done->document.str() << " v" << done->version << ": "
            << done->counts.created << " tasks created, ";
  if (done->counts.reassigned + done->counts.revised + done->counts.deadlines +
          done->counts.cancelled >
      0) {
    std::cout << done->counts.reassigned << " reassigned, " << done->counts.revised << " revised, "
              << done->counts.deadlines << " deadline changes, " << done->counts.cancelled
              << " cancelled, ";
  }
  std::cout << done->counts.events << " events appended\n";
  return kExitOk;
}

int run_evidence(const std::vector<std::string>& args) {
  po::options_description o("options");
  add_common(o);
  o.add_options()("reason", po::value<std::string>()->default_value(""), "why, in words");
  const std::string usage =
      "usage: duban drafts evidence DOC on|off [options]\n\n"
      "Whether completions of the document's tasks must carry evidence (佐证材料): with on, a\n"
      "completion report without an attached file is refused. Set at review; publishing (交办)\n"
      "gives every task of the document the setting (EvidenceRequirementSet), and a later\n"
      "draft of the document keeps it.";
  auto vm = parse(args, o, {"document", "setting"}, usage);
  if (!vm) return kExitUsage;
  if (vm->count("help")) return kExitOk;
  const std::string setting = (*vm)["setting"].as<std::string>();
  if (setting != "on" && setting != "off") {
    std::cerr << "duban drafts evidence: say on or off, not '" << setting << "'\n" << usage << "\n";
    return kExitUsage;
  }
  Session s;
  if (!open(s, *vm, storage::StoreAccess::read_write)) return kExitFailure;
  const DocumentId document((*vm)["document"].as<std::string>());
  auto done = s.drafts->correct(
      document, draft::RequireEvidence{setting == "on", (*vm)["reason"].as<std::string>()},
      task::Actor::supervisor());
  if (!done) return print_error(done.error());
  std::cout << document.str() << ": completions "
            << (setting == "on" ? "must carry evidence" : "need not carry evidence")
            << (done->events.empty() ? " (already so; nothing appended)" : "") << "\n";
  return kExitOk;
}

// --- corrections ---------------------------------------------------------------------------

struct Kind {
  const char* name;
  const char* positional;  // after DOC
  const char* help;
};

constexpr Kind kKinds[] = {
    {"units", "CLAUSE",
     "replace the clause's units: --lead U (repeatable) and --participant U; U is a unit id or a "
     "name or alias of the directory"},
    {"mode", "CLAUSE MODE", "set how the leads share completion: lead | separately | responsible"},
    {"label", "CLAUSE", "change the numbering (--label) and/or the heading (--heading)"},
    {"deadline", "CLAUSE DATE", "set the deadline (YYYY-MM-DD), or clear it with 'none'"},
    {"split", "CLAUSE",
     "split the clause in two before --at TEXT; the second part gets a new key and --label "
     "(default: the label followed by -2)"},
    {"merge", "CLAUSE OTHER", "merge clause OTHER into CLAUSE (texts, units, the later deadline)"},
    {"drop", "CLAUSE", "take the clause out: it will not become a task (--reason is required)"},
    {"add", "",
     "add a clause the parser missed: --label, --text, --lines FIRST-LAST, --lead U "
     "(repeatable), optional --participant, --mode, --deadline, --part, --heading"},
    {"unit-name", "",
     "usage differs: duban drafts correct unit-name NAME UNIT [--draft DOC]: the name (as "
     "documents write it) means directory unit UNIT, for this draft and every later reading"},
};

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<std::vector<task::DraftUnit>> typed_units(const po::variables_map& vm) {
  std::vector<task::DraftUnit> units;
  for (auto [option, role] :
       {std::pair{"lead", task::Role::kLead}, std::pair{"participant", task::Role::kParticipant}}) {
    if (!vm.count(option)) continue;
    for (const auto& text : vm[option].as<std::vector<std::string>>()) {
      auto u = typed_unit(text, role);
      if (!u) {
        std::cerr << "duban drafts: '" << text
                  << "' is no unit of the directory (duban extract --list-units lists them)\n";
        return std::nullopt;
      }
      units.push_back(*u);
    }
  }
  return units;
}

int run_correct(std::vector<std::string> args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: duban drafts correct KIND DOC ... [--reason TEXT] [options]\n\n"
                 "Each correction is recorded as a DraftCorrected event naming the supervisor,\n"
                 "next to the machine's reading (duban audit history DOC#CLAUSE --draft).\n\n";
    for (const auto& k : kKinds)
      std::cout << "  " << k.name << " DOC " << k.positional << "\n      " << k.help << "\n";
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string kind = args[0];
  args.erase(args.begin());
  const Kind* found = nullptr;
  for (const auto& k : kKinds)
    if (kind == k.name) found = &k;
  if (!found) {
    std::cerr << "duban drafts: no correction '" << kind << "' (duban drafts correct --help)\n";
    return kExitUsage;
  }
  po::options_description o("options");
  add_common(o);
  o.add_options()("reason", po::value<std::string>()->default_value(""), "why, in words");
  std::vector<std::string> names;
  if (kind == "unit-name") {
    names = {"name", "unit"};
    o.add_options()("draft", po::value<std::string>(), "also reread this draft's clauses");
  } else {
    names = {"document"};
    for (const auto& w : split_words(found->positional)) {
      std::string n = w;
      std::transform(n.begin(), n.end(), n.begin(),
                     [](unsigned char ch) { return std::tolower(ch); });
      names.push_back(n);
    }
  }
  if (kind == "units" || kind == "add") {
    o.add_options()("lead", po::value<std::vector<std::string>>(), "a lead unit (repeatable)")(
        "participant", po::value<std::vector<std::string>>(), "a participating unit (repeatable)");
  }
  if (kind == "label" || kind == "add") {
    o.add_options()("label", po::value<std::string>(), "the numbering")(
        "heading", po::value<std::string>(), "the heading");
  }
  if (kind == "split") {
    o.add_options()("at", po::value<std::string>(), "the text the second clause starts with")(
        "label", po::value<std::string>(), "the second clause's numbering");
  }
  if (kind == "add") {
    o.add_options()("text", po::value<std::string>(), "the clause's text")(
        "lines", po::value<std::string>(), "its source lines, FIRST-LAST")(
        "mode", po::value<std::string>()->default_value("lead"), "lead | separately | responsible")(
        "deadline", po::value<std::string>(), "YYYY-MM-DD")(
        "part", po::value<std::string>(), "the part holding it (default: the document body)");
  }
  std::string usage = "usage: duban drafts correct " + kind + " ";
  usage += kind == "unit-name" ? "NAME UNIT" : "DOC " + std::string(found->positional);
  usage += " [options]\n\n" + std::string(found->help);
  auto vm = parse(args, o, names, usage);
  if (!vm) return kExitUsage;
  if (vm->count("help")) return kExitOk;
  const std::string reason = (*vm)["reason"].as<std::string>();
  auto arg = [&](const char* n) { return (*vm)[n].as<std::string>(); };

  Session s;
  if (!open(s, *vm, storage::StoreAccess::read_write)) return kExitFailure;
  const task::Actor actor = task::Actor::supervisor();

  if (kind == "unit-name") {
    auto u = typed_unit(arg("unit"), task::Role::kLead);
    if (!u) {
      std::cerr << "duban drafts: '" << arg("unit") << "' is no unit of the directory\n";
      return kExitFailure;
    }
    std::optional<DocumentId> doc;
    if (vm->count("draft")) doc = DocumentId(arg("draft"));
    auto done = s.drafts->map_unit_name(arg("name"), u->unit, doc, actor);
    if (!done) return print_error(done.error());
    std::cout << arg("name") << " is " << unit_label(u->unit) << " (" << u->unit.str()
              << ") from now on; " << done->events.size() << " draft clauses reread\n";
    return kExitOk;
  }

  const DocumentId doc(arg("document"));
  std::optional<draft::Command> command;
  if (kind == "units") {
    auto units = typed_units(*vm);
    if (!units) return kExitFailure;
    command = draft::ChangeUnits{arg("clause"), *units, reason};
  } else if (kind == "mode") {
    auto m = task::parse_mode(arg("mode"));
    if (!m) {
      std::cerr << "duban drafts: MODE is lead, separately or responsible\n";
      return kExitUsage;
    }
    command = draft::ChangeMode{arg("clause"), *m, reason};
  } else if (kind == "label") {
    draft::ChangeLabel c{arg("clause"), {}, {}, reason};
    if (vm->count("label")) c.label = arg("label");
    if (vm->count("heading")) c.heading = arg("heading");
    command = c;
  } else if (kind == "deadline") {
    std::optional<std::string> date;
    if (arg("date") != "none") date = arg("date");
    command = draft::SetClauseDeadline{arg("clause"), date, reason};
  } else if (kind == "split") {
    if (!vm->count("at")) {
      std::cerr << "duban drafts: say where to split with --at TEXT\n";
      return kExitUsage;
    }
    draft::SplitClause c{arg("clause"), arg("at"), {}, reason};
    if (vm->count("label")) c.label = arg("label");
    command = c;
  } else if (kind == "merge") {
    command = draft::MergeClauses{arg("clause"), arg("other"), reason};
  } else if (kind == "drop") {
    command = draft::DropClause{arg("clause"), reason};
  } else {  // add
    for (const char* need : {"label", "text", "lines"}) {
      if (!vm->count(need)) {
        std::cerr << "duban drafts: add needs --" << need << "\n";
        return kExitUsage;
      }
    }
    task::DraftClause c;
    c.label = arg("label");
    c.text = arg("text");
    if (vm->count("heading")) c.heading = arg("heading");
    if (vm->count("part")) c.part = arg("part");
    const std::string lines = arg("lines");
    const auto dash = lines.find('-');
    try {
      c.line = std::stoi(lines.substr(0, dash));
      c.end_line = dash == std::string::npos ? c.line : std::stoi(lines.substr(dash + 1));
    } catch (const std::exception&) {
      std::cerr << "duban drafts: --lines is FIRST-LAST, e.g. 120-122\n";
      return kExitUsage;
    }
    auto m = task::parse_mode(arg("mode"));
    if (!m) {
      std::cerr << "duban drafts: --mode is lead, separately or responsible\n";
      return kExitUsage;
    }
    c.mode = *m;
    if (vm->count("deadline")) c.deadline = arg("deadline");
    auto units = typed_units(*vm);
    if (!units) return kExitFailure;
    c.units = *units;
    command = draft::AddClause{c, reason};
  }
  auto done = s.drafts->correct(doc, *command, actor);
  if (!done) return print_error(done.error());
  if (done->events.empty()) {
    std::cout << "nothing to change: the clause already reads so\n";
    return kExitOk;
  }
  for (const auto& e : done->events) {
    const auto& c = std::get<task::DraftCorrected>(e);
    std::cout << "corrected (" << task::to_string(c.kind) << ")";
    for (const auto& a : c.after)
      std::cout << " " << a.key << " " << a.label << ": " << units_text(a);
    if (c.after.empty()) std::cout << " dropped " << c.before.front().key;
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_drafts(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string verb = "list";
  if (!args.empty() && !args[0].starts_with("-")) {
    verb = args[0];
    args.erase(args.begin());
  } else if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (verb == "list") return run_list(args);
  if (verb == "show") return run_show(args);
  if (verb == "correct") return run_correct(args);
  if (verb == "publish") return run_publish(args);
  if (verb == "evidence") return run_evidence(args);
  std::cerr << "duban drafts: no subcommand '" << verb << "'\n" << kUsage;
  return kExitUsage;
}

}  // namespace duban::app
