#include "models/util/cli_flags.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vlmc::cli {

absl::StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                                   const std::vector<Spec>& specs) {
  Flags flags;
  for (const Spec& spec : specs) flags.values_[spec.name] = spec.default_value;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!absl::StartsWith(arg, "-") || arg == "-") {
      flags.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(absl::StartsWith(arg, "--") ? 2 : 1);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Spec* spec = nullptr;
    for (const Spec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr)
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    if (spec->is_bool) {
      if (has_value && value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes true or false"));
      }
      flags.values_[name] = has_value ? value : "true";
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " needs a value"));
      }
      value = args[++i];
    }
    flags.values_[name] = value;
  }
  return flags;
}

const std::string& Flags::Get(const std::string& name) const {
  return values_.at(name);
}

bool Flags::GetBool(const std::string& name) const {
  return values_.at(name) == "true";
}

absl::StatusOr<double> Flags::GetDouble(const std::string& name) const {
  double value = 0;
  if (!absl::SimpleAtod(Get(name), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " expects a number, got '", Get(name), "'"));
  }
  return value;
}

absl::StatusOr<int64_t> Flags::GetInt(const std::string& name) const {
  int64_t value = 0;
  if (!absl::SimpleAtoi(Get(name), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " expects an integer, got '", Get(name), "'"));
  }
  return value;
}

std::string Flags::Usage(const std::vector<Spec>& specs) {
  std::string out;
  for (const Spec& spec : specs) {
    const std::string name = spec.is_bool ? absl::StrCat("--", spec.name)
                                          : absl::StrCat("--", spec.name, " V");
    absl::StrAppendFormat(&out, "  %-22s %s", name, spec.help);
    if (!spec.default_value.empty() && !spec.is_bool) {
      absl::StrAppend(&out, " (default: ", spec.default_value, ")");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace vlmc::cli
