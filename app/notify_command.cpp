// `duban notify --db PATH --notify FILE [--once]`: the notifier (notify/notifier.h). Reads the
// log after its checkpoint, tells the units concerned through the configured channels, and
// advances the checkpoint; without --once it keeps waiting for new events until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <thread>

#include "app/commands.h"
#include "app/database.h"
#include "notify/config.h"
#include "notify/notifier.h"
#include "platform/system_clock.h"
#include "storage/notify_state_store.h"

namespace duban::app {
namespace po = boost::program_options;

int run_notify(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "digest")
    return run_notify_digest(argc - 1, argv + 1);
  po::options_description visible(
      "usage: duban notify --notify FILE [options]\n\n"
      "Tells the units concerned of task events (交办, 催办, 退办, 临期, 逾期, 延期, 办结, "
      "报送进展)\n"
      "through the channels of FILE (signed webhook, e-mail, WeCom/DingTalk robots), at least\n"
      "once: each message carries the idempotency key <position>:<recipient>:<channel>,\n"
      "failed deliveries are retried with\n"
      "exponential back-off, and one given up after the last try is recorded in the table\n"
      "notification_failures. The checkpoint is kept beside the log (docs/operations.md,\n"
      "\"Notifications\", describes FILE).\n\noptions");
  std::string db = kDefaultDatabase;
  std::string file;
  int poll_ms = 500;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_write).c_str())(
      "notify", po::value(&file), "the notification configuration (key = value lines)")(
      "once", "deliver what is due now and exit, instead of waiting for new events")(
      "poll-ms", po::value(&poll_ms)->default_value(poll_ms),
      "how often to look for events other processes appended");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban notify: " << e.what() << "\n(see duban notify --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nWith digest.time in FILE it also sends each unit a daily digest (督办日报); "
                 "`duban notify digest --help` prints one without sending it.\n"
              << "\nexamples:\n  duban notify --db duban.db --notify notify.conf\n"
                 "  duban notify --db duban.db --notify notify.conf --once\n";
    return kExitOk;
  }
  if (file.empty()) {
    std::cerr << "duban notify: --notify FILE is required (see duban notify --help)\n";
    return kExitUsage;
  }
  if (poll_ms < 10) {
    std::cerr << "duban notify: --poll-ms must be at least 10\n";
    return kExitUsage;
  }
  auto config = notify::load_notify_config(file);
  if (!config) {
    std::cerr << "duban notify: " << config.error().message << "\n";
    return kExitUsage;
  }

  // SIGINT/SIGTERM stop the loop after the attempt in flight (the checkpoint is durable, so a
  // hard kill only means some messages are sent again). Blocked before any thread starts (the
  // stores start theirs), so that only the waiter below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  if (!vm.count("once")) pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  platform::SystemClock clock;
  auto store = storage::open_event_store(db, storage::StoreAccess::read_write, clock);
  if (!store) {
    std::cerr << "duban notify: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto state = storage::open_notify_state_store(db);
  if (!state) {
    std::cerr << "duban notify: " << state.error().message << "\n";
    return kExitFailure;
  }
  notify::ThreadSleeper sleeper;
  const auto channel_count = config->channels.size();
  notify::Notifier notifier(**store, **state, *config, notify::make_channels(*config), clock,
                            sleeper);
  notifier.on_outcome(
      [](const notify::Notification& n, const notify::DeliveryOutcome& outcome, int attempts) {
        if (outcome.delivered) {
          std::cout << "delivered " << n.key << " (" << n.event_type << ", attempt " << attempts
                    << ")" << std::endl;
        } else {
          std::cerr << "gave up " << n.key << " after " << attempts
                    << " attempts: " << outcome.error << std::endl;
        }
      });
  auto checkpoint = (*state)->checkpoint(notify::kSubscription);
  if (!checkpoint) {
    std::cerr << "duban notify: " << checkpoint.error().message << "\n";
    return kExitFailure;
  }
  std::cout << "notify: " << channel_count << " channel(s); from checkpoint " << checkpoint->value()
            << (vm.count("once") ? "" : ", waiting for events") << std::endl;

  Result<notify::NotifierStats> outcome = notify::NotifierStats{};
  if (vm.count("once")) {
    outcome = notifier.run_once();
  } else {
    std::thread waiter([&] {
      int received = 0;
      sigwait(&signals, &received);
      notifier.stop();
      sleeper.interrupt();
    });
    outcome = notifier.run(std::chrono::milliseconds(poll_ms));
    pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if nothing else did
    waiter.join();
  }
  if (!outcome) {
    std::cerr << "duban notify: " << outcome.error().code << ": " << outcome.error().message
              << "\n  the checkpoint stays before the failure; run again to continue\n";
    return kExitFailure;
  }
  std::cout << "notify: " << outcome->events << " events read, " << outcome->delivered
            << " delivered, " << outcome->given_up << " given up (notification_failures); "
            << "checkpoint " << outcome->checkpoint.value() << std::endl;
  return kExitOk;
}

}  // namespace duban::app
