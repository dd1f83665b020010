#include "core/symbol_table.h"

#include <gtest/gtest.h>

namespace streamlearn::core {
namespace {

TEST(SymbolTableTest, InternsInOrderOfFirstAppearance) {
  SymbolTable table;
  EXPECT_EQ(table.intern("b"), 0u);
  EXPECT_EQ(table.intern("a"), 1u);
  EXPECT_EQ(table.intern("b"), 0u);
  EXPECT_EQ(table.name(1), "a");
  EXPECT_EQ(table.find("c"), std::nullopt);
  EXPECT_EQ(table.size(), 2u);
}

TEST(SymbolTableTest, CopyKeepsIdsAndOwnsItsStrings) {
  SymbolTable original;
  original.intern("x");
  original.intern("y");
  SymbolTable copy = original;
  original = SymbolTable();
  EXPECT_EQ(copy.find("y"), 1u);
  EXPECT_EQ(copy.name(0), "x");
}

}  // namespace
}  // namespace streamlearn::core
