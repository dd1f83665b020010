#pragma once

/// Parses a model expression: steps separated by `|`, each a registry name with optional
/// parameters, e.g. `standard_scaler | logistic_regression(l2=0.001)`. A parameter value runs to
/// the next top-level comma or closing parenthesis, so values may themselves hold lists or calls
/// (`agg=[mean(amount), count()]`). Errors give the column and what was expected.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/param_reader.h"
#include "core/status.h"

namespace streamlearn::core {

struct ModelStep {
  std::string name;
  ParamMap params;
};

Result<std::vector<ModelStep>> parse_model_expression(std::string_view expression);
/// Writes steps back as an expression that parses to equal steps: `name(key=value, ...) | ...`.
std::string format_model_steps(std::span<const ModelStep> steps);

}  // namespace streamlearn::core
