#include "model/gazette/blocks.h"

#include "model/gazette/markers.h"
#include "model/gazette/responsibility.h"
#include "model/gazette/table.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

using text::ends_with;

bool ends_sentence(std::u32string_view s) {
  if (s.empty()) return true;
  switch (s.back()) {
    case U'。':
    case U'；':
    case U';':
    case U'：':
    case U':':
    case U'！':
    case U'？':
    case U'!':
    case U'?':
    case U'）':
    case U')':
    case U'”':
    case U'"':
    case U'」':
    case U'』':
    case U'…':
    case U'》':
      return true;
    default:
      return false;
  }
}

bool is_section_heading(std::u32string_view s) {
  if (s.size() >= 60) return false;
  const auto m = find_marker(s);
  return m && (m->level == 1 || m->level == 2) && s.find(U'。') == std::u32string_view::npos;
}

// A block that can only begin something new, never continue a broken sentence.
bool starts_something(const Block& b) {
  if (find_marker(b.text)) return true;
  if (starts_with_unit_label(b.text)) return true;  // 牵头单位：… on a line of its own
  if (is_document_number(b.text) || is_date_line(b.text) || is_issuer_line(b.text)) return true;
  if (b.heading_level > 0) {
    // A continuation fragment that OCR made a heading closes a bracket or a sentence
    // (“门、各市州政府参加）”); a real heading is a title.
    return b.balance >= 0 && !ends_with(b.text, U"）") && !ends_with(b.text, U")");
  }
  return false;
}

// The paragraph stops mid-sentence or inside brackets, so a page break probably cut it.
bool is_open(const Block& b) {
  if (b.balance > 0) return true;
  if (b.heading_level > 0 || is_section_heading(b.text)) return false;
  if (is_document_number(b.text) || is_date_line(b.text) || is_issuer_line(b.text)) return false;
  if (const auto m = find_marker(b.text); m && m->level == 0) return false;  // list items
  return !ends_sentence(b.text);
}

bool is_blank(std::u32string_view s) {
  for (char32_t c : s)
    if (!text::is_space(c)) return false;
  return true;
}

void append_text(std::u32string& to, std::u32string_view more) {
  // Lines broken inside Latin words or numbers keep a blank; CJK text joins directly.
  if (!to.empty() && !more.empty() && to.back() < 0x80 && more.front() < 0x80 &&
      !text::is_space(to.back()) && to.back() != U'(' && more.front() != U')') {
    to.push_back(U' ');
  }
  to += more;
}

}  // namespace

int bracket_balance(std::u32string_view s) {
  int balance = 0;
  for (char32_t c : s) {
    if (text::is_open_bracket(c)) ++balance;
    if (text::is_close_bracket(c)) --balance;
  }
  return balance;
}

bool is_document_number(std::u32string_view s) {
  // 青政〔2015〕70号, 青政办[2015]151号, 国办发【2014】29号
  if (s.size() > 30 || !ends_with(s, U"号")) return false;
  const auto open = s.find_first_of(U"〔[【");
  if (open == std::u32string_view::npos || open == 0 || open > 12 || s.size() > 30) return false;
  if (!ends_with(s, U"号")) return false;
  std::size_t i = open + 1;
  int digits = 0;
  while (i < s.size() && text::is_digit(s[i])) ++i, ++digits;
  if (digits != 4 || i >= s.size() || (s[i] != U'〕' && s[i] != U']' && s[i] != U'】'))
    return false;
  ++i;
  int number_digits = 0;
  while (i < s.size() && text::is_digit(s[i])) ++i, ++number_digits;
  return number_digits > 0 && i + 1 == s.size();
}

bool is_date_line(std::u32string_view s) {
  std::size_t i = 0;
  int digits = 0;
  while (i < s.size() && text::is_digit(s[i])) ++i, ++digits;
  if (digits != 4 || i >= s.size() || s[i] != U'年') return false;
  ++i;
  digits = 0;
  while (i < s.size() && text::is_digit(s[i])) ++i, ++digits;
  if (digits < 1 || digits > 2 || i >= s.size() || s[i] != U'月') return false;
  ++i;
  digits = 0;
  while (i < s.size() && text::is_digit(s[i])) ++i, ++digits;
  return digits >= 1 && digits <= 2 && i + 1 == s.size() && s[i] == U'日';
}

bool is_issuer_line(std::u32string_view s) {
  if (s.size() < 4 || s.size() > 20) return false;
  for (char32_t c : s)
    if (!text::is_cjk(c)) return false;
  for (std::u32string_view suffix :
       {U"人民政府办公厅", U"人民政府", U"政府办公厅", U"办公厅", U"委员会", U"领导小组"}) {
    if (ends_with(s, suffix)) return true;
  }
  return false;
}

std::vector<Block> build_blocks(std::vector<SourceLine> lines) {
  // 1. Lines to paragraphs: consecutive lines join unless a line starts something new or the
  //    previous one ended with a Markdown hard break (two trailing blanks).
  std::vector<Block> paragraphs;
  paragraphs.reserve(lines.size());
  bool joinable = false;
  bool in_table = false;  // tab-separated lines are rows only after a task-division header
  for (SourceLine& line : lines) {
    if (is_blank(line.text)) {
      joinable = false;
      continue;
    }
    if (auto row = split_table_row(line.text)) {
      const bool pipe = text::trim(line.text).front() == U'|';
      if (pipe || in_table || (!row->empty() && table_header(*row))) {
        joinable = false;
        in_table = true;
        if (row->empty()) continue;  // |---|---|
        text::strip_emphasis_in_place(line.text);
        text::trim_in_place(line.text);
        Block b{line.number, line.number, 0, std::move(line.text), 0, {}};
        b.cells = std::move(*row);
        paragraphs.push_back(std::move(b));
        continue;
      }
    }
    in_table = false;
    const bool hard_break = ends_with(line.text, U"  ");
    text::strip_emphasis_in_place(line.text);
    text::trim_in_place(line.text);
    Block b{line.number, line.number, line.heading_level, std::move(line.text), 0, {}};
    b.balance = bracket_balance(b.text);
    if (b.text.empty()) {  // a line of only markup (“****”)
      joinable = false;
      continue;
    }
    if (joinable && line.heading_level == 0 && !starts_something(b)) {
      Block& prev = paragraphs.back();
      append_text(prev.text, b.text);
      prev.balance += b.balance;
      prev.end_line = b.end_line;
    } else {
      paragraphs.push_back(std::move(b));
    }
    joinable = !hard_break && line.heading_level == 0;
  }

  // 2. Paragraphs to blocks: undo page breaks.
  std::vector<Block> blocks;
  blocks.reserve(paragraphs.size());
  for (Block& p : paragraphs) {
    if (!blocks.empty()) {
      Block& prev = blocks.back();
      if (p.cells.empty() && prev.cells.empty() && is_open(prev) && !starts_something(p)) {
        append_text(prev.text, p.text);
        prev.balance += p.balance;
        prev.end_line = p.end_line;
        continue;
      }
    }
    blocks.push_back(std::move(p));
  }
  return blocks;
}

}  // namespace duban::gazette
