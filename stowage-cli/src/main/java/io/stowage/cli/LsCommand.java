package io.stowage.cli;

import io.stowage.BlobInfo;
import io.stowage.BlobStore;
import io.stowage.Listing;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", description = "List every key under a prefix, recursively, in key order: "
        + "modified time (local), size in bytes, key.")
final class LsCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<prefix>",
            description = "list keys starting with this, e.g. photos/ (default: every key)")
    String prefix = "";

    @Option(names = "--json", description = "one JSON array of objects (key, size, modified, sha256, ...) for scripts")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = root.ctx().out();
        try (BlobStore store = root.openPrimary(); Stream<BlobInfo> all = Listing.all(store, prefix)) {
            if (json) {
                JsonOutput.array(out, all);
                return ExitCodes.OK;
            }
            // Page by page: memory stays flat however many keys there are.
            all.forEach(info -> {
                out.printf("%s %10d %s%n", TIME.format(info.modified()), info.size(), info.key());
                if (out.checkError()) {
                    // `ls | head`: the reader is gone, so stop listing (quietly, as cat does).
                    throw new StowageCli.OutputClosed(null);
                }
            });
        }
        out.flush();
        return ExitCodes.OK;
    }
}
