#pragma once

/// `streamlearn evaluate`: prequential (test-then-train) evaluation of a model on a CSV or JSON
/// Lines file, as River's progressive_val_score. Progress goes to stderr; the last stdout line is
/// one JSON object with the counts, the metrics, the time and the throughput.

namespace streamlearn::cli {

int evaluate_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
