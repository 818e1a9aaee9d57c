// SqliteEventStore's writers' lock and the shared_with_other_writers() capability it backs: a
// default read-write open and a read-only open are shared; an exclusive open is not, answers
// the head from memory, and is enforced both ways (no exclusive open beside another writer, no
// writer beside an exclusive one, in this process or another: the crash writer's binary);
// read-only opens still work beside it, and closing it frees the file for other writers.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "model/time.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace duban::storage {
namespace {

class SqliteWriterLockTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<SqliteEventStore>> open(
      bool exclusive, SqliteOptions::Mode mode = SqliteOptions::Mode::read_write) {
    return SqliteEventStore::open({.path = path_, .mode = mode, .exclusive = exclusive}, clock_);
  }
  static void append_one(EventStore& store, const std::string& id) {
    std::vector<NewEvent> events{NewEvent{"Tick", 1, "payload " + id, "tester"}};
    auto r = store.append("lock/" + id, ExpectedVersion::any(), events, CommandId(id));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  duban::testing::TempDir dir_;
  std::string path_ = dir_.file("events.db");
  FixedClock clock_{from_millis(1'767'312'000'000)};
};

TEST_F(SqliteWriterLockTest, DefaultReadWriteAndReadOnlyOpensAreShared) {
  auto writer = open(false);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  EXPECT_TRUE((*writer)->shared_with_other_writers());
  auto second_writer = open(false);
  ASSERT_TRUE(second_writer.ok()) << second_writer.error().message;
  EXPECT_TRUE((*second_writer)->shared_with_other_writers());
  auto reader = open(false, SqliteOptions::Mode::read_only);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_TRUE((*reader)->shared_with_other_writers());
}

TEST_F(SqliteWriterLockTest, ExclusiveOpenIsNotSharedAndKnowsTheHeadFromMemory) {
  auto store = open(true);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_FALSE((*store)->shared_with_other_writers());
  EXPECT_EQ((*store)->wait_for_position(GlobalPosition(0), std::chrono::milliseconds(0)),
            GlobalPosition(0));
  for (int i = 0; i < 3; ++i) append_one(**store, "c" + std::to_string(i));
  auto head = (*store)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(3));
  EXPECT_EQ((*store)->wait_for_position(GlobalPosition(0), std::chrono::milliseconds(0)),
            head->position);
}

TEST_F(SqliteWriterLockTest, ExclusiveOpenIsRefusedWhileAnotherWriterHasTheFileOpen) {
  auto writer = open(false);
  ASSERT_TRUE(writer.ok());
  auto exclusive = open(true);
  ASSERT_FALSE(exclusive.ok());
  EXPECT_EQ(exclusive.error().code, "busy") << exclusive.error().message;
  writer->reset();
  EXPECT_TRUE(open(true).ok()) << "the closed writer released its lock";
}

TEST_F(SqliteWriterLockTest, WritersAreRefusedWhileAnExclusiveStoreIsOpenButReadersAreNot) {
  auto exclusive = open(true);
  ASSERT_TRUE(exclusive.ok());
  append_one(**exclusive, "first");

  auto writer = open(false);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.error().code, "busy");
  EXPECT_NE(writer.error().message.find("exclusively"), std::string::npos)
      << writer.error().message;
  auto second_exclusive = open(true);
  ASSERT_FALSE(second_exclusive.ok());
  EXPECT_EQ(second_exclusive.error().code, "busy");

  auto reader = open(false, SqliteOptions::Mode::read_only);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto head = (*reader)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(1));

  exclusive->reset();
  auto after = open(false);
  ASSERT_TRUE(after.ok()) << after.error().message;
  append_one(**after, "second");
}

TEST_F(SqliteWriterLockTest, AnotherProcessCannotOpenTheFileForWritingWhileItIsExclusive) {
  auto exclusive = open(true);
  ASSERT_TRUE(exclusive.ok());
  // The crash test's writer opens the file read-write and appends until killed; here its open
  // must fail (exit status 1) at once.
  std::string exe = DUBAN_STORE_CRASH_WRITER;
  std::string threads = "1";
  std::vector<char*> argv{exe.data(), path_.data(), threads.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  pid_t done = 0;
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "the other process opened the exclusive store for writing";
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  auto head = (*exclusive)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->position, GlobalPosition(0)) << "nothing was appended behind its back";
}

TEST_F(SqliteWriterLockTest, AnExclusiveReadOnlyOpenIsInvalid) {
  auto first = open(false);  // creates the file
  ASSERT_TRUE(first.ok());
  auto store = open(true, SqliteOptions::Mode::read_only);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "invalid_argument");
}

}  // namespace
}  // namespace duban::storage
