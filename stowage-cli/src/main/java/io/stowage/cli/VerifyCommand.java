package io.stowage.cli;

import io.stowage.composite.MirrorStore;
import io.stowage.manager.StorageManager;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", description = "Compare the SHA-256 of every object across the primary and its mirrors; "
        + "with --repair, copy what is missing or differs and remove what only a mirror has.")
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Option(names = "--repair", description = "fix the differences found")
    boolean repair;

    @Override
    public Integer call() {
        try (StorageManager manager = root.openManager()) {
            Optional<MirrorStore.VerifyReport> report = manager.verify(repair);
            if (report.isEmpty()) {
                root.ctx().out().println("no mirror is configured: nothing to verify");
                root.ctx().out().flush();
                return ExitCodes.OK;
            }
            MirrorStore.VerifyReport r = report.get();
            root.ctx().out().printf("checked %d, missing %d, differing %d, extra %d, repaired %d%n",
                    r.checked(), r.missing(), r.differing(), r.extra(), r.repaired());
            root.ctx().out().flush();
            return r.differences() == 0 || repair ? ExitCodes.OK : ExitCodes.of(io.stowage.ErrorKind.INTEGRITY);
        }
    }
}
