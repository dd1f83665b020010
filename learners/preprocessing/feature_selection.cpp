#include "learners/preprocessing/feature_selection.h"

#include <algorithm>
#include <cctype>

#include "core/check.h"

namespace streamlearn::learners {
namespace {

// The characters ParamReader::names accepts in a bare name.
bool is_bare(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return !std::isspace(static_cast<unsigned char>(c)) && c != '\'' && c != '"' && c != ',' &&
           c != '[' && c != ']' && c != '(' && c != ')';
  });
}

}  // namespace

FeatureSelection::FeatureSelection(const std::vector<std::string>& names,
                                   core::FeatureSpace* features)
    : all_(names.empty()) {
  if (all_) return;
  SL_CHECK(features != nullptr);
  for (const std::string& name : names) {
    const core::FeatureId id = features->feature(name);
    ids_.push_back(id);
    if (id >= selected_.size()) selected_.resize(id + 1, 0);
    selected_[id] = static_cast<std::uint32_t>(ids_.size());
  }
}

std::vector<std::string> FeatureSelection::read(core::ParamReader& reader, std::string_view key,
                                                std::string_view owner,
                                                const core::FeatureSpace* features) {
  std::vector<std::string> names = reader.names(key);
  if (!names.empty() && features == nullptr) {
    reader.error("'" + std::string(owner) + "' selects features by name (" + std::string(key) +
                 "): build the model with the pipeline's FeatureSpace, "
                 "LearnerRegistry::build(expression, &features)");
  }
  return names;
}

std::string FeatureSelection::expression(const std::vector<std::string>& names) {
  std::string text = "[";
  for (const std::string& name : names) {
    if (text.size() > 1) text += ", ";
    if (is_bare(name)) {
      text += name;
    } else {
      // A name holding both quote characters cannot be written back; no decoder produces one.
      const char quote = name.find('\'') == std::string::npos ? '\'' : '"';
      text += quote + name + quote;
    }
  }
  return text + "]";
}

}  // namespace streamlearn::learners
