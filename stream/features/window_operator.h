#pragma once

/// WindowOperator: one window step of a model expression working on events. For `window(...)`,
/// apply() adds the event's fields to its key's window, then appends the window's aggregates to
/// the event's features (named `mean(amount)@user_1h`; an aggregate without a value, such as the
/// mean of no amount, is left out: a missing feature). For `target_agg(...)` (River's TargetAgg),
/// apply() appends the aggregate of the labels already known for the key, and learn_label() adds
/// a label once it is known, at its event's time: a prediction never sees its own label or any
/// label revealed after it, so replayed evaluation is honest.
///
/// The key is the values of the `by` fields, from the event's features (numbers in their
/// shortest round-trip text) or its key fields (the schema's key and entities: text that is not
/// interned, so endless new ids leave nothing behind once their windows expire), joined by
/// U+001F; without `by`, the event's key (target_agg: one key for all). An event missing a `by` field gets no window features (counted). Time windows
/// need an event time: an event without one gets no window features (counted). A late event
/// (see window_spec.h) changes no window and gets no window features: apply() says kLate, and the
/// caller drops or dead-letters it as the spec's `late` says. Not thread-safe.
///
/// save() writes the spec's expression (load() refuses state saved from another one), the
/// counters and the KeyedWindow. The key, inputs and values buffers are scratch, rebuilt per event.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/feature_space.h"
#include "core/feature_vector.h"
#include "core/state_io.h"
#include "core/status.h"
#include "core/target.h"
#include "stream/event.h"
#include "stream/features/keyed_window.h"
#include "stream/features/window_spec.h"

namespace streamlearn::stream::features {

class WindowOperator {
 public:
  enum class Outcome : std::uint8_t { kApplied, kLate };

  struct Counters {
    std::uint64_t events = 0;
    std::uint64_t late = 0;        // late events (no features, no update)
    std::uint64_t untimed = 0;     // a time window's events without an event time
    std::uint64_t keyless = 0;     // events without every `by` field
    std::uint64_t labels = 0;      // target_agg: labels added
    std::uint64_t late_labels = 0;  // target_agg: labels whose event's window had closed
    KeyedWindow::Counters keys;
  };

  /// The space interns the feature names (now) and reads categorical values' text.
  WindowOperator(WindowSpec spec, core::FeatureSpace& space);

  Outcome apply(Event& event);
  /// Whether apply() would find the event late, changing nothing.
  bool late(const Event& event) const;
  /// Counts a late event its caller rejected instead of applying.
  void count_rejected_late() {
    ++counters_.events;
    ++counters_.late;
  }
  std::int64_t watermark_ms() const { return window_.watermark_ms(); }
  /// target_agg only: the label of an event predicted from features `x` at `time_ms` is known.
  void learn_label(const core::FeatureVector& x, std::int64_t time_ms, const core::Target& y);

  /// The key's current aggregates (at the latest event time seen), by feature name; false when
  /// the window holds nothing for the key. `parts` are the values of the `by` fields in order.
  bool lookup(std::span<const std::string> parts,
              std::vector<std::pair<std::string, double>>& out);

  const WindowSpec& spec() const { return spec_; }
  Counters counters() const;
  std::size_t num_keys() const { return window_.num_keys(); }
  std::size_t bytes_per_key() const { return window_.bytes_per_key(); }

  void save(core::StateWriter& out) const;
  /// Restores what save() wrote from an operator of the same expression, built on the same
  /// FeatureSpace (restored first, so feature ids agree). Fails, leaving this unchanged, on
  /// state of another expression (the message quotes both) or truncated or corrupt state.
  [[nodiscard]] core::Status load(core::StateReader& in);

 private:
  static constexpr std::uint32_t kStateVersion = 1;

  // The key of features x (and of the event's own key when `by` is empty) into key_; false when
  // a `by` field is missing.
  bool make_key(const core::FeatureVector& x, std::string_view event_key);
  std::int64_t time_of(const Event& event) const;
  void gather_inputs(const core::FeatureVector& x);
  void append_values(core::FeatureVector& x) const;

  WindowSpec spec_;
  core::FeatureSpace& space_;
  std::vector<core::FeatureId> by_ids_;
  std::vector<core::FeatureId> field_ids_;  // by aggregate; kNoField for count()
  std::vector<core::FeatureId> output_ids_;
  std::vector<std::string> output_names_;
  KeyedWindow window_;
  std::string key_;
  std::vector<ColumnInput> inputs_;
  std::vector<double> values_;
  Counters counters_;
};

}  // namespace streamlearn::stream::features
