-- Every state-changing call of the REST API and every one it refused (403, 409): when, who (a user's or a token's
-- name), with which role, what and on what, from which client address, and how it ended. It names only tables of
-- V1 and no other migration's, so it applies before or after any of them.
CREATE TABLE ferry_audit (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  at          TIMESTAMP(3) NOT NULL,
  actor       VARCHAR(100) NOT NULL,
  actor_kind  VARCHAR(8) NOT NULL,
  role        VARCHAR(16) NOT NULL,
  action      VARCHAR(64) NOT NULL,
  target      VARCHAR(500),
  client      VARCHAR(100),
  result      VARCHAR(16) NOT NULL,
  detail      VARCHAR(2000)
);
CREATE INDEX ferry_audit_at ON ferry_audit (at);
