package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tier", description = "Change the tier of a stored key (HOT, WARM, COLD or ARCHIVE). When tiers: maps "
        + "that tier to another backend the object is moved there (copied, SHA-256 compared, then removed from where "
        + "it was); otherwise the backend changes the tier in place.")
final class TierCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key to move")
    String key;

    @Parameters(index = "1", paramLabel = "<tier>", description = "HOT, WARM, COLD or ARCHIVE")
    String tier;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        Tier target = Tier.parse(tier);
        try (BlobStore store = root.openPrimary()) {
            Tiered tiered = store.feature(Tiered.class)
                    .orElseThrow(() -> StorageException.unsupported(store.name(), "tiers"));
            BlobInfo info = tiered.setTier(blobKey, target);
            root.ctx().out().println(blobKey + " is now " + info.tier().map(Enum::name).orElse(target.name())
                    + " on " + info.backend());
        }
        return ExitCodes.OK;
    }
}
