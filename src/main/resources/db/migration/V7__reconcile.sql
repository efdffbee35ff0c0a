-- Records a reconcile's --repair re-queued for the sync's next run: the source record as the reconcile read it, why
-- ('missing': delivered by the state, absent from the target; 'different': its content differs there) and which
-- reconcile (its run, kind 'reconcile') queued it. The next run delivers them first and deletes each row only after its
-- key is marked (or its row dead-lettered); a record queued again replaces its row.
CREATE TABLE ferry_reconcile_queue (
  sync_name        VARCHAR(100) NOT NULL,
  record_key       VARCHAR(191) NOT NULL,
  payload          MEDIUMTEXT NOT NULL,
  reason           VARCHAR(16) NOT NULL,
  queued_at        TIMESTAMP(3) NOT NULL,
  reconcile_run_id BIGINT NOT NULL,
  PRIMARY KEY (sync_name, record_key)
);

-- What a reconcile found, one row per kind of difference (missing-delivered, missing-not-delivered,
-- missing-dead-lettered, extra, different, rejected) with its count and up to --samples of them as JSON; the run
-- itself (when, status, source records read) is its ferry_run row.
CREATE TABLE ferry_reconcile_finding (
  run_id       BIGINT NOT NULL,
  kind         VARCHAR(32) NOT NULL,
  record_count INT NOT NULL,
  samples      MEDIUMTEXT,
  PRIMARY KEY (run_id, kind)
);
