#include "core/class_set.h"

#include <gtest/gtest.h>

#include "tests/core/corrupted_states.h"

namespace streamlearn::core {
namespace {

TEST(ClassSetTest, BooleanLabelsMapToZeroAndOneWhateverComesFirst) {
  ClassSet classes;
  EXPECT_EQ(classes.intern("1"), 1u);
  EXPECT_EQ(classes.intern("0"), 0u);
  EXPECT_EQ(classes.intern("True"), 1u);
  EXPECT_EQ(classes.intern("no"), 0u);
  EXPECT_TRUE(classes.boolean());
  EXPECT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes.name(1), "1");
}

TEST(ClassSetTest, OtherLabelsFollowFirstAppearance) {
  ClassSet classes;
  EXPECT_EQ(classes.intern("UP"), 0u);
  EXPECT_EQ(classes.intern("DOWN"), 1u);
  EXPECT_EQ(classes.intern("UP"), 0u);
  EXPECT_FALSE(classes.boolean());
  // A boolean spelling after other labels is an ordinary class.
  EXPECT_EQ(classes.intern("1"), 2u);
}

TEST(ClassSetTest, MulticlassIntegersKeepZeroAndOneInPlace) {
  ClassSet classes;
  EXPECT_EQ(classes.intern("2"), 0u);  // not boolean: ordinary interning
  ClassSet boolean_first;
  EXPECT_EQ(boolean_first.intern("0"), 0u);
  EXPECT_EQ(boolean_first.intern("2"), 2u);
  EXPECT_EQ(boolean_first.intern("1"), 1u);
}

std::string saved(const ClassSet& classes) {
  StateWriter out;
  classes.save(out);
  return out.bytes();
}

TEST(ClassSetTest, LoadGivesEveryLabelItsSavedIdAndKeepsTheBooleanRule) {
  ClassSet original;
  original.intern("yes");
  original.intern("no");
  ClassSet restored;
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  ASSERT_TRUE(restored.load(in).is_ok());
  EXPECT_EQ(saved(restored), saved(original));
  EXPECT_TRUE(restored.boolean());
  EXPECT_EQ(restored.intern("True"), 1u);
  EXPECT_EQ(restored.intern("0"), 0u);

  ClassSet animals;
  for (const char* label : {"cat", "dog", "bird"}) animals.intern(label);
  ClassSet started;
  started.intern("cat");
  const std::string again_bytes = saved(animals);
  StateReader again(again_bytes);
  ASSERT_TRUE(started.load(again).is_ok());
  EXPECT_EQ(started.intern("bird"), 2u);
  EXPECT_EQ(started.intern("fish"), animals.intern("fish"));
}

TEST(ClassSetTest, LoadIntoOtherLabelsIsAClearError) {
  ClassSet original;
  original.intern("cat");
  original.intern("dog");
  ClassSet other;
  other.intern("dog");
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  const Status status = other.load(in);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("class labels: id 0 is 'dog' in this pipeline but 'cat'"),
            std::string::npos)
      << status.message();
  ClassSet boolean;
  boolean.intern("true");
  const std::string again_bytes = saved(original);
  StateReader again(again_bytes);
  EXPECT_NE(boolean.load(again).message().find("configuration changed"), std::string::npos);
}

TEST(ClassSetTest, CorruptStatesFailOrLoad) {
  ClassSet original;
  for (const char* label : {"1", "0", "maybe"}) original.intern(label);
  testing::for_each_corrupted_state(saved(original), 3, 100, [](const std::string& bytes) {
    ClassSet classes;
    StateReader in(bytes);
    if (!classes.load(in).is_ok()) return;
    if (classes.boolean()) {
      EXPECT_EQ(classes.intern("yes"), 1u);
    }
  });
}

}  // namespace
}  // namespace streamlearn::core
