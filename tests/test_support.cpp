#include "tests/test_support.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace streamlearn::testing {

std::optional<std::filesystem::path> shared_dir() {
  const char* from_env = std::getenv("SL_SHARED_DIR");
  std::filesystem::path dir = from_env ? from_env : SL_DEFAULT_SHARED_DIR;
  if (std::filesystem::exists(dir / "reference") && std::filesystem::exists(dir / "data"))
    return dir;
  return std::nullopt;
}

std::string shared_dir_missing_message() {
  return "shared data folder not found (set SL_SHARED_DIR or the CMake option SL_SHARED_DIR; "
         "default ../shared next to the repository)";
}

std::filesystem::path scratch_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(SL_BINARY_DIR) / "test-scratch" /
                              (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path streamlearn_binary() {
  return std::filesystem::path(SL_BINARY_DIR) / "streamlearn";
}

int run_command(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buffer;
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    if (output) output->append(buffer.data(), read);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CommandRun run_streamlearn(const std::string& arguments, const std::filesystem::path& dir) {
  const std::filesystem::path err_file = dir / "streamlearn-stderr.txt";
  CommandRun run;
  run.exit_code =
      run_command(streamlearn_binary().string() + " " + arguments + " 2>" + err_file.string(),
                  &run.out);
  std::ifstream err(err_file);
  run.err.assign(std::istreambuf_iterator<char>(err), {});
  return run;
}

}  // namespace streamlearn::testing
