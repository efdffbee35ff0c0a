-- The BI order table that routes/jsonapi-orders-to-mysql.yaml writes (created only when ferry.bi.create-schema=true).
CREATE TABLE bi_api_order (
  order_no    VARCHAR(40) NOT NULL PRIMARY KEY,
  source_id   BIGINT,
  customer    VARCHAR(200) NOT NULL,
  amount      DECIMAL(14,2) NOT NULL,
  currency    CHAR(3) NOT NULL,
  status      VARCHAR(20),
  created_at  DATETIME,
  synced_at   TIMESTAMP(3) NOT NULL
);
