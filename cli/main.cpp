#include "cli/command_line.h"

int main(int argc, char** argv) { return streamlearn::cli::run_command_line(argc, argv); }
