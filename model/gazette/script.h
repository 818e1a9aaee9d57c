// Traditional script (繁體): documents from Taiwan, Hong Kong and Macao, and some mainland ones
// converted for a web page, write 牽頭/負責/單位/參加/配合. The parser's vocabulary (role words,
// unit shapes, labels, dates) is simplified; a traditional document is read through a folded
// copy in which each traditional character is replaced by its simplified one. The folding maps
// one character to one character, so every offset in the folded text is an offset in the
// original, and what the parser returns is given back in the original script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duban::gazette::script {

// The simplified form of a traditional character; any other character unchanged. Covers the
// characters of government documents (about 1,200), not the whole of Unicode.
char32_t simplified(char32_t c);

// True when `c` is a traditional character that simplified() changes.
bool is_traditional(char32_t c);
// How many characters of `s` are traditional-only.
std::size_t count_traditional(std::u32string_view s);

// `s` with every character passed through simplified(); same length.
std::u32string to_simplified(std::u32string_view s);

}  // namespace duban::gazette::script
