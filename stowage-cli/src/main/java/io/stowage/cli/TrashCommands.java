package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.SoftDelete;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The trash of backends where {@code rm} moves objects aside instead of destroying them. */
final class TrashCommands {

    private static final String NO_TRASH = "has no trash (deletes there are final)";

    private TrashCommands() {
    }

    private static SoftDelete trashOf(BlobStore store, String operation) {
        return Features.require(store, SoftDelete.class, operation, NO_TRASH);
    }

    @Command(name = "trash", description = "List deleted keys that can still be brought back, in key order: "
            + "deleted time (local), size in bytes, key.")
    static final class List implements Callable<Integer> {

        @ParentCommand
        StowageCli root;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<prefix>",
                description = "list deleted keys starting with this (default: every deleted key)")
        String prefix = "";

        @Override
        public Integer call() {
            PrintWriter out = root.ctx().out();
            try (BlobStore store = root.openPrimary()) {
                for (SoftDelete.DeletedBlob d : trashOf(store, "trash").trash(prefix)) {
                    out.printf("%s %10d %s%n", LsCommand.TIME.format(d.deletedAt()), d.info().size(), d.info().key());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "undelete", description = "Bring a deleted key back from the trash (its most recently deleted "
            + "copy). Fails when a live object holds the key again.")
    static final class Undelete implements Callable<Integer> {

        @ParentCommand
        StowageCli root;

        @Parameters(index = "0", paramLabel = "<key>", description = "deleted key to bring back")
        String key;

        @Override
        public Integer call() {
            try (BlobStore store = root.openPrimary()) {
                BlobInfo info = trashOf(store, "undelete").restore(BlobKey.of(key));
                root.ctx().out().println("undeleted " + info.key() + "  " + info.size() + " bytes");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "purge", description = "Destroy the deleted copy of a key in the trash for good. "
            + "Purging a key the trash does not hold is not an error.")
    static final class Purge implements Callable<Integer> {

        @ParentCommand
        StowageCli root;

        @Parameters(index = "0", paramLabel = "<key>", description = "deleted key to destroy")
        String key;

        @Override
        public Integer call() {
            BlobKey blobKey = BlobKey.of(key);
            try (BlobStore store = root.openPrimary()) {
                boolean purged = trashOf(store, "purge").purge(blobKey);
                root.ctx().out().println(purged ? "purged " + blobKey
                        : "no deleted '" + blobKey + "' in the trash (nothing purged)");
            }
            return ExitCodes.OK;
        }
    }
}
