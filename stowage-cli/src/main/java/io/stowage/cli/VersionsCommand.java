package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "versions", description = "List the versions of a key, newest first (backends that keep versions): modified time, size, "
        + "version id. 'get --version <id>' reads one, 'restore-version' makes one current again.")
final class VersionsCommand implements Callable<Integer> {

    static final String NO_VERSIONS = "does not keep versions";

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key whose versions to list")
    String key;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        PrintWriter out = root.ctx().out();
        try (BlobStore store = root.openPrimary()) {
            Versioned versioned = Features.require(store, Versioned.class, "versions", NO_VERSIONS);
            List<Versioned.BlobVersion> versions = versioned.versions(blobKey);
            if (versions.isEmpty()) {
                throw StorageException.notFound(store.name(), blobKey);
            }
            for (Versioned.BlobVersion v : versions) {
                out.printf("%s %10d %s%s%n", LsCommand.TIME.format(v.info().modified()), v.info().size(),
                        v.versionId(), v.current() ? "  (current)" : "");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
