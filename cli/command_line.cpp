#include "cli/command_line.h"

#include <cstdio>
#include <string_view>

namespace streamlearn::cli {

int run_command_line(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fputs("streamlearn: not implemented yet\n", stderr);
  return 2;
}

}  // namespace streamlearn::cli
