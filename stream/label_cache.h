#pragma once

/// LabelCache: the ClassIds of the first few distinct class labels a decoder meets, found by
/// direct comparison. Most streams have a handful of classes, and comparing "0" with "0" is
/// several times cheaper than ClassSet::intern's hash look-up, which profiles showed at ~12% of
/// CSV decoding. Labels beyond the first kMaxEntries go to the ClassSet every time. Correct
/// because ClassSet never changes the id of a label once given. Not thread-safe.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/class_set.h"

namespace streamlearn::stream {

class LabelCache {
 public:
  static constexpr std::size_t kMaxEntries = 8;

  core::ClassId intern(core::ClassSet& classes, std::string_view label) {
    for (const Entry& entry : entries_)
      if (entry.label.size() == label.size() &&
          std::equal(label.begin(), label.end(), entry.label.begin()))
        return entry.id;
    const core::ClassId id = classes.intern(label);
    if (entries_.size() < kMaxEntries) entries_.push_back({std::string(label), id});
    return id;
  }

 private:
  struct Entry {
    std::string label;
    core::ClassId id;
  };
  std::vector<Entry> entries_;
};

}  // namespace streamlearn::stream
