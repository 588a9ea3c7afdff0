package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.Versioned;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore-version", description = "Make an older version of a key current again. The version that "
        + "was current is kept as a version itself, so nothing is lost.")
final class RestoreVersionCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key whose version to bring back")
    String key;

    @Parameters(index = "1", paramLabel = "<id>", description = "version id, from 'stowage versions <key>'")
    String versionId;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        try (BlobStore store = root.openPrimary()) {
            BlobInfo now = Features.require(store, Versioned.class, "restore-version", VersionsCommand.NO_VERSIONS)
                    .restore(blobKey, versionId);
            root.ctx().out().println("restored " + blobKey + " to version " + versionId + "  " + now.size() + " bytes"
                    + now.versionId().map(v -> "  (now version " + v + ")").orElse(""));
        }
        return ExitCodes.OK;
    }
}
