#pragma once

namespace streamlearn::cli {

/// `streamlearn run --config FILE [--set key.path=value]... [--from ...] [--until ...]
/// [--rate N]`: the Kafka pipeline a configuration describes, until SIGTERM / SIGINT or the
/// `until` condition.
int run_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
