// Item numbering as printed in Chinese policy documents, outermost first:
//   一、      section          (level 1)
//   （一）    item             (level 2)
//   1.  1．  1、 numbered item (level 3)
//   （1）    sub-item         (level 4)
// plus list bullets (“- ”, “●”) that are never task items.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duban::gazette {

struct Marker {
  int level = 0;           // 1..4 as above; 0 for a bullet
  int number = 0;          // the item's number
  std::string label;       // normalised: "三、", "(四)", "11.", "(2)"
  std::size_t length = 0;  // characters the marker (and blanks after it) take at the start
};

// The marker at the start of `text` (emphasis already removed), if any.
std::optional<Marker> find_marker(std::u32string_view text);

}  // namespace duban::gazette
