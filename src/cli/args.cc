#include "src/cli/args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tsopt::cli {

absl::StatusOr<Args> Args::Parse(int argc, char** argv,
                                 const std::set<std::string>& value_flags,
                                 const std::set<std::string>& bool_flags) {
  Args args;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      args.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (bool_flags.count(name)) {
      if (value && *value != "true" && *value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes no value"));
      }
      if (!value || *value == "true") args.values_[name] = "true";
      continue;
    }
    if (!value_flags.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (!value) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      value = argv[++i];
    }
    args.values_[name] = *value;
  }
  return args;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& name, const std::string& def) const {
  return Get(name).value_or(def);
}

absl::StatusOr<int64_t> Args::GetInt(const std::string& name,
                                     int64_t def) const {
  auto v = Get(name);
  if (!v) return def;
  int64_t out;
  if (!absl::SimpleAtoi(*v, &out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " expects an integer, got '", *v, "'"));
  }
  return out;
}

absl::StatusOr<double> Args::GetDouble(const std::string& name,
                                       double def) const {
  auto v = Get(name);
  if (!v) return def;
  double out;
  if (!absl::SimpleAtod(*v, &out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " expects a number, got '", *v, "'"));
  }
  return out;
}

absl::Status ApplyTimingFlags(const Args& args, TimingOptions* options) {
  std::string clock = args.GetOr("clock", "wall");
  if (clock != "wall" && clock != "cpu") {
    return absl::InvalidArgumentError(
        absl::StrCat("--clock must be wall or cpu, got ", clock));
  }
  std::string stat = args.GetOr("stat", "median");
  if (stat != "median" && stat != "min") {
    return absl::InvalidArgumentError(
        absl::StrCat("--stat must be median or min, got ", stat));
  }
  options->cpu_time = clock == "cpu";
  options->statistic =
      stat == "min" ? TimingStatistic::kMin : TimingStatistic::kMedian;
  return absl::OkStatus();
}

}  // namespace tsopt::cli
