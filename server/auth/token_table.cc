#include "server/auth/token_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "models/util/file_io.h"
#include "server/auth/constant_time.h"

namespace vlmc::auth {
namespace {

constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxTokenLength = 4096;
constexpr uint64_t kMaxFileBytes = 1 << 20;
constexpr absl::string_view kLineSyntax =
    "CLIENT_NAME TOKEN [METHOD,METHOD...]";

absl::Status LineError(int line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", what));
}

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

// Says what is wrong with `token` without repeating it.
absl::Status CheckToken(int line, absl::string_view token) {
  if (!std::all_of(token.begin(), token.end(),
                   [](char c) { return c > ' ' && c < '\x7f'; })) {
    return LineError(line,
                     "the token holds characters other than visible ASCII");
  }
  if (token.size() < TokenTable::kMinTokenLength) {
    return LineError(line,
                     absl::StrCat("the token is shorter than ",
                                  TokenTable::kMinTokenLength, " characters"));
  }
  if (token.size() > kMaxTokenLength) {
    return LineError(line, absl::StrCat("the token is longer than ",
                                        kMaxTokenLength, " characters"));
  }
  return absl::OkStatus();
}

absl::string_view DigestBytes(const util::Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace

bool TokenClient::MayCall(absl::string_view method) const {
  return methods.empty() ||
         std::find(methods.begin(), methods.end(), method) != methods.end();
}

absl::StatusOr<TokenTable> TokenTable::Parse(
    absl::string_view text, const std::vector<std::string>& known_methods) {
  TokenTable table;
  std::vector<int> entry_lines;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const auto comment = std::find_if(
        fields.begin(), fields.end(),
        [](absl::string_view f) { return absl::StartsWith(f, "#"); });
    fields.erase(comment, fields.end());
    if (fields.empty()) continue;
    if (fields.size() < 2 || fields.size() > 3) {
      return LineError(
          line_number,
          absl::StrCat("expected ", kLineSyntax, ", found ", fields.size(),
                       " field", fields.size() == 1 ? "" : "s"));
    }
    Entry entry;
    entry.client.name = std::string(fields[0]);
    if (!ValidName(entry.client.name)) {
      return LineError(
          line_number,
          absl::StrCat("client name '", entry.client.name, "' is not 1 to ",
                       kMaxNameLength, " characters of [A-Za-z0-9._-]"));
    }
    if (absl::Status s = CheckToken(line_number, fields[1]); !s.ok()) return s;
    entry.token_digest = util::Sha256(fields[1]);
    if (fields.size() == 3) {
      for (absl::string_view method : absl::StrSplit(fields[2], ',')) {
        if (std::find(known_methods.begin(), known_methods.end(), method) ==
            known_methods.end()) {
          return LineError(
              line_number,
              absl::StrCat("unknown method '", method, "' (known: ",
                           absl::StrJoin(known_methods, ", "), ")"));
        }
        entry.client.methods.emplace_back(method);
      }
    }
    for (size_t i = 0; i < table.entries_.size(); ++i) {
      const Entry& other = table.entries_[i];
      if (other.client.name == entry.client.name) {
        return LineError(
            line_number,
            absl::StrCat("client '", entry.client.name,
                         "' is already defined on line ", entry_lines[i]));
      }
      if (other.token_digest == entry.token_digest) {
        return LineError(
            line_number,
            absl::StrCat("the token is the one of client '", other.client.name,
                         "' on line ", entry_lines[i]));
      }
    }
    table.entries_.push_back(std::move(entry));
    entry_lines.push_back(line_number);
  }
  if (table.entries_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no clients (expected lines '", kLineSyntax, "')"));
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::Load(
    const std::string& path, const std::vector<std::string>& known_methods) {
  absl::StatusOr<std::string> text = util::ReadFile(path, kMaxFileBytes);
  if (!text.ok()) return text.status();
  absl::StatusOr<TokenTable> table = Parse(*text, known_methods);
  if (!table.ok()) {
    return absl::Status(
        table.status().code(),
        absl::StrCat("'", path, "' ", table.status().message()));
  }
  return table;
}

absl::StatusOr<const TokenClient*> TokenTable::Authorize(
    const std::vector<absl::string_view>& authorization,
    absl::string_view method) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "this server requires a bearer token: send metadata 'authorization: "
        "Bearer <token>'");
  }
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError(
        "more than one 'authorization' metadata entry");
  }
  absl::string_view value = authorization.front();
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError(
        "the 'authorization' metadata is not 'Bearer <token>'");
  }
  const util::Sha256Digest presented =
      util::Sha256(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
  // Every entry is compared, so the time taken does not say which one (or
  // whether any) matched.
  const TokenClient* client = nullptr;
  for (const Entry& entry : entries_) {
    const bool match = ConstantTimeEquals(DigestBytes(presented),
                                          DigestBytes(entry.token_digest));
    if (match) client = &entry.client;
  }
  if (client == nullptr) {
    return absl::UnauthenticatedError("the bearer token is not valid");
  }
  if (!client->MayCall(method)) {
    return absl::PermissionDeniedError(
        absl::StrCat("client '", client->name, "' may not call ", method));
  }
  return client;
}

}  // namespace vlmc::auth
