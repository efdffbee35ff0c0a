-- A run's kind: 'sync' (a run of the sync's route) or 'replay' (open dead letters sent again). A sync is judged by
-- its last sync run; a replay is shown beside it and never hides it. Replays were told apart by their node before.
ALTER TABLE ferry_run ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'sync';
UPDATE ferry_run SET kind = 'replay' WHERE node LIKE '% (replay)';
CREATE INDEX ferry_run_sync_kind ON ferry_run (sync_name, kind, id);
