package io.ferry.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import io.ferry.state.RunRepository.RunRecord;

/**
 * What the windowed syncs' fault-injection tests share: the shipped route with a smaller page size (more calls,
 * so that the faults are spread over a long run), faults at the target (connections cut by a
 * {@link CuttingDataSource} bound as the sink's {@code biDataSource}, and deadlocks raised by a trigger on the lines
 * table, each one counted in a non-transactional table that a rollback does not empty), and the runs until one
 * succeeds.
 */
public final class WindowedFaultRun {

    private WindowedFaultRun() {
    }

    /** routes/ROUTE with {@code pageSize=100} replaced, as an include pattern beside the shared templates. */
    public static String routesWithPageSize(String route, int pageSize) throws Exception {
        String yaml = Files.readString(Path.of("routes", route));
        if (!yaml.contains("pageSize=100")) {
            throw new IllegalStateException(route + " no longer asks for pageSize=100");
        }
        Path dir = Files.createTempDirectory(Path.of("target"), "fault-routes-").toAbsolutePath();
        Files.writeString(dir.resolve(route), yaml.replace("pageSize=100", "pageSize=" + pageSize));
        return "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + dir.resolve(route);
    }

    /** Binds a cutting data source in front of the BI database (before the sink's first write, which resolves it). */
    public static CuttingDataSource cutBiConnections(FerryHarness f, long seed, double share) {
        javax.sql.DataSource bi = f.app().camel().getRegistry().lookupByNameAndType("biDataSource", javax.sql.DataSource.class);
        CuttingDataSource cutting = new CuttingDataSource(bi, seed, share);
        // bound by name and type: the pool's own entry would still be found first
        f.app().camel().getRegistry().unbind("biDataSource");
        f.app().camel().getRegistry().bind("biDataSource", javax.sql.DataSource.class, cutting);
        return cutting;
    }

    /**
     * A trigger on {@code linesTable} that fails an insert with a deadlock (SQLSTATE 40001) at this probability per
     * line, counting each in {@code injected_deadlock} (MyISAM: kept when the transaction rolls back).
     */
    public static void deadlockLines(FerryHarness f, String linesTable, double perLine) throws Exception {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE injected_deadlock (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=MyISAM");
            s.execute("CREATE TRIGGER " + linesTable + "_flaky BEFORE INSERT ON " + linesTable + " FOR EACH ROW "
                    + "IF RAND() < " + perLine + " THEN INSERT INTO injected_deadlock () VALUES (); "
                    + "SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'injected deadlock'; END IF");
        }
    }

    public static long deadlocks(FerryHarness f) {
        return f.count("SELECT COUNT(*) FROM injected_deadlock");
    }

    /** The last of the runs, and how many there were. */
    public record Runs(RunRecord last, int count) {
    }

    /** Runs the sync until a run succeeds, at most {@code max} times. */
    public static Runs runUntilSucceeded(FerryHarness f, String sync, int max) {
        RunRecord last;
        int runs = 0;
        do {
            last = f.runSync(sync);
            runs++;
        } while (!"succeeded".equals(last.status()) && runs < max);
        return new Runs(last, runs);
    }
}
