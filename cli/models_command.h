#pragma once

/// `streamlearn models list|show|export|rollback --checkpoint-dir DIR ...`: the model versions a
/// pipeline recorded in its checkpoint directory (connectors/files/model_registry.h): a table of
/// them, one's metadata as JSON, one exported as a self-contained model file (for --warm-start),
/// and a rollback request that the pipeline applies at its next checkpoint or start.

namespace streamlearn::cli {

int models_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
