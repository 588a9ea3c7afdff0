package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.Tiered;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = {
        "Bring an archived key back so it can be read (S3 Glacier and Deep Archive restore, Azure Archive "
                + "rehydration), and print where that stands: archived, in progress, restored (until when), or "
                + "not archived (readable now). Restores take minutes to hours; running it again shows the "
                + "status (a restore in progress is not started twice).",
        "GCS reads archived objects directly, so there is nothing to restore there."})
final class RestoreCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "archived key to bring back")
    String key;

    @Option(names = "--priority", paramLabel = "<priority>", description = "standard (default) or high; the "
            + "backend's own names work too (S3: expedited, standard, bulk)")
    String priority;

    @Option(names = "--days", paramLabel = "<n>", description = "S3: days the restored copy stays readable "
            + "(default 7); Azure keeps a rehydrated blob in Hot")
    int days = 7;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        if (days < 1) {
            throw StorageException.invalidArgument("--days must be at least 1, was " + days);
        }
        try (BlobStore store = root.openPrimary()) {
            Tiered tiered = Features.require(store, Tiered.class, "restore", "has no archive tier to restore from");
            Tiered.RestoreStatus status = tiered.restore(blobKey, days, Optional.ofNullable(priority).map(String::trim));
            root.ctx().out().println(blobKey + ": " + describe(status));
        }
        return ExitCodes.OK;
    }

    static String describe(Tiered.RestoreStatus status) {
        return switch (status.state()) {
            case NOT_ARCHIVED -> "not archived, readable now";
            case ARCHIVED -> "archived, no restore running";
            case IN_PROGRESS -> "restore in progress ('stowage restore' again shows when it is done)";
            case RESTORED -> "restored, readable" + status.readableUntil().map(t -> " until " + t).orElse(" now");
        };
    }
}
