package io.stowage.service;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The catalog's connections and schema (decision 0030): SQLite (WAL, one connection, so one writer,
 * busy timeout for other processes, and a few read-only connections that WAL lets read beside the writer)
 * or PostgreSQL (a HikariCP pool), migrated by Flyway from one set of scripts whose few differences are
 * placeholders. Every database failure leaves here as a {@link StorageException} of kind {@code UNAVAILABLE}
 * naming the catalog.
 */
final class CatalogDatabase implements AutoCloseable {

    static final String NAME = "catalog";
    /** The gauge of the threads waiting at the PostgreSQL pool's gate. */
    static final String WAITING_METRIC = "stowage.catalog.connections.waiting";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogDatabase.class);
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    private static final int SQLITE_READERS = 4;

    private final HikariDataSource dataSource;
    private final HikariDataSource readers;
    /**
     * What every borrow of PostgreSQL's writers' pool passes, so the pool never has more borrowers than connections
     * (decision 0108); null on SQLite, whose one writer the group commit queues for.
     */
    private final ConnectionGate gate;
    private final Jdbi jdbi;
    private final Jdbi readJdbi;
    private final boolean postgres;
    /** Whether commits wait for the disk ({@link ServiceSettings#durableCommits()}). */
    private final boolean durable;
    /** Transactions begun whose commit waits for the disk (when {@link #durable}), not deferred ones. */
    private final LongAdder waited = new LongAdder();
    /** The read cache this process's background changes are told to; null when there is none. */
    private volatile FileCache cache;
    /** How often {@link #prepared} prepared each text (tests: once per connection). */
    private final Map<String, AtomicInteger> prepares = new ConcurrentHashMap<>();

    private CatalogDatabase(HikariDataSource dataSource, HikariDataSource readers, boolean postgres, boolean durable) {
        this.dataSource = dataSource;
        this.durable = durable;
        this.readers = readers;
        this.gate = postgres ? new ConnectionGate(dataSource, dataSource.getPoolName(), dataSource.getMaximumPoolSize(),
                dataSource.getConnectionTimeout()) : null;
        this.jdbi = gate == null ? Jdbi.create(dataSource) : Jdbi.create(gate.connections());
        this.readJdbi = readers == null ? jdbi : Jdbi.create(readers);
        this.postgres = postgres;
    }

    /** Opens the catalog named by {@code settings} and brings its schema up to date. */
    static CatalogDatabase open(ServiceSettings settings) {
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(settings.postgres() ? postgresPool(settings) : sqlitePool(settings));
        } catch (RuntimeException e) {
            throw StorageException.unavailable(NAME, "open", "cannot connect to the " + kind(settings)
                    + " catalog: " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/catalog")
                    .javaMigrations(javaMigrations().toArray(org.flywaydb.core.api.migration.JavaMigration[]::new))
                    .placeholders(placeholders(settings.postgres()))
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw StorageException.unavailable(NAME, "migrate", "cannot migrate the " + kind(settings)
                    + " catalog: " + rootMessage(e), e);
        }
        HikariDataSource readers = null;
        if (!settings.postgres() && !settings.databaseUrl().contains(":memory:")
                && !settings.databaseUrl().contains("mode=memory")) {
            try {
                readers = new HikariDataSource(sqliteReaders(settings));
            } catch (RuntimeException e) {
                ds.close();
                throw StorageException.unavailable(NAME, "open", "cannot connect to the SQLite catalog: "
                        + rootMessage(e), e);
            }
        }
        if (!settings.durableCommits()) {
            LOG.warn("database.durable_commits is off: the {} catalog's commits return before they are on disk, so a"
                    + " power cut may lose the last saves acknowledged (a crash of this process loses none)",
                    kind(settings));
        }
        return new CatalogDatabase(ds, readers, settings.postgres(), settings.durableCommits());
    }

    /**
     * The migrations written in Java, beside the SQL files: 13, 14, 16 and 17 run on one database only, 18 on both with
     * a part on PostgreSQL only.
     */
    static java.util.List<OneDatabaseMigration> javaMigrations() {
        return java.util.List.of(new CatalogChangeLog(), new CatalogNotifications(), new ReplicaNotifications(),
                new QuotaNotifications(), new SavesInFlight());
    }

    /**
     * Read-only connections to the SQLite file: in WAL mode they read the last commit beside the writer instead
     * of queueing behind it. An in-memory database has no file to share, so it reads through the writer.
     */
    private static HikariConfig sqliteReaders(ServiceSettings settings) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(settings.databaseUrl());
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("stowage-catalog-sqlite-readers");
        hikari.setDataSource(sqlite);
        hikari.setReadOnly(true);
        hikari.setMaximumPoolSize(SQLITE_READERS);
        hikari.setMinimumIdle(1);
        return hikari;
    }

    private static HikariConfig sqlitePool(ServiceSettings settings) {
        String url = settings.databaseUrl();
        String file = url.substring("jdbc:sqlite:".length());
        if (!file.isEmpty() && !file.startsWith(":") && !file.startsWith("file:")) {
            try {
                Path parent = Path.of(file).toAbsolutePath().getParent();
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw StorageException.io(NAME, "open", null, e);
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a committed catalog row survives a power loss, as the object it names does. NORMAL when commits need not
        // be durable (decision 0087): in WAL mode the file stays consistent, and only checkpoints sync it.
        config.setSynchronous(settings.durableCommits() ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        // BEGIN IMMEDIATE: a transaction takes the write lock when it starts, waiting out the busy timeout for
        // another process (a second node, the CLI beside a server). A deferred one that reads first and then
        // writes cannot wait (SQLite refuses the upgrade at once, SQLITE_BUSY) whatever the timeout.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // The statement journals of the savepoints a group commit runs each save in (and of statements that fire the
        // change log's triggers) kept in memory: on disk, a batch of saves wrote them to a new temporary file, about
        // 45 page writes a save besides the WAL's, for a rollback that rarely comes. They only ever undo
        // part of a transaction; what survives a crash is the WAL's business, as before (decision 0095).
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("stowage-catalog-sqlite");
        hikari.setDataSource(sqlite);
        // SQLite takes one writer at a time: one connection serialises our writers in the pool's queue
        // instead of in SQLITE_BUSY retries, and no transaction ever waits on another of ours.
        hikari.setMaximumPoolSize(1);
        hikari.setMinimumIdle(1);
        return hikari;
    }

    private static HikariConfig postgresPool(ServiceSettings settings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("stowage-catalog-postgres");
        hikari.setJdbcUrl(settings.databaseUrl());
        settings.databaseUser().ifPresent(hikari::setUsername);
        settings.databasePassword().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setConnectionTimeout(10_000);
        if (!settings.durableCommits()) {
            // Every transaction of the session commits without waiting for the WAL flush (decision 0087); the server's
            // own setting stays as it is for everyone else.
            hikari.setConnectionInitSql("SET synchronous_commit = off");
        }
        return hikari;
    }

    private static Map<String, String> placeholders(boolean postgres) {
        return postgres
                ? Map.of("serial", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "name_order", "COLLATE \"C\"",
                        "bytes", "BYTEA")
                : Map.of("serial", "INTEGER PRIMARY KEY AUTOINCREMENT", "name_order", "COLLATE BINARY", "bytes", "BLOB");
    }

    boolean postgres() {
        return postgres;
    }

    /** How many transactions whose commit waits for the disk were begun so far (tests count a path's). */
    long waitedCommits() {
        return waited.sum();
    }

    /** Whether a commit returns only once it is on disk ({@link ServiceSettings#durableCommits()}). */
    boolean durableCommits() {
        return durable;
    }

    /**
     * Whether reads may be served from a {@link ReadCache}: a SQLite file, whose {@code catalog_changes} every
     * writer appends to, read beside the writer. Not PostgreSQL (no such log) nor an in-memory SQLite (one
     * connection, tests only).
     */
    boolean logsChanges() {
        return !postgres && readers != null;
    }

    /**
     * A watch of this SQLite file's WAL index, for the read cache to answer without a connection while nothing
     * commits (decision 0085); null for PostgreSQL, an in-memory SQLite, a URL naming its file with options, or a
     * file whose index cannot be read.
     */
    WalIndexWatch walIndexWatch(ServiceSettings settings) {
        if (postgres || readers == null) {
            return null;
        }
        String file = settings.databaseUrl().substring("jdbc:sqlite:".length());
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:") || file.contains("?")) {
            return null;
        }
        return WalIndexWatch.open(readers.getDataSource(), Path.of(file).toAbsolutePath());
    }

    /** Tells {@code cache} of the changes {@link #changed} reports from now on. */
    void cacheReads(FileCache cache) {
        this.cache = cache;
    }

    /**
     * A change of {@code fileId} this process committed outside the service's calls (a migration's move, a journal's
     * replay): the read cache forgets the file now rather than when PostgreSQL's notice arrives (decision 0081).
     */
    void changed(String fileId) {
        FileCache c = cache;
        if (c != null) {
            c.changed(fileId);
        }
    }

    /** Publishes the pool's metrics to a Micrometer registry (see {@link ServiceOperations#bindMetrics}). */
    void publishMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
        if (gate != null) {
            // Behind the gate the pool's own count of threads pending stays at zero: those waiting are counted here.
            io.micrometer.core.instrument.Gauge.builder(WAITING_METRIC, gate, ConnectionGate::waiting)
                    .tag("pool", dataSource.getPoolName())
                    .description("Threads waiting for a connection of the catalog's pool (decision 0108)")
                    .register(registry);
        }
    }

    /** Runs {@code work} in one transaction; database failures become {@code UNAVAILABLE}. */
    <R> R inTransaction(String operation, HandleCallback<R, RuntimeException> work) {
        waited.increment();
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /**
     * Runs {@code work} in one transaction that commits without waiting for the disk: the next durable commit
     * (SQLite's WAL and PostgreSQL's WAL are written in order) or the database's own flush a moment later makes
     * it durable. A crash of this process loses nothing; a power loss in that moment may. For rows whose loss
     * can hide nothing (a pending version, whose object the save writes next; decision 0047).
     */
    void useDeferredTransaction(String operation, java.util.function.Consumer<Handle> work) {
        inDeferredTransaction(operation, h -> {
            work.accept(h);
            return null;
        });
    }

    /** As {@link #useDeferredTransaction}, with a result. */
    <R> R inDeferredTransaction(String operation, HandleCallback<R, RuntimeException> work) {
        try {
            if (postgres) {
                return jdbi.inTransaction(h -> {
                    h.execute("SET LOCAL synchronous_commit = off");
                    return work.withHandle(h);
                });
            }
            if (!durable) {
                return jdbi.inTransaction(work); // every commit is NORMAL already
            }
            return jdbi.withHandle(h -> {
                pragma(h, NORMAL);
                try {
                    return h.inTransaction(work);
                } finally {
                    pragma(h, FULL);
                }
            });
        } catch (JdbiException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    private static final String NORMAL = "PRAGMA synchronous = NORMAL";
    private static final String FULL = "PRAGMA synchronous = FULL";

    /**
     * A pragma in plain JDBC, prepared once per connection: JDBI's statement machinery, and preparing the pragma
     * anew, cost more than the pragma (two of them every deferred transaction; decision 0100).
     */
    private void pragma(Handle h, String sql) {
        jdbc("pragma", () -> prepared(h, sql).execute());
    }

    /**
     * {@code sql} prepared on {@code h}'s connection, kept there for the next call with the same text (decision
     * 0100): the statements every tus chunk runs were prepared anew each time, and SQLite's prepare of the session's
     * read was the largest share of a chunk's catalog CPU. The caller sets every parameter before it executes it,
     * closes the result sets it opens, and does not close the statement. Only for a fixed set of texts: each one is
     * kept for as long as its connection lives.
     */
    java.sql.PreparedStatement prepared(Handle h, String sql) {
        return jdbc("prepare", () -> Jdbc.kept(h.getConnection(), sql, () -> prepares
                .computeIfAbsent(sql, k -> new AtomicInteger()).incrementAndGet()));
    }

    /** How often {@link #prepared} has prepared {@code sql} so far (tests). */
    int prepares(String sql) {
        AtomicInteger n = prepares.get(sql);
        return n == null ? 0 : n.get();
    }

    /** How many connections the writers' pool may hold at once (tests). */
    int writers() {
        return dataSource.getMaximumPoolSize();
    }

    /** Closes the writers' idle connections: the pool opens new ones (tests: a connection the pool replaced). */
    void renewConnections() {
        dataSource.getHikariPoolMXBean().softEvictConnections();
    }

    /** A step of plain JDBC, as on a statement {@link #prepared} keeps. */
    @FunctionalInterface
    interface Step<R> {
        R run() throws java.sql.SQLException;
    }

    /** Runs {@code step}; a database failure becomes {@code UNAVAILABLE}, as in every other call here. */
    static <R> R jdbc(String operation, Step<R> step) {
        try {
            return step.run();
        } catch (java.sql.SQLException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /**
     * Runs {@code work}, which only reads, on a reading connection: the last committed state, without waiting
     * for SQLite's writer.
     */
    <R> R read(String operation, HandleCallback<R, RuntimeException> work) {
        try {
            return readJdbi.withHandle(work);
        } catch (JdbiException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /** A read of plain JDBC: one connection, statements the work prepares and closes itself. */
    @FunctionalInterface
    interface PlainRead<R> {
        R apply(java.sql.Connection connection) throws java.sql.SQLException;
    }

    /**
     * As {@link #read}, in plain JDBC: for the lookups every request makes (a file's record, an API key), where
     * JDBI's statement machinery costs more than the query itself (decision 0057).
     */
    <R> R readPlain(String operation, PlainRead<R> work) {
        if (readers == null && !postgres) {
            // An in-memory SQLite has one connection: a read nested in a transaction must share its handle.
            return read(operation, h -> {
                try {
                    return work.apply(h.getConnection());
                } catch (java.sql.SQLException e) {
                    throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
                }
            });
        }
        try (Lent lent = readers != null ? new Lent(readers.getConnection(), null) : lend()) {
            return work.apply(lent.connection());
        } catch (java.sql.SQLException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /**
     * Runs {@code work}, one statement that commits on its own (autocommit), on a connection of the writers' pool:
     * for PostgreSQL's saves, whose steps are one statement each (decision 0078).
     */
    <R> R inStatement(String operation, PlainRead<R> work) {
        try (Lent lent = lend()) {
            java.sql.Connection c = lent.connection();
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.apply(c);
        } catch (java.sql.SQLException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /** A connection of the writers' pool, through the gate where there is one; closing it gives it back. */
    private Lent lend() throws java.sql.SQLException {
        return new Lent(gate == null ? dataSource.getConnection() : gate.open(), gate);
    }

    /** A connection {@link #lend} lent. */
    private record Lent(java.sql.Connection connection, ConnectionGate gate) implements AutoCloseable {
        @Override
        public void close() throws java.sql.SQLException {
            if (gate == null) {
                connection.close();
            } else {
                gate.close(connection);
            }
        }
    }

    /** How many threads wait at the writers' pool's gate (tests); 0 without one. */
    int waitingAtGate() {
        return gate == null ? 0 : gate.waiting();
    }

    /** How many turns the writers' pool's gate has free (tests); 0 without one. */
    int freeAtGate() {
        return gate == null ? 0 : gate.free();
    }

    /** How many threads wait inside the writers' pool for a connection (tests). */
    int waitingInPool() {
        return dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection();
    }

    /** Runs {@code work} on one connection without a transaction of its own (single reads). */
    <R> R withHandle(String operation, HandleCallback<R, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw StorageException.unavailable(NAME, operation, "catalog: " + rootMessage(e), e);
        }
    }

    /** Runs {@code work} in one transaction without a result. */
    void useTransaction(String operation, java.util.function.Consumer<Handle> work) {
        inTransaction(operation, h -> {
            work.accept(h);
            return null;
        });
    }

    @Override
    public void close() {
        if (readers != null) {
            readers.close();
        }
        dataSource.close();
    }

    private static String kind(ServiceSettings settings) {
        return settings.postgres() ? "PostgreSQL" : "SQLite";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
