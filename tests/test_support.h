#pragma once

/// Helpers shared by the tests: where ../shared is, and a scratch folder per test.

#include <filesystem>
#include <optional>
#include <string>

namespace streamlearn::testing {

/// The shared data folder (env SL_SHARED_DIR, else the CMake setting, default ../shared), or
/// nullopt when it is absent; tests then GTEST_SKIP() with a message naming the setting.
std::optional<std::filesystem::path> shared_dir();

/// The message to skip with when shared_dir() is absent.
std::string shared_dir_missing_message();

/// A fresh empty folder under the build tree, unique to the running test.
std::filesystem::path scratch_dir();

/// Path of the built `streamlearn` binary.
std::filesystem::path streamlearn_binary();

/// Runs a shell command; returns its exit code and fills stdout.
int run_command(const std::string& command, std::string* output);

/// What a run of the built binary printed.
struct CommandRun {
  int exit_code;
  std::string out;
  std::string err;
};

/// Runs `streamlearn <arguments>` (arguments are shell words), keeping its stderr in `dir`.
CommandRun run_streamlearn(const std::string& arguments, const std::filesystem::path& dir);

}  // namespace streamlearn::testing

#define SL_REQUIRE_SHARED_DIR(var)                                                 \
  auto var##_optional = ::streamlearn::testing::shared_dir();                      \
  if (!var##_optional) GTEST_SKIP() << ::streamlearn::testing::shared_dir_missing_message(); \
  const std::filesystem::path var = *var##_optional
