-- The vendor calls of every Ferry process on this database, when ferry.budgets.shared is on (docs/scaling.md): one
-- row per vendor budget (an app key), locked while a call is admitted, and one row per call of the last minute or two
-- (its start and end in ms of the process's clock; no end while it is in flight). Old rows are deleted as calls are
-- admitted.
CREATE TABLE ferry_call_budget (
  budget     VARCHAR(200) NOT NULL,
  created_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (budget)
);

CREATE TABLE ferry_budget_call (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  budget     VARCHAR(200) NOT NULL,
  node       VARCHAR(100) NOT NULL,
  started_ms BIGINT NOT NULL,
  ended_ms   BIGINT
);

CREATE INDEX ferry_budget_call_budget ON ferry_budget_call (budget, ended_ms);
