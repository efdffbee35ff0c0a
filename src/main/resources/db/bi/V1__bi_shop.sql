-- The BI shop table that routes/jst-shops-to-mysql.yaml writes (created only when ferry.bi.create-schema=true).
CREATE TABLE bi_shop (
  shop_id         BIGINT NOT NULL PRIMARY KEY,
  shop_name       VARCHAR(200) NOT NULL,
  co_id           BIGINT,
  shop_site       VARCHAR(50),
  shop_url        VARCHAR(500),
  nick            VARCHAR(200),
  created_at      DATETIME,
  session_expired DATETIME,
  session_uid     VARCHAR(100),
  short_name      VARCHAR(100),
  group_id        BIGINT,
  group_name      VARCHAR(100),
  synced_at       TIMESTAMP(3) NOT NULL
);
