#include "core/symbol_table.h"

#include <gtest/gtest.h>

#include "tests/core/corrupted_states.h"

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

std::string saved(const SymbolTable& table) {
  StateWriter out;
  table.save(out);
  return out.bytes();
}

TEST(SymbolTableTest, LoadKeepsTheNamesHeldAndAddsTheRestWithTheSavedIds) {
  SymbolTable original;
  for (const char* name : {"a", "b", "c", "d"}) original.intern(name);
  SymbolTable restored;
  restored.intern("a");
  restored.intern("b");
  const std::string* held = &restored.name(1);
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  ASSERT_TRUE(restored.load(in, "names").is_ok());
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(restored.size(), 4u);
  EXPECT_EQ(restored.find("d"), 3u);
  EXPECT_EQ(&restored.name(1), held) << "a name held must keep its address";
  EXPECT_EQ(saved(restored), saved(original));
}

TEST(SymbolTableTest, LoadRefusesNamesHeldUnderOtherIds) {
  SymbolTable original;
  original.intern("a");
  original.intern("b");
  SymbolTable swapped;
  swapped.intern("b");
  const std::string in_bytes = saved(original);
  StateReader in(in_bytes);
  const Status status = swapped.load(in, "feature names");
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("feature names: id 0 is 'b' in this pipeline but 'a' in the "
                                  "checkpoint: the configuration changed"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(swapped.size(), 1u) << "a failed load changes nothing";

  SymbolTable more;
  for (const char* name : {"a", "b", "c"}) more.intern(name);
  const std::string again_bytes = saved(original);
  StateReader again(again_bytes);
  const Status extra = more.load(again, "feature names");
  ASSERT_FALSE(extra.is_ok());
  EXPECT_NE(extra.message().find("has 3 before the checkpoint is restored, the checkpoint only 2"),
            std::string::npos)
      << extra.message();
}

TEST(SymbolTableTest, CorruptStatesFailOrLoadUniqueNames) {
  SymbolTable original;
  for (int i = 0; i < 20; ++i) original.intern("name" + std::to_string(i));
  testing::for_each_corrupted_state(saved(original), 1, 200, [](const std::string& bytes) {
    SymbolTable table;
    StateReader in(bytes);
    if (!table.load(in, "names").is_ok()) return;
    // Whatever loaded is a table: every name finds its own id.
    for (SymbolId id = 0; id < table.size(); ++id) EXPECT_EQ(table.find(table.name(id)), id);
  });
}

}  // namespace
}  // namespace streamlearn::core
