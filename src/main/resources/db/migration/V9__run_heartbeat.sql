-- When the process running a run last said it is alive (every ferry.run.heartbeat-interval, from the database's
-- clock). A sync run is opened only while no other run of the sync is 'running' with a heartbeat younger than
-- ferry.run.heartbeat-timeout, in any process; an older one belongs to a process that died and is closed as
-- 'abandoned' by the next run's start. Runs from before this column count from their start.
ALTER TABLE ferry_run ADD COLUMN heartbeat_at TIMESTAMP(3) NULL;
CREATE INDEX ferry_run_sync_status ON ferry_run (sync_name, status);

-- The replica that says it leads the sync in the cluster (ferry.node), written when it takes the lead and cleared
-- when it loses it, for `ferry status`; the cluster service decides, this only shows it.
ALTER TABLE ferry_sync ADD COLUMN leader_node VARCHAR(100) NULL;
ALTER TABLE ferry_sync ADD COLUMN leader_since TIMESTAMP(3) NULL;
