#pragma once

/// `streamlearn demo`: the main job until the Kafka pipeline lands. Generates a drifting SEA stream,
/// evaluates a model on it test-then-train, prints progress (with the rolling accuracy, so the
/// drift shows) and the final result as JSON. `--write PATH` also saves the stream as CSV for
/// `streamlearn evaluate`.

namespace streamlearn::cli {

int demo_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
