#include "service/token_service.h"

#include <algorithm>
#include <tuple>
#include <variant>

#include "model/task/error_codes.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {
namespace {

constexpr std::string_view kLegacyPrefix = "legacy-";

Error unauthorized(std::string message) {
  return make_error("unauthorized", std::move(message));
}

std::string legacy_id(const std::string& hash) {
  return std::string(kLegacyPrefix) + hash.substr(0, 16);
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

AccountGrant grant_of_account(const account::AccountState& account) {
  return AccountGrant{account.is_office() ? storage::TokenGrant::supervisor()
                                          : storage::TokenGrant::of_unit(account.unit),
                      account::actor_for(account)};
}

TokenService::TokenService(storage::EventStore& store, const Clock& clock,
                           storage::TokenStore* legacy, AccountService* accounts)
    : store_(store),
      clock_(clock),
      legacy_(legacy),
      accounts_(accounts),
      family_(store, std::string(account::kTokenStreamPrefix),
              [this](std::vector<FamilyEvent>& found) { return fold(found); }) {}

void TokenService::observe(GlobalPosition head) {
  family_.observe(head);
  if (accounts_) accounts_->observe(head);
}

std::optional<Error> TokenService::fold(std::vector<FamilyEvent>& found) {
  std::unique_lock write(mutex_);
  for (FamilyEvent& f : found) {
    const std::string& id = f.id;
    if (auto* issued = std::get_if<account::TokenIssued>(&f.event)) {
      TokenInfo& t = tokens_[id];
      t.id = id;
      t.name = issued->name;
      t.scope = issued->scope;
      t.unit = issued->unit;
      t.account = issued->account;
      t.secret_hash = issued->secret_hash;
      t.expires_at = issued->expires_at;
      t.issued_at = issued->issued_at;
      by_hash_[t.secret_hash] = id;
    } else if (auto* revoked = std::get_if<account::TokenRevoked>(&f.event)) {
      revocations_.fetch_add(1);
      TokenInfo& t = tokens_[id];
      t.id = id;
      t.revoked = true;
      t.revoked_at = revoked->at;
      t.revoke_reason = revoked->reason;
    }
  }
  return std::nullopt;
}

std::vector<TokenInfo> TokenService::tokens() const {
  std::vector<TokenInfo> out;
  {
    std::shared_lock read(mutex_);
    for (const auto& [id, t] : tokens_) out.push_back(t);
  }
  // Oldest first; tokens issued in the same millisecond by name, then id, so the order never
  // depends on the map's (random) ids.
  std::sort(out.begin(), out.end(), [](const TokenInfo& a, const TokenInfo& b) {
    return std::tie(a.issued_at, a.name, a.id) < std::tie(b.issued_at, b.name, b.id);
  });
  return out;
}

std::optional<TokenInfo> TokenService::by_hash(const std::string& hash) const {
  std::shared_lock read(mutex_);
  if (auto it = by_hash_.find(hash); it != by_hash_.end()) return tokens_.at(it->second);
  if (auto it = tokens_.find(legacy_id(hash)); it != tokens_.end()) return it->second;
  return std::nullopt;
}

std::optional<TokenInfo> TokenService::by_id_or_name(std::string_view which, Timestamp now) const {
  std::shared_lock read(mutex_);
  if (auto it = tokens_.find(std::string(which)); it != tokens_.end()) return it->second;
  // A name: the live token that has it, else the latest one that had it.
  std::optional<TokenInfo> latest;
  for (const auto& [id, t] : tokens_) {
    if (t.name != which) continue;
    if (t.live(now)) return t;
    if (!latest || latest->issued_at < t.issued_at) latest = t;
  }
  return latest;
}

Result<IssuedToken> TokenService::issue(const IssueToken& request, const task::Actor& actor) {
  const bool own_account = actor.is_person() && request.scope == account::TokenScope::kAccount &&
                           request.account == actor.person;
  if (actor.kind != task::Actor::Kind::kSupervisor && !own_account) {
    return make_error(task::errc::kForbidden,
                      "only the supervising office issues API tokens; a signed-in person may "
                      "issue one scoped to their own account");
  }
  if (!valid_name(request.name)) {
    return make_error(task::errc::kInvalidCommand,
                      "a token needs a name of 1 to 64 characters, without control characters");
  }
  if (request.scope == account::TokenScope::kUnit && request.unit.empty()) {
    return make_error(task::errc::kInvalidCommand, "a unit token needs a unit id");
  }
  if (request.scope == account::TokenScope::kAccount && request.account.empty()) {
    return make_error(task::errc::kInvalidCommand, "an account token needs an account");
  }
  std::lock_guard one(execute_mutex_);
  const Timestamp now = clock_.now();
  if (request.expires_at != Timestamp{} && request.expires_at <= now) {
    return make_error(task::errc::kInvalidCommand, "the expiry is in the past");
  }
  if (request.scope == account::TokenScope::kAccount) {
    if (!accounts_) return make_error(task::errc::kNotFound, "no accounts to scope a token to");
    if (auto caught = accounts_->refresh(); !caught) return caught.error();
    auto who = accounts_->account(request.account);
    if (!who) {
      return make_error(task::errc::kNotFound, "no account '" + request.account.str() + "'");
    }
    if (who->disabled) {
      return make_error(task::errc::kIllegalTransition,
                        "account '" + request.account.str() + "' is disabled");
    }
  }
  if (auto caught = refresh(); !caught) return caught.error();
  {
    std::shared_lock read(mutex_);
    for (const auto& [id, t] : tokens_) {
      if (t.name == request.name && t.live(now)) {
        return make_error(task::errc::kAlreadyExists,
                          "a live token is already named '" + request.name + "' (" + id +
                              "): revoke it first or choose another name");
      }
    }
  }
  IssuedToken out;
  out.secret = storage::new_token_text();
  account::TokenIssued e;
  e.token = "tok-" + storage::token_hash(storage::new_token_text()).substr(0, 12);
  e.name = request.name;
  e.scope = request.scope;
  if (e.scope == account::TokenScope::kUnit) e.unit = request.unit;
  if (e.scope == account::TokenScope::kAccount) e.account = request.account;
  e.secret_hash = storage::token_hash(out.secret);
  e.expires_at = request.expires_at;
  e.issued_at = now;
  const std::string stream = account::token_stream_id(e.token);
  const std::vector<storage::NewEvent> encoded{storage::encode_event(task::Event(e), actor)};
  auto appended = store_.append(stream, storage::ExpectedVersion::no_stream(), encoded,
                                CommandId("token-issue:" + e.token));
  if (!appended) return appended.error();
  if (auto caught = refresh(); !caught) return caught.error();
  std::shared_lock read(mutex_);
  out.info = tokens_.at(e.token);
  return out;
}

Result<TokenInfo> TokenService::revoke(std::string_view which, const std::string& reason,
                                       const task::Actor& actor) {
  if (actor.kind != task::Actor::Kind::kSupervisor) {
    return make_error(task::errc::kForbidden, "only the supervising office revokes API tokens");
  }
  std::lock_guard one(execute_mutex_);
  if (auto caught = refresh(); !caught) return caught.error();
  const Timestamp now = clock_.now();
  std::optional<TokenInfo> target;
  if (which.rfind("dbn_", 0) == 0) {
    // The token text: a token of the log, or a legacy one of the table.
    const std::string hash = storage::token_hash(which);
    target = by_hash(hash);
    if (!target && legacy_) {
      auto found = legacy_->find(which);
      if (!found) return found.error();
      if (*found) {
        target = TokenInfo{};
        target->id = legacy_id(hash);
        target->secret_hash = hash;
      }
    }
  } else {
    target = by_id_or_name(which, now);
  }
  if (!target) {
    return make_error(task::errc::kNotFound, "no token with id or name '" + std::string(which) +
                                                 "' (`duban token list` lists them)");
  }
  if (target->revoked) {
    return make_error(task::errc::kIllegalTransition,
                      "token " + target->id + " is already revoked");
  }
  const std::string stream = account::token_stream_id(target->id);
  const auto expected = target->legacy() ? storage::ExpectedVersion::no_stream()
                                         : storage::ExpectedVersion::exactly(StreamVersion(1));
  const std::vector<storage::NewEvent> encoded{
      storage::encode_event(task::Event(account::TokenRevoked{reason, now}), actor)};
  auto appended = store_.append(stream, expected, encoded, CommandId("token-revoke:" + target->id));
  if (!appended) return appended.error();
  if (auto caught = refresh(); !caught) return caught.error();
  std::shared_lock read(mutex_);
  return tokens_.at(target->id);
}

Result<TokenCheck> TokenService::check(std::string_view secret) {
  if (auto caught = family_.catch_up_if_moved(); !caught) return caught.error();
  const Timestamp now = clock_.now();
  const std::string hash = storage::token_hash(secret);
  auto t = by_hash(hash);
  if (!t) {
    // Perhaps issued a moment ago by another process (`duban token create` next to the server):
    // read the log before calling it unknown.
    if (auto caught = refresh(); !caught) return caught.error();
    t = by_hash(hash);
  }
  if (t && t->revoked) {
    return unauthorized("this token was revoked" +
                        (t->revoke_reason.empty() ? std::string() : " (" + t->revoke_reason + ")") +
                        ": ask the supervising office for a new one");
  }
  if (t && !t->legacy()) {
    if (t->expired(now)) {
      return unauthorized("this token (" + t->name +
                          ") has expired: ask the supervising office for a new one");
    }
    TokenCheck out{{}, "token:" + t->name, std::nullopt};
    switch (t->scope) {
      case account::TokenScope::kOffice:
        out.grant = storage::TokenGrant::supervisor();
        break;
      case account::TokenScope::kUnit:
        out.grant = storage::TokenGrant::of_unit(t->unit);
        break;
      case account::TokenScope::kAccount: {
        std::optional<account::AccountState> who;
        if (accounts_) {
          if (auto caught = accounts_->refresh_if_moved(); !caught) return caught.error();
          who = accounts_->account(t->account);
        }
        if (!who || who->disabled) {
          return unauthorized("this token's account (" + t->account.str() + ") is disabled");
        }
        AccountGrant g = grant_of_account(*who);
        out.grant = std::move(g.grant);
        out.person = std::move(g.person);
        break;
      }
    }
    return out;
  }
  if (legacy_) {
    auto found = legacy_->find(secret);
    if (!found) return found.error();
    if (*found) return TokenCheck{**found, storage::to_string(**found), std::nullopt};
  }
  return unauthorized(
      "unknown token: ask the supervising office for one (`duban token create --name N ...`)");
}

Result<std::string> TokenService::create(const storage::TokenGrant& grant, Timestamp now) {
  if (!legacy_) {
    return storage::store_error(storage::StoreErrc::invalid_argument, "no token table");
  }
  return legacy_->create(grant, now);
}

Result<std::optional<storage::TokenGrant>> TokenService::find(std::string_view token) {
  auto checked = check(token);
  if (!checked) {
    if (checked.error().code == "unauthorized" &&
        checked.error().message.rfind("unknown token", 0) == 0) {
      return std::optional<storage::TokenGrant>();
    }
    return checked.error();
  }
  return std::optional<storage::TokenGrant>(checked->grant);
}

}  // namespace duban::service
