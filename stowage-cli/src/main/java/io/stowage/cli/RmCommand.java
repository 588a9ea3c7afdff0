package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.journal.WriteJournal;
import io.stowage.manager.StorageManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Delete a key. Deleting a missing key is not an error.")
final class RmCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key to delete")
    String key;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        try (StorageManager manager = root.openManager()) {
            boolean existed = manager.store().delete(blobKey);
            boolean journalled = manager.journalled(manager.primary(), blobKey)
                    .filter(e -> e.action() == WriteJournal.Action.DELETE).isPresent();
            if (journalled) {
                // The primary did not take it: whether it held the key is unknown, and its copy goes at replay.
                root.ctx().out().println("deleted " + blobKey + "  (primary '" + manager.primary()
                        + "' " + StowageCli.notTaking(manager) + ": the delete is journalled and 'stowage replay'"
                        + " removes its copy)");
            } else {
                root.ctx().out().println(existed ? "deleted " + blobKey : "no blob '" + blobKey + "' (nothing deleted)");
            }
        }
        return ExitCodes.OK;
    }
}
