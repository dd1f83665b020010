#pragma once

/// `streamlearn learners`: lists the learners and transformers a model expression can name.

namespace streamlearn::cli {

int learners_command();

}  // namespace streamlearn::cli
