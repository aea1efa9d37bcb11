// RunCli: runs the tsopt binary (TSOPT_CLI_PATH, set by tests/CMakeLists.txt
// for the suites that use it) with shell-quoted arguments and captures its
// exit code, stdout and stderr.
#ifndef TSOPT_TESTS_COMMON_RUN_CLI_H_
#define TSOPT_TESTS_COMMON_RUN_CLI_H_

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace tsopt::testing {

struct CliResult {
  int exit_code = -1;  // -1: killed by a signal (a crash)
  std::string out;
  std::string err;
};

// A fresh file under the test temp dir (ctest runs tests in parallel).
inline std::string FreshTempFile(const std::string& stem) {
  std::string path = ::testing::TempDir() + "/" + stem + "_XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd >= 0) close(fd);
  return path;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `args` is appended to the binary's path as is (quote paths yourself).
inline CliResult RunCli(const std::string& args) {
  const std::string out = FreshTempFile("tsopt_cli_out");
  const std::string err = FreshTempFile("tsopt_cli_err");
  const int status = std::system(
      (std::string(TSOPT_CLI_PATH) + " " + args + " >" + out + " 2>" + err)
          .c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadWholeFile(out);
  r.err = ReadWholeFile(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

}  // namespace tsopt::testing

#endif  // TSOPT_TESTS_COMMON_RUN_CLI_H_
