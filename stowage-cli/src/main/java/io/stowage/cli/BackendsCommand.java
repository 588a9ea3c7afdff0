package io.stowage.cli;

import io.stowage.config.StorageDescription;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "backends", description = {"List the backend types available here, the configured backends "
        + "and where each points, the routing (primary, fallback order, mirror, tiers) and each routed backend's "
        + "settings and layer settings, secrets masked.",
        "It reads the configuration only: it opens no backend, so it creates no directory, bucket or container "
        + "and needs no network. 'stowage health' probes the routed backends."})
final class BackendsCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        CliContext ctx = root.ctx();
        PrintWriter out = ctx.out();
        StorageDescription d = StorageDescription.of(root.config(), ctx.providers());
        out.println("Available types:");
        for (StorageDescription.Type t : d.types()) {
            String aliases = t.aliases().isEmpty() ? "" : " (also " + String.join(", ", t.aliases()) + ")";
            out.printf("  %-14s %s%s%n", t.type(), t.description(), aliases);
        }
        out.println();
        out.println("Configured backends:");
        for (StorageDescription.Backend b : d.backends()) {
            out.printf("%s %-14s %-14s %s%n", b.primary() ? "*" : " ", b.name(), b.type(), b.where());
        }
        out.println();
        out.println("* primary   ('stowage health' probes the routed backends)");
        out.println();
        StorageDescription.Routing routing = d.routing();
        out.println("Routing:");
        out.println("  primary:  " + routing.primary());
        out.println("  fallback: " + (routing.fallback().isEmpty() ? "(none)" : String.join(", ", routing.fallback())
                + "  (in this order)"));
        out.println("  mirror:   " + (routing.mirror().isEmpty() ? "(none)" : String.join(", ", routing.mirror())
                + "  (" + routing.mirrorMode() + ")"));
        out.println("  tiers:    " + (routing.tiers().isEmpty() ? "(none)" : String.join(", ", routing.tiers().entrySet()
                .stream().map(e -> e.getKey() + " -> " + e.getValue()).toList())));
        out.println("  health probes every " + human(routing.healthInterval()));
        out.println();
        out.println("Routed backends (secrets masked):");
        for (StorageDescription.Routed r : d.routed()) {
            out.println("  " + r.name() + " (" + r.type() + ")");
            r.settings().forEach((k, v) -> out.println("    " + k + ": " + v));
            StorageDescription.Layers l = r.layers();
            out.println("    timeout: metadata " + human(l.metadataTimeout()) + ", first byte "
                    + human(l.firstByteTimeout()) + ", read idle " + human(l.readIdleTimeout()) + ", write "
                    + human(l.writeTimeout()));
            out.println("    retry:   " + l.maxAttempts() + " attempts, backoff " + human(l.initialBackoff()) + " to "
                    + human(l.maxBackoff()) + ", budget " + human(l.retryBudget()));
            out.println("    circuit: opens at " + l.failureRatePercent() + "% failures of the last "
                    + l.window() + " calls (" + l.minimumCalls() + " at least), open " + human(l.openFor()) + ", "
                    + l.halfOpenCalls() + " trial calls");
            if (l.readOnly() || l.prefix() != null) {
                out.println("    " + (l.readOnly() ? "read-only" : "") + (l.readOnly() && l.prefix() != null ? ", " : "")
                        + (l.prefix() == null ? "" : "prefix " + l.prefix()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** 30s, 500ms, 2m, 1h. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 60 != 0 || s == 0) {
            return s + "s";
        }
        long m = s / 60;
        return m % 60 != 0 ? m + "m" : m / 60 + "h";
    }
}
