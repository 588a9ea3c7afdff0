package io.stowage.cli;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code stowage migrate --raw}: every key of one configured backend under a prefix copied to another, as
 * {@code rclone copy} does, without a catalog (decision 0053). Both backends list in UTF-8 byte order, so the
 * target's listing is walked beside the source's (a merge, one page of each in memory): a key the target lacks is
 * copied at once; one it has with the same size is compared by SHA-256 and skipped when identical. Each copy
 * streams with the source's SHA-256 as the expected checksum, so the target verifies it. After each page the
 * listing cursor goes to a checkpoint file under {@code STOWAGE_HOME/state/}, which the same command reads to
 * resume, and removes once it finishes.
 */
final class RawMigration {

    private static final int PAGE = 1000;

    private final CliContext ctx;
    private final StowageConfig config;
    private final String from;
    private final String to;
    private final String prefix;
    private final boolean deleteSource;
    private final boolean dryRun;
    private final int parallel;
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong copiedBytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();

    RawMigration(CliContext ctx, StowageConfig config, String from, String to, String prefix, boolean deleteSource,
                 boolean dryRun, int parallel) {
        if (parallel < 1 || parallel > 256) {
            throw StorageException.invalidArgument("parallel must be 1 to 256, not " + parallel);
        }
        if (from.equals(to)) {
            throw StorageException.invalidArgument("the source and the target are one backend ('" + from + "')");
        }
        this.ctx = ctx;
        this.config = config;
        this.from = from;
        this.to = to;
        this.prefix = prefix == null ? "" : prefix;
        this.deleteSource = deleteSource;
        this.dryRun = dryRun;
        this.parallel = parallel;
    }

