package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Delete a key. Deleting a missing key is not an error.")
final class RmCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        try (BlobStore store = root.openPrimary()) {
            boolean existed = store.delete(blobKey);
            root.ctx().out().println(existed ? "deleted " + blobKey : "no blob '" + blobKey + "' (nothing deleted)");
        }
        return ExitCodes.OK;
    }
}
