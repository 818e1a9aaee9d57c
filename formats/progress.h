// How a converter reports progress on a long input: `done` of `total` steps (pages of a PDF,
// paragraphs of a .docx). The caller decides whether and how to show it (app/progress.h draws it
// on stderr); converters call it from the calling thread only.
#pragma once

#include <cstddef>
#include <functional>

namespace duban::formats {

using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

}  // namespace duban::formats
