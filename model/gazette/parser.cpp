#include "model/gazette/parser.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "model/gazette/blocks.h"
#include "model/gazette/dates.h"
#include "model/gazette/markers.h"
#include "model/gazette/responsibility.h"
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
  std::size_t marker_length = 0;
  std::vector<const Block*> blocks;
};

class Parser {
 public:
  explicit Parser(const UnitDirectory& units) : units_(units) {}

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
    if (!out_.documents.empty() && !blocks.empty()) {
      out_.documents.back().end_line = blocks.back().end_line;
    }
    return std::move(out_);
  }

 private:
  void begin_document(std::u32string title, std::u32string issuer, std::u32string number,
                      int line) {
    finish_item();
    if (!out_.documents.empty()) out_.documents.back().end_line = line - 1;
    Document d;
    d.number = encode(number);
    d.title = encode(title);
    d.issuer = encode(issuer);
    d.id = d.number.empty() ? d.title : d.number;
    d.parts.push_back(d.title);
    d.line = line;
    d.end_line = line;
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
    part_ = title;
    section_label_.clear();
    item_label_.clear();
    context_ = ResponsibilityContext{};
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
      }
      return;
    }
    finish_item();
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
    item_ = Item{std::move(label), marker->length, {&b}};
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

  void finish_item() {
    if (!item_) return;
    Item item = std::move(*item_);
    item_.reset();

    std::u32string body;
    for (const Block* b : item.blocks) {
      if (!body.empty()) body.push_back(U'\n');
      body += b == item.blocks.front() ? b->text.substr(item.marker_length) : b->text;
    }
    const int line = item.blocks.front()->line;

    // The responsibility parenthetical closes the item: find its brackets from the end.
    std::size_t end = body.size();
    while (end > 0 && (text::is_space(body[end - 1]) || body[end - 1] == U'。' ||
                       body[end - 1] == U'；' || body[end - 1] == U';' || body[end - 1] == U'\n'))
      --end;
    std::optional<std::size_t> open;
    std::size_t close = end;
    if (end > 0 && text::is_close_bracket(body[end - 1])) {
      int depth = 0;
      for (std::size_t i = end; i-- > 0;) {
        if (text::is_close_bracket(body[i])) ++depth;
        if (text::is_open_bracket(body[i]) && --depth == 0) {
          open = i;
          break;
        }
      }
      close = end - 1;
    } else {
      // An unclosed parenthetical (the input was cut off): read what is there and say so.
      int depth = 0;
      for (std::size_t i = end; i-- > 0;) {
        if (text::is_close_bracket(body[i])) ++depth;
        if (text::is_open_bracket(body[i]) && depth-- == 0) {
          const std::u32string_view rest = std::u32string_view(body).substr(i + 1, end - i - 1);
          if (mentions_responsibility(rest)) {
            open = i;
            out_.warnings.push_back(
                {item.blocks.back()->end_line,
                 "item " + item.label +
                     ": its responsibility parenthetical is never closed (input cut off?); "
                     "read the units up to the end of the item"});
          }
          break;
        }
      }
    }
    if (!open) return;
    const std::u32string_view content =
        std::u32string_view(body).substr(*open + 1, close - *open - 1);
    if (!mentions_responsibility(content)) return;
    const auto responsibility = parse_responsibility(content, context_);
    if (!responsibility) {
      out_.warnings.push_back(
          {line, "item " + item.label +
                     ": its closing parenthetical mentions a responsibility but names no unit; "
                     "the item was not taken as a task clause"});
      return;
    }

    Clause c;
    c.doc = out_.documents.back().id;
    c.part = part_;
    c.label = item.label;
    std::u32string_view first = std::u32string_view(body).substr(0, *open);
    if (const auto nl = first.find(U'\n'); nl != std::u32string_view::npos)
      first = first.substr(0, nl);
    if (const auto stop = first.find(U'。'); stop != std::u32string_view::npos)
      first = first.substr(0, stop);
    c.heading = encode(text::trim(first));
    c.text = encode(text::trim(body));
    c.mode = responsibility->mode;
    for (const UnitMention& m : responsibility->units) {
      std::string unit = units_.resolve(m.mention);
      // A unit listed twice (省商务厅 in item 68) is still assigned once, in its first role.
      const bool seen = std::any_of(c.assignments.begin(), c.assignments.end(),
                                    [&](const Assignment& a) { return a.unit == unit; });
      if (!seen) c.assignments.push_back({m.role, m.mention, std::move(unit)});
    }
    TimeExpressions times = find_time_expressions(std::u32string_view(body).substr(0, *open));
    c.deadlines = std::move(times.deadlines);
    c.starts = std::move(times.starts);
    c.relative_deadlines = std::move(times.relative_deadlines);
    c.source = {line, item.blocks.back()->end_line};
    out_.clauses.push_back(std::move(c));
  }

  const UnitDirectory& units_;
  ParseResult out_;
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

}  // namespace

Result<ParseResult> parse_gazette(std::string_view bytes, Format format,
                                  const UnitDirectory& units) {
  auto lines = read_lines(bytes, format);
  if (!lines) return lines.error();
  const std::vector<Block> blocks = build_blocks(*lines);
  return Parser(units).run(blocks);
}

}  // namespace duban::gazette
