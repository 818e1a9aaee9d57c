#include "model/gazette/parser.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "model/gazette/blocks.h"
#include "model/gazette/dates.h"
#include "model/gazette/markers.h"
#include "model/gazette/responsibility.h"
#include "model/gazette/script.h"
#include "model/gazette/table.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

using text::encode;

constexpr std::u32string_view kUntitled = U"未命名文件";

// Where a document's header sits: [header, number] block indices.
struct DocumentStart {
  std::size_t header = 0;
  std::size_t title = 0;
  std::optional<std::size_t> issuer;
  std::size_t number = 0;
};

std::vector<DocumentStart> find_document_starts(const std::vector<Block>& blocks) {
  std::vector<DocumentStart> starts;
  for (std::size_t k = 1; k < blocks.size(); ++k) {
    if (!is_document_number(blocks[k].text)) continue;
    const Block& title = blocks[k - 1];
    if (find_marker(title.text) || is_date_line(title.text)) continue;
    if (!starts.empty() && starts.back().number >= k - 1) continue;
    DocumentStart s{k - 1, k - 1, std::nullopt, k};
    if (k >= 2 && is_issuer_line(blocks[k - 2].text) &&
        (starts.empty() || starts.back().number < k - 2)) {
      s.header = k - 2;
      s.issuer = k - 2;
    }
    starts.push_back(s);
  }
  return starts;
}

// “青海省人民政府 关于印发…的通知” → issuer and title; “青海省人民政府免职通知” keeps its title.
void split_issuer(std::u32string_view heading, std::u32string& issuer, std::u32string& title) {
  const std::u32string trimmed = text::trim(heading);
  if (const auto about = trimmed.find(U"关于"); about != std::u32string::npos && about > 0) {
    const std::u32string head = text::trim(std::u32string_view(trimmed).substr(0, about));
    if (is_issuer_line(head)) {
      issuer = head;
      title = text::collapse_cjk_spaces(std::u32string_view(trimmed).substr(about));
      return;
    }
  }
  title = text::collapse_cjk_spaces(trimmed);
  for (std::size_t n = std::min<std::size_t>(title.size(), 20); n >= 4; --n) {
    if (is_issuer_line(std::u32string_view(title).substr(0, n))) {
      issuer = title.substr(0, n);
      return;
    }
  }
}

std::string iso_date(std::u32string_view date_line) {
  int parts[3] = {0, 0, 0};
  int k = 0;
  for (char32_t c : date_line) {
    if (text::is_digit(c))
      parts[k] = parts[k] * 10 + text::digit_value(c);
    else if (k < 2 && (c == U'年' || c == U'月'))
      ++k;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return buf;
}

std::u32string squeeze(std::u32string_view s) {
  std::u32string out;
  for (char32_t c : text::fold_punctuation(s))
    if (!text::is_space(c)) out.push_back(c);
  return out;
}

struct Item {
  std::string label;
  int level = 0;
  std::size_t marker_length = 0;
  std::vector<const Block*> blocks;
};

// A parenthetical that closes a sentence or a paragraph of an item and names a responsibility.
struct Note {
  std::size_t open = 0;   // offset of the opening bracket in the item's body
  std::size_t close = 0;  // offset of the closing bracket (body.size() when never closed)
  bool unclosed = false;
};

bool closes_sentence_at(std::u32string_view body, std::size_t after) {
  while (after < body.size() && text::is_space(body[after])) ++after;
  if (after >= body.size()) return true;
  const char32_t c = body[after];
  return c == U'。' || c == U'；' || c == U';' || c == U'\n' || c == U'！' || c == U'!';
}

// “…经费。（省水利厅负责）推行…”: a note placed after the full stop of the sentence it closes.
bool follows_sentence(std::u32string_view body, std::size_t open) {
  while (open > 0 && text::is_space(body[open - 1])) --open;
  return open > 0 && (body[open - 1] == U'。' || body[open - 1] == U'；');
}

// “市财政局，市地方金融局”: a parenthetical that is only a list of unit names (read as a note
// once the document has said that the first unit listed leads).
bool is_unit_list(std::u32string_view s) {
  std::u32string piece;
  int depth = 0, pieces = 0;
  auto flush = [&] {
    const std::u32string m = text::trim(piece);
    piece.clear();
    if (m.empty()) return false;
    ++pieces;
    return is_unit_shaped(m);
  };
  for (char32_t c : s) {
    if (text::is_open_bracket(c)) ++depth;
    if (text::is_close_bracket(c) && depth > 0) --depth;
    if (depth == 0 && (c == U'、' || text::is_comma(c))) {
      if (!flush()) return false;
    } else {
      piece.push_back(c);
    }
  }
  return flush() && pieces > 0;
}

// Every responsibility note of an item: parentheticals at bracket depth 0 that end a sentence or
// a paragraph, plus a last one never closed (a truncated file). With `bare_lists`, a
// parenthetical that only lists units is a note too.
std::vector<Note> find_notes(std::u32string_view body, bool bare_lists) {
  auto names_someone = [&](std::u32string_view x) {
    return mentions_responsibility(x) || (bare_lists && is_unit_list(x));
  };
  std::vector<Note> notes;
  int depth = 0;
  std::size_t open = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (text::is_open_bracket(body[i])) {
      if (depth++ == 0) open = i;
    } else if (text::is_close_bracket(body[i]) && depth > 0) {
      if (--depth == 0 && (closes_sentence_at(body, i + 1) || follows_sentence(body, open)) &&
          names_someone(body.substr(open + 1, i - open - 1))) {
        notes.push_back({open, i, false});
      }
    }
  }
  if (depth > 0) {
    // Find the outermost bracket left open, then the innermost open one that names a role.
    int d = 0;
    for (std::size_t i = body.size(); i-- > 0;) {
      if (text::is_close_bracket(body[i])) ++d;
      if (text::is_open_bracket(body[i]) && d-- == 0) {
        if (names_someone(body.substr(i + 1))) notes.push_back({i, body.size(), true});
        break;
      }
    }
  }
  return notes;
}

