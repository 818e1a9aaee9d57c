// The CTest fixture setup of tests/formats: makes every fixture document (fixtures.h) once.
#include <exception>
#include <iostream>

#include "tests/formats/fixtures.h"

int main() {
  try {
    std::cout << "fixtures in " << duban::formats::testing::fixture_dir() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "formats_make_fixtures: " << e.what() << "\n";
    return 1;
  }
}
