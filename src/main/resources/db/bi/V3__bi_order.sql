-- The BI order tables that routes/jst-orders-to-mysql.yaml writes (created only when ferry.bi.create-schema=true).
-- V3, not V2: V2 is left free for another BI table being added beside this one.
CREATE TABLE bi_order (
  o_id        BIGINT NOT NULL PRIMARY KEY,
  so_id       VARCHAR(100),
  shop_id     BIGINT,
  status      VARCHAR(50),
  order_date  DATETIME,
  modified    DATETIME NOT NULL,
  pay_amount  DECIMAL(14, 2),
  freight     DECIMAL(14, 2),
  synced_at   TIMESTAMP(3) NOT NULL
);

-- An order's items: replaced as a whole when the order changes (the sink deletes and inserts in one transaction).
CREATE TABLE bi_order_item (
  o_id    BIGINT NOT NULL,
  oi_id   BIGINT NOT NULL,
  sku_id  VARCHAR(100),
  name    VARCHAR(200),
  qty     INT,
  price   DECIMAL(14, 2),
  amount  DECIMAL(14, 2),
  PRIMARY KEY (o_id, oi_id)
);