// The sentence up to the first 。 (or line end) of `s`, trimmed.
std::u32string first_sentence(std::u32string_view s) {
  if (const auto nl = s.find(U'\n'); nl != std::u32string_view::npos) s = s.substr(0, nl);
  if (const auto stop = s.find(U'。'); stop != std::u32string_view::npos) s = s.substr(0, stop);
  return text::trim(s);
}

// “以下均由X负责，不再列出”, “以下各项任务由X牵头落实，不再一一列出”: the responsibility text
// (X负责) of a standing instruction in `s`, if it holds one.
std::optional<std::u32string> standing_instruction(std::u32string_view s) {
  const auto below = s.find(U"以下");
  if (below == std::u32string_view::npos) return std::nullopt;
  const auto by = s.find(U'由', below);
  if (by == std::u32string_view::npos || by - below > 20) return std::nullopt;
  auto stop = s.find(U"不再", by);
  const bool all = s.substr(below, by - below).find(U'均') != std::u32string_view::npos;
  if (stop == std::u32string_view::npos) {
    if (!all) return std::nullopt;
    stop = by;
    while (stop < s.size() && s[stop] != U'。' && s[stop] != U'\n' &&
           !text::is_close_bracket(s[stop]))
      ++stop;
  }
  if (stop - by > 80) return std::nullopt;
  std::u32string content = text::trim(s.substr(by + 1, stop - by - 1));
  while (!content.empty() && (text::is_comma(content.back()) || content.back() == U'。'))
    content.pop_back();
  if (!mentions_responsibility(content)) return std::nullopt;
  return content;
}

// The year of a document number in `s` (〔2016〕, [2016]), or 0.
int cited_year(std::u32string_view s) {
  for (std::size_t i = 0; i + 5 < s.size(); ++i) {
    if (s[i] != U'〔' && s[i] != U'[' && s[i] != U'［' && s[i] != U'【') continue;
    int y = 0;
    std::size_t j = i + 1;
    for (; j < i + 5 && text::is_digit(s[j]); ++j) y = y * 10 + text::digit_value(s[j]);
    if (j == i + 5 && y >= 1949 && y <= 2200) return y;
  }
  return 0;
}

// The first year written YYYY年 in `s`, or 0.
int first_year(std::u32string_view s) {
  for (std::size_t i = 0; i + 4 < s.size(); ++i) {
    if (i > 0 && text::is_digit(s[i - 1])) continue;
    int y = 0;
    std::size_t j = i;
    for (; j < i + 4 && text::is_digit(s[j]); ++j) y = y * 10 + text::digit_value(s[j]);
    if (j == i + 4 && s[j] == U'年' && y >= 1949 && y <= 2200) return y;
  }
  return 0;
}

// Lowers a clause's confidence for one reason, and records the reason.
void doubt(Clause& c, std::string reason, double penalty) {
  if (std::find(c.why.begin(), c.why.end(), reason) != c.why.end()) return;
  c.why.push_back(std::move(reason));
  c.confidence *= 1.0 - penalty;
}

class Parser {
 public:
  // `dated_years`: the year each document's date gives (by document index), from an earlier
  // pass; empty on the first.
  Parser(const UnitDirectory& units, const ParseOptions& options, std::vector<int> dated_years = {})
      : units_(units), options_(options), dated_years_(std::move(dated_years)) {}

  // Whether a document read deadlines without knowing its own year while a date line in it gives
  // one: the caller parses again with dated_years().
  bool dated_after_its_deadlines() const {
    for (std::size_t d = 0; d < timed_without_year_.size(); ++d) {
      if (timed_without_year_[d] && d < dated_years_.size() && dated_years_[d] > 0) return true;
    }
    return false;
  }
  const std::vector<int>& dated_years() const { return dated_years_; }

