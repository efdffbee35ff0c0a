-- The BI trade tables that routes/wdt-trades-to-mysql.yaml writes (created only when ferry.bi.create-schema=true).
CREATE TABLE bi_trade (
  trade_id      BIGINT NOT NULL PRIMARY KEY,
  trade_no      VARCHAR(100),
  shop_no       VARCHAR(50),
  trade_status  INT,
  trade_time    DATETIME,
  modified      DATETIME NOT NULL,
  synced_at     TIMESTAMP(3) NOT NULL
);

-- A trade's lines: replaced as a whole when the trade changes (the sink deletes and inserts in one transaction).
CREATE TABLE bi_trade_line (
  trade_id    BIGINT NOT NULL,
  rec_id      BIGINT NOT NULL,
  spec_no     VARCHAR(100),
  goods_name  VARCHAR(200),
  num         INT,
  price       DECIMAL(14, 2),
  PRIMARY KEY (trade_id, rec_id)
);
