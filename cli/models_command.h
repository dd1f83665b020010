#pragma once

/// `streamlearn models`: lists the learners and transformers a model expression can name.

namespace streamlearn::cli {

int models_command();

}  // namespace streamlearn::cli
