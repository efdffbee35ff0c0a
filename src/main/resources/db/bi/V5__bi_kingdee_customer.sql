-- The BI customer table that routes/kingdee-customers-to-mysql.yaml writes (created only when ferry.bi.create-schema=true).
-- Kingdee's customer number (FNumber) is the key; FCUSTID is its inner id. Times are the Kingdee server's local time.
CREATE TABLE bi_kingdee_customer (
  number           VARCHAR(80) NOT NULL PRIMARY KEY,
  customer_id      BIGINT NOT NULL,
  name             VARCHAR(255),
  short_name       VARCHAR(255),
  create_org       VARCHAR(80),
  use_org          VARCHAR(80),
  document_status  VARCHAR(10),
  forbid_status    VARCHAR(10),
  created_at       DATETIME,
  modified         DATETIME NOT NULL,
  synced_at        TIMESTAMP(3) NOT NULL
);
