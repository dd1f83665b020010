#include "cli/learners_command.h"

#include <cstdio>

#include "learners/learner_registry.h"

namespace streamlearn::cli {

int learners_command() {
  std::puts("learners and transformers (compose with '|', parameters as name(key=value, ...)):");
  for (const auto& entry : learners::LearnerRegistry::builtin().entries())
    std::printf("  %-22s %s%s\n", entry.name.c_str(), entry.is_transformer ? "[transformer] " : "",
                entry.summary.c_str());
  return 0;
}

}  // namespace streamlearn::cli
