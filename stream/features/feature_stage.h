#pragma once

/// FeatureStage: the window steps that open a model expression, run on every event before the
/// model sees it:
///
///   window(by=user, size=1h, agg=[mean(amount), count()]) | target_agg(by=user) | hash(...) | ...
///   ^ the FeatureStage (events in, features appended)      ^ the learner pipeline (LearnerRegistry)
///
/// Window steps read whole events (key, event time, label), so they come first; split() cuts an
/// expression into the two parts. apply() runs each window in order on the arriving event, once:
/// the features it appends are what the model predicts with, and what it learns from when the
/// label comes, however late (the pipeline keeps them with the prediction), so serving and
/// training see the same values and a replay computes the same ones. learn_label() gives a known
/// label to the target aggregates. Not thread-safe.
///
/// save() / load() carry the whole state of every window (keys, watermarks, panes, sessions,
/// rings, aggregates, counters) for checkpoints; stream/README.md describes the format.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/feature_space.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/event.h"
#include "stream/features/window_operator.h"
#include "stream/rejection.h"

namespace streamlearn::stream::features {

class FeatureStage {
 public:
  struct Split {
    std::vector<WindowSpec> windows;  // the leading window steps, parsed
    std::string learner_expression;   // the rest
  };
  /// Cuts a model expression after its window steps; every error in them is reported at once.
  static core::Result<Split> split(std::string_view expression);

  FeatureStage(const std::vector<WindowSpec>& windows, core::FeatureSpace& space);

  /// Appends every window's features to the event. A late event for a window whose `late` is
  /// dead_letter is rejected before any window changes (reason late_event); a late event for the
  /// others is counted and goes on without that window's features.
  std::optional<Rejection> apply(Event& event);
  /// The label of an event predicted from `x` at `time_ms` is known.
  void learn_label(const core::FeatureVector& x, std::int64_t time_ms, const core::Target& y) {
    for (WindowOperator& window : windows_) window.learn_label(x, time_ms, y);
  }

  /// The current aggregates of one key (the feature-store lookup), by feature name, from every
  /// window keyed by as many fields as `parts` has, in order: `by` fields, or the event's key (one
  /// part) when `by` is omitted; a target_agg without `by` is global and answers for every key.
  /// Windows holding nothing for the key are left out; false when no keyed window holds it.
  bool lookup(std::span<const std::string> parts,
              std::vector<std::pair<std::string, double>>& out);

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote into a stage built from the same window steps and the same
  /// FeatureSpace, restored first so that feature ids agree. Fails, leaving the stage unchanged,
  /// when the saved windows differ from these (the message says which) or the state is truncated
  /// or corrupt.
  [[nodiscard]] core::Status load(core::StateReader& in);

  bool empty() const { return windows_.empty(); }
  /// The window steps as an expression (`window(...) | target_agg(...)`), empty when none.
  std::string describe() const;
  std::vector<WindowOperator>& windows() { return windows_; }
  const std::vector<WindowOperator>& windows() const { return windows_; }

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  core::FeatureSpace* space_;  // load() builds fresh windows on it
  std::vector<WindowOperator> windows_;
};

}  // namespace streamlearn::stream::features
