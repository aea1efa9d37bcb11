// A small argument parser for the tsopt subcommands: `--name value`,
// `--name=value`, boolean `--flag`, and positional arguments. Unknown flags
// are an error, so a typo never silently changes a run.
#ifndef TSOPT_CLI_ARGS_H_
#define TSOPT_CLI_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tsopt/util/timing.h"

namespace tsopt::cli {

class Args {
 public:
  // `value_flags` take a value; `bool_flags` do not. Names without "--".
  static absl::StatusOr<Args> Parse(int argc, char** argv,
                                    const std::set<std::string>& value_flags,
                                    const std::set<std::string>& bool_flags);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& def) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t def) const;
  absl::StatusOr<double> GetDouble(const std::string& name, double def) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// Applies --clock wall|cpu (default wall: TimingOptions::cpu_time) and
// --stat median|min (default median: TimingOptions::statistic).
absl::Status ApplyTimingFlags(const Args& args, TimingOptions* options);

}  // namespace tsopt::cli

#endif  // TSOPT_CLI_ARGS_H_
