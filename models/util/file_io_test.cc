#include "models/util/file_io.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace vlmc::util {
namespace {

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "vlmc_file_io_XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    for (const char* name : {"/a.bin", "/a.bin.tmp", "/empty", "/big"}) {
      ::unlink((dir_ + name).c_str());
    }
    ::rmdir((dir_ + "/sub").c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(FileIoTest, WriteThenReadRoundTrip) {
  std::string data;
  for (int i = 0; i < 300000; ++i) data.push_back(static_cast<char>(i * 31));
  const std::string path = dir_ + "/a.bin";
  ASSERT_TRUE(WriteFileAtomically(path, data).ok());
  EXPECT_NE(::access((path + ".tmp").c_str(), F_OK), 0) << "tmp file left";
  absl::StatusOr<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, data);

  // Overwriting replaces the contents.
  ASSERT_TRUE(WriteFileAtomically(path, "short").ok());
  read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "short");
}

TEST_F(FileIoTest, EmptyFile) {
  const std::string path = dir_ + "/empty";
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  absl::StatusOr<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "");
}

TEST_F(FileIoTest, MissingFileIsNotFound) {
  const std::string path = dir_ + "/does_not_exist";
  absl::StatusOr<std::string> read = ReadFile(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(read.status().message().find(path), absl::string_view::npos);
  EXPECT_EQ(Sha256File(path).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FileIoTest, TooLargeIsInvalidArgument) {
  const std::string path = dir_ + "/big";
  ASSERT_TRUE(WriteFileAtomically(path, std::string(101, 'x')).ok());
  EXPECT_TRUE(ReadFile(path, 101).ok());
  absl::StatusOr<std::string> read = ReadFile(path, 100);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find(path), absl::string_view::npos);
}

TEST_F(FileIoTest, DirectoryIsRejected) {
  const std::string sub = dir_ + "/sub";
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  EXPECT_EQ(ReadFile(sub).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Sha256File(sub).ok());
  // Cannot rename a file over a directory: the error surfaces, no tmp remains.
  EXPECT_FALSE(WriteFileAtomically(sub, "x").ok());
  EXPECT_NE(::access((sub + ".tmp").c_str(), F_OK), 0);
}

TEST_F(FileIoTest, WriteIntoMissingDirectoryFails) {
  EXPECT_FALSE(WriteFileAtomically(dir_ + "/no/such/dir/file", "x").ok());
}

TEST_F(FileIoTest, Sha256FileMatchesInMemoryHash) {
  std::string data(200000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  const std::string path = dir_ + "/a.bin";
  ASSERT_TRUE(WriteFileAtomically(path, data).ok());
  absl::StatusOr<Sha256Digest> digest = Sha256File(path);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, Sha256(data));
}

}  // namespace
}  // namespace vlmc::util
