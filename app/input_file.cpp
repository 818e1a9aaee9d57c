#include "app/input_file.h"

#include <sys/stat.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace duban::app {

Result<std::string> read_input_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error("unreadable", "cannot read " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return make_error("unreadable", "cannot read " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("unreadable", "cannot read " + path + ": " + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error("unreadable", "cannot read " + path + ": read error");
  return content;
}

}  // namespace duban::app
