#ifndef VLMC_SERVER_AUTH_TOKEN_TABLE_H_
#define VLMC_SERVER_AUTH_TOKEN_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "models/util/sha256.h"

namespace vlmc::auth {

// A client named in the token file.
struct TokenClient {
  std::string name;
  std::vector<std::string> methods;  // empty: every method

  bool MayCall(absl::string_view method) const;
};

// The bearer tokens a server accepts (vlmc-server --auth-tokens). Keeps only
// the tokens' SHA-256 digests, and compares a presented token's digest with
// every entry in constant time, so neither timing nor memory gives a token
// away. No message it returns contains a token.
class TokenTable {
 public:
  // Tokens shorter than this are refused: they could be guessed.
  static constexpr size_t kMinTokenLength = 16;

  // Parses the token file: one client per line, `CLIENT_NAME TOKEN
  // [METHOD,METHOD...]`, fields separated by spaces or tabs. A field that
  // starts with '#' starts a comment; blank lines are skipped. Names are
  // [A-Za-z0-9._-]+ and unique; a token is at least kMinTokenLength visible
  // ASCII characters, unique; methods must be among `known_methods` (none
  // listed: every method). INVALID_ARGUMENT "line N: ..." for anything else,
  // or for a file without clients.
  static absl::StatusOr<TokenTable> Parse(
      absl::string_view text, const std::vector<std::string>& known_methods);

  // Reads `path` (at most 1 MiB) and parses it; errors name the path.
  static absl::StatusOr<TokenTable> Load(
      const std::string& path, const std::vector<std::string>& known_methods);

  // Decides a call to `method` from the values of its `authorization`
  // metadata (expected: exactly one, "Bearer <token>"). Returns the client,
  // UNAUTHENTICATED when the header is missing, repeated, not a bearer token
  // or an unknown token, and PERMISSION_DENIED when the token's client may
  // not call `method`.
  absl::StatusOr<const TokenClient*> Authorize(
      const std::vector<absl::string_view>& authorization,
      absl::string_view method) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    util::Sha256Digest token_digest;
    TokenClient client;
  };

  std::vector<Entry> entries_;
};

}  // namespace vlmc::auth

#endif  // VLMC_SERVER_AUTH_TOKEN_TABLE_H_
