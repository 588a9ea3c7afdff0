package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.io.PrintWriter;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "stat", description = "Show everything known about a key.")
final class StatCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key to describe")
    String key;

    @Option(names = "--json", description = "one JSON object (key, size, modified, sha256, metadata, ...) for scripts")
    boolean json;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        try (BlobStore store = root.openPrimary()) {
            BlobInfo info = store.stat(blobKey);
            if (json) {
                JsonOutput.object(root.ctx().out(), info);
            } else {
                print(root.ctx().out(), info);
            }
        }
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, BlobInfo info) {
        row(out, "key", info.key().value());
        row(out, "size", String.valueOf(info.size()));
        row(out, "content type", info.contentType());
        row(out, "created", info.created().toString());
        row(out, "modified", info.modified().toString());
        row(out, "version", info.versionId().orElse("-"));
        row(out, "sha256", info.sha256().orElse("-"));
        row(out, "etag", info.etag().orElse("-"));
        row(out, "tier", info.tier().map(Enum::name).orElse("-"));
        row(out, "backend", info.backend());
        new TreeMap<>(info.metadata()).forEach((k, v) -> row(out, "metadata." + k, v));
        out.flush();
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("%-14s %s%n", name + ":", value);
    }
}
