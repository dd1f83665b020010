#include "learners/preprocessing/bucketizer.h"

#include <algorithm>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::learners {

Bucketizer::Bucketizer(Params params, core::FeatureSpace* features)
    : params_(std::move(params)), features_(features), cols_(params_.cols, features) {
  SL_CHECK(features_ != nullptr);
  SL_CHECK(!params_.cols.empty());
  SL_CHECK(!params_.edges.empty());
  SL_CHECK(std::adjacent_find(params_.edges.begin(), params_.edges.end(), std::greater_equal<>()) ==
           params_.edges.end());
  const std::size_t buckets = params_.edges.size() + 1;
  for (std::size_t bucket = 0; bucket < buckets; ++bucket)
    values_.push_back(features_->value(bucket_name(bucket)));
  for (const core::FeatureId col : cols_.ids())
    for (const core::SymbolId value : values_)
      indicators_.push_back(features_->indicator(col, value));
}

std::unique_ptr<Transformer> Bucketizer::create(core::ParamReader& reader,
                                                core::FeatureSpace* features) {
  Params params;
  params.cols = reader.names("cols");
  params.edges = reader.numbers("edges");
  bool valid = !params.cols.empty() && !params.edges.empty();
  if (!reader.given("cols")) {
    reader.reject("cols",
                  "required: the numeric features to bucket, e.g. "
                  "bucketize(cols=[amount], edges=[0, 10, 100])");
  }
  if (!reader.given("edges")) {
    reader.reject("edges",
                  "required: the bucket edges, strictly increasing, e.g. "
                  "edges=[0, 10, 100]");
  }
  for (std::size_t i = 1; i < params.edges.size(); ++i) {
    if (params.edges[i - 1] < params.edges[i]) continue;
    reader.reject("edges", "must be strictly increasing, but " +
                               core::ParamWriter::format_number(params.edges[i - 1]) +
                               " is followed by " +
                               core::ParamWriter::format_number(params.edges[i]));
    valid = false;
    break;
  }
  if (features == nullptr) {
    reader.error(
        "'bucketize' creates features: build the model with the pipeline's "
        "FeatureSpace, LearnerRegistry::build(expression, &features)");
    valid = false;
  }
  if (!valid) return nullptr;
  return std::make_unique<Bucketizer>(std::move(params), features);
}

std::string Bucketizer::bucket_name(std::size_t index) const {
  const std::vector<double>& edges = params_.edges;
  const std::string low =
      index == 0 ? "(-inf" : "[" + core::ParamWriter::format_number(edges[index - 1]);
  const std::string high =
      index == edges.size() ? "inf)" : core::ParamWriter::format_number(edges[index]) + ")";
  return low + "," + high;
}

std::string Bucketizer::describe() const {
  core::ParamWriter writer("bucketize");
  writer.text("cols", FeatureSelection::expression(params_.cols), "");
  std::string edges = "[";
  for (const double edge : params_.edges)
    edges += (edges.size() > 1 ? ", " : "") + core::ParamWriter::format_number(edge);
  writer.text("edges", edges + "]", "");
  return writer.expression();
}

std::unique_ptr<Transformer> Bucketizer::clone() const {
  return std::make_unique<Bucketizer>(params_, features_);
}

void Bucketizer::transform_one(const FeatureVector& x, FeatureVector& out) const {
  out.clear();
  for (const core::CategoricalFeature& feature : x.categorical())
    out.add_categorical(feature.id, feature.value, feature.indicator);
  const std::vector<double>& edges = params_.edges;
  const std::size_t buckets = edges.size() + 1;
  for (const core::NumericFeature& feature : x.numeric()) {
    const std::size_t col = cols_.position(feature.id);
    if (col == FeatureSelection::kNotSelected) {
      out.add_numeric(feature.id, feature.value);
      continue;
    }
    const auto bucket = static_cast<std::size_t>(
        std::upper_bound(edges.begin(), edges.end(), feature.value) - edges.begin());
    out.add_categorical(feature.id, values_[bucket], indicators_[col * buckets + bucket]);
  }
}

void Bucketizer::save(core::StateWriter& out) const { out.write<std::uint32_t>(1); }

core::Status Bucketizer::load(core::StateReader& in) {
  if (in.expect_version(1)) return core::Status::ok();
  return in.status("bucketize");
}

}  // namespace streamlearn::learners
