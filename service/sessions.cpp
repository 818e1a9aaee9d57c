#include "service/sessions.h"

#include "service/password.h"
#include "storage/token_store.h"

namespace duban::service {
namespace {

Error bad_credentials() {
  return make_error(session_errc::kUnauthorized, "wrong login name or password");
}

Error no_session() {
  return make_error(session_errc::kUnauthorized,
                    "not signed in, or the session ended (expired, signed out or the account "
                    "disabled): sign in again");
}

}  // namespace

void SessionManager::prune(std::deque<Timestamp>& failures, Timestamp now) const {
  while (!failures.empty() && failures.front() + limits_.window <= now) failures.pop_front();
}

Result<SignedIn> SessionManager::fail(const account::AccountState* who, const std::string& address,
                                      Timestamp now) {
  std::optional<account::RecordLockOut> lock;
  {
    std::lock_guard guard(mutex_);
    failures_by_address_[address].push_back(now);
    if (who) {
      auto& mine = failures_by_account_[who->id.str()];
      mine.push_back(now);
      if (static_cast<int>(mine.size()) >= limits_.max_failures) {
        lock = account::RecordLockOut{who->id, address, static_cast<int>(mine.size()),
                                      now + limits_.lockout};
        mine.clear();
      }
    }
  }
  if (lock) {
    const CommandId id("signin-lockout:" + lock->account.str() + "@" +
                       std::to_string(to_millis(now)));
    auto recorded = accounts_.execute(*lock, task::Actor::system(), id);
    if (!recorded) return recorded.error();
    return make_error(session_errc::kLockedOut,
                      "too many failed sign-ins: this account is locked for " +
                          std::to_string(limits_.lockout.count() / 1000) +
                          " s (an administrator's reset-password lifts it)");
  }
  return bad_credentials();
}

Result<SignedIn> SessionManager::sign_in(std::string_view login, std::string_view password,
                                         const std::string& address) {
  const Timestamp now = clock_.now();
  {
    std::lock_guard guard(mutex_);
    auto& mine = failures_by_address_[address];
    prune(mine, now);
    if (static_cast<int>(mine.size()) >= limits_.max_failures_per_address) {
      return make_error(session_errc::kRateLimited,
                        "too many failed sign-ins from this address: try again later");
    }
    if (mine.empty()) failures_by_address_.erase(address);
  }
  if (auto caught = accounts_.refresh(); !caught) return caught.error();
  auto who = accounts_.account(account::AccountId(std::string(login)));
  if (who && who->locked_until > now) {
    return make_error(session_errc::kLockedOut,
                      "too many failed sign-ins: this account is locked for a while (an "
                      "administrator's reset-password lifts it)");
  }
  if (who) {
    std::lock_guard guard(mutex_);
    prune(failures_by_account_[who->id.str()], now);
  }
  // Verify even without an account, so timing does not tell which logins exist.
  static const std::string kDummy = *hash_password("duban-no-such-account");
  const bool ok = verify_password(password, who ? who->password_hash : kDummy);
  if (!who || !ok || who->disabled) return fail(who ? &*who : nullptr, address, now);

  SignedIn out{storage::new_token_text(), *who, now + limits_.absolute};
  std::lock_guard guard(mutex_);
  // Sessions nobody resolves again would stay forever: drop the expired ones now and then.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const bool expired =
        it->second.last_used + limits_.idle <= now || it->second.created + limits_.absolute <= now;
    it = expired ? sessions_.erase(it) : std::next(it);
  }
  failures_by_account_.erase(who->id.str());
  sessions_[storage::token_hash(out.secret)] = Session{who->id, now, now};
  return out;
}

SessionManager::Session* SessionManager::find_live(const std::string& key, Timestamp now) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return nullptr;
  if (it->second.last_used + limits_.idle <= now || it->second.created + limits_.absolute <= now) {
    sessions_.erase(it);
    return nullptr;
  }
  return &it->second;
}

Result<account::AccountState> SessionManager::lookup(std::string_view secret, bool touch) {
  if (secret.empty()) return no_session();
  const Timestamp now = clock_.now();
  const std::string key = storage::token_hash(secret);
  account::AccountId id;
  {
    std::lock_guard guard(mutex_);
    Session* s = find_live(key, now);
    if (!s) return no_session();
    if (touch) s->last_used = now;
    id = s->account;
  }
  // The log decides whether the account may still act (another node may have disabled it): read
  // when it moved (AccountService::refresh_if_moved()).
  if (auto caught = accounts_.refresh_if_moved(); !caught) return caught.error();
  auto who = accounts_.account(id);
  if (!who || who->disabled) {
    std::lock_guard guard(mutex_);
    sessions_.erase(key);
    return no_session();
  }
  return *who;
}

Result<account::AccountState> SessionManager::resolve(std::string_view secret) {
  return lookup(secret, true);
}

Result<account::AccountState> SessionManager::check(std::string_view secret) {
  return lookup(secret, false);
}

bool SessionManager::sign_out(std::string_view secret) {
  std::lock_guard guard(mutex_);
  const bool ended = sessions_.erase(storage::token_hash(secret)) > 0;
  if (ended) ended_.fetch_add(1);
  return ended;
}

int SessionManager::end_sessions_of(const account::AccountId& id) {
  std::lock_guard guard(mutex_);
  int n = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.account == id) {
      it = sessions_.erase(it);
      ++n;
      ended_.fetch_add(1);
    } else {
      ++it;
    }
  }
  return n;
}

int SessionManager::open_sessions_of(const account::AccountId& id) {
  std::lock_guard guard(mutex_);
  int n = 0;
  for (const auto& [key, s] : sessions_) n += s.account == id ? 1 : 0;
  return n;
}

}  // namespace duban::service
