#pragma once

/// FeatureSelection: the features a transformer applies to, from its `cols` parameter. With no
/// names it selects every feature; with names it interns them in the pipeline's FeatureSpace once,
/// at construction, and answers contains(id) with one array look-up. A name that never occurs in
/// the stream simply selects nothing.
///
/// Also the two halves of `cols` in a model expression: read() parses it and reports, through the
/// ParamReader, a list given without the FeatureSpace that resolves it; expression() writes the
/// names back in a form read() parses to the same list (`[country, 'unit price']`).
///
/// Cost: O(1) per contains(); memory four bytes per FeatureId up to the largest selected one.
/// Immutable once built, so it may be read from several threads.
///
///     FeatureSelection cols({"amount", "age"}, &features);
///     if (cols.contains(feature.id)) ...

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/feature_space.h"
#include "core/param_reader.h"

namespace streamlearn::learners {

class FeatureSelection {
 public:
  /// Every feature.
  FeatureSelection() = default;
  /// The named features (every feature when `names` is empty); `features` must not be null when
  /// `names` is not empty.
  FeatureSelection(const std::vector<std::string>& names, core::FeatureSpace* features);

  /// Reads the list `key` of a transformer's parameters. A non-empty list without a FeatureSpace
  /// is reported as an error that tells how to build the model.
  static std::vector<std::string> read(core::ParamReader& reader, std::string_view key,
                                       std::string_view owner, const core::FeatureSpace* features);
  /// `[a, 'b c']`: the list as read() parses it back.
  static std::string expression(const std::vector<std::string>& names);

  bool all() const { return all_; }
  bool contains(core::FeatureId id) const {
    return all_ || (id < selected_.size() && selected_[id] != 0);
  }
  static constexpr std::size_t kNotSelected = static_cast<std::size_t>(-1);
  /// Where the feature is in the list of names, or kNotSelected (always, when all() is true).
  std::size_t position(core::FeatureId id) const {
    return id < selected_.size() && selected_[id] != 0 ? selected_[id] - 1 : kNotSelected;
  }
  /// The ids of the named features, in the order of the names (empty when all() is true).
  const std::vector<core::FeatureId>& ids() const { return ids_; }

 private:
  bool all_ = true;
  std::vector<std::uint32_t> selected_;  // by FeatureId: 0, or the position in the names + 1
  std::vector<core::FeatureId> ids_;
};

}  // namespace streamlearn::learners
