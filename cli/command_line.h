#pragma once

/// The `streamlearn` command: dispatches to its subcommands. Thin by design: each subcommand
/// parses flags, builds what it needs through the libraries, and runs it.

namespace streamlearn::cli {

int run_command_line(int argc, char** argv);

}  // namespace streamlearn::cli
