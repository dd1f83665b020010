#pragma once

namespace streamlearn::cli {

/// `streamlearn transform --config FILE --data PATH`, or without --data from the configuration's
/// Kafka source (`[--from ...] [--until ...]`, cli/transform_from_kafka.h): prints, one JSON line
/// per event, the features the learner of the configuration's model sees (stream/feature_json.h).
int transform_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
