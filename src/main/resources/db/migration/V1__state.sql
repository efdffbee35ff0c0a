-- Ferry's own state. Written for MySQL 8 / MariaDB 10.6+ and H2 in MODE=MySQL alike.

-- The idempotent repository: a key is here only after the target confirmed its row.
CREATE TABLE ferry_synced_key (
  sync_name    VARCHAR(100) NOT NULL,
  record_key   VARCHAR(191) NOT NULL,
  content_hash CHAR(40),
  target_ref   VARCHAR(191),
  run_id       BIGINT,
  synced_at    TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (sync_name, record_key)
);

-- Incremental cursors; moved only past records that were delivered or dead-lettered.
CREATE TABLE ferry_offset (
  sync_name    VARCHAR(100) NOT NULL,
  offset_value VARCHAR(255) NOT NULL,
  run_id       BIGINT,
  updated_at   TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (sync_name)
);

CREATE TABLE ferry_run (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  sync_name     VARCHAR(100) NOT NULL,
  node          VARCHAR(100),
  started_at    TIMESTAMP(3) NOT NULL,
  ended_at      TIMESTAMP(3) NULL,
  status        VARCHAR(16) NOT NULL,
  pages         INT NOT NULL DEFAULT 0,
  read_count    INT NOT NULL DEFAULT 0,
  skipped_count INT NOT NULL DEFAULT 0,
  written_count INT NOT NULL DEFAULT 0,
  failed_count  INT NOT NULL DEFAULT 0,
  error_message VARCHAR(2000)
);
CREATE INDEX ferry_run_sync_started ON ferry_run (sync_name, started_at);

CREATE TABLE ferry_dead_letter (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  sync_name       VARCHAR(100) NOT NULL,
  run_id          BIGINT,
  record_key      VARCHAR(191),
  stage           VARCHAR(16) NOT NULL,
  payload         MEDIUMTEXT,
  payload_hash    CHAR(40),
  error_class     VARCHAR(255),
  error_message   VARCHAR(4000),
  attempts        INT NOT NULL DEFAULT 1,
  first_failed_at TIMESTAMP(3) NOT NULL,
  last_failed_at  TIMESTAMP(3) NOT NULL,
  status          VARCHAR(16) NOT NULL DEFAULT 'open',
  resolution      VARCHAR(1000)
);
CREATE INDEX ferry_dead_letter_sync_status ON ferry_dead_letter (sync_name, status);
CREATE INDEX ferry_dead_letter_key ON ferry_dead_letter (sync_name, record_key);
CREATE INDEX ferry_dead_letter_payload ON ferry_dead_letter (sync_name, payload_hash);
