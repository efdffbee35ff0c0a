-- Where a whole scan (a sync without an offset) stopped when its run failed: the next run starts at that page,
-- reads to the source's end, then the pages before it. Deleted when a run completes its scan.
CREATE TABLE ferry_scan_position (
  sync_name  VARCHAR(100) NOT NULL,
  page       INT NOT NULL,
  run_id     BIGINT,
  updated_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (sync_name)
);
