// Private to storage/: the notifier's side tables beside the log, in portable DDL (SQLite and
// PostgreSQL take it as is): each subscription's checkpoint, and the deliveries given up after
// their last attempt (docs/operations.md, "Notifications").
#pragma once

namespace duban::storage::detail {

inline constexpr const char* kCreateNotifyTables = R"sql(
CREATE TABLE IF NOT EXISTS notification_checkpoints(
  subscription  TEXT PRIMARY KEY,  -- e.g. "notify"
  position      BIGINT NOT NULL,   -- last global position fully handled (delivered or given up)
  updated_at_ms BIGINT NOT NULL    -- ms since the Unix epoch, UTC
);
CREATE TABLE IF NOT EXISTS notification_failures(
  idempotency_key TEXT PRIMARY KEY,  -- "<position>:<recipient>:<channel>"
  position        BIGINT NOT NULL,   -- the event's global position
  recipient       TEXT NOT NULL,     -- the unit id told
  channel         TEXT NOT NULL,     -- the channel's name in the configuration
  attempts        BIGINT NOT NULL,   -- how many deliveries were tried
  last_error      TEXT NOT NULL,     -- the last attempt's failure, without secrets
  failed_at_ms    BIGINT NOT NULL    -- when it was given up, ms since the Unix epoch, UTC
);
)sql";

}  // namespace duban::storage::detail
