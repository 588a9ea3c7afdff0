package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.GetOptions;
import io.stowage.Listing;
import io.stowage.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "get", description = {"Read a key into a file (or stdout with '-').",
        "A regular file is written beside the target and renamed when complete, so a failure leaves nothing. "
                + "A device, FIFO or socket is written in place; a symbolic link is followed (its target gets "
                + "the content; a dangling link's target is created, a loop is refused).",
        "With --recursive, every key under a prefix into a directory, several at once, each as <dir>/<key "
                + "below the prefix>, by the same rules; a key that fails is named on stderr, the others are written, "
                + "and the exit code is the first failure's."})
final class GetCommand implements Callable<Integer> {

    private static final int BUFFER = 64 * 1024;

    @ParentCommand
    StowageCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<key>", description = "stored key to read (with --recursive: the prefix, "
            + "e.g. photos/)")
    String key;

    @Parameters(index = "1", paramLabel = "<file|->", description = "target file or directory, or '-' for stdout "
            + "(with --recursive: the directory, created when missing)")
    String target;

    @Option(names = {"-r", "--recursive"}, description = "read every key under the prefix <key> into the directory "
            + "<file>, as <file>/<key below the prefix>")
    boolean recursive;

    @Mixin
    Batch.Parallel parallel;

    @Option(names = "--json", description = "with --recursive: print {files: [{key, file, size, sha256} or "
            + "{file, error}], written, failed, bytes, seconds} instead of lines")
    boolean json;

    @Option(names = "--verify", arity = "0..1", fallbackValue = "on", paramLabel = "strict",
            preprocessor = VerifyMode.AttachedOnly.class, converter = VerifyMode.Converter.class,
            description = {"check the content against its stored SHA-256 while reading; where none is stored, "
                    + "say so on stderr and write the content unchecked",
                    "--verify=strict: where none is stored, fail (exit code 19) and write nothing"})
    VerifyMode verify = VerifyMode.OFF;

    @Option(names = "--version", paramLabel = "<id>",
            description = "read this older version (ids from 'stowage versions <key>') instead of the current one")
    String version;

    @Override
    public Integer call() throws IOException {
        if (recursive) {
            return recursive();
        }
        if (json) {
            throw new ParameterException(spec.commandLine(),
                    "--json goes with --recursive (for one key see 'stowage stat --json')");
        }
        CliContext ctx = root.ctx();
        BlobKey blobKey = BlobKey.of(key);
        GetOptions options = verify == VerifyMode.OFF ? GetOptions.defaults() : GetOptions.verified();
        try (BlobStore store = root.openPrimary();
             Transfers.Transfer transfer = ctx.transfers().begin();
             BlobRead read = version == null ? store.get(blobKey, options)
                     : Features.require(store, Versioned.class, "get --version", VersionsCommand.NO_VERSIONS)
                             .getVersion(blobKey, version, options)) {
            boolean unchecked = verify != VerifyMode.OFF && read.info().sha256().isEmpty();
            if (unchecked) {
                verify.noDigest(ctx, store.name(), blobKey, read.info().backend());
            }
            try {
                if (target.equals("-")) {
                    toStdout(ctx, read, transfer);
                } else {
                    GetTarget where = GetTarget.of(ctx.resolve(target), target, blobKey.name());
                    // A large object into a regular file: ranged reads in parallel where the store has them.
                    boolean ranged = version == null && RangedDownload.pays(store, read, verify != VerifyMode.OFF);
                    write(ctx, read, blobKey, where, transfer, ranged ? store : null, target, true);
                }
            } catch (IOException | RuntimeException e) {
                if (transfer.cancelled()) {
                    throw new StowageCli.Interrupted("interrupted; no file was written", e);
                }
                throw e;
            }
        }
        return ExitCodes.OK;
    }

    /** Every key under the prefix {@code key} into the directory {@code target}, {@code --parallel} at once. */
    private int recursive() throws IOException {
        CliContext ctx = root.ctx();
        int slots = parallel.value();
        if (version != null) {
            throw new ParameterException(spec.commandLine(), "--version reads one key; it does not go with --recursive");
        }
        if (target.equals("-")) {
            throw new ParameterException(spec.commandLine(), "get --recursive writes into a directory, not stdout");
        }
        String prefix = key.replaceAll("/+$", "");
        if (!prefix.isEmpty()) {
            BlobKey.of(prefix);
        }
        String listed = prefix.isEmpty() ? "" : prefix + "/";
        Path typed = ctx.resolve(target);
        if (Files.exists(typed) && !Files.isDirectory(typed)) {
            throw new FileSystemException(target, null, "not a directory (get --recursive writes into a directory)");
        }
        Path dir;
        try {
            dir = Files.createDirectories(typed).toRealPath();
        } catch (FileSystemException e) {
            throw LocalFiles.named(e, target);
        }
        String shownDir = target.endsWith("/") ? target : target + "/";
        GetOptions options = verify == VerifyMode.OFF ? GetOptions.defaults() : GetOptions.verified();
        try (BlobStore store = root.openPrimary(); Transfers.Transfer all = ctx.transfers().begin();
             Stream<BlobInfo> keys = Listing.all(store, listed)) {
            Batch batch = new Batch(ctx, "written", slots, json, all);
            try {
                for (Iterator<BlobInfo> it = keys.iterator(); it.hasNext() && !batch.cancelled(); ) {
                    BlobKey k = it.next().key();
                    String rel = k.value().substring(listed.length());
                    String shown = shownDir + rel;
                    Path dest;
                    try {
                        dest = dir.resolve(rel).normalize();
                    } catch (InvalidPathException e) {
                        batch.failed(shown, new FileSystemException(shown, null, "not a valid file name here; skipped"));
                        continue;
                    }
                    // Keys cannot hold '..' (BlobKey), but a file is never written outside the directory whatever
                    // a listing returns.
                    if (rel.isEmpty() || !dest.startsWith(dir) || dest.equals(dir)) {
                        batch.failed(shown, new FileSystemException(shown, null, "outside the directory '" + target
                                + "'; skipped"));
                        continue;
                    }
                    batch.submit(shown, one -> {
                        try {
                            return readOne(ctx, store, k, options, dir, dest, shownDir, shown, one);
                        } catch (FileSystemException e) {
                            throw LocalFiles.named(e, shown);
                        }
                    });
                }
            } catch (IOException | RuntimeException e) {
                if (!batch.cancelled()) {
                    throw e;
                }
            } finally {
                batch.close();
            }
            return batch.finish("into '" + shownDir + "'");
        }
    }

