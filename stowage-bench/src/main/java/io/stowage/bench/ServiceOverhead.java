package io.stowage.bench;

import static io.stowage.bench.BenchFiles.deleteTree;
import static io.stowage.bench.BenchFiles.median;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.service.FilePage;
import io.stowage.service.FileRead;
import io.stowage.service.SaveOptions;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * bench/service-overhead: what the catalog costs, as ratios against references measured in the same run.
 *
 * <ol>
 *   <li>{@code count} saves and then {@code count} retrieves of {@code bytes} through {@link StorageService} on
 *       SQLite and on PostgreSQL (embedded, as the tests start it, but with {@code synchronous_commit} back on so
 *       its commits wait for the disk as the backend's puts do), divided into the time the bare
 *       {@link LocalBlobStore} under it takes for the same puts and gets, on the same disk with the same fsync
 *       setting (on, its default), under keys of the same shape (so both make as many directories), with 1 and
 *       with 32 threads. Both sides take turns in batches of
 *       {@value #BATCH} operations, alternating who goes first, so a shared machine's drift falls on both; a
 *       warm-up of {@value #WARMUP} operations of each is not counted. Saves are spread over {@value #OWNERS}
 *       owners. Printed as bare time ÷
 *       service time (1.00 = no overhead; targets: retrieve ≥ 0.8, save ≥ 0.5).
 *   <li>Catalog size: a catalog of {@code rows} file rows (each with its version and location, bulk-inserted
 *       straight into the tables, then ANALYZEd as a settled database would be) against one of 1,000, the
 *       measured owner holding the same 1,000 files in both; the median time of {@code list} (first page, a
 *       page after a cursor, a page of one segment), {@code info} and {@code usage}, taken in turns, printed as
 *       large ÷ small (target ≤ 2).
 * </ol>
 *
 * <p>Arguments: {@code <work dir> [count 10000] [bytes 4096] [rows 1000000] [threads 1,32] [databases sqlite,postgres]
 * [samples 300]}.
 */
public final class ServiceOverhead {

    private static final int BATCH = 500;
    /**
     * Operations of each side run first and not counted: the JIT compiles the hot paths over the first few thousand
     * (decision 0097 saw compilation go on through the measured batches after a warm-up of one batch).
     */
    private static final int WARMUP = 4 * BATCH;
    private static final int OWNERS = 100;
    private static final int PAGE = 100;
    private static final int TARGET_FILES = 1000;
    private static final String TARGET = "target";
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private final Path work;
    private EmbeddedPostgres postgres;
    /** What the JVM and the PostgreSQL server (once started) have spent. */
    private ProcessCpu cpu = new ProcessCpu(0);
    private int databases;

    private ServiceOverhead(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        List<Integer> threads = Stream.of((args.length > 4 ? args[4] : "1,32").split(",")).map(Integer::valueOf).toList();
        List<String> dbs = List.of((args.length > 5 ? args[5] : "sqlite,postgres").split(","));
        int samples = args.length > 6 ? Integer.parseInt(args[6]) : 300;
        if (rows < TARGET_FILES) {
            // The catalog-size part compares ROWS against a catalog of TARGET_FILES and samples from both.
            System.err.printf(Locale.ROOT, "rows must be at least %,d (the catalog it is compared with), was %,d%n",
                    TARGET_FILES, rows);
            System.exit(2);
        }
        deleteTree(work);
        Files.createDirectories(work);
        ServiceOverhead bench = new ServiceOverhead(work);
        try {
            System.out.printf(Locale.ROOT, "service overhead: %d saves and retrieves of %d bytes per case, batches of %d"
                    + " after %d of each not counted, %d owners; %d CPUs%n", count, bytes, BATCH, WARMUP, OWNERS,
                    Runtime.getRuntime().availableProcessors());
            List<String[]> table = new ArrayList<>();
            for (String db : dbs) {
                for (int t : threads) {
                    double[] r = bench.operations(db, count, bytes, t);
                    table.add(new String[] {db, Integer.toString(t), f(r[0]), f(r[1]), f(r[2]), f(r[3]), f(r[4]), f(r[5])});
                }
            }
            System.out.println();
            System.out.println("operations (bare local ÷ service; targets: save >= 0.50, retrieve >= 0.80)");
            System.out.printf("%-9s %7s %10s %12s %12s %10s %12s %12s%n", "catalog", "threads", "save", "bare µs/op",
                    "service µs", "retrieve", "bare µs/op", "service µs");
            for (String[] row : table) {
                System.out.printf("%-9s %7s %10s %12s %12s %10s %12s %12s%n", (Object[]) row);
            }
            for (String db : dbs) {
                bench.catalogSize(db, rows, samples);
            }
        } finally {
            bench.close();
        }
        deleteTree(work);
    }

    // ---- operations against the bare backend -----------------------------------------------------

    /** {save ratio, bare µs per put, service µs per save, retrieve ratio, bare µs per get, service µs per retrieve}. */
    private double[] operations(String db, int count, int bytes, int threads) throws Exception {
        Path dir = work.resolve(db + "-ops-" + threads);
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        String[] ids = new String[count + WARMUP];
        try (LocalBlobStore store = LocalBlobStore.open(dir.resolve("blobs"));
             StorageService service = StorageService.open(settings(db, dir), store);
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            IntConsumer put = i -> store.put(bareKey(i), BlobContent.of(data));
            IntConsumer save = i -> ids[i] = service.save(owner(i), "file-" + i, BlobContent.of(data),
                    SaveOptions.defaults()).id();
            IntConsumer get = i -> {
                try (BlobRead r = store.get(bareKey(i))) {
                    drain(r.stream());
                }
            };
            IntConsumer retrieve = i -> {
                try (FileRead r = service.retrieve(owner(i), ids[i])) {
                    drain(r.stream());
                }
            };
            long[] saves = interleaved(pool, count, put, save);
            long[] reads = interleaved(pool, count, get, retrieve);
            double[] r = {(double) saves[0] / saves[1], saves[0] / 1e3 / count, saves[1] / 1e3 / count,
                    (double) reads[0] / reads[1], reads[0] / 1e3 / count, reads[1] / 1e3 / count};
            System.out.printf(Locale.ROOT, "  %-8s %2d threads: save %.2f (bare %.0f µs, service %.0f µs per op)  retrieve"
                    + " %.2f (bare %.0f µs, service %.0f µs per op)%n", db, threads, r[0], r[1], r[2], r[3], r[4], r[5]);
            System.out.printf(Locale.ROOT, "  %-8s %2d threads: CPU µs per op, JVM + database: put %.0f + %.0f, save %.0f + %.0f;"
                    + " get %.0f + %.0f, retrieve %.0f + %.0f%n", db, threads, saves[2] / 1e3 / count, saves[4] / 1e3 / count,
                    saves[3] / 1e3 / count, saves[5] / 1e3 / count, reads[2] / 1e3 / count, reads[4] / 1e3 / count,
                    reads[3] / 1e3 / count, reads[5] / 1e3 / count);
            System.out.printf(Locale.ROOT, "  JVM threads µs per save (bare | service): pool user %.0f | %.0f, pool system %.0f | %.0f,"
                    + " compilers %.0f | %.0f, GC %.0f | %.0f, others %.0f | %.0f%n", saves[6] / 1e3 / count, saves[11] / 1e3 / count,
                    saves[7] / 1e3 / count, saves[12] / 1e3 / count, saves[8] / 1e3 / count, saves[13] / 1e3 / count,
                    saves[9] / 1e3 / count, saves[14] / 1e3 / count, saves[10] / 1e3 / count, saves[15] / 1e3 / count);
            if (db.equals("postgres") && Boolean.getBoolean("bench.statements")) {
                statements(count);
            }
            return r;
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * With {@code -Dbench.statements=true}: what the server ran for the last case, from {@code pg_stat_statements}
     * (calls and time per save or retrieve counted, warm-ups included), then cleared for the next case.
     */
    private void statements(int count) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, shared_blks_hit, rows,"
                    + " left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_statements"
                    + " ORDER BY total_exec_time DESC LIMIT 8")) {
                System.out.printf(Locale.ROOT, "  statements (per op of %d): calls, exec µs, shared buffers hit per call, rows%n",
                        count + WARMUP);
                while (rs.next()) {
                    System.out.printf(Locale.ROOT, "    %6.2f %8.1f %8.1f %6.2f  %s%n", rs.getLong(1) / (double) (count + WARMUP),
                            rs.getDouble(2) * 1e3 / (count + WARMUP), rs.getLong(3) / (double) Math.max(1, rs.getLong(1)),
                            rs.getLong(4) / (double) (count + WARMUP), rs.getString(5));
                }
            }
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** A key of the service's shape ({@code <owner>/<yyyy>/<mm>/<file id>/<version id>}), so both sides make as many directories. */
    private static BlobKey bareKey(int i) {
        return BlobKey.of(String.format(Locale.ROOT, "bare-%s/2026/12/%026d/%026d", owner(i), i, i));
    }

    private static String owner(int i) {
        return "owner-" + (i % OWNERS);
    }

    /**
     * Runs operations {@code WARMUP .. WARMUP + count} of both sides in batches, one side's batch then the other's,
     * alternating who goes first, after a warm-up (operations {@code 0 .. WARMUP}, in batches taken in turns) of each
     * that is not counted; returns in nanoseconds {bare, service} wall time, then {bare, service} CPU of the JVM, then of the
     * database server, then the JVM's CPU by kind of thread ({@link ProcessCpu#threads}), five for bare, five for the
     * service (the JVM's and the server's background work falls on whichever side runs meanwhile).
     */
    private long[] interleaved(ExecutorService pool, int count, IntConsumer bare, IntConsumer service)
            throws Exception {
        long[] ignored = new long[16];
        for (int start = 0; start < WARMUP; start += BATCH) {
            run(pool, start, start + BATCH, bare, ignored, 0);
            run(pool, start, start + BATCH, service, ignored, 1);
        }
        long[] total = new long[16];
        for (int start = WARMUP, b = 0; start < count + WARMUP; start += BATCH, b++) {
            int from = start;
            int to = Math.min(count + WARMUP, start + BATCH);
            if (b % 2 == 0) {
                run(pool, from, to, bare, total, 0);
                run(pool, from, to, service, total, 1);
            } else {
                run(pool, from, to, service, total, 1);
                run(pool, from, to, bare, total, 0);
            }
        }
        return total;
    }

    /**
     * Operations {@code from} to {@code to} spread over the pool's threads; adds the nanoseconds until the last is
     * done, and the CPU the JVM and the server spent meanwhile, to {@code total} at {@code side}, 2 + side and 4 + side,
     * and the JVM's by kind of thread at 6 + 5 * side onwards.
     */
    private void run(ExecutorService pool, int from, int to, IntConsumer op, long[] total, int side) throws Exception {
        long jvm = ProcessCpu.jvm();
        long server = cpu.server();
        long[] threads = ProcessCpu.threads();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int n = i;
            done.add(pool.submit(() -> op.accept(n)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        total[side] += System.nanoTime() - start;
        total[2 + side] += ProcessCpu.jvm() - jvm;
        total[4 + side] += cpu.server() - server;
        long[] after = ProcessCpu.threads();
        for (int k = 0; k < 5; k++) {
            total[6 + side * 5 + k] += after[k] - threads[k];
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- catalog size ----------------------------------------------------------------------------

    private void catalogSize(String db, int rows, int samples) throws Exception {
        System.out.println();
        System.out.printf(Locale.ROOT, "catalog size on %s: %,d file rows ÷ %,d (median of %d samples each; target <= 2.00)%n",
                db, rows, TARGET_FILES, samples);
        // The catalog's own queries, without the read cache: after the bulk load the small catalog's files are all
        // in the cache and the large one's mostly not, which would compare memory with the database.
        System.out.println("  read cache off (the operations above measure it)");
        Path smallDir = work.resolve(db + "-small");
        Path largeDir = work.resolve(db + "-large");
        Map<String, String> uncached = Map.of("STOWAGE_DATABASE_READ_CACHE", "0");
        ServiceSettings small = settings(db, smallDir, uncached);
        ServiceSettings large = settings(db, largeDir, uncached);
        long loadStart = System.nanoTime();
        List<String> smallIds = load(small, TARGET_FILES);
        List<String> largeIds = load(large, rows);
        System.out.printf(Locale.ROOT, "  loaded in %.0f s%n", (System.nanoTime() - loadStart) / 1e9);
        try (LocalBlobStore store = LocalBlobStore.open(work.resolve(db + "-size-blobs"));
             StorageService s = StorageService.open(small, store);
             StorageService l = StorageService.open(large, store)) {
            String smallCursor = s.list(TARGET, "", "", PAGE * 5).nextCursor().orElseThrow();
            String largeCursor = l.list(TARGET, "", "", PAGE * 5).nextCursor().orElseThrow();
            Random random = new Random(11);
            Map<String, Supplier<Runnable[]>> ops = new java.util.LinkedHashMap<>();
            ops.put("list, first page", () -> new Runnable[] {() -> check(s.list(TARGET, "", "", PAGE)),
                () -> check(l.list(TARGET, "", "", PAGE))});
            ops.put("list, page after a cursor", () -> new Runnable[] {() -> check(s.list(TARGET, "", smallCursor, PAGE)),
                () -> check(l.list(TARGET, "", largeCursor, PAGE))});
            ops.put("list, page of a segment", () -> new Runnable[] {
                () -> check(s.list(TARGET, "", "avatars", "", PAGE)), () -> check(l.list(TARGET, "", "avatars", "", PAGE))});
            ops.put("info", () -> {
                int i = random.nextInt(TARGET_FILES);
                return new Runnable[] {() -> s.info(TARGET, smallIds.get(i)), () -> l.info(TARGET, largeIds.get(i))};
            });
            ops.put("usage", () -> new Runnable[] {() -> s.usage(TARGET), () -> l.usage(TARGET)});
            System.out.printf("  %-27s %14s %14s %10s%n", "operation", "1,000 rows µs", "large µs", "ratio");
            for (var op : ops.entrySet()) {
                List<Double> smallTimes = new ArrayList<>();
                List<Double> largeTimes = new ArrayList<>();
                for (int i = 0; i < samples + 20; i++) {
                    Runnable[] pair = op.getValue().get();
                    boolean smallFirst = i % 2 == 0;
                    double a = micros(pair[smallFirst ? 0 : 1]);
                    double b = micros(pair[smallFirst ? 1 : 0]);
                    if (i >= 20) {
                        smallTimes.add(smallFirst ? a : b);
                        largeTimes.add(smallFirst ? b : a);
                    }
                }
                double ms = median(smallTimes);
                double ml = median(largeTimes);
                System.out.printf(Locale.ROOT, "  %-27s %14.0f %14.0f %10.2f%n", op.getKey(), ms, ml, ml / ms);
            }
        }
        deleteTree(smallDir);
        deleteTree(largeDir);
    }

    private static void check(FilePage page) {
        if (page.files().size() != PAGE) {
            throw new IllegalStateException("a page of " + page.files().size() + " files, not " + PAGE);
        }
    }

    private static double micros(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e3;
    }

    /**
     * Creates the catalog (through the service, so its migrations run) and bulk-inserts {@code rows} committed
     * files straight into it: {@value #TARGET_FILES} of them the measured owner's, the rest spread over owners of
     * 1,000 files each; returns the measured owner's file ids.
     */
    private List<String> load(ServiceSettings settings, int rows) throws SQLException {
        try (LocalBlobStore store = LocalBlobStore.open(work.resolve("migrate-blobs"));
             StorageService ignored = StorageService.open(settings, store)) {
            // migrated
        }
        List<String> targetIds = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (Connection c = connect(settings)) {
            c.setAutoCommit(false);
            try (PreparedStatement owners = c.prepareStatement("INSERT INTO owners (id, created_at) VALUES (?, ?)");
                 PreparedStatement usage = c.prepareStatement(
                         "INSERT INTO usage_counters (owner_id, bytes, files) VALUES (?, ?, ?)");
                 PreparedStatement files = c.prepareStatement("INSERT INTO files (id, owner_id, name, state,"
                         + " current_version_id, versions_created, tier, segment, created_at, updated_at)"
                         + " VALUES (?, ?, ?, 'active', ?, 1, 'HOT', ?, ?, ?)");
                 PreparedStatement versions = c.prepareStatement("INSERT INTO versions (id, file_id, seq, state,"
                         + " blob_key, size, sha256, content_type, metadata, created_at, committed_at)"
                         + " VALUES (?, ?, 1, 'committed', ?, 4096, ?, 'application/octet-stream', '{}', ?, ?)");
                 PreparedStatement locations = c.prepareStatement(
                         "INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (?, 'local', ?, ?)")) {
                String sha = "0".repeat(64);
                int ownersCount = 1 + Math.max(0, rows - TARGET_FILES + 999) / 1000;
                for (int o = 0; o < ownersCount; o++) {
                    String owner = o == 0 ? TARGET : String.format(Locale.ROOT, "o%06d", o);
                    int first = o == 0 ? 0 : TARGET_FILES + (o - 1) * 1000;
                    int last = o == 0 ? Math.min(rows, TARGET_FILES) : Math.min(rows, first + 1000);
                    owners.setString(1, owner);
                    owners.setLong(2, now);
                    owners.executeUpdate();
                    usage.setString(1, owner);
                    usage.setLong(2, 4096L * (last - first));
                    usage.setLong(3, last - first);
                    usage.executeUpdate();
                    for (int i = first; i < last; i++) {
                        String fileId = id(1, i);
                        String versionId = id(2, i);
                        String key = owner + "/2026/12/" + fileId + "/" + versionId;
                        if (o == 0) {
                            targetIds.add(fileId);
                        }
                        files.setString(1, fileId);
                        files.setString(2, owner);
                        files.setString(3, String.format(Locale.ROOT, "file-%07d", i - first));
                        files.setString(4, versionId);
                        files.setString(5, i % 2 == 0 ? "avatars" : "docs");
                        files.setLong(6, now);
                        files.setLong(7, now);
                        files.addBatch();
                        versions.setString(1, versionId);
                        versions.setString(2, fileId);
                        versions.setString(3, key);
                        versions.setString(4, sha);
                        versions.setLong(5, now);
                        versions.setLong(6, now);
                        versions.addBatch();
                        locations.setString(1, versionId);
                        locations.setString(2, key);
                        locations.setLong(3, now);
                        locations.addBatch();
                    }
                    files.executeBatch();
                    versions.executeBatch();
                    locations.executeBatch();
                    if (o % 100 == 99) {
                        c.commit();
                    }
                }
                c.commit();
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
        }
        return targetIds;
    }

    /** A well-formed id (26 characters of the catalog's base32), unique per {@code kind} and {@code n}. */
    private static String id(int kind, long n) {
        char[] out = new char[26];
        out[0] = ALPHABET[kind];
        long v = n;
        for (int i = 25; i > 0; i--) {
            out[i] = ALPHABET[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }

    private Connection connect(ServiceSettings settings) throws SQLException {
        Connection c = DriverManager.getConnection(settings.databaseUrl(), settings.databaseUser().orElse(null),
                settings.databasePassword().orElse(null));
        if (!settings.postgres()) {
            try (Statement s = c.createStatement()) {
                // Loading only: the catalog itself runs with synchronous=FULL.
                s.execute("PRAGMA synchronous = OFF");
            }
        }
        return c;
    }

    // ---- catalogs --------------------------------------------------------------------------------

    /** A fresh catalog of kind {@code db} for a service whose home is {@code dir}. */
    private ServiceSettings settings(String db, Path dir) throws IOException, SQLException {
        return settings(db, dir, Map.of());
    }

    private ServiceSettings settings(String db, Path dir, Map<String, String> more) throws IOException, SQLException {
        Map<String, String> env = new HashMap<>(more);
        // -Dbench.env.STOWAGE_...=value: a setting for every service the benchmark opens (to compare settings).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.env."))
                .forEach(k -> env.put(k.substring("bench.env.".length()), System.getProperty(k)));
        env.put("STOWAGE_HOME", dir.toString());
        if (db.equals("postgres")) {
            if (postgres == null) {
                // The tests' embedded server, but durable as a real one: its builder turns synchronous_commit off,
                // and the local backend beside it fsyncs every put.
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                        .setServerConfig("fsync", "on");
                if (Boolean.getBoolean("bench.statements")) {
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
                }
                postgres = builder.start();
                try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                     java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    cpu = new ProcessCpu(ProcessCpu.parent(rs.getLong(1)));
                }
            }
            String name = "bench_" + (++databases);
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            env.put("STOWAGE_DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name
                    + "?reWriteBatchedInserts=true");
            env.put("STOWAGE_DATABASE_USER", "postgres");
            env.put("STOWAGE_DATABASE_PASSWORD", "postgres");
        } else if (!db.equals("sqlite")) {
            throw new IllegalArgumentException("databases are sqlite and postgres, not " + db);
        }
        Files.createDirectories(dir);
        return ServiceSettings.from(StowageConfig.load(ConfigSources.of(env, dir)));
    }

    private void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
