#include "server/auth/token_table.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/constant_time.h"

namespace vlmc::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> kMethods = {"Encode", "Decode", "GetInfo",
                                           "EncodeStream"};
constexpr char kCameraToken[] = "camera-token-0123456789";
constexpr char kCloudToken[] = "cloud-token-abcdefghij";

TEST(ConstantTimeEqualsTest, ComparesBytes) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_TRUE(
      ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals("secret", "Secret"));  // first byte
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));  // last byte
  EXPECT_FALSE(
      ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secre"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

TEST(TokenTableTest, ParsesClientsCommentsAndMethods) {
  const std::string file = absl::StrCat(
      "# clients of the codec server\n"
      "\n"
      "camera-1 ",
      kCameraToken, " Encode,EncodeStream   # cameras encode\n", "\tcloud_2\t",
      kCloudToken, "\r\n", "   # indented comment\n");
  absl::StatusOr<TokenTable> table = TokenTable::Parse(file, kMethods);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);

  const std::string camera = absl::StrCat("Bearer ", kCameraToken);
  absl::StatusOr<const TokenClient*> client =
      table->Authorize({camera}, "Encode");
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->name, "camera-1");
  EXPECT_EQ((*client)->methods,
            (std::vector<std::string>{"Encode", "EncodeStream"}));

  const std::string cloud = absl::StrCat("bearer ", kCloudToken);
  client = table->Authorize({cloud}, "Decode");
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->name, "cloud_2");
  EXPECT_TRUE((*client)->methods.empty());  // every method
}

TEST(TokenTableTest, AuthorizeRefusesWithTheRightCodeAndNoToken) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(
      absl::StrCat("camera-1 ", kCameraToken, " Encode\n"), kMethods);
  ASSERT_TRUE(table.ok()) << table.status();
  const std::string good = absl::StrCat("Bearer ", kCameraToken);
  const std::string wrong = "Bearer not-the-camera-token-at-all";
  struct Case {
    const char* what;
    std::vector<absl::string_view> authorization;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"none", {}, absl::StatusCode::kUnauthenticated},
      {"unknown token", {wrong}, absl::StatusCode::kUnauthenticated},
      {"prefix of the token",
       {absl::string_view(good).substr(0, good.size() - 1)},
       absl::StatusCode::kUnauthenticated},
      {"not bearer",
       {absl::StrCat("Basic ", kCameraToken)},
       absl::StatusCode::kUnauthenticated},
      {"bare token", {kCameraToken}, absl::StatusCode::kUnauthenticated},
      {"empty bearer", {"Bearer "}, absl::StatusCode::kUnauthenticated},
      {"twice", {good, good}, absl::StatusCode::kUnauthenticated},
  };
  for (const Case& c : cases) {
    absl::StatusOr<const TokenClient*> client =
        table->Authorize(c.authorization, "Encode");
    EXPECT_EQ(client.status().code(), c.code) << c.what;
    EXPECT_THAT(client.status().message(), Not(HasSubstr(kCameraToken)))
        << c.what;
    EXPECT_THAT(client.status().message(), Not(HasSubstr("not-the-camera")))
        << c.what;
  }
  absl::StatusOr<const TokenClient*> denied =
      table->Authorize({good}, "Decode");
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), "client 'camera-1' may not call Decode");
  EXPECT_TRUE(table->Authorize({good}, "Encode").ok());
}

TEST(TokenTableTest, MalformedLinesAreNamedWithoutTheToken) {
  const std::string ok_line = absl::StrCat("camera-1 ", kCameraToken, "\n");
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "no clients"},
      {"# only a comment\n\n", "no clients"},
      {ok_line + "lonely-name\n", "line 2: expected CLIENT_NAME TOKEN"},
      {absl::StrCat(ok_line, "cloud ", kCloudToken, " Encode extra\n"),
       "line 2: expected CLIENT_NAME TOKEN [METHOD,METHOD...], found 4 fields"},
      {absl::StrCat("bad/name ", kCloudToken, "\n"),
       "line 1: client name 'bad/name' is not"},
      {"cloud short-token\n", "line 1: the token is shorter than 16"},
      {absl::StrCat("cloud ", kCloudToken, "\xc3\xa9\n"),
       "line 1: the token holds characters other than visible ASCII"},
      {absl::StrCat(ok_line, "cloud ", kCloudToken, " Encode,Deocde\n"),
       "line 2: unknown method 'Deocde' (known: Encode, Decode, GetInfo, "
       "EncodeStream)"},
      {absl::StrCat(ok_line, "cloud ", kCloudToken, " Encode,\n"),
       "line 2: unknown method ''"},
      {absl::StrCat(ok_line, "# x\ncamera-1 ", kCloudToken, "\n"),
       "line 3: client 'camera-1' is already defined on line 1"},
      {absl::StrCat(ok_line, "cloud ", kCameraToken, "\n"),
       "line 2: the token is the one of client 'camera-1' on line 1"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<TokenTable> table = TokenTable::Parse(c.text, kMethods);
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(table.status().message()), StartsWith(c.message))
        << c.text;
    EXPECT_THAT(table.status().message(), Not(HasSubstr(kCameraToken)));
    EXPECT_THAT(table.status().message(), Not(HasSubstr(kCloudToken)));
    EXPECT_THAT(table.status().message(), Not(HasSubstr("short-token")));
  }
}

TEST(TokenTableTest, LoadNamesTheFile) {
  absl::StatusOr<TokenTable> missing =
      TokenTable::Load("/nonexistent/tokens.txt", kMethods);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/tokens.txt"));
}

}  // namespace
}  // namespace vlmc::auth
