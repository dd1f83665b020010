#include "monitors/data_drift/categorical_histogram.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "tests/monitors/split_mix64.h"

namespace streamlearn::monitors {
namespace {

using Categories = std::vector<core::SymbolId>;
using Counts = std::vector<std::uint64_t>;

CategoricalHistogram histogram_of(const Categories& values, std::uint32_t max_categories = 100) {
  CategoricalHistogram histogram(CategoricalHistogram::Params{.max_categories = max_categories});
  for (core::SymbolId value : values) histogram.add(value);
  return histogram;
}

TEST(CategoricalHistogramTest, UsageExampleCountsAReferenceAndACurrentWindow) {
  CategoricalHistogram reference = histogram_of({7, 3, 7, 9});
  CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference);
  EXPECT_EQ(current.categories(), (Categories{7, 3, 9}));
  EXPECT_EQ(current.counts(), (Counts{0, 0, 0}));
  current.add(3);
  current.add(5);
  current.remove(3);
  EXPECT_EQ(current.categories(), (Categories{7, 3, 9, 5}));
  EXPECT_EQ(current.counts(), (Counts{0, 0, 0, 1}));
  EXPECT_EQ(current.total(), 1u);
  EXPECT_TRUE(reference.check_aligned(current).is_ok());
}

TEST(CategoricalHistogramTest, CountsEachCategoryAndTheTotal) {
  CategoricalHistogram histogram = histogram_of({1, 2, 1, 1, 4});
  EXPECT_EQ(histogram.count(1), 3u);
  EXPECT_EQ(histogram.count(2), 1u);
  EXPECT_EQ(histogram.count(4), 1u);
  EXPECT_EQ(histogram.count(3), 0u);
  EXPECT_FALSE(histogram.tracks(3));
  EXPECT_EQ(histogram.total(), 5u);
  EXPECT_EQ(histogram.overflow_count(), 0u);
  EXPECT_FALSE(histogram.full());
}

TEST(CategoricalHistogramTest, CategoriesBeyondTheCapAreCountedInTheOverflowBucket) {
  CategoricalHistogram histogram = histogram_of({1, 2, 3, 4, 5, 4, 1}, /*max_categories=*/3);
  EXPECT_TRUE(histogram.full());
  EXPECT_EQ(histogram.categories(), (Categories{1, 2, 3}));
  EXPECT_EQ(histogram.counts(), (Counts{2, 1, 1}));
  EXPECT_EQ(histogram.overflow_count(), 3u);
  EXPECT_EQ(histogram.total(), 7u);
  EXPECT_FALSE(histogram.tracks(4));
  EXPECT_EQ(histogram.count(4), 0u);
  histogram.remove(5);
  EXPECT_EQ(histogram.overflow_count(), 2u);
  EXPECT_EQ(histogram.total(), 6u);
}

TEST(CategoricalHistogramTest, ACategoryRemovedToZeroKeepsItsSlot) {
  CategoricalHistogram histogram = histogram_of({1, 2}, /*max_categories=*/2);
  histogram.remove(1);
  EXPECT_TRUE(histogram.tracks(1));
  EXPECT_EQ(histogram.count(1), 0u);
  // The slot is not reassigned: a new category still goes to the overflow bucket.
  histogram.add(3);
  EXPECT_EQ(histogram.overflow_count(), 1u);
  EXPECT_EQ(histogram.categories(), (Categories{1, 2}));
}

TEST(CategoricalHistogramTest, SlidingWindowAddAndRemoveMatchTheWindowContents) {
  SplitMix64 random(20240611);
  CategoricalHistogram histogram(CategoricalHistogram::Params{.max_categories = 8});
  std::deque<core::SymbolId> window;
  constexpr std::size_t kWindowSize = 50;
  for (int step = 0; step < 5000; ++step) {
    // Skewed over 20 categories, so some are frequent and some rare.
    const double u = random.uniform();
    const auto value = static_cast<core::SymbolId>(20 * u * u);
    histogram.add(value);
    window.push_back(value);
    if (window.size() > kWindowSize) {
      histogram.remove(window.front());
      window.pop_front();
    }
    if (step % 97 != 0) continue;
    std::map<core::SymbolId, std::uint64_t> expected;
    for (core::SymbolId v : window) ++expected[v];
    std::uint64_t overflow = 0;
    for (const auto& [category, count] : expected) {
      if (histogram.tracks(category))
        EXPECT_EQ(histogram.count(category), count) << category;
      else
        overflow += count;
    }
    EXPECT_EQ(histogram.overflow_count(), overflow);
    EXPECT_EQ(histogram.total(), window.size());
  }
  EXPECT_TRUE(histogram.full());
  // Emptying the window brings every count back to 0 and keeps the slots.
  const Categories tracked = histogram.categories();
  for (core::SymbolId value : window) histogram.remove(value);
  EXPECT_EQ(histogram.total(), 0u);
  EXPECT_EQ(histogram.overflow_count(), 0u);
  EXPECT_EQ(histogram.counts(), Counts(tracked.size(), 0));
  EXPECT_EQ(histogram.categories(), tracked);
}

TEST(CategoricalHistogramTest, CurrentWindowOfAFullReferenceOverflowsEveryOtherCategory) {
  CategoricalHistogram reference = histogram_of({1, 2, 3, 4}, /*max_categories=*/3);
  CategoricalHistogram current = CategoricalHistogram::with_categories_of(reference);
  EXPECT_TRUE(current.full());
  EXPECT_EQ(current.params().max_categories, 3u);
  current.add(4);
  current.add(9);
  current.add(2);
  EXPECT_EQ(current.categories(), (Categories{1, 2, 3}));
  EXPECT_EQ(current.counts(), (Counts{0, 1, 0}));
  EXPECT_EQ(current.overflow_count(), 2u);
  EXPECT_TRUE(reference.check_aligned(current).is_ok());
}

TEST(CategoricalHistogramTest, HistogramsThatAreNotFullAreAlwaysAligned) {
  CategoricalHistogram left = histogram_of({1, 2}, 3);
  CategoricalHistogram right = histogram_of({5, 6}, 3);
  EXPECT_TRUE(left.check_aligned(right).is_ok());
  EXPECT_TRUE(right.check_aligned(left).is_ok());
}

TEST(CategoricalHistogramTest, CheckAlignedRejectsACategoryHiddenInAFullSidesOverflow) {
  CategoricalHistogram full = histogram_of({1, 2, 3}, 3);
  CategoricalHistogram other = histogram_of({1, 4}, 3);
  for (const core::Status& status : {full.check_aligned(other), other.check_aligned(full)}) {
    ASSERT_FALSE(status.is_ok());
    EXPECT_NE(status.message().find("category id 4"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("with_categories_of"), std::string::npos);
  }
  // Two full histograms tracking different categories.
  EXPECT_FALSE(full.check_aligned(histogram_of({1, 2, 5}, 3)).is_ok());
  EXPECT_TRUE(full.check_aligned(histogram_of({3, 2, 1}, 3)).is_ok());
}

TEST(CategoricalHistogramTest, MergeAddsCountsAndTracksNewCategoriesWhileThereIsRoom) {
  CategoricalHistogram histogram = histogram_of({1, 1, 2}, 3);
  ASSERT_TRUE(histogram.merge(histogram_of({2, 5, 6, 6}, 4)).is_ok());
  EXPECT_EQ(histogram.categories(), (Categories{1, 2, 5}));
  EXPECT_EQ(histogram.counts(), (Counts{2, 2, 1}));
  EXPECT_EQ(histogram.overflow_count(), 2u);  // the two 6s: no room left
  EXPECT_EQ(histogram.total(), 7u);
  EXPECT_TRUE(histogram.full());
}

TEST(CategoricalHistogramTest, MergingAnOverflowBucketStopsTrackingNewCategories) {
  CategoricalHistogram reference = histogram_of({1, 2}, 2);
  CategoricalHistogram pane = CategoricalHistogram::with_categories_of(reference);
  pane.add(1);
  pane.add(7);  // overflow
  CategoricalHistogram window(CategoricalHistogram::Params{.max_categories = 5});
  window.add(2);
  ASSERT_TRUE(window.merge(pane).is_ok());
  EXPECT_EQ(window.count(1), 1u);
  EXPECT_EQ(window.count(2), 1u);
  EXPECT_EQ(window.overflow_count(), 1u);
  // The overflowed 7 is unknown, so 7 (or anything new) cannot get a slot of its own now.
  EXPECT_TRUE(window.full());
  window.add(7);
  EXPECT_FALSE(window.tracks(7));
  EXPECT_EQ(window.overflow_count(), 2u);
}

TEST(CategoricalHistogramTest, MergeRefusesMisalignedHistogramsAndChangesNothing) {
  CategoricalHistogram histogram = histogram_of({1, 2, 3}, 3);
  const core::Status status = histogram.merge(histogram_of({4}, 3));
  EXPECT_FALSE(status.is_ok());
  EXPECT_EQ(histogram.counts(), (Counts{1, 1, 1}));
  EXPECT_EQ(histogram.total(), 3u);
  EXPECT_EQ(histogram.overflow_count(), 0u);
}

TEST(CategoricalHistogramTest, ClearZeroesCountsAndKeepsTheTrackedCategories) {
  CategoricalHistogram histogram = histogram_of({1, 2, 3, 4}, 3);
  histogram.clear();
  EXPECT_EQ(histogram.total(), 0u);
  EXPECT_EQ(histogram.overflow_count(), 0u);
  EXPECT_EQ(histogram.categories(), (Categories{1, 2, 3}));
  EXPECT_EQ(histogram.counts(), (Counts{0, 0, 0}));
  EXPECT_TRUE(histogram.full());
}

TEST(CategoricalHistogramTest, SaveLoadRoundTripRestoresCountsSlotsAndOverflow) {
  CategoricalHistogram original = histogram_of({4, 4, 8, 15, 16, 23, 42, 8}, 4);
  core::StateWriter writer;
  original.save(writer);
  CategoricalHistogram restored(CategoricalHistogram::Params{.max_categories = 4});
  core::StateReader reader(writer.bytes());
  ASSERT_TRUE(restored.load(reader).is_ok());
  EXPECT_TRUE(reader.at_end());
  EXPECT_EQ(restored.categories(), original.categories());
  EXPECT_EQ(restored.counts(), original.counts());
  EXPECT_EQ(restored.overflow_count(), original.overflow_count());
  EXPECT_EQ(restored.total(), original.total());
  EXPECT_EQ(restored.full(), original.full());
  // Both go on identically, and save the same bytes.
  for (CategoricalHistogram* histogram : {&original, &restored}) {
    histogram->add(8);
    histogram->add(99);
    histogram->remove(23);
  }
  core::StateWriter original_again;
  core::StateWriter restored_again;
  original.save(original_again);
  restored.save(restored_again);
  EXPECT_EQ(original_again.bytes(), restored_again.bytes());
  EXPECT_EQ(restored.count(8), 3u);
  EXPECT_EQ(restored.overflow_count(), 2u);  // 23 and 42, then 99 in and 23 out
}

TEST(CategoricalHistogramTest, LoadRejectsTruncatedStateAndAnotherCap) {
  CategoricalHistogram original = histogram_of({1, 2, 2, 3}, 2);
  core::StateWriter writer;
  original.save(writer);
  const std::string& bytes = writer.bytes();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    CategoricalHistogram target = histogram_of({5}, 2);
    core::StateReader reader(std::string_view(bytes).substr(0, length));
    EXPECT_FALSE(target.load(reader).is_ok()) << length;
    EXPECT_EQ(target.categories(), (Categories{5}));  // unchanged
  }
  CategoricalHistogram other_cap(CategoricalHistogram::Params{.max_categories = 3});
  core::StateReader reader(bytes);
  const core::Status status = other_cap.load(reader);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("max_categories=2"), std::string::npos) << status.message();
}

TEST(CategoricalHistogramTest, RemovingAValueThatWasNeverAddedIsAProgrammerError) {
  EXPECT_DEATH(
      {
        CategoricalHistogram histogram = histogram_of({1}, 3);
        histogram.remove(2);
      },
      "check failed");
}

}  // namespace
}  // namespace streamlearn::monitors
