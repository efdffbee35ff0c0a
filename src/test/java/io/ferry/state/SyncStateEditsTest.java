package io.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.state.SyncStateEdits.Edit;
import io.ferry.state.SyncStateEdits.Outcome;
import io.ferry.state.SyncedKeyRepository.SyncedKey;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TestDatabases;

/**
 * Edits of a sync's state and a run's start exclude each other through the state database (the sync's row in
 * ferry_sync, locked by both), on MariaDB and H2: an edit that comes while a run is starting waits for it and is
 * refused, a run that starts during an edit waits for it; what an edit changes, and its record.
 */
class SyncStateEditsTest {

    private static final String SYNC = "some-sync";
    private static final String OTHER = "other-sync";

    @ParameterizedTest
    @EnumSource(Db.class)
    void anEditWhileARunIsStartingWaitsForItAndIsRefused(Db db) throws Exception {
        try (Database d = new Database(db)) {
            d.state.runs().close(d.state.runs().open(SYNC, "node-a"), "succeeded", 1, 2, 0, 2, 0, null);
            d.state.syncedKeys(SYNC).markSynced(List.of(new SyncedKey("k1", null, null), new SyncedKey("k2", null, null)));
            long starting;
            Future<Outcome> edit;
            try (Connection run = d.ds.getConnection()) {
                // what a run's start does, held open: the sync's row locked, its 'running' row inserted, not committed
                run.setAutoCommit(false);
                lock(run);
                starting = insertRunningRun(run, "node-b");
                edit = inThread(() -> d.state.stateEdits().reset(SYNC, "tester", false));
                Thread.sleep(500);
                assertThat(edit.isDone()).as("the edit waits for the run's start").isFalse();
                run.commit();
            }
            Outcome o = edit.get(30, TimeUnit.SECONDS);
            assertThat(o.refused()).isTrue();
            assertThat(o.refusedBy().id()).isEqualTo(starting);
            assertThat(o.refusedBy().node()).isEqualTo("node-b");
            assertThat(o.refusedBy().kind()).isEqualTo("sync");
            assertThat(o.recorded()).isNull();
            assertThat(d.state.syncedKeys(SYNC).count()).isEqualTo(2);
            assertThat(d.state.stateEdits().recent(SYNC, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aRunStartingDuringAnEditWaitsForIt(Db db) throws Exception {
        try (Database d = new Database(db)) {
            d.state.runs().close(d.state.runs().open(SYNC, "node-a"), "succeeded", 1, 2, 0, 2, 0, null);
            d.state.syncedKeys(SYNC).markSynced(List.of(new SyncedKey("k1", null, null)));
            Future<Long> start;
            try (Connection edit = d.ds.getConnection()) {
                // an edit held open: the sync's row locked, its keys deleted, not committed
                edit.setAutoCommit(false);
                lock(edit);
                try (PreparedStatement ps = edit.prepareStatement("DELETE FROM ferry_synced_key WHERE sync_name = ?")) {
                    ps.setString(1, SYNC);
                    ps.executeUpdate();
                }
                start = inThread(() -> d.state.runs().open(SYNC, "node-b"));
                Thread.sleep(500);
                assertThat(start.isDone()).as("the run's start waits for the edit").isFalse();
                edit.commit();
            }
            long run = start.get(30, TimeUnit.SECONDS);
            assertThat(d.state.runs().find(run).status()).isEqualTo("running");
            assertThat(d.state.syncedKeys(SYNC).count()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void eachEditChangesWhatItSaysAndIsRecorded(Db db) throws Exception {
        try (Database d = new Database(db)) {
            SyncStateEdits edits = d.state.stateEdits();
            assertThat(edits.setPosition(SYNC, "100", "set-position", "alice", false).recorded().lastRunId()).isNull();
            long run = d.state.runs().open(SYNC, "node-a");
            d.state.runs().close(run, "failed", 1, 3, 0, 3, 0, "x");
            d.state.syncedKeys(SYNC).markSynced(List.of(new SyncedKey("k1", "h1", "r1"), new SyncedKey("k2", "h2", null),
                    new SyncedKey("k3", null, null)));
            d.state.scanPositions().save(SYNC, 4, run);
            d.state.syncedKeys(OTHER).markSynced(List.of(new SyncedKey("k1", null, null)));
            d.state.offsets().save(OTHER, "7", null);

            Outcome dry = edits.setPosition(SYNC, "50", "set-position", "alice", true);
            assertThat(dry.before()).isEqualTo("100");
            assertThat(dry.after()).isEqualTo("50");
            assertThat(dry.recorded()).isNull();
            assertThat(d.state.offsets().find(SYNC)).isEqualTo("100");

            Outcome moved = edits.setPosition(SYNC, "50", "set-position", "alice", false);
            assertThat(d.state.offsets().find(SYNC)).isEqualTo("50");
            assertThat(moved.recorded().lastRunId()).isEqualTo(run);

            assertThatThrownBy(() -> edits.forgetKeys(SYNC, List.of("k1", "k9"), "bob", false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("k9 is not a synced key of some-sync");
            assertThat(d.state.syncedKeys(SYNC).count()).isEqualTo(3);
            Outcome forgot = edits.forgetKeys(SYNC, List.of("k1", "k2", "k1"), "bob", false);
            assertThat(d.state.syncedKeys(SYNC).findSynced(List.of("k1", "k2", "k3")).keySet()).containsExactly("k3");
            assertThat(forgot.before()).isEqualTo("k1 (content hash h1, target ref r1); k2 (content hash h2)");

            Outcome reset = edits.reset(SYNC, "carol", false);
            assertThat(reset.before()).isEqualTo("position 50; 1 synced keys (0 with a content hash); scan page 4");
            assertThat(d.state.syncedKeys(SYNC).count()).isZero();
            assertThat(d.state.offsets().find(SYNC)).isNull();
            assertThat(d.state.scanPositions().find(SYNC)).isNull();
            // another sync's state is left as it was
            assertThat(d.state.syncedKeys(OTHER).count()).isEqualTo(1);
            assertThat(d.state.offsets().find(OTHER)).isEqualTo("7");

            List<Edit> recorded = edits.recent(SYNC, 10);
            assertThat(recorded).extracting(Edit::action).containsExactly("reset", "reset-keys", "set-position", "set-position");
            assertThat(recorded).extracting(Edit::actor).containsExactly("carol", "bob", "alice", "alice");
            assertThat(recorded).extracting(Edit::before).containsExactly(reset.before(), forgot.before(), "100", null);
            assertThat(recorded).extracting(Edit::after).containsExactly("position none; 0 synced keys; scan page none",
                    "forgotten: k1, k2", "50", "100");
            assertThat(recorded).extracting(Edit::lastRunId).containsExactly(run, run, run, null);
            assertThat(edits.recent(OTHER, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theScanPageOfARunThatEndedBeforeAnEditYieldsToIt(Db db) throws Exception {
        try (Database d = new Database(db)) {
            long ended = d.state.runs().open(SYNC, "node-a");
            d.state.runs().close(ended, "failed", 3, 300, 0, 300, 0, "x");
            d.state.stateEdits().reset(SYNC, "tester", false);
            // the run's listener saves its page after the run's row was closed: the reset in between wins
            assertThat(d.state.scanPositions().save(SYNC, 3, ended)).isFalse();
            assertThat(d.state.scanPositions().find(SYNC)).isNull();
            long next = d.state.runs().open(SYNC, "node-a");
            assertThat(d.state.scanPositions().save(SYNC, 4, next)).isTrue();
            assertThat(d.state.scanPositions().find(SYNC)).isEqualTo(4);
        }
    }

    private static <T> Future<T> inThread(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, "state-edits-test");
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static void lock(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT sync_name FROM ferry_sync WHERE sync_name = ? FOR UPDATE")) {
            ps.setString(1, SYNC);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the sync's row, made by its first run").isTrue();
            }
        }
    }

    private static long insertRunningRun(Connection c, String node) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_run (sync_name, node, started_at, status, kind) "
                + "VALUES (?, ?, CURRENT_TIMESTAMP(3), 'running', 'sync')", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, SYNC);
            ps.setString(2, node);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A fresh, migrated state database. */
    private static final class Database implements AutoCloseable {
        final Db db;
        final String url;
        final HikariDataSource ds;
        final FerryState state;

        Database(Db db) {
            this.db = db;
            this.url = db == Db.MARIADB ? TestDatabases.newMysqlDatabase() : TestDatabases.newH2Database();
            this.ds = Databases.pool("edits-test", url, db == Db.MARIADB ? TestDatabases.MYSQL_USER : "sa",
                    db == Db.MARIADB ? TestDatabases.MYSQL_PASSWORD : "", 4);
            Databases.migrateState(ds);
            this.state = new FerryState(ds, "node-a");
        }

        @Override
        public void close() {
            ds.close();
            if (db == Db.MARIADB) {
                TestDatabases.dropMysqlDatabase(url);
            }
        }
    }
}
