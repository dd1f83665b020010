#include "core/class_set.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace streamlearn::core
