#include "models/util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace vlmc::util {
namespace {

constexpr size_t kChunkBytes = 1 << 16;

absl::Status ErrnoStatus(int err, absl::string_view what,
                         const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(what, " '", path, "'"));
}

// Owns a POSIX file descriptor; closes it on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so the caller can see close() errors (e.g. delayed writes).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

absl::StatusOr<int> OpenForReading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoStatus(err, "cannot stat", path);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("'", path, "' is a directory, not a file"));
  }
  return fd;
}

// read() that retries on EINTR. Returns bytes read, 0 at EOF, -1 on error.
ssize_t ReadSome(int fd, char* buf, size_t n) {
  ssize_t got;
  do {
    got = ::read(fd, buf, n);
  } while (got < 0 && errno == EINTR);
  return got;
}

absl::Status WriteAll(int fd, absl::string_view bytes,
                      const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t put = ::write(fd, bytes.data(), bytes.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     uint64_t max_bytes) {
  absl::StatusOr<int> opened = OpenForReading(path);
  if (!opened.ok()) return opened.status();
  Fd fd(*opened);

  auto too_large = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "file '", path, "' is larger than the limit of ", max_bytes, " bytes"));
  };
  struct stat st;
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_large();
  }

  // Read in chunks rather than trusting st_size: the file may change under us
  // or be a pipe whose size is unknown.
  std::string out;
  char buf[kChunkBytes];
  for (;;) {
    const ssize_t got = ReadSome(fd.get(), buf, sizeof(buf));
    if (got < 0) return ErrnoStatus(errno, "cannot read", path);
    if (got == 0) break;
    if (static_cast<uint64_t>(got) > max_bytes - out.size()) return too_large();
    out.append(buf, static_cast<size_t>(got));
  }
  return out;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view bytes) {
  const std::string tmp = path + ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return ErrnoStatus(errno, "cannot create", tmp);

  absl::Status status = WriteAll(fd.get(), bytes, tmp);
  // fsync before rename: otherwise a crash can leave an empty file at `path`.
  if (status.ok() && ::fsync(fd.get()) != 0) {
    status = ErrnoStatus(errno, "cannot fsync", tmp);
  }
  if (fd.Close() != 0 && status.ok()) {
    status = ErrnoStatus(errno, "cannot close", tmp);
  }
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status =
        ErrnoStatus(errno, absl::StrCat("cannot rename '", tmp, "' to"), path);
  }
  if (!status.ok()) ::unlink(tmp.c_str());
  return status;
}

absl::StatusOr<Sha256Digest> Sha256File(const std::string& path) {
  absl::StatusOr<int> opened = OpenForReading(path);
  if (!opened.ok()) return opened.status();
  Fd fd(*opened);

  Sha256Hasher hasher;
  char buf[kChunkBytes];
  for (;;) {
    const ssize_t got = ReadSome(fd.get(), buf, sizeof(buf));
    if (got < 0) return ErrnoStatus(errno, "cannot read", path);
    if (got == 0) break;
    hasher.Update(absl::string_view(buf, static_cast<size_t>(got)));
  }
  return hasher.Finish();
}

}  // namespace vlmc::util
