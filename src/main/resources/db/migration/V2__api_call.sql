-- The API-call log: one row per call to a vendor's API, bodies masked and truncated before they get here.
-- Written for MySQL 8 / MariaDB 10.6+ and H2 in MODE=MySQL alike.
CREATE TABLE ferry_api_call (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  sync_name     VARCHAR(100),
  run_id        BIGINT,
  system_name   VARCHAR(50) NOT NULL,
  direction     VARCHAR(8) NOT NULL,
  endpoint      VARCHAR(255) NOT NULL,
  http_status   INT NOT NULL,
  vendor_code   VARCHAR(64),
  latency_ms    BIGINT NOT NULL,
  request_body  MEDIUMTEXT,
  response_body MEDIUMTEXT,
  error_message VARCHAR(2000),
  called_at     TIMESTAMP(3) NOT NULL
);
-- the console searches by sync and time; retention deletes by time; a run's calls are looked up by run
CREATE INDEX ferry_api_call_sync_at ON ferry_api_call (sync_name, called_at);
CREATE INDEX ferry_api_call_at ON ferry_api_call (called_at);
CREATE INDEX ferry_api_call_run ON ferry_api_call (run_id);
