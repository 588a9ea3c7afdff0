package io.stowage.cli;

import io.stowage.ErrorKind;
import io.stowage.manager.BackendHealth;
import io.stowage.manager.BackendHealthChanged;
import io.stowage.manager.HealthStatus;
import io.stowage.manager.StorageManager;
import java.io.PrintWriter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "health", description = "Probe every routed backend: state (up/degraded/down/refusing), latency, "
        + "circuit state; which backend takes writes. A backend that is away (down) has its writes sent to a fallback; "
        + "one that refuses us (wrong credentials, a missing bucket or permission) has them fail, and the line says "
        + "which setting to check. Exit code 0 when every backend is up; the code of the refusal (PERMISSION_DENIED, "
        + "CONFIG, ...) when writes are refused; 16 (UNAVAILABLE) otherwise.")
final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Option(names = "--watch", description = "then keep probing every health_interval (STOWAGE_HEALTH_INTERVAL, "
            + "default 30s) and print a line for each backend whose state changes, until interrupted")
    boolean watch;

    @Option(names = "--changes", paramLabel = "<n>", description = "with --watch: stop after <n> changes")
    Integer changes;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = root.ctx().out();
        try (StorageManager manager = root.openManager()) {
            HealthStatus status = manager.health();
            out.printf("%-16s %-9s %8s  %-10s %s%n", "BACKEND", "STATE", "LATENCY", "CIRCUIT", "DETAIL");
            for (BackendHealth h : status.backends().values()) {
                out.printf("%-16s %-9s %5d ms  %-10s %s%n", h.backend(), h.state().label(), h.latency().toMillis(),
                        h.circuit(), h.state() == BackendHealth.State.UP ? "" : detail(h));
            }
            out.println();
            out.println("primary: " + status.primary() + "   writes go to: "
                    + (status.writesTo().isEmpty() ? "(none)" : status.writesTo())
                    + "   overall: " + status.overall().label()
                    + "   journalled writes: " + manager.journalled());
            if (!status.reason().isEmpty()) {
                out.println(status.overall().label() + ": " + status.reason());
            }
            out.flush();
            if (watch) {
                watch(manager, out);
                return ExitCodes.OK;
            }
            return exitCode(status);
        }
    }

    /** 0 when up; when writes are refused, the code of the refusal, so a script can tell it from an outage. */
    private static int exitCode(HealthStatus status) {
        return switch (status.overall()) {
            case UP -> ExitCodes.OK;
            case REFUSING -> ExitCodes.of(status.backends().get(status.refusedBy()).errorKind()
                    .orElse(ErrorKind.PERMISSION_DENIED));
            default -> ExitCodes.of(ErrorKind.UNAVAILABLE);
        };
    }

    /** The probe's detail, after the failure's kind when the backend refuses us. */
    private static String detail(BackendHealth h) {
        String kind = h.state() == BackendHealth.State.REFUSING ? h.errorKind().map(k -> k + ": ").orElse("") : "";
        return kind + h.detail();
    }

    private void watch(StorageManager manager, PrintWriter out) throws InterruptedException {
        BlockingQueue<BackendHealthChanged> seen = new LinkedBlockingQueue<>();
        manager.addHealthListener(seen::add);
        manager.startProbes();
        out.println("watching; a line per change of state" + (changes == null ? " (Ctrl-C stops)" : ""));
        out.flush();
        for (int n = 0; changes == null || n < changes; n++) {
            BackendHealthChanged c = seen.take();
            BackendHealth h = c.health();
            out.printf("%s  %-16s %s -> %s  %d ms  circuit %s%s%n", h.checkedAt(), c.backend(), c.from().label(),
                    c.to().label(), h.latency().toMillis(), h.circuit(),
                    h.detail().isEmpty() ? "" : "  " + detail(h));
            out.flush();
        }
    }
}
