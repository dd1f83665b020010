#pragma once

/// `streamlearn validate`: checks a pipeline configuration (with its `--set` overrides) as
/// `streamlearn run` reads it, without connecting to anything. Prints a one-line summary and
/// exits 0 when it is valid; prints every error (JSON path, what is wrong, what is allowed) to
/// stderr and exits 2 when it is not.

namespace streamlearn::cli {

int validate_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
