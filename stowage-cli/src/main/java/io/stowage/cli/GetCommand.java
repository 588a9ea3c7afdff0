package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.GetOptions;
import io.stowage.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "get", description = {"Read a key into a file (or stdout with '-').",
        "A regular file is written beside the target and renamed when complete, so a failure leaves nothing. "
                + "A device, FIFO or socket is written in place; a symbolic link is followed (its target gets "
                + "the content; a dangling link's target is created, a loop is refused)."})
final class GetCommand implements Callable<Integer> {

    private static final int BUFFER = 64 * 1024;

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "stored key to read")
    String key;

    @Parameters(index = "1", paramLabel = "<file|->", description = "target file or directory, or '-' for stdout")
    String target;

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
                    toFile(ctx, store, read, blobKey, transfer);
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

    private void toFile(CliContext ctx, BlobStore store, BlobRead read, BlobKey blobKey, Transfers.Transfer transfer)
            throws IOException {
        GetTarget where = GetTarget.of(ctx.resolve(target), target, blobKey.name());
        switch (where.kind()) {
            case STDOUT -> toStdout(ctx, read, transfer);
            case IN_PLACE -> {
                // Never renamed over: a device, a FIFO or a descriptor stays what it is.
                ProgressBar bar = ProgressBar.maybe(ctx, blobKey.name(), read.length());
                try (OutputStream out = Files.newOutputStream(where.path(), StandardOpenOption.WRITE)) {
                    copy(read.stream(), out, transfer, bar);
                } finally {
                    if (bar != null) {
                        bar.finish();
                    }
                }
            }
            case RENAME -> {
                try {
                    // A large object into a regular file: ranged reads in parallel where the store has them.
                    boolean ranged = version == null && RangedDownload.pays(store, read, verify != VerifyMode.OFF);
                    renamedIntoPlace(ctx, read, blobKey, transfer, where.path(), ranged ? store : null);
                } catch (FileSystemException e) {
                    // The temp file is ours, not the user's: name the target they asked for.
                    throw e instanceof AccessDeniedException ? new AccessDeniedException(target)
                            : e instanceof NoSuchFileException ? new NoSuchFileException(target)
                            : new FileSystemException(target, null, e.getReason());
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
                                         Path dest, BlobStore ranged) throws IOException {
        Path dir = dest.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Hidden, beside the target (same file system, so the rename is atomic), unique per run.
        Path temp = dir.resolve("." + dest.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                + ".stowage-part");
        transfer.onAbandon(() -> deleteQuietly(temp));
        boolean complete = false;
        ProgressBar bar = ProgressBar.maybe(ctx, blobKey.name(), read.length());
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
