// Word's automatic numbering (word/numbering.xml) rendered as the text Word shows: the level text
// of the paragraph's list level ("（%1）", "%1.", "%1、") with each "%N" replaced by the counter
// of level N-1 in that level's number format (一, 1, ①, a, iv, 甲…). Internal to formats/docx.cpp.
//
// Counters follow Word: a list (w:num) shares the counters of its abstract list unless it
// overrides a level's start; a paragraph at level L advances L and restarts every deeper level.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace duban::formats::detail {

struct ListLevel {
  int start = 1;
  std::string format = "decimal";  // w:numFmt
  std::string text;                // w:lvlText, e.g. "（%1）"
  std::string suffix = "tab";      // w:suff: tab | space | nothing
};

class Numbering {
 public:
  // Reads word/numbering.xml (empty: no lists). Malformed XML yields no lists, never an error:
  // the paragraphs are still worth reading without their numbers.
  void load(std::string_view numbering_xml);

  // The text of the next number of list `num_id` at `level` (0-based), with the separator Word
  // puts after it; "" when the list or the level is unknown, or it is a bullet.
  std::string next(int num_id, int level);

 private:
  struct Abstract {
    std::vector<ListLevel> levels;
  };
  struct Instance {
    int abstract_id = -1;
    std::map<int, int> start_overrides;  // level -> start, applied at the list's first use
    bool used = false;
  };
  struct Counters {
    std::vector<int> value;  // per level; 0 = not yet used since its last restart
  };

  std::map<int, Abstract> abstracts_;
  std::map<int, Instance> instances_;
  std::map<int, Counters> counters_;  // by abstract list
};

// `n` written in Word number format `format` ("chineseCounting" → 十二, "decimal" → 12, …).
std::string format_number(int n, std::string_view format);

}  // namespace duban::formats::detail