    private Batch.Done readOne(CliContext ctx, BlobStore store, BlobKey k, GetOptions options, Path dir, Path dest,
            String shownDir, String shown, Transfers.Transfer one) throws IOException {
        if (Files.isDirectory(dest)) {
            throw new FileSystemException(shown, null, "is a directory (other keys are below this one); skipped");
        }
        for (Path p = dest.getParent(); !p.equals(dir); p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new FileSystemException(shown, null, "'" + shownDir + dir.relativize(p).toString().replace('\\', '/')
                        + "' is a file, not a directory; skipped");
            }
        }
        try (BlobRead read = store.get(k, options)) {
            if (verify != VerifyMode.OFF && read.info().sha256().isEmpty()) {
                verify.noDigest(ctx, store.name(), k, read.info().backend());
            }
            GetTarget where = GetTarget.of(dest, dest.toString(), k.name());
            boolean ranged = RangedDownload.pays(store, read, verify != VerifyMode.OFF);
            write(ctx, read, k, where, one, ranged ? store : null, shown, false);
            return new Batch.Done(k.value(), shown, read.length(), read.info().sha256().orElse(null));
        }
    }

    /**
     * Writes {@code read} where {@code where} says; {@code ranged}, when not null, reads the rest of a large
     * object by parallel ranges. Errors about the temp file name {@code shown} instead.
     */
    private static void write(CliContext ctx, BlobRead read, BlobKey blobKey, GetTarget where,
            Transfers.Transfer transfer, BlobStore ranged, String shown, boolean bar) throws IOException {
        switch (where.kind()) {
            case STDOUT -> toStdout(ctx, read, transfer);
            case IN_PLACE -> {
                // Never renamed over: a device, a FIFO or a descriptor stays what it is.
                ProgressBar progress = bar ? ProgressBar.maybe(ctx, blobKey.name(), read.length()) : null;
                try (OutputStream out = Files.newOutputStream(where.path(), StandardOpenOption.WRITE)) {
                    copy(read.stream(), out, transfer, progress);
                } finally {
                    if (progress != null) {
                        progress.finish();
                    }
                }
            }
            case RENAME -> {
                try {
                    renamedIntoPlace(ctx, read, blobKey, transfer, where.path(), ranged, bar);
                } catch (FileSystemException e) {
                    // The temp file is ours, not the user's: name the target they asked for.
                    throw LocalFiles.named(e, shown);
                }
            }
        }
    }

    private static void toStdout(CliContext ctx, BlobRead read, Transfers.Transfer transfer) throws IOException {
        ctx.out().flush();
        copy(read.stream(), ctx.stdout(), transfer, null);
        ctx.stdout().flush();
    }

    /** Writes {@code read} beside {@code dest} and renames it over; with {@code ranged}, by parallel ranged reads. */
    private static void renamedIntoPlace(CliContext ctx, BlobRead read, BlobKey blobKey, Transfers.Transfer transfer,
                                         Path dest, BlobStore ranged, boolean showBar) throws IOException {
        Path dir = dest.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Hidden, beside the target (same file system, so the rename is atomic), unique per run.
        Path temp = dir.resolve("." + dest.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                + ".stowage-part");
        transfer.onAbandon(() -> deleteQuietly(temp));
        boolean complete = false;
        ProgressBar bar = showBar ? ProgressBar.maybe(ctx, blobKey.name(), read.length()) : null;
        try {
            if (ranged != null) {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    RangedDownload.run(ranged, blobKey, read, out, transfer, bar);
                }
            } else {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    copy(read.stream(), out, transfer, bar);
                }
            }
            transfer.check();
            try {
                Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            complete = true;
        } finally {
            if (bar != null) {
                bar.finish();
            }
            if (!complete) {
                deleteQuietly(temp);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, Transfers.Transfer transfer, ProgressBar bar)
            throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            transfer.check();
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                throw StowageCli.OutputClosed.when(e);
            }
            if (bar != null) {
                bar.advance(n);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Nothing more to do; the name is unique and hidden.
        }
    }
}