  ParseResult run(const std::vector<Block>& blocks) {
    const std::vector<DocumentStart> starts = find_document_starts(blocks);
    std::size_t next_start = 0;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (next_start < starts.size() && i == starts[next_start].header) {
        begin_numbered_document(blocks, starts[next_start]);
        i = starts[next_start].number;
        ++next_start;
        continue;
      }
      on_block(blocks[i]);
    }
    finish_item();
    finish_unit_heading();
    end_table();
    if (!out_.documents.empty() && !blocks.empty()) {
      out_.documents.back().end_line = blocks.back().end_line;
    }
    return std::move(out_);
  }

 private:
  void begin_document(std::u32string title, std::u32string issuer, std::u32string number,
                      int line) {
    finish_item();
    finish_unit_heading();
    end_table();
    if (!out_.documents.empty()) out_.documents.back().end_line = line - 1;
    Document d;
    d.number = encode(number);
    d.title = encode(title);
    d.issuer = encode(issuer);
    d.id = d.number.empty() ? d.title : d.number;
    d.parts.push_back(d.title);
    d.line = line;
    d.end_line = line;
    // The year that month-only deadlines (5月底前) fall in: the issuing number's, else the title's.
    year_ = cited_year(number);
    if (year_ == 0) year_ = first_year(title);
    // Else the document's date (known from an earlier pass when it comes after the clauses).
    const std::size_t index = out_.documents.size();
    if (year_ == 0 && index < dated_years_.size()) year_ = dated_years_[index];
    own_year_ = year_ > 0;
    out_.documents.push_back(std::move(d));
    enter_part(out_.documents.back().title);
    after_signature_ = false;
  }

  void begin_numbered_document(const std::vector<Block>& blocks, const DocumentStart& s) {
    std::u32string issuer, title;
    split_issuer(blocks[s.title].text, issuer, title);
    if (s.issuer) issuer = blocks[*s.issuer].text;
    begin_document(std::move(title), std::move(issuer), blocks[s.number].text,
                   blocks[s.header].line);
  }

  void enter_part(const std::string& title) {
    finish_unit_heading();
    end_table();
    tables_in_part_ = 0;
    part_ = title;
    section_label_.clear();
    item_label_.clear();
    context_ = ResponsibilityContext{};
    standing_.reset();
    standing_text_.clear();
  }

  void on_block(const Block& b) {
    if (out_.documents.empty()) {
      // Text before any recognisable header: an implicit document, titled by its first heading.
      const bool titled = b.heading_level > 0 && !find_marker(b.text);
      begin_document(titled ? text::collapse_cjk_spaces(b.text) : std::u32string(kUntitled), {}, {},
                     b.line);
      if (titled) return;
    }
    Document& doc = out_.documents.back();
    doc.end_line = b.end_line;
    // No year in the number or title: the preamble's citation of the document it implements
    // (根据…（X政发〔2016〕13号）) dates it.
    if (year_ == 0 && !item_ && out_.clauses.empty()) year_ = cited_year(b.text);
    if (is_date_line(b.text)) note_date(out_.documents.size() - 1, b.text);

    if (!b.cells.empty()) {
      finish_item();
      on_table_row(b);
      return;
    }
    end_table();

    if (is_date_line(b.text)) {
      finish_item();
      // OCR may put a stray fragment between the issuer and the date of a signature.
      if (blocks_since_issuer_ <= 2) {
        const std::string issuer = encode(last_issuer_);
        // OCR can move a page of one notice into the next one; a signature that cannot be the
        // current document's belongs to the latest unsigned document of the same issuer.
        Document* signed_doc = nullptr;
        if (doc.signed_date.empty() && (doc.issuer.empty() || doc.issuer == issuer)) {
          signed_doc = &doc;
          after_signature_ = true;
        } else {
          for (auto it = out_.documents.rbegin(); it != out_.documents.rend(); ++it) {
            if (it->signed_date.empty() && it->issuer == issuer) {
              signed_doc = &*it;
              break;
            }
          }
        }
        if (signed_doc) {
          note_date(static_cast<std::size_t>(signed_doc - out_.documents.data()), b.text);
          signed_doc->signed_text = encode(b.text);
          signed_doc->signed_date = iso_date(b.text);
          if (signed_doc->issuer.empty()) signed_doc->issuer = issuer;
        }
      }
      blocks_since_issuer_ = kFar;
      return;
    }
    ++blocks_since_issuer_;
    if (is_issuer_line(b.text)) {
      blocks_since_issuer_ = 0;
      last_issuer_ = b.text;
      finish_item();
      return;
    }

    const auto marker = find_marker(b.text);
    if (!marker) {
      if (b.heading_level > 0) {
        finish_item();
        on_unnumbered_heading(b);
      } else if (item_) {
        item_->blocks.push_back(&b);
      } else if (auto standing = standing_instruction(b.text)) {
        set_standing(*standing);
      }
      return;
    }
    finish_item(marker->level);
    if (unit_heading_ && marker->level > 0 && marker->level <= unit_heading_->level)
      finish_unit_heading();
    if (marker->level == 0) return;  // bullet lists (members of a group, …) are never tasks
    std::string label = marker->label;
    switch (marker->level) {
      case 1:
        section_label_.clear();
        item_label_.clear();
        break;
      case 2:
        section_label_ = label;
        item_label_.clear();
        break;
      case 3:
        item_label_ = label;
        break;
      default:
        label = (item_label_.empty() ? section_label_ : item_label_) + label;
        break;
    }
    item_ = Item{std::move(label), marker->level, marker->length, {&b}};
  }

  // A heading with no number: after the signature it opens an attachment (or, when it is not one
  // of the attachments the notice announces, a new document); before it, a section title.
  void on_unnumbered_heading(const Block& b) {
    if (!after_signature_) return;
    const std::u32string title = text::collapse_cjk_spaces(b.text);
    Document& doc = out_.documents.back();
    const bool announced =
        squeeze(text::decode(doc.title)).find(squeeze(title)) != std::u32string::npos;
    if (announced || b.heading_level >= 2) {
      finish_item();
      doc.parts.push_back(encode(title));
      enter_part(doc.parts.back());
      return;
    }
    begin_document(title, {}, {}, b.line);
  }

  // Finishes the current item. `next_level` is the level of the item that follows (0 when none
  // does): an item followed by a deeper one heads sub-items and takes no standing instruction.
  void finish_item(int next_level = 0) {
    if (!item_) return;
    Item item = std::move(*item_);
    item_.reset();

    std::u32string body;
    std::vector<std::pair<std::size_t, const Block*>> starts;  // body offset of each block
    for (const Block* b : item.blocks) {
      if (!body.empty()) body.push_back(U'\n');
      starts.emplace_back(body.size(), b);
      body += b == item.blocks.front() ? b->text.substr(item.marker_length) : b->text;
    }
    auto block_at = [&](std::size_t offset) {
      const Block* found = starts.front().second;
      for (const auto& [start, b] : starts)
        if (start <= offset) found = b;
      return found;
    };
    auto paragraph_at = [&](std::size_t offset) {
      int n = 0;
      for (const auto& [start, b] : starts)
        if (start <= offset) ++n;
      return n;
    };
    const int line = item.blocks.front()->line;

    // Notes are also written in 〔〕 or 【】 (〔牵头单位：X，责任单位：Y〕): found and read in a
    // copy where those are round brackets, one character for one, so offsets hold; the text and
    // the note are given back as written. A document number (〔2015〕) becomes an aside.
    std::u32string folded;  // only when there is something to fold: most items have none
    if (body.find_first_of(U"〔【〕】") != std::u32string::npos) {
      folded = body;
      for (char32_t& c : folded) {
        if (c == U'〔' || c == U'【') c = U'（';
        if (c == U'〕' || c == U'】') c = U'）';
      }
    }
    const std::u32string_view scan = folded.empty() ? std::u32string_view(body) : folded;
    const std::vector<Note> notes = find_notes(scan, context_.first_listed_leads);
    std::size_t from = 0;  // where the text of the next clause starts
    int taken = 0;
    std::map<int, int> per_paragraph;
    for (const Note& n : notes) ++per_paragraph[paragraph_at(n.open)];
    std::map<int, int> seen_in_paragraph;
    std::size_t rules = 0;  // notes that only state a rule of the document
    for (const Note& note : notes) {
      const std::size_t to = note.unclosed ? body.size() : note.close + 1;
      const int paragraph = paragraph_at(note.open);
      const int nth = ++seen_in_paragraph[paragraph];
      std::string label = item.label;
      if (notes.size() > 1) {
        label += "¶" + std::to_string(paragraph);
        if (per_paragraph[paragraph] > 1) label += "." + std::to_string(nth);
      }
      if (note.unclosed) {
        out_.warnings.push_back(
            {item.blocks.back()->end_line,
             "item " + label +
                 ": its responsibility parenthetical is never closed (input cut off?); "
                 "read the units up to the end of the item"});
      }
      std::u32string_view content = scan.substr(note.open + 1, note.close - note.open - 1);
      // “〔责任单位：X、Y按职责分工负责。具体任务均涉及各市，不再做分工，下同。〕”: a sentence
      // after the responsibility that names no role is a remark, not more units (its unit-shaped
      // names are reported); its 下同 is the remark's.
      std::u32string_view remark;
      if (const auto stop = content.find(U'。');
          stop != std::u32string_view::npos && stop + 1 < content.size() &&
          !mentions_responsibility(content.substr(stop + 1)) &&
          mentions_responsibility(content.substr(0, stop))) {
        remark = content.substr(stop + 1);
        content = content.substr(0, stop);
      }
      const std::u32string_view as_written =
          std::u32string_view(body).substr(note.open + 1, note.close - note.open - 1);
      const std::u32string_view before = std::u32string_view(body).substr(from, note.open - from);
      const std::size_t clause_from = from;
      from = to;
      while (from < body.size() &&
             (text::is_space(body[from]) || body[from] == U'。' || body[from] == U'；' ||
              body[from] == U';' || body[from] == U'\n'))
        ++from;
      if (auto standing = standing_instruction(content)) {
        // “（以下均由X负责，不再列出）” closing a heading: a rule, not a clause of its own.
        set_standing(*standing);
        continue;
      }
      const auto responsibility = parse_responsibility(content, context_);
      if (!responsibility && states_first_listed_leads(content)) {
        // “（列第一位的为牵头单位，下同）” after a label line: a rule, read with the line.
        context_.first_listed_leads = true;
        ++rules;
        continue;
      }
      if (!responsibility) {
        warn_unread(content, block_at(note.open)->line, label);
        continue;
      }
      if (is_ditto(content)) {
        standing_ = *responsibility;  // “（X负责，下同）”: X also for the items that follow
        standing_text_ = encode(text::trim(content));
      }
      Clause c = new_clause(ClauseKind::kNote, label);
      const std::u32string heading = first_sentence(before);
      c.heading = encode(heading);
      // One note: the clause is the whole item; several: each clause is its own stretch.
      const bool whole = notes.size() == 1;
      c.text = encode(
          text::trim(whole ? std::u32string_view(body)
                           : std::u32string_view(body).substr(clause_from, to - clause_from)));
      c.note = encode(text::trim(as_written));
      std::u32string timed(before);
      if (whole && to < body.size()) timed += std::u32string_view(body).substr(to);
      if (!responsibility->timing.empty()) timed += U"。" + responsibility->timing;
      set_times(c, timed);
      c.source = {whole ? line : block_at(clause_from)->line,
                  whole ? item.blocks.back()->end_line : block_at(to - 1)->end_line};
      if (note.unclosed) doubt(c, "parenthetical never closed", 0.2);
      if (notes.size() > 1) doubt(c, "one of several notes in the item", 0.05);
      if (!remark.empty()) {
        Responsibility with_remark = *responsibility;
        for (auto& span : unit_shaped_spans(remark)) with_remark.unassigned.push_back(span);
        assign(c, with_remark, c.source.line);
        out_.clauses.push_back(std::move(c));
        ++taken;
        continue;
      }
      assign(c, *responsibility, c.source.line);
      out_.clauses.push_back(std::move(c));
      ++taken;
    }
    if (taken > 0 || notes.size() > rules) return;
    if (read_label_lines(item, body, line)) return;
    if (options_.implicit_duties) {
      // Duties listed under a heading that names their unit: “（一）省发展改革委。” + “1.负责…”.
      if (unit_heading_ && item.level > unit_heading_->level) {
        unit_heading_->text += U"\n" + text::trim(body);
        unit_heading_->end_line = item.blocks.back()->end_line;
        return;
      }
      if (begin_unit_heading(item, body, line)) return;
    }
    // No note: a standing instruction in the item itself, or one given earlier in the part, or
    // (when asked) a duty written as a sentence.
    if (auto standing = standing_instruction(body)) {
      set_standing(*standing);
      return;
    }
    if (next_level > item.level) return;  // it heads sub-items
    if (standing_) {
      Clause c = new_clause(ClauseKind::kNote, item.label);
      c.heading = encode(first_sentence(body));
      c.text = encode(text::trim(body));
      c.note = standing_text_;
      set_times(c, body);
      c.source = {line, item.blocks.back()->end_line};
      doubt(c, "responsibility from a standing instruction earlier in the part", 0.1);
      assign(c, *standing_, line);
      out_.clauses.push_back(std::move(c));
      return;
    }
    if (options_.implicit_duties) read_implicit(item, body, line);
  }

  // An item whose whole text names a unit (“（一）区民政局。”): the duties after it, in its own
  // paragraphs and its sub-items, are that unit's (read with implicit duties only).
  struct UnitHeading {
    std::string label;
    int level = 0;
    std::u32string unit;
    std::u32string text;
    int line = 0;
    int end_line = 0;
  };
  std::optional<UnitHeading> unit_heading_;

  bool begin_unit_heading(const Item& item, std::u32string_view body, int line) {
    // The item's first paragraph is the name alone (“区民政局。”, “省财政厅：”).
    std::u32string name =
        text::trim(std::u32string_view(item.blocks.front()->text)
                       .substr(std::min(item.marker_length, item.blocks.front()->text.size())));
    while (!name.empty() && (text::is_colon(name.back()) || name.back() == U'。')) name.pop_back();
    if (name.size() > 20 || !is_unit_shaped(name)) return false;
    // A section title may end like a unit (建设社区健身中心, 加强督查室建设): a title starts with
    // what is to be done.
    for (std::u32string_view verb :
         {U"建设", U"建立", U"推进", U"推动", U"加强", U"加快", U"完善", U"提升",
          U"提高", U"促进", U"实施", U"开展", U"强化", U"深化", U"优化", U"健全",
          U"做好", U"落实", U"支持", U"打造", U"培育", U"发展", U"创新", U"构建",
          U"组建", U"设立", U"成立", U"扩大", U"规范", U"保障"}) {
      if (text::starts_with(name, verb)) return false;
    }
    finish_unit_heading();
    unit_heading_ = UnitHeading{item.label,       item.level, name,
                                text::trim(body), line,       item.blocks.back()->end_line};
    return true;
  }

  void finish_unit_heading() {
    if (!unit_heading_) return;
    UnitHeading h = std::move(*unit_heading_);
    unit_heading_.reset();
    // The duties: the sentences holding a role word (负责…, 牵头…).
    std::u32string evidence;
    std::size_t from = 0;
    const std::u32string& t = h.text;
    for (std::size_t i = 0; i <= t.size(); ++i) {
      if (i < t.size() && t[i] != U'。' && t[i] != U'；' && t[i] != U'\n') continue;
      const std::u32string sentence = text::trim(std::u32string_view(t).substr(from, i - from));
      from = i + 1;
      if (sentence.empty() || !mentions_responsibility(sentence)) continue;
      if (!evidence.empty()) evidence += U"…";
      evidence += sentence;
    }
    if (evidence.empty()) return;  // a heading naming a unit, but no duty under it
    Clause c = new_clause(ClauseKind::kImplicit, h.label);
    c.heading = encode(h.unit);
    c.text = encode(h.text);
    c.note = encode(evidence);
    set_times(c, h.text);
    c.source = {h.line, h.end_line};
    doubt(c, "duties listed under a heading naming the unit", 0.1);
    Responsibility r;
    r.mode = Mode::kResponsible;
    r.units.push_back({Role::kLead, encode(h.unit), false});
    assign(c, r, h.line);
    out_.clauses.push_back(std::move(c));
  }

  // “1. 任务。” followed by lines “牵头单位：X” “责任单位：Y” (no brackets): one clause.
  bool read_label_lines(const Item& item, std::u32string_view body, int line) {
    std::u32string content;
    std::size_t first_label = body.size();
    std::size_t offset = 0;
    for (std::size_t k = 0; k < item.blocks.size(); ++k) {
      const Block* b = item.blocks[k];
      const std::u32string_view t =
          k == 0 ? std::u32string_view(b->text).substr(item.marker_length) : b->text;
      if (k > 0 && starts_with_unit_label(t)) {
        if (!content.empty()) content += U"；";
        // “协同责任单位：X、Y，各县、市、区政府。”: the line's full stop is not part of a name.
        std::u32string line_text = text::trim(t);
        while (!line_text.empty() &&
               (line_text.back() == U'。' || text::is_comma(line_text.back())))
          line_text.pop_back();
        content += line_text;
        first_label = std::min(first_label, offset);
      }
      offset += t.size() + 1;
    }
    if (content.empty()) return false;
    const auto responsibility = parse_responsibility(content, context_);
    if (!responsibility) {
      warn_unread(content, line, item.label);
      return true;
    }
    Clause c = new_clause(ClauseKind::kNote, item.label);
    c.heading = encode(first_sentence(body));
    c.text = encode(text::trim(body));
    c.note = encode(content);
    set_times(c, body.substr(0, std::min(first_label, body.size())));
    c.source = {line, item.blocks.back()->end_line};
    assign(c, *responsibility, line);
    out_.clauses.push_back(std::move(c));
    return true;
  }

  static bool is_ditto(std::u32string_view content) {
    return content.find(U"下同") != std::u32string_view::npos &&
           !states_first_listed_leads(content);
  }

  void set_standing(const std::u32string& content) {
    ResponsibilityContext ctx = context_;
    if (auto r = parse_responsibility(content, ctx)) {
      standing_ = std::move(*r);
      standing_text_ = encode(content);
    }
  }

  void warn_unread(std::u32string_view content, int at, const std::string& label) {
    const auto spans = unit_shaped_spans(content);
    std::string names;
    for (const auto& n : spans) names += (names.empty() ? "" : "、") + n;
    out_.warnings.push_back(
        {at, "item " + label +
                 ": its parenthetical mentions a responsibility but no unit could be given a "
                 "lead role; the item was not taken as a task clause" +
                 (names.empty() ? std::string() : " (units named: " + names + ")")});
  }

  Clause new_clause(ClauseKind kind, const std::string& label) {
    Clause c;
    c.kind = kind;
    c.doc = out_.documents.back().id;
    c.part = part_;
    c.label = label;
    if (kind == ClauseKind::kImplicit) doubt(c, "implicit duty", 0.4);
    return c;
  }

  // The year a date line (2026年3月1日) gives document `index`, kept for a second pass.
  void note_date(std::size_t index, std::u32string_view date_line) {
    if (dated_years_.size() <= index) dated_years_.resize(index + 1, 0);
    if (dated_years_[index] == 0) dated_years_[index] = first_year(date_line);
  }

  void set_times(Clause& c, std::u32string_view text, bool time_column = false) {
    const int year = options_.year > 0 ? options_.year : year_;
    if (options_.year == 0 && !own_year_) {
      const std::size_t index = out_.documents.size() - 1;
      if (timed_without_year_.size() <= index) timed_without_year_.resize(index + 1, false);
      timed_without_year_[index] = true;
    }
    TimeExpressions times = find_time_expressions(text, year, time_column);
    c.deadlines = std::move(times.deadlines);
    c.starts = std::move(times.starts);
    c.relative_deadlines = std::move(times.relative_deadlines);
  }

  // The units of a responsibility as assignments, with the doubts they raise.
  void assign(Clause& c, const Responsibility& r, int line) {
    c.mode = r.mode;
    if (!r.standing.empty()) c.standing = encode(r.standing);
    for (const UnitMention& m : r.units) {
      std::string unit = units_.resolve(m.mention);
      // A unit listed twice (省商务厅 in item 68) is still assigned once, in its first role.
      const bool seen = std::any_of(c.assignments.begin(), c.assignments.end(),
                                    [&](const Assignment& a) { return a.unit == unit; });
      if (seen) continue;
      if (unit.rfind(kUnknownUnitPrefix, 0) == 0) {
        if (is_unit_shaped(text::decode(m.mention)))
          doubt(c, "unit not in directory: " + m.mention, 0.1);
        else
          doubt(c, "not shaped like a unit name: " + m.mention, 0.3);
      }
      c.assignments.push_back({m.role, m.mention, std::move(unit)});
    }
    for (const std::string& why : r.why) doubt(c, why, 0.1);
    if (!r.unassigned.empty()) {
      std::string names;
      for (const auto& n : r.unassigned) names += (names.empty() ? "" : "、") + n;
      doubt(c, "unit-shaped text not read as a unit: " + names, 0.3);
      out_.warnings.push_back({line, "item " + c.label + ": named but not given a role: " + names});
    }
  }

  // --- Task-division tables: one clause per row under a recognised header. ---

  struct Row {
    std::vector<std::u32string> cells;
    int line = 0;
    int end_line = 0;
  };

  std::u32string cell(const std::vector<std::u32string>& cells, int col) const {
    return col >= 0 && static_cast<std::size_t>(col) < cells.size() ? cells[col] : std::u32string();
  }

  void on_table_row(const Block& b) {
    if (const auto header = table_header(b.cells)) {
      const bool same = table_ && table_->number == header->number &&
                        table_->task == header->task && table_->lead == header->lead &&
                        table_->participants == header->participants &&
                        table_->deadline == header->deadline;
      flush_row();
      if (!same) {  // a header repeated after a page break changes nothing
        ++tables_in_part_;
        last_lead_.clear();
        last_participants_.clear();
        last_deadline_.clear();
      }
      table_ = header;
      return;
    }
    if (!table_) return;  // a table of something else (members of a group, figures, …)
    int filled = 0;
    for (const auto& c : b.cells) filled += c.empty() ? 0 : 1;
    const std::u32string number = cell(b.cells, table_->number);
    const std::u32string task = cell(b.cells, table_->task);
    // A row naming only a section (| 一、加强组织领导 | | |) heads the rows after it.
    const std::u32string only = filled == 1 ? (number.empty() ? task : number) : std::u32string();
    if (filled == 1 && cell(b.cells, table_->lead).empty()) {
      const auto m = find_marker(only);
      if (m && (m->level == 1 || m->level == 2)) {
        flush_row();
        return;
      }
    }
    if (table_->number >= 0 && number.empty() && row_) {
      // A row continuing the one above (its text ran over several lines).
      for (std::size_t i = 0; i < b.cells.size(); ++i) {
        if (b.cells[i].empty()) continue;
        if (i >= row_->cells.size()) row_->cells.resize(i + 1);
        row_->cells[i] += b.cells[i];
      }
      row_->end_line = b.end_line;
      return;
    }
    flush_row();
    row_ = Row{b.cells, b.line, b.end_line};
  }

  void end_table() {
    flush_row();
    table_.reset();
  }

  void flush_row() {
    if (!row_ || !table_) return;
    Row row = std::move(*row_);
    row_.reset();
    std::u32string lead = cell(row.cells, table_->lead);
    std::u32string participants = cell(row.cells, table_->participants);
    std::u32string deadline = cell(row.cells, table_->deadline);
    const std::u32string task = cell(row.cells, table_->task);
    bool merged = false;
    if (lead.empty() && !last_lead_.empty() && !task.empty()) {
      // An empty unit cell continues a merged cell above it.
      lead = last_lead_;
      merged = true;
      if (participants.empty()) participants = last_participants_;
      if (deadline.empty()) deadline = last_deadline_;
    }
    last_lead_ = lead;
    last_participants_ = participants;
    last_deadline_ = deadline;
    if (task.empty() && lead.empty()) return;
    std::string label = encode(text::fold_punctuation(cell(row.cells, table_->number)));
    if (label.empty()) label = "row " + std::to_string(row.line);
    if (tables_in_part_ > 1) label = "表" + std::to_string(tables_in_part_) + "." + label;
    const auto r = parse_table_cells(table_->lead_header, lead, participants, context_);
    if (!r) {
      warn_unread(lead + U"，" + participants, row.line, label);
      return;
    }
    Clause c = new_clause(ClauseKind::kTable, label);
    c.heading = encode(first_sentence(task));
    c.text = encode(text::trim(task));
    c.note = encode(participants.empty() ? lead : lead + U"；" + participants);
    set_times(c, deadline, /*time_column=*/true);
    // 长期坚持, 每季度 in the time column: the phrase, not the whole cell (a cell may give dates
    // for some of the work and say the rest goes on).
    c.standing = encode(standing_phrase(deadline));
    if (c.deadlines.empty() && c.starts.empty() && c.relative_deadlines.empty()) set_times(c, task);
    c.source = {row.line, row.end_line};
    if (merged) doubt(c, "unit cell empty; units taken from the row above (merged cell)", 0.1);
    assign(c, *r, row.line);
    out_.clauses.push_back(std::move(c));
  }

  std::optional<TableColumns> table_;
  std::optional<Row> row_;
  std::u32string last_lead_, last_participants_, last_deadline_;
  int tables_in_part_ = 0;

  // An item with no note: each sentence that makes a unit the subject of a duty adds its units;
  // the sentences are the clause's evidence (its note).
  // “各有关部门要高度重视…”, “各地区各部门要…”: an exhortation to every recipient of the
  // notice, not a duty of anyone in particular (unlike 各街道办事处要…).
  static bool only_generic_recipients(const Responsibility& r) {
    return std::all_of(r.units.begin(), r.units.end(), [](const UnitMention& u) {
      const std::u32string m = text::decode(u.mention);
      const bool every = text::starts_with(m, U"各");
      return m.find(U"有关") != std::u32string::npos || m.find(U"相关") != std::u32string::npos ||
             (every && (text::ends_with(m, U"各部门") || m == U"各地区" || m == U"各单位" ||
                        m == U"各级" || text::ends_with(m, U"各地")));
    });
  }

  void read_implicit(const Item& item, std::u32string_view body, int line) {
    Responsibility all;
    all.mode = Mode::kResponsible;
    std::u32string evidence;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= body.size(); ++i) {
      if (i < body.size() && body[i] != U'。' && body[i] != U'；' && body[i] != U';' &&
          body[i] != U'\n' && body[i] != U'！')
        continue;
      const std::u32string_view sentence = std::u32string_view(body).substr(from, i - from);
      from = i + 1;
      const auto r = parse_implicit_duty(sentence, &units_);
      if (!r || only_generic_recipients(*r)) continue;
      if (r->mode != Mode::kResponsible && all.mode == Mode::kResponsible) all.mode = r->mode;
      all.units.insert(all.units.end(), r->units.begin(), r->units.end());
      for (const std::string& why : r->why)
        if (std::find(all.why.begin(), all.why.end(), why) == all.why.end()) all.why.push_back(why);
      if (!evidence.empty()) evidence += U"…";
      evidence += text::trim(sentence);
    }
    if (all.units.empty()) return;
    Clause c = new_clause(ClauseKind::kImplicit, item.label);
    c.heading = encode(first_sentence(body));
    c.text = encode(text::trim(body));
    c.note = encode(evidence);
    set_times(c, body);
    c.source = {line, item.blocks.back()->end_line};
    assign(c, all, line);
    out_.clauses.push_back(std::move(c));
  }

  const UnitDirectory& units_;
  ParseOptions options_;
  std::optional<Responsibility> standing_;
  std::string standing_text_;
  ParseResult out_;
  int year_ = 0;  // of the current document (0: unknown), for deadlines written without one
  bool own_year_ = false;                 // year_ is the document's own, not a cited one's
  std::vector<int> dated_years_;          // by document index: the year its date gives, or 0
  std::vector<bool> timed_without_year_;  // by document index: read times before its own year
  std::string part_;
  std::string section_label_;  // (一)
  std::string item_label_;     // 11.
  ResponsibilityContext context_;
  std::optional<Item> item_;
  bool after_signature_ = false;
  static constexpr int kFar = 1000;
  int blocks_since_issuer_ = kFar;
  std::u32string last_issuer_;
};

