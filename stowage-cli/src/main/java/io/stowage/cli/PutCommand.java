package io.stowage.cli;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.PutOptions;
import io.stowage.Tier;
import io.stowage.manager.StorageManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "put", description = {"Store a file (or stdin with '-') under a key. Streams; never buffers the file.",
        "With --recursive, every file under a directory, several at once, each under <prefix>/<its path in the "
                + "directory>; a file that fails is named on stderr, the others are stored, and the exit code is the "
                + "first failure's."})
final class PutCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file|->", description = "file to store, or '-' for stdin "
            + "(with --recursive: the directory whose files to store)")
    String source;

    @Parameters(index = "1", paramLabel = "<key>", description = "key to store it under, e.g. photos/a.jpg "
            + "(with --recursive: the prefix, e.g. photos/)")
    String key;

    @Option(names = {"-r", "--recursive"}, description = "store every file under the directory <file>, "
            + "following symbolic links, as <key>/<path in the directory>")
    boolean recursive;

    @Mixin
    Batch.Parallel parallel;

    @Option(names = "--json", description = "print the stored blob as one JSON object (with --recursive: "
            + "{files: [{key, file, size, sha256} or {file, error}], stored, failed, bytes, seconds})")
    boolean json;

    @Option(names = "--content-type", paramLabel = "<type>",
            description = "media type (default: guessed from the file name, else application/octet-stream)")
    String contentType;

    @Option(names = "--meta", paramLabel = "<k=v>", description = "user metadata, repeatable (keys: [a-z][a-z0-9_]*)")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--tier", paramLabel = "<tier>", description = "HOT, WARM, COLD or ARCHIVE: stored on the backend "
            + "that tiers: maps it to, else in that tier of the primary (where it has tiers)")
    String tier;

    @Override
    public Integer call() throws IOException {
        if (recursive) {
            return recursive();
        }
        CliContext ctx = root.ctx();
        BlobKey blobKey = BlobKey.of(key);
        Path file = source.equals("-") ? null : ctx.resolve(source);
        PutOptions options = options(file);
        if (file != null && Files.isDirectory(file)) {
            throw new FileSystemException(source, null, "is a directory (put stores one file; name a file in it, "
                    + "or store them all with --recursive)");
        }
        if (file != null && !Files.exists(file)) {
            throw new NoSuchFileException(source);
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new FileSystemException(source, null, "not a regular file (read a pipe or device with 'put - <key>' "
                    + "and shell redirection)");
        }

        io.stowage.config.StowageConfig config = root.config();
        // An S3 put of a file needs its SHA-256 before the first request (decision 0006): hash it while
        // the store opens (start-up, the SDK's classes) rather than in a pass of its own afterwards.
        Early early = file == null ? Early.NONE : Early.start(config, file);
        try (StorageManager manager = root.openManager(config); Transfers.Transfer transfer = ctx.transfers().begin()) {
            BlobStore store = manager.store();
            BlobInfo info;
            if (file == null) {
                info = store(store, blobKey, BlobContent.ofUnknownLength(transfer.guard(ctx.stdin())), options,
                        transfer, null);
            } else {
                try {
                    info = putFile(ctx, store, file, blobKey, options, transfer, early, true);
                } catch (FileSystemException e) {
                    throw LocalFiles.named(e, source);
                }
            }
            if (json) {
                JsonOutput.object(ctx.out(), info);
                return ExitCodes.OK;
            }
            ctx.out().println("stored " + info.key() + "  " + info.size() + " bytes"
                    + info.sha256().map(s -> "  sha256 " + s).orElse("")
                    + (tier == null ? "" : "  tier " + info.tier().map(Enum::name).orElse(tier.toUpperCase(java.util.Locale.ROOT))
                            + " on " + info.backend())
                    + (tier == null && !info.backend().isEmpty() && !info.backend().equals(store.name())
                            ? "  on " + info.backend() + " (primary '" + store.name() + "' "
                                    + StowageCli.notTaking(manager) + ": journalled, 'stowage replay' copies it back)"
                            : ""));
        }
        return ExitCodes.OK;
    }

    private PutOptions options(Path file) {
        String type = contentType;
        if (type == null && file != null) {
            type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
        }
        return PutOptions.builder().contentType(type).metadata(meta).tier(tier == null ? null : Tier.parse(tier)).build();
    }

    /** Every file under the directory {@code source}, {@code --parallel} at once. */
    private int recursive() throws IOException {
        CliContext ctx = root.ctx();
        int slots = parallel.value();
        if (source.equals("-")) {
            throw new ParameterException(spec.commandLine(), "put --recursive stores a directory's files, not stdin");
        }
        Path dir = ctx.resolve(source);
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(source);
        }
        if (!Files.isDirectory(dir)) {
            throw new FileSystemException(source, null, "not a directory (put --recursive stores the files under a "
                    + "directory; for one file leave out --recursive)");
        }
        String prefix = key.replaceAll("/+$", "");
        if (!prefix.isEmpty()) {
            BlobKey.of(prefix);
        }
        options(null); // a bad --tier or --meta fails once, not once per file
        String shownDir = source.endsWith("/") ? source : source + "/";
        io.stowage.config.StowageConfig config = root.config();
        try (StorageManager manager = root.openManager(config); Transfers.Transfer all = ctx.transfers().begin()) {
            BlobStore store = manager.store();
            Batch batch = new Batch(ctx, "stored", slots, json, all);
            try {
                walk(dir, shownDir, prefix, config, store, batch);
            } catch (IOException | RuntimeException e) {
                if (!batch.cancelled()) {
                    throw e;
                }
            } finally {
                batch.close();
            }
            return batch.finish("under '" + (prefix.isEmpty() ? "" : prefix + "/") + "'");
        }
    }

    private void walk(Path dir, String shownDir, String prefix, io.stowage.config.StowageConfig config, BlobStore store,
            Batch batch) throws IOException {
        CliContext ctx = root.ctx();
        long hashAheadAbove = FileDigest.above(config);
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
            new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return batch.cancelled() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (batch.cancelled()) {
                        return FileVisitResult.TERMINATE;
                    }
                    String rel = relative(dir, file);
                    String shown = shownDir + rel;
                    if (!attrs.isRegularFile()) {
                        batch.failed(shown, new FileSystemException(shown, null, attrs.isSymbolicLink()
                                ? "dangling symbolic link; skipped" : "not a regular file (a pipe, device or "
                                + "socket); skipped"));
                        return FileVisitResult.CONTINUE;
                    }
                    boolean big = attrs.size() > LARGE;
                    batch.submit(shown, one -> {
                        BlobKey k = BlobKey.of(prefix.isEmpty() ? rel : prefix + "/" + rel);
                        BlobInfo info;
                        if (big) {
                            awaitLargeSlot(one);
                        }
                        try {
                            info = putFile(ctx, store, file, k, options(file), one, Early.start(hashAheadAbove, file), false);
                        } catch (FileSystemException e) {
                            throw LocalFiles.named(e, shown);
                        } finally {
                            if (big) {
                                largeSlot.release();
                            }
                        }
                        return new Batch.Done(info.key().value(), shown, info.size(), info.sha256().orElse(null));
                    });
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String shown = shownDir + relative(dir, file);
                    batch.failed(shown, e instanceof FileSystemLoopException
                            ? new FileSystemException(shown, null, "symbolic link loop; skipped")
                            : e instanceof FileSystemException fse ? LocalFiles.named(fse, shown) : e);
                    return FileVisitResult.CONTINUE;
                }
            });
    }

    /**
     * Files above this size go up one at a time in a batch: each is sent in parts, several at once, and holds
     * that many part buffers ({@code (upload_concurrency + 1) × part_size} on S3), so a batch's memory stays
     * that of one large upload plus {@code --parallel} small ones, whatever the files' sizes (decision 0076).
     */
    static final long LARGE = 8L * 1024 * 1024;

    private final java.util.concurrent.Semaphore largeSlot = new java.util.concurrent.Semaphore(1);

    private void awaitLargeSlot(Transfers.Transfer transfer) throws java.io.InterruptedIOException {
        try {
            while (!largeSlot.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                transfer.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** {@code file}'s path below {@code dir}, with {@code /} between its names. */
    private static String relative(Path dir, Path file) {
        Path rel = dir.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path name : rel) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(name);
        }
        return sb.toString();
    }

    /**
     * The SHA-256 of a file an S3 put needs before its first request (decision 0006), computed on a thread of
     * its own, and the file's stamp taken before it, which lets the upload skip hashing it again (decision 0073).
     */
    record Early(java.util.Optional<FileStamp> stamp, FileDigest digest) {
        static final Early NONE = new Early(java.util.Optional.empty(), null);

        static Early start(io.stowage.config.StowageConfig config, Path file) {
            return start(FileDigest.above(config), file);
        }

        /** As {@link #start(io.stowage.config.StowageConfig, Path)}, for files above {@link FileDigest#above}. */
        static Early start(long above, Path file) {
            if (!FileDigest.worthIt(above, file)) {
                return NONE;
            }
            return new Early(FileStamp.of(file, FileStamp.SETTLE), FileDigest.start(file));
        }
    }

    /** Stores the regular file {@code file} under {@code blobKey}; a progress bar when {@code bar} and on a terminal. */
    static BlobInfo putFile(CliContext ctx, BlobStore store, Path file, BlobKey blobKey, PutOptions options,
            Transfers.Transfer transfer, Early early, boolean bar) throws IOException {
        // Opened once here, so a file that cannot be read is the user's local-file error (exit code 21) that
        // names it, not a backend's failed put naming a path they never typed.
        try (java.nio.channels.FileChannel readable = java.nio.channels.FileChannel.open(file)) {
            readable.size();
        }
        String known = early.digest() == null ? null : early.digest().await(transfer);
        long size = Files.size(file);
        ProgressBar progress = bar ? ProgressBar.maybe(ctx, blobKey.name(), size) : null;
        BlobContent content = new GuardedFile(file, size, transfer, progress, java.util.Optional.ofNullable(known),
                known == null ? java.util.Optional.empty() : early.stamp(), store.name(), blobKey);
        return store(store, blobKey, content, options, transfer, progress);
    }

    private static BlobInfo store(BlobStore store, BlobKey blobKey, BlobContent content, PutOptions options,
            Transfers.Transfer transfer, ProgressBar bar) {
        try {
            return store.put(blobKey, content, options);
        } catch (RuntimeException e) {
            if (transfer.cancelled()) {
                throw new StowageCli.Interrupted("interrupted; nothing was stored under '" + blobKey + "'", e);
            }
            throw e;
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
    }

    /** A file read through the transfer's guard (so Ctrl-C fails it) and the progress bar. */
    private record GuardedFile(Path path, long size, Transfers.Transfer transfer, ProgressBar bar,
            java.util.Optional<String> knownSha256, java.util.Optional<FileStamp> stamp, String backend, BlobKey key)
            implements BlobContent {
        @Override
        public boolean knownSha256Vouched() {
            return stamp.isPresent() && knownSha256.isPresent();
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.of(size);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public InputStream open() throws IOException {
            if (bar != null) {
                bar.reset();
            }
            InputStream in = Files.newInputStream(path);
            return ProgressBar.counting(transfer.guard(stamp.isPresent() ? stamp.get().guard(in, backend, key) : in), bar);
        }
    }
}
