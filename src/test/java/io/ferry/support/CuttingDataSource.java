package io.ferry.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source in front of a real one that cuts a seeded share of its connections in the middle of their work: for
 * such a connection a statement number is drawn (1 to 20), and when that statement (or the commit, if it comes
 * first) is asked for, the real connection is aborted (its socket closed, the server rolls back) and the call fails
 * on the closed connection. Bound as a sink's data source, each {@link #getConnection()} is one write of a batch.
 */
public class CuttingDataSource implements DataSource {

    private static final Set<String> WORK = Set.of("prepareStatement", "createStatement", "prepareCall", "commit");

    private final DataSource real;
    private final Random random;
    private final double share;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();

    public CuttingDataSource(DataSource real, long seed, double share) {
        this.real = real;
        this.random = new Random(seed);
        this.share = share;
    }

    /** Connections handed out: the sink's writes (each one transaction). */
    public long connections() {
        return connections.get();
    }

    /** Connections that were cut. */
    public long cuts() {
        return cuts.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(real.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        connections.incrementAndGet();
        int cutAt;
        synchronized (random) {
            cutAt = random.nextDouble() < share ? 1 + random.nextInt(20) : -1;
        }
        if (cutAt < 0) {
            return c;
        }
        int[] calls = { 0 };
        boolean[] cut = { false };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class }, (proxy, m, args) -> {
            if (!cut[0] && WORK.contains(m.getName()) && (++calls[0] >= cutAt || m.getName().equals("commit"))) {
                cut[0] = true;
                cuts.incrementAndGet();
                c.abort(Runnable::run);
            }
            try {
                return m.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
