#pragma once

/// `streamlearn detect`: runs one concept-drift detector over a sequence of numbers (one per line,
/// or one column of a CSV file; stdin by default) and prints one JSON object per flagged element:
/// {"index": 2047, "type": "drift"} or {"type": "warning"}; nothing else goes to stdout.

namespace streamlearn::cli {

int detect_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
