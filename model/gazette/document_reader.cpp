#include "model/gazette/document_reader.h"

#include <algorithm>
#include <cstring>

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    if (a != prefix[i]) return false;
  }
  return true;
}

int line_of(std::string_view bytes, std::size_t offset) {
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

Error not_utf8(std::string_view bytes, std::size_t bad) {
  return make_error(
      "not_utf8", "the input is not valid UTF-8 (first bad byte at line " +
                      std::to_string(line_of(bytes, bad)) + ", byte offset " + std::to_string(bad) +
                      "); if it is GB18030/GBK, convert it first: iconv -f GB18030 -t UTF-8");
}

// Lines of Markdown or plain text; '#' headings are recognised and their marks removed. Split
// on the UTF-8 bytes (a '\n' or '\r' byte is never inside a multi-byte character), then each line
// validated and decoded in one pass: decoding the whole input first cost a buffer of four times
// its size, zeroed, and a copy of every line out of it, and a separate validating pass a tenth
// of the parse (parse_bench's profiles).
Result<std::vector<SourceLine>> split_markdown(std::string_view all) {
  std::vector<SourceLine> lines;
  lines.reserve(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')) + 1);
  int number = 1;
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::string_view raw = all.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    SourceLine line{number, {}, 0};
    if (const auto bad = text::decode_checked(raw, line.text)) return not_utf8(all, start + *bad);
    const std::u32string& decoded = line.text;
    std::size_t hashes = 0;
    while (hashes < decoded.size() && decoded[hashes] == U'#') ++hashes;
    if (hashes > 0 && hashes <= 6 &&
        (hashes == decoded.size() || text::is_space(decoded[hashes]))) {
      line.heading_level = static_cast<int>(hashes);
      line.text.erase(0, hashes);
    }
    lines.push_back(std::move(line));
    if (end == all.size()) break;
    start = end + 1;
    ++number;
  }
  return lines;
}

char32_t decode_entity(std::u32string_view name) {
  if (name == U"amp") return U'&';
  if (name == U"lt") return U'<';
  if (name == U"gt") return U'>';
  if (name == U"quot") return U'"';
  if (name == U"apos") return U'\'';
  if (name == U"nbsp") return U' ';
  if (name == U"ldquo") return U'“';
  if (name == U"rdquo") return U'”';
  if (name == U"mdash") return U'—';
  if (name.size() > 1 && name[0] == U'#') {
    const bool hex = name[1] == U'x' || name[1] == U'X';
    char32_t value = 0;
    for (std::size_t i = hex ? 2 : 1; i < name.size(); ++i) {
      const char32_t c = name[i];
      int d = -1;
      if (c >= U'0' && c <= U'9')
        d = static_cast<int>(c - U'0');
      else if (hex && c >= U'a' && c <= U'f')
        d = static_cast<int>(c - U'a' + 10);
      else if (hex && c >= U'A' && c <= U'F')
        d = static_cast<int>(c - U'A' + 10);
      if (d < 0 || value > 0x10FFFF) return 0;
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(d);
    }
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    return value;
  }
  return 0;
}

bool is_block_tag(std::u32string_view name) {
  static constexpr std::u32string_view kBlocks[] = {
      U"p",     U"div", U"br",   U"li",      U"tr",      U"td",         U"th",
      U"table", U"ul",  U"ol",   U"section", U"article", U"blockquote", U"pre",
      U"title", U"hr",  U"body", U"html",    U"head"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

// The value of attribute `name` in a tag's inside (`td colspan="2"`) as a number, or 1.
int span_attribute(std::u32string_view tag, std::u32string_view name) {
  std::u32string lower(tag);
  for (char32_t& ch : lower)
    if (ch >= U'A' && ch <= U'Z') ch = ch - U'A' + U'a';
  std::size_t at = 0;
  while ((at = lower.find(name, at)) != std::u32string::npos) {
    const bool starts_word = at > 0 && text::is_space(lower[at - 1]);
    std::size_t i = at + name.size();
    at = i;
    if (!starts_word) continue;
    while (i < lower.size() && text::is_space(lower[i])) ++i;
    if (i >= lower.size() || lower[i] != U'=') continue;
    ++i;
    while (i < lower.size() && (text::is_space(lower[i]) || lower[i] == U'"' || lower[i] == U'\''))
      ++i;
    int value = 0;
    while (i < lower.size() && lower[i] >= U'0' && lower[i] <= U'9' && value < 1000)
      value = value * 10 + static_cast<int>(lower[i++] - U'0');
    return std::clamp(value, 1, 64);
  }
  return 1;
}

// An HTML <table> as Markdown pipe rows, one line per <tr>: `| 序号 | 重点任务 | 牵头单位 |`.
// A cell spanning columns is written once and followed by empty cells; a cell spanning rows is
// empty in the rows it continues into; line breaks inside a cell become blanks; `|` becomes
// `\|`. Tables inside a cell flow into that cell's text.
class TableRows {
 public:
  bool active() const { return depth_ > 0; }
  bool in_cell() const { return in_cell_; }
  int depth() const { return depth_; }

  void open_table() { ++depth_; }
  // Returns true when the outermost table closed.
  bool close_table() {
    if (depth_ == 0) return false;
    if (--depth_ > 0) return false;
    if (in_row_) end_row();
    carry_.clear();
    return true;
  }
  void open_row(int line) {
    if (depth_ != 1) return;
    if (in_row_) end_row();
    in_row_ = true;
    row_line_ = line;
    cells_.clear();
    column_ = 0;
  }
  void close_row() {
    if (depth_ == 1 && in_row_) end_row();
  }
  void open_cell(int line, int colspan, int rowspan) {
    if (depth_ != 1) return;
    if (!in_row_) open_row(line);
    end_cell();
    fill_carried();
    in_cell_ = true;
    cell_.clear();
    pending_span_ = colspan;
    if (carry_.size() < column_ + static_cast<std::size_t>(colspan))
      carry_.resize(column_ + static_cast<std::size_t>(colspan), 0);
    for (int k = 0; k < colspan; ++k) carry_[column_ + static_cast<std::size_t>(k)] = rowspan - 1;
  }
  void end_cell() {
    if (!in_cell_) return;
    in_cell_ = false;
    cells_.push_back(clean(cell_));
    ++column_;
    for (int k = 1; k < pending_span_; ++k, ++column_) cells_.emplace_back();
  }
  // Text inside the current cell; blanks (and the line breaks of block tags) collapse later.
  void add(char32_t c) {
    if (in_cell_) cell_.push_back(c);
  }
  void add_break() { add(U' '); }

  // The finished rows, each with the line it began on; taken by the reader.
  std::vector<SourceLine>& rows() { return rows_; }

 private:
  void fill_carried() {
    while (column_ < carry_.size() && carry_[column_] > 0) {
      --carry_[column_];
      cells_.emplace_back();
      ++column_;
    }
  }
  void end_row() {
    end_cell();
    fill_carried();
    in_row_ = false;
    if (cells_.empty()) return;
    std::u32string line = U"|";
    for (const std::u32string& cell : cells_) {
      line += cell.empty() ? U" " : U" " + cell + U" ";
      line += U'|';
    }
    rows_.push_back(SourceLine{row_line_, std::move(line), 0});
  }
  static std::u32string clean(std::u32string_view raw) {
    std::u32string out;
    bool space = false;
    for (char32_t c : raw) {
      if (text::is_space(c) || c == U'\n' || c == U'\r' || c == U'\t') {
        space = !out.empty();
        continue;
      }
      if (space) out.push_back(U' ');
      space = false;
      if (c == U'|') out.push_back(U'\\');
      out.push_back(c);
    }
    return out;
  }

  int depth_ = 0;
  bool in_row_ = false;
  bool in_cell_ = false;
  int row_line_ = 0;
  int pending_span_ = 1;
  std::size_t column_ = 0;
  std::vector<int> carry_;  // per column: rows a rowspan still covers
  std::vector<std::u32string> cells_;
  std::u32string cell_;
  std::vector<SourceLine> rows_;
};

// HTML: tags are dropped, block-level tags end a line, <h1>-<h6> become headings, <script> and
// <style> bodies are skipped, entities are decoded, and a <table> becomes pipe rows (TableRows).
// Each output line keeps the number of the source line where its text began.
std::vector<SourceLine> split_html(std::u32string_view all) {
  std::vector<SourceLine> lines;
  SourceLine current{1, {}, 0};
  int line = 1;
  TableRows table;
  auto flush = [&] {
    lines.push_back(current);
    current = SourceLine{line, {}, 0};
  };
  auto take_rows = [&] {
    for (SourceLine& row : table.rows()) lines.push_back(std::move(row));
    table.rows().clear();
  };
  auto put = [&](char32_t ch) {
    if (table.in_cell())
      table.add(ch);
    else
      current.text.push_back(ch);
  };
  std::size_t i = 0;
  while (i < all.size()) {
    const char32_t c = all[i];
    if (c == U'\n') {
      ++line;
      // Newlines inside HTML are layout, not structure; they join like spaces.
      if (table.in_cell())
        table.add_break();
      else if (!current.text.empty())
        current.text.push_back(U' ');
      else
        current.number = line;
      ++i;
      continue;
    }
    if (c == U'<') {
      const std::size_t close = all.find(U'>', i);
      if (close == std::u32string_view::npos) break;  // truncated tag: drop the rest
      std::u32string_view tag = all.substr(i + 1, close - i - 1);
      const int tag_line = line;
      line += static_cast<int>(std::count(tag.begin(), tag.end(), U'\n'));
      const bool closing = !tag.empty() && tag[0] == U'/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && !text::is_space(tag[name_end]) && tag[name_end] != U'/' &&
             tag[name_end] != U'\n')
        ++name_end;
      std::u32string name(tag.substr(0, name_end));
      for (char32_t& ch : name)
        if (ch >= U'A' && ch <= U'Z') ch = ch - U'A' + U'a';
      i = close + 1;
      if (!closing && (name == U"script" || name == U"style")) {
        const std::u32string end_tag = U"</" + name;
        std::size_t end = i;
        while (end < all.size()) {
          end = all.find(U'<', end);
          if (end == std::u32string_view::npos) break;
          std::u32string probe(all.substr(end, end_tag.size()));
          for (char32_t& ch : probe)
            if (ch >= U'A' && ch <= U'Z') ch = ch - U'A' + U'a';
          if (probe == end_tag) break;
          ++end;
        }
        if (end == std::u32string_view::npos) end = all.size();
        line += static_cast<int>(std::count(all.begin() + i, all.begin() + end, U'\n'));
        i = end;
        continue;
      }
      if (name == U"table") {
        if (!closing) {
          if (!table.active()) flush();
          table.open_table();
        } else if (table.close_table()) {
          take_rows();
          current = SourceLine{line, {}, 0};
        }
        continue;
      }
      if (table.active() && table.depth() == 1 &&
          (name == U"tr" || name == U"td" || name == U"th")) {
        if (!table.in_cell() && !text::trim(current.text).empty()) flush();  // a caption
        if (name == U"tr") {
          if (closing)
            table.close_row();
          else
            table.open_row(tag_line);
        } else if (closing) {
          table.end_cell();
        } else {
          table.open_cell(tag_line, span_attribute(tag, U"colspan"),
                          span_attribute(tag, U"rowspan"));
        }
        take_rows();
        continue;
      }
      if (table.in_cell()) {
        // Inside a cell, block tags and headings only separate words.
        if (is_block_tag(name) || (name.size() == 2 && name[0] == U'h')) table.add_break();
        continue;
      }
      if (name.size() == 2 && name[0] == U'h' && name[1] >= U'1' && name[1] <= U'6') {
        flush();
        if (!closing) current.heading_level = static_cast<int>(name[1] - U'0');
      } else if (is_block_tag(name)) {
        flush();
      }
      continue;
    }
    if (c == U'&') {
      const std::size_t semi = all.find(U';', i);
      if (semi != std::u32string_view::npos && semi - i <= 10) {
        const char32_t decoded = decode_entity(all.substr(i + 1, semi - i - 1));
        if (decoded != 0) {
          put(decoded);
          i = semi + 1;
          continue;
        }
      }
    }
    if (table.active() && !table.in_cell() && table.depth() == 1 && text::is_space(c)) {
      ++i;  // blanks between cells and rows
      continue;
    }
    put(c);
    ++i;
  }
  if (table.active()) {  // a table never closed: keep the rows it has
    while (!table.close_table()) {
    }
    take_rows();
  }
  lines.push_back(current);
  for (SourceLine& l : lines) l.text = text::trim(l.text);
  return lines;
}

}  // namespace

Format guess_format(std::string_view file_name, std::string_view content) {
  auto ends = [&](std::string_view ext) {
    if (file_name.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      const char a = static_cast<char>(
          std::tolower(static_cast<unsigned char>(file_name[file_name.size() - ext.size() + i])));
      if (a != ext[i]) return false;
    }
    return true;
  };
  if (ends(".html") || ends(".htm") || ends(".xhtml")) return Format::kHtml;
  if (ends(".md") || ends(".markdown")) return Format::kMarkdown;
  if (ends(".txt")) return Format::kText;
  std::string_view head = content.substr(0, 512);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\n' || head.front() == '\r' ||
                           head.front() == '\t'))
    head.remove_prefix(1);
  if (iequals_prefix(head, "<!doctype html") || iequals_prefix(head, "<html") ||
      iequals_prefix(head, "<?xml")) {
    return Format::kHtml;
  }
  return Format::kMarkdown;
}

std::optional<Format> format_named(std::string_view name) {
  if (name == "markdown") return Format::kMarkdown;
  if (name == "text") return Format::kText;
  if (name == "html") return Format::kHtml;
  return std::nullopt;
}

Result<std::vector<SourceLine>> read_lines(std::string_view bytes, Format format) {
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0)
    bytes.remove_prefix(3);
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error("empty", "the input is empty: there is no text to read");
  }
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    return make_error("binary", "the input looks like a binary file (a NUL byte at line " +
                                    std::to_string(line_of(bytes, nul)) +
                                    "); give a gazette as Markdown, plain text or HTML");
  }
  if (format != Format::kHtml) return split_markdown(bytes);
  if (const auto bad = text::find_invalid_utf8(bytes)) return not_utf8(bytes, *bad);
  return split_html(text::decode(bytes));
}

}  // namespace duban::gazette
