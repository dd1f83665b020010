#include "connectors/synthetic/concept_drift_stream.h"

#include <cmath>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {

ConceptDriftStream::ConceptDriftStream(std::unique_ptr<SyntheticStream> stream,
                                       std::unique_ptr<SyntheticStream> drift_stream, Params params,
                                       std::uint64_t seed)
    : SyntheticStream(seed, stream->feature_space(), stream->class_set()),
      stream_(std::move(stream)),
      drift_stream_(std::move(drift_stream)),
      params_(params),
      random_(seed) {
  SL_CHECK_OP(params.width, >=, 1);
  SL_CHECK(check_compatible(*stream_, *drift_stream_).is_ok());
  for (const Column& column : stream_->columns()) add_column(column);
  for (const Column& column : drift_stream_->columns()) {
    bool known = false;
    for (const Column& existing : columns()) known = known || existing.id == column.id;
    if (!known) add_column(column);
  }
}

core::Status ConceptDriftStream::check_compatible(const SyntheticStream& stream,
                                                  const SyntheticStream& drift_stream) {
  if (&stream.feature_space() != &drift_stream.feature_space() ||
      &stream.class_set() != &drift_stream.class_set())
    return core::Status::error(
        "the two streams of a concept drift must share their feature "
        "space and class set");
  for (const Column& a : stream.columns()) {
    for (const Column& b : drift_stream.columns()) {
      if (a.id != b.id || a.categorical == b.categorical) continue;
      return core::Status::error(
          "feature '" + a.name + "' is " + (a.categorical ? "categorical" : "numeric") + " in " +
          stream.describe() + " but " + (b.categorical ? "categorical" : "numeric") + " in " +
          drift_stream.describe() + "; a drift cannot change the kind of a feature");
    }
  }
  return core::Status::ok();
}

double ConceptDriftStream::drift_probability(std::uint64_t t, const Params& params) {
  const double exponent = -4.0 * (static_cast<double>(t) - static_cast<double>(params.position)) /
                          static_cast<double>(params.width);
  return 1.0 / (1.0 + std::exp(exponent));
}

std::string ConceptDriftStream::describe() const {
  const Params defaults;
  core::ParamWriter writer("concept_drift");
  writer.text("stream", stream_->describe(), "");
  writer.text("drift_stream", drift_stream_->describe(), "");
  writer.integer("position", params_.position, defaults.position);
  writer.integer("width", params_.width, defaults.width);
  return writer.expression();
}

void ConceptDriftStream::next(stream::Event& event) {
  ++num_events_;
  last_from_drift_ = random_.bernoulli(drift_probability(num_events_, params_));
  if (last_from_drift_) {
    ++num_drift_events_;
    drift_stream_->next(event);
  } else {
    stream_->next(event);
  }
}

std::unique_ptr<SyntheticStream> ConceptDriftStream::clone() const {
  return std::make_unique<ConceptDriftStream>(stream_->clone(), drift_stream_->clone(), params_,
                                              seed());
}

}  // namespace streamlearn::connectors
