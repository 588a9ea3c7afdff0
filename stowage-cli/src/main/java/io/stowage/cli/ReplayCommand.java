package io.stowage.cli;

import io.stowage.composite.Replayer;
import io.stowage.manager.StorageManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "replay", description = "Copy every journalled write (made on a fallback during an outage, or "
        + "missed by a mirror replica) to where it belongs, checksum-verified. Safe to run again.")
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        try (StorageManager manager = root.openManager()) {
            Replayer.Report r = manager.replay();
            root.ctx().out().printf("replayed %d, superseded %d, failed %d, still journalled %d%n",
                    r.replayed(), r.superseded(), r.failed(), r.pending());
            root.ctx().out().flush();
            return r.failed() == 0 ? ExitCodes.OK : ExitCodes.of(io.stowage.ErrorKind.UNAVAILABLE);
        }
    }
}
