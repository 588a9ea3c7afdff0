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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "put", description = "Store a file (or stdin with '-') under a key. Streams; never buffers the file.")
final class PutCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<file|->", description = "file to store, or '-' for stdin")
    String source;

    @Parameters(index = "1", paramLabel = "<key>", description = "key to store it under, e.g. photos/a.jpg")
    String key;

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
        CliContext ctx = root.ctx();
        BlobKey blobKey = BlobKey.of(key);
        String type = contentType;
        if (type == null && !source.equals("-")) {
            type = URLConnection.guessContentTypeFromName(Path.of(source).getFileName().toString());
        }
        PutOptions options = PutOptions.builder().contentType(type).metadata(meta)
                .tier(tier == null ? null : Tier.parse(tier)).build();
        Path file = source.equals("-") ? null : ctx.resolve(source);
        if (file != null && Files.isDirectory(file)) {
            throw new FileSystemException(source, null, "is a directory (put stores one file; name a file in it)");
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
        // Stamped before it is hashed, so the upload need not hash it again (decision 0073).
        boolean early = file != null && FileDigest.worthIt(config, file);
        java.util.Optional<FileStamp> stamp = early ? FileStamp.of(file, FileStamp.SETTLE) : java.util.Optional.empty();
        FileDigest digest = early ? FileDigest.start(file) : null;
        try (StorageManager manager = root.openManager(config); Transfers.Transfer transfer = ctx.transfers().begin()) {
            String known = digest == null ? null : digest.await(transfer);
            BlobStore store = manager.store();
            ProgressBar bar = file == null ? null : ProgressBar.maybe(ctx, blobKey.name(), Files.size(file));
            BlobContent content = file == null
                    ? BlobContent.ofUnknownLength(transfer.guard(ctx.stdin()))
                    : new GuardedFile(file, Files.size(file), transfer, bar, java.util.Optional.ofNullable(known),
                            known == null ? java.util.Optional.empty() : stamp, store.name(), blobKey);
            BlobInfo info;
            try {
                info = store.put(blobKey, content, options);
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
