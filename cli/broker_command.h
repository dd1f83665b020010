#pragma once

namespace streamlearn::cli {

/// `streamlearn broker`: an embedded Kafka-protocol cluster on loopback until SIGINT/SIGTERM.
int broker_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
