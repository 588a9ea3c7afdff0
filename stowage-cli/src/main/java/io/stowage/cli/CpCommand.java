package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cp", description = {
        "Copy a stored key to another key on the same storage, content type and metadata included.",
        "The backend copies server-side where it can (S3, Azure, GCS); elsewhere the bytes are streamed through "
                + "this process, never held in memory. Like 'put', 'aws s3 cp' and 'rclone copyto', an existing "
                + "target is replaced; --no-clobber refuses instead."})
final class CpCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<source-key>", description = "stored key to copy")
    String source;

    @Parameters(index = "1", paramLabel = "<target-key>", description = "key to copy it to")
    String target;

    @Option(names = {"-n", "--no-clobber"}, description = "fail with ALREADY_EXISTS when the target key exists "
            + "(checked just before the copy: a writer racing this command can still replace it)")
    boolean noClobber;

    @Override
    public Integer call() {
        BlobKey from = BlobKey.of(source);
        BlobKey to = BlobKey.of(target);
        if (from.equals(to)) {
            throw StorageException.invalidArgument("source and target are the same key '" + from + "'");
        }
        try (BlobStore store = root.openPrimary()) {
            if (noClobber && store.exists(to)) {
                throw StorageException.builder(io.stowage.ErrorKind.ALREADY_EXISTS).backend(store.name())
                        .operation("copy").key(to.value())
                        .message("'" + to + "' already exists in backend '" + store.name()
                                + "' (--no-clobber); without it cp replaces the target")
                        .build();
            }
            BlobInfo info = store.copy(from, to);
            root.ctx().out().println("copied " + from + " -> " + info.key() + "  " + info.size() + " bytes"
                    + info.sha256().map(s -> "  sha256 " + s).orElse("")
                    + (info.backend().isEmpty() ? "" : "  on " + info.backend()));
        }
        return ExitCodes.OK;
    }
}
