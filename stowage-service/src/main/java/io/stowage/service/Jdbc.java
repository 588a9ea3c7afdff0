package io.stowage.service;

import io.stowage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.sqlite.SQLiteConnection;

/**
 * Plain JDBC on the connection of a caller's handle, for the statements every save runs (its pending row, its
 * commit, the audit entry and the event): JDBI's statement machinery (named parameters, argument factories,
 * mappers, contexts) cost more than these statements themselves (decision 0068). The statements take {@code ?}
 * parameters in order; a null binds as a text NULL, the only nulls these statements bind. Statements that bind a
 * secret (a signing key's, a webhook's) run here too: JDBI reports every statement it runs, parameters included, as
 * a {@code jdbi.statement} flight recorder event, which a recording taken to look at performance would then hold. A database failure
 * leaves as the catalog's {@code UNAVAILABLE}, rolling the caller's transaction back.
 *
 * <p>On SQLite each connection keeps its statements prepared, per SQL text: compiling one (parsing, planning
 * against the schema) cost more than running it, most of all the file lookup every read makes. PostgreSQL's driver
 * keeps its own per connection. A connection is used by one thread at a time (the pool lends it), so is its cache.
 */
final class Jdbc {

    /** Maps the current row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    /** Runs an {@code INSERT}, {@code UPDATE} or {@code DELETE}; returns how many rows it changed. */
    static int update(Handle h, String sql, Object... args) {
        try (Prepared s = prepare(h.getConnection(), sql, args)) {
            return s.statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** As {@link #update(Handle, String, Object...)} on a connection (a statement of its own, decision 0078). */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (Prepared s = prepare(c, sql, args)) {
            return s.statement.executeUpdate();
        }
    }

    /** The first row {@code sql} finds, mapped; empty when it finds none. */
    static <T> Optional<T> first(Handle h, String sql, Row<T> row, Object... args) {
        try {
            return first(h.getConnection(), sql, row, args);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** As {@link #first(Handle, String, Row, Object...)} on a connection (a plain read, decision 0057). */
    static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (Prepared s = prepare(c, sql, args); ResultSet rs = s.statement.executeQuery()) {
            return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
        }
    }

    /**
     * Every row {@code sql} returns, mapped: for statements of many rows whose text varies with their number, so
     * prepared afresh, never kept.
     */
    static <T> java.util.List<T> list(Handle h, String sql, Row<T> row, Object... args) {
        java.util.List<T> out = new java.util.ArrayList<>();
        try (PreparedStatement s = h.getConnection().prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Runs an {@code INSERT} and returns the {@code id} the database gave the row: {@code RETURNING id}, which
     * SQLite (3.35 on) and PostgreSQL both read as a query.
     */
    static long insertReturningId(Handle h, String sql, Object... args) {
        String returning = sql + " RETURNING id";
        try (Prepared s = prepare(h.getConnection(), returning, args); ResultSet rs = s.statement.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the insert returned no id");
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failed(returning, e);
        }
    }

    /** A statement lent for one execution: closed after it, or kept prepared on its SQLite connection. */
    private record Prepared(PreparedStatement statement, boolean kept) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            if (kept) {
                statement.clearParameters();
            } else {
                statement.close();
            }
        }
    }

    /**
     * The statements kept prepared per connection (the driver's own, under the pool's wrapper, which is new at every
     * borrow and closes the statements made through it on return): every one on SQLite, and on either database those
     * {@link #kept} is asked for.
     */
    private static final Map<Connection, Map<String, PreparedStatement>> KEPT = new ConcurrentHashMap<>();

    private static Prepared prepare(Connection c, String sql, Object... args) throws SQLException {
        Prepared prepared = lend(c, sql);
        PreparedStatement s = prepared.statement;
        try {
            bind(s, args);
            return prepared;
        } catch (SQLException | RuntimeException e) {
            s.close();
            if (prepared.kept) {
                forget(c, sql);
            }
            throw e;
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            switch (arg) {
                case null -> s.setNull(i + 1, Types.VARCHAR);
                case String text -> s.setString(i + 1, text);
                case Long number -> s.setLong(i + 1, number);
                case Integer number -> s.setInt(i + 1, number);
                default -> throw new IllegalArgumentException("cannot bind a " + arg.getClass().getSimpleName());
            }
        }
    }

    private static Prepared lend(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) {
            return new Prepared(c.prepareStatement(sql), false);
        }
        return new Prepared(kept(c, sql, () -> { }), true);
    }

    /**
     * {@code sql} prepared on the driver's connection under {@code c}, kept there for the next call with the same text,
     * on either database (the statements every tus chunk runs, decision 0100); {@code prepared} runs when it had to
     * be prepared. The caller sets every parameter, closes the result sets it opens, and leaves the statement open.
     * Only for a fixed set of texts: each one is kept for as long as its connection lives.
     */
    static PreparedStatement kept(Connection c, String sql, Runnable prepared) throws SQLException {
        Connection driver = c.unwrap(Connection.class);
        Map<String, PreparedStatement> kept = KEPT.get(driver);
        if (kept == null) {
            // A connection new to us: forget those the pool has closed since (retired, or their catalog closed).
            KEPT.keySet().removeIf(Jdbc::closed);
            kept = KEPT.computeIfAbsent(driver, k -> new ConcurrentHashMap<>());
        }
        PreparedStatement s = kept.get(sql);
        if (s == null || s.isClosed()) {
            // On the connection itself: the pool closes the statements made through its wrapper when it gets it back.
            s = driver.prepareStatement(sql);
            kept.put(sql, s);
            prepared.run();
        }
        return s;
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void forget(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> kept = KEPT.get(c.unwrap(Connection.class));
        if (kept != null) {
            kept.remove(sql);
        }
    }

    private static StorageException failed(String sql, SQLException e) {
        String verb = sql.substring(0, Math.max(0, sql.indexOf(' '))).toLowerCase(java.util.Locale.ROOT);
        return StorageException.unavailable(CatalogDatabase.NAME, verb, "catalog: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
}