// A document in traditional script: more than one CJK character in fifty folds (a traditional
// text has one in four or five; a simplified one only stray OCR errors).
bool is_traditional(const std::vector<Block>& blocks) {
  std::size_t cjk = 0, traditional = 0;
  for (const Block& b : blocks) {
    cjk += static_cast<std::size_t>(
        std::count_if(b.text.begin(), b.text.end(), [](char32_t c) { return c >= 0x3400; }));
    traditional += script::count_traditional(b.text);
  }
  return traditional >= 3 && traditional * 50 > cjk;
}

// Gives the strings a parse of the folded blocks returned back in the original script: each is
// found in the folded text (folding keeps offsets) and replaced by the original at that place.
class Unfolder {
 public:
  explicit Unfolder(const std::vector<Block>& original) {
    for (const Block& b : original) {
      starts_.emplace_back(b.line, original_.size());
      original_ += b.text;
      original_ += U'\n';
      for (const auto& c : b.cells) {
        original_ += c;
        original_ += U'\n';
      }
    }
    folded_ = script::to_simplified(original_);
  }

  // Each string is looked for only within the lines it came from, so restoring stays linear.
  void restore(ParseResult& r) const {
    std::map<std::string, std::string> documents;  // folded id → as written
    for (Document& d : r.documents) {
      const std::size_t from = offset_of(d.line), to = offset_of(d.end_line + 1);
      const std::string folded_id = d.id;
      for (std::string* s : {&d.id, &d.number, &d.title, &d.issuer, &d.signed_text})
        restore(*s, from, to);
      for (std::string& p : d.parts) {
        const std::string folded = p;
        restore(p, from, to);
        documents.emplace(folded, p);
      }
      documents.emplace(folded_id, d.id);
    }
    for (Clause& c : r.clauses) {
      if (auto it = documents.find(c.doc); it != documents.end()) c.doc = it->second;
      if (auto it = documents.find(c.part); it != documents.end()) c.part = it->second;
      const std::size_t from = offset_of(c.source.line), to = offset_of(c.source.end_line + 1);
      for (std::string* s : {&c.heading, &c.text, &c.note, &c.standing}) restore(*s, from, to);
      for (Assignment& a : c.assignments) restore(a.mention, from, to);
      for (Deadline& d : c.deadlines) restore(d.text, from, to);
      for (Start& d : c.starts) restore(d.text, from, to);
    }
  }

