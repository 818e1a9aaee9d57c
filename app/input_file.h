// Reading whole input files at the command-line edge, with errors a person can act on.
#pragma once

#include <string>

#include "model/result.h"

namespace duban::app {

// Reads `path` ("-" for standard input). Errors: "unreadable" with the OS reason.
Result<std::string> read_input_file(const std::string& path);

}  // namespace duban::app
