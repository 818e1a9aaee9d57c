#include "service/snapshot_files.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

#include "service/snapshot_format.h"

namespace duban::service {
namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
  return make_error("io_error", what + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `bytes` to `fd`; errno on failure.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

// A whole snapshot file mapped read-only. Snapshots run to gigabytes at national scale: reading
// one into a buffer first zeroed and then copied every page of it, mapping shares the page
// cache's pages instead (start-up from a 1.5 GB snapshot spent about a third of its time on
// that buffer). Snapshot files are never changed in place (write_snapshot_file renames a new
// file over the name), so the mapping cannot shrink under the reader.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot read snapshot", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return io_error("cannot read snapshot", path, err);
    }
    MappedFile file;
    file.size_ = static_cast<std::size_t>(st.st_size);
    if (file.size_ > 0) {
      void* at = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (at == MAP_FAILED) {
        const int err = errno;
        ::close(fd);
        return io_error("cannot map snapshot", path, err);
      }
      file.data_ = static_cast<const char*>(at);
    }
    ::close(fd);
    return file;
  }
  MappedFile(MappedFile&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  MappedFile& operator=(MappedFile&&) = delete;
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view bytes() const { return {data_ ? data_ : "", size_}; }

 private:
  MappedFile() = default;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

std::filesystem::path default_snapshot_dir(std::string_view database) {
  if (database.starts_with("postgres://") || database.starts_with("postgresql://")) return {};
  return std::filesystem::path(std::string(database) + ".snapshots");
}

std::string snapshot_file_name(GlobalPosition position) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020lld", static_cast<long long>(position.value()));
  return std::string(kSnapshotFilePrefix) + digits + std::string(kSnapshotFileSuffix);
}

std::vector<SnapshotFile> list_snapshot_files(const std::filesystem::path& dir) {
  std::vector<SnapshotFile> out;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kSnapshotFilePrefix) || !name.ends_with(kSnapshotFileSuffix)) continue;
    const std::string digits =
        name.substr(kSnapshotFilePrefix.size(),
                    name.size() - kSnapshotFilePrefix.size() - kSnapshotFileSuffix.size());
    std::int64_t position = 0;
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), position);
    if (digits.empty() || err != std::errc() || end != digits.data() + digits.size() ||
        position < 1) {
      continue;
    }
    out.push_back(SnapshotFile{entry.path(), GlobalPosition(position)});
  }
  std::sort(out.begin(), out.end(),
            [](const SnapshotFile& a, const SnapshotFile& b) { return a.position < b.position; });
  return out;
}

Result<std::filesystem::path> write_snapshot_file(const std::filesystem::path& dir,
                                                  const SnapshotInfo& info,
                                                  const projections::ReadModelState& state) {
  const std::string bytes = encode_snapshot(info, state);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create snapshot directory", dir, ec.value());

  const std::filesystem::path final_path = dir / snapshot_file_name(info.position);
  std::string tmp = (dir / (snapshot_file_name(info.position) + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return io_error("cannot create a temporary snapshot file in", dir, errno);
  int err = write_all(fd, bytes);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), final_path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return io_error("cannot write snapshot", final_path, err);
  }
  // The rename is durable only once the directory entry is: sync the directory too.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    const int sync_failed = ::fsync(dir_fd) != 0 ? errno : 0;
    ::close(dir_fd);
    if (sync_failed) return io_error("cannot sync snapshot directory", dir, sync_failed);
  }
  return final_path;
}

Result<Snapshot> read_snapshot_file(const std::filesystem::path& path) {
  auto file = MappedFile::open(path);
  if (!file) return file.error();
  auto snapshot = decode_snapshot(file->bytes());
  if (!snapshot)
    return make_error(snapshot.error().code, path.string() + ": " + snapshot.error().message);
  return snapshot;
}

Result<SnapshotInfo> read_snapshot_info(const std::filesystem::path& path) {
  auto file = MappedFile::open(path);
  if (!file) return file.error();
  auto info = decode_snapshot_info(file->bytes());
  if (!info) return make_error(info.error().code, path.string() + ": " + info.error().message);
  return info;
}

std::vector<std::filesystem::path> prune_snapshot_files(const std::filesystem::path& dir,
                                                        std::size_t keep) {
  std::vector<std::filesystem::path> removed;
  auto files = list_snapshot_files(dir);
  if (files.size() <= keep) return removed;
  for (std::size_t i = 0; i + keep < files.size(); ++i) {
    std::error_code ec;
    if (std::filesystem::remove(files[i].path, ec)) removed.push_back(files[i].path);
  }
  return removed;
}

}  // namespace duban::service