    int run() {
        long started = System.nanoTime();
        PrintWriter out = ctx.out();
        try (StorageManager manager = StorageManager.open(config, ctx.providers())) {
            BlobStore source = named(manager, from);
            if (!manager.config().backends().containsKey(to)) {
                throw noBackend(manager, to);
            }
            Path checkpoint = checkpointFile();
            Optional<String> cursor = dryRun ? Optional.empty() : readCheckpoint(checkpoint);
            cursor.ifPresent(c -> {
                out.println("resuming from the checkpoint " + checkpoint.getFileName());
                out.flush();
            });
            Semaphore slots = new Semaphore(parallel);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                // The target opens (an S3 target builds its client and checks its bucket) and lists its first page
                // while the source lists its own: one after the other they held back the first copy (decision 0098).
                Future<TargetWalk> walking = pool.submit(() -> new TargetWalk(named(manager, to), prefix).started());
                Page<BlobInfo> page = list(source, cursor);
                TargetWalk targets = wait(walking);
                BlobStore target = targets.store;
                while (true) {
                    // The next page is listed while this one copies (two pages in memory at most): a listing of
                    // 1,000 keys left every copy slot idle while it ran.
                    Optional<String> next = page.nextCursor();
                    Future<Page<BlobInfo>> following = next.isEmpty() ? null : pool.submit(() -> list(source, next));
                    List<Future<?>> work = new ArrayList<>();
                    for (BlobInfo info : page.items()) {
                        Optional<BlobInfo> there = targets.find(info.key().value());
                        slots.acquireUninterruptibly();
                        work.add(pool.submit(() -> {
                            try {
                                one(source, target, info, there);
                            } finally {
                                slots.release();
                            }
                        }));
                    }
                    for (Future<?> f : work) {
                        wait(f);
                    }
                    if (following == null) {
                        break;
                    }
                    // Past a page only when none of its keys failed: a resume must try those again.
                    if (!dryRun && failed.get() == 0) {
                        writeCheckpoint(checkpoint, next.get());
                    }
                    if (!ctx.interactive()) {
                        out.printf("copied %d, skipped %d, failed %d%n", copied.get(), skipped.get(), failed.get());
                        out.flush();
                    }
                    page = wait(following);
                }
            }
            if (!dryRun && failed.get() == 0) {
                deleteQuietly(checkpoint);
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        out.printf(Locale.ROOT, "%s %d (%s), skipped %d identical, failed %d%s, in %.1f s (%.1f files/s, %s/s)%n",
                dryRun ? "would copy" : "copied", copied.get(), ProgressBar.human(copiedBytes.get()), skipped.get(),
                failed.get(), deleteSource ? ", deleted " + deleted.get() + " from " + from : "", seconds,
                copied.get() / seconds, ProgressBar.human((long) (copiedBytes.get() / seconds)));
        out.flush();
        return failed.get() == 0 ? ExitCodes.OK : ExitCodes.of(ErrorKind.UNAVAILABLE);
    }

    private void one(BlobStore source, BlobStore target, BlobInfo info, Optional<BlobInfo> there) {
        BlobKey key = info.key();
        try {
            if (there.isPresent() && there.get().size() == info.size() && identical(source, target, info, there.get())) {
                skipped.incrementAndGet();
            } else if (!dryRun) {
                copy(source, target, key, info.size());
                copied.incrementAndGet();
                copiedBytes.addAndGet(info.size());
            } else {
                copied.incrementAndGet();
                copiedBytes.addAndGet(info.size());
                return;
            }
            if (deleteSource && !dryRun) {
                source.delete(key);
                deleted.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            ctx.err().println("stowage: " + key + ": " + (e instanceof StorageException s ? s.reason() : e.toString()));
            ctx.err().flush();
        }
    }

    /** Same SHA-256 on both sides (what each backend keeps, else computed by reading). */
    private static boolean identical(BlobStore source, BlobStore target, BlobInfo a, BlobInfo b) {
        return sha256(source, a).equals(sha256(target, b));
    }

    private static String sha256(BlobStore store, BlobInfo info) {
        Optional<String> known = info.sha256().or(() -> store.stat(info.key()).sha256());
        if (known.isPresent()) {
            return known.get();
        }
        try (BlobRead read = store.get(info.key(), GetOptions.defaults())) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 << 10];
            for (int n; (n = read.stream().read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw StorageException.io(store.name(), "get", info.key(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams the object; the target checks the source's SHA-256 where the source knows it. */
    private static void copy(BlobStore source, BlobStore target, BlobKey key, long size) {
        try (BlobRead read = source.get(key, GetOptions.defaults())) {
            PutOptions.Builder options = PutOptions.builder().contentType(read.info().contentType())
                    .metadata(read.info().metadata());
            read.info().sha256().ifPresent(options::expectedSha256);
            target.put(key, BlobContent.of(read.stream(), read.info().size()), options.build());
        }
    }

    private static BlobStore named(StorageManager manager, String name) {
        return manager.configured(name).orElseThrow(() -> noBackend(manager, name));
    }

    private static StorageException noBackend(StorageManager manager, String name) {
        return StorageException.invalidArgument("no backend named '" + name + "'; configured: "
                + String.join(", ", new java.util.TreeSet<>(manager.config().backends().keySet())));
    }

    private Path checkpointFile() {
        String id = HexFormat.of().formatHex(sha(from + "\n" + to + "\n" + prefix)).substring(0, 16);
        return config.home().resolve("state").resolve("migrate-raw-" + id + ".checkpoint");
    }

    private Optional<String> readCheckpoint(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.ofNullable(p.getProperty("cursor"));
    }

    /** Written beside and renamed into place, so a crash leaves the old checkpoint or the new one. */
    private void writeCheckpoint(Path file, String cursor) {
        Properties p = new Properties();
        p.setProperty("from", from);
        p.setProperty("to", to);
        p.setProperty("prefix", prefix);
        p.setProperty("cursor", cursor);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "stowage migrate --raw");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale checkpoint only makes the next run start later in the listing; it skips identical keys
        }
    }

    private static byte[] sha(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Page<BlobInfo> list(BlobStore source, Optional<String> cursor) {
        ListRequest request = ListRequest.prefix(prefix).withLimit(PAGE);
        return source.list(cursor.map(request::withCursor).orElse(request));
    }

    private static <T> T wait(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageCli.Interrupted("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The target's keys in listing order, walked forwards as the source's keys come (UTF-8 byte order on both). */
    private static final class TargetWalk {
        private final BlobStore store;
        private final String prefix;
        private Iterator<BlobInfo> page = java.util.Collections.emptyIterator();
        private Optional<String> cursor = Optional.empty();
        private boolean started;
        private BlobInfo head;

        TargetWalk(BlobStore store, String prefix) {
            this.store = store;
            this.prefix = prefix;
        }

        /** This walk with its first page listed. */
        TargetWalk started() {
            advance();
            return this;
        }

        /** The target's object at {@code key}, if it has one; keys before it are passed for good. */
        Optional<BlobInfo> find(String key) {
            byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
            while (true) {
                if (head == null && !advance()) {
                    return Optional.empty();
                }
                int c = java.util.Arrays.compareUnsigned(head.key().value().getBytes(StandardCharsets.UTF_8), wanted);
                if (c == 0) {
                    return Optional.of(head);
                }
                if (c > 0) {
                    return Optional.empty();
                }
                head = null;
            }
        }

        private boolean advance() {
            while (!page.hasNext()) {
                if (started && cursor.isEmpty()) {
                    return false;
                }
                ListRequest request = ListRequest.prefix(prefix).withLimit(PAGE);
                Page<BlobInfo> p = store.list(cursor.map(request::withCursor).orElse(request));
                started = true;
                cursor = p.nextCursor();
                page = p.items().iterator();
            }
            head = page.next();
            return true;
        }
    }
}