 private:
  // Offset of the first block starting at or after `line` (the text's end when none does).
  std::size_t offset_of(int line) const {
    const auto it =
        std::lower_bound(starts_.begin(), starts_.end(), line,
                         [](const std::pair<int, std::size_t>& s, int l) { return s.first < l; });
    return it == starts_.end() ? original_.size() : it->second;
  }

  void restore(std::string& s, std::size_t from, std::size_t to) const {
    if (s.empty() || from >= to) return;
    const std::u32string key = text::decode(s);
    const auto pos = std::u32string_view(folded_).substr(from, to - from).find(key);
    if (pos != std::u32string_view::npos)
      s = text::encode(original_.substr(from + pos, key.size()));
  }

  std::u32string original_, folded_;
  std::vector<std::pair<int, std::size_t>> starts_;  // (line, offset) of each block
};

// A document dated only after its deadlines (by its signature) is read again knowing its year;
// that is rare (most give it in their number or title), so the second pass costs nothing usually.
ParseResult parse_blocks(const std::vector<Block>& blocks, const UnitDirectory& units,
                         const ParseOptions& options) {
  Parser first(units, options);
  ParseResult r = first.run(blocks);
  if (!first.dated_after_its_deadlines()) return r;
  return Parser(units, options, first.dated_years()).run(blocks);
}

}  // namespace

Result<ParseResult> parse_gazette(std::string_view bytes, Format format, const UnitDirectory& units,
                                  const ParseOptions& options) {
  auto lines = read_lines(bytes, format);
  if (!lines) return lines.error();
  const std::vector<Block> blocks = build_blocks(rebuild_flattened_tables(std::move(*lines)));
  if (!is_traditional(blocks)) return parse_blocks(blocks, units, options);
  // Read through a simplified copy; units are looked up in the directory by their simplified
  // names, everything returned is given back as written.
  std::vector<Block> folded = blocks;
  for (Block& b : folded) {
    b.text = script::to_simplified(b.text);
    for (auto& c : b.cells) c = script::to_simplified(c);
  }
  ParseResult r = parse_blocks(folded, units, options);
  Unfolder(blocks).restore(r);
  return r;
}

}  // namespace duban::gazette
