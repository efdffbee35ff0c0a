-- One row per sync, locked (SELECT … FOR UPDATE) by a run's start while it inserts its run row and by an edit of the
-- sync's state while it checks that no run is going on and makes its change: the two exclude each other, in one
-- process or several. Made by the sync's first run or edit.
CREATE TABLE ferry_sync (
  sync_name  VARCHAR(100) NOT NULL,
  created_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (sync_name)
);

-- Every edit of a sync's state (`ferry state set-position`, `ferry state reset`): when, who, what was there before and
-- what is there after. last_run_id is the sync's last run when the edit was made: that run had ended, and what it
-- would still save after its end (a whole scan's page) yields to the edit.
CREATE TABLE ferry_state_edit (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  sync_name    VARCHAR(100) NOT NULL,
  edited_at    TIMESTAMP(3) NOT NULL,
  actor        VARCHAR(100) NOT NULL,
  action       VARCHAR(32) NOT NULL,
  before_state VARCHAR(4000),
  after_state  VARCHAR(4000),
  last_run_id  BIGINT
);
CREATE INDEX ferry_state_edit_sync ON ferry_state_edit (sync_name, id);
