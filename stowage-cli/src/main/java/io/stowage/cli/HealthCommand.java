package io.stowage.cli;

import io.stowage.manager.BackendHealth;
import io.stowage.manager.HealthStatus;
import io.stowage.manager.StorageManager;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "health", description = "Probe every routed backend: state (up/degraded/down), latency, circuit "
        + "state; which backend takes writes. Exit code 0 when the primary is up, 5 otherwise.")
final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        PrintWriter out = root.ctx().out();
        try (StorageManager manager = root.openManager()) {
            HealthStatus status = manager.health();
            out.printf("%-16s %-9s %8s  %-10s %s%n", "BACKEND", "STATE", "LATENCY", "CIRCUIT", "DETAIL");
            for (BackendHealth h : status.backends().values()) {
                out.printf("%-16s %-9s %5d ms  %-10s %s%n", h.backend(), h.state().label(), h.latency().toMillis(),
                        h.circuit(), h.state() == BackendHealth.State.UP ? "" : h.detail());
            }
            out.println();
            out.println("primary: " + status.primary() + "   writes go to: "
                    + (status.writesTo().isEmpty() ? "(none)" : status.writesTo())
                    + "   overall: " + status.overall().label()
                    + "   journalled writes: " + manager.journalled());
            out.flush();
            return status.overall() == BackendHealth.State.UP ? ExitCodes.OK : ExitCodes.of(io.stowage.ErrorKind.UNAVAILABLE);
        }
    }
}
