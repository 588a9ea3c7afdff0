package io.stowage.cli;

import io.stowage.BlobStore;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.layer.CircuitBreakerSettings;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.RetrySettings;
import io.stowage.layer.Timeouts;
import io.stowage.spi.Secrets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "backends", description = "List the backend types available here, the configured backends "
        + "with their health, the routing (primary, fallback order, mirror, tiers) and each routed backend's "
        + "settings and layer settings, secrets masked.")
final class BackendsCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        CliContext ctx = root.ctx();
        PrintWriter out = ctx.out();
        out.println("Available types:");
        for (BlobStoreProvider p : ctx.providers().providers()) {
            String aliases = p.aliases().isEmpty() ? "" : " (also " + String.join(", ", p.aliases()) + ")";
            out.printf("  %-14s %s%s%n", p.type(), p.description(), aliases);
        }
        StowageConfig config = root.config();
        out.println();
        out.println("Configured backends:");
        for (Map.Entry<String, BackendConfig> e : config.backends().entrySet()) {
            String name = e.getKey();
            String marker = name.equals(config.primary()) ? "*" : " ";
            out.printf("%s %-14s %-14s %s%n", marker, name, e.getValue().type(), health(config, name, ctx));
        }
        out.println();
        out.println("* primary");
        out.println();
        out.println("Routing:");
        out.println("  primary:  " + config.primary());
        out.println("  fallback: " + (config.fallback().isEmpty() ? "(none)" : String.join(", ", config.fallback())
                + "  (in this order)"));
        out.println("  mirror:   " + (config.mirror().isEmpty() ? "(none)" : String.join(", ", config.mirror())
                + "  (" + config.mirrorMode().name().toLowerCase(Locale.ROOT) + ")"));
        out.println("  tiers:    " + (config.tiers().isEmpty() ? "(none)" : String.join(", ", config.tiers().entrySet()
                .stream().map(e -> e.getKey() + " -> " + e.getValue()).toList())));
        out.println("  health probes every " + human(config.healthInterval()));
        out.println();
        out.println("Routed backends (secrets masked):");
        Set<String> routed = new LinkedHashSet<>();
        routed.add(config.primary());
        routed.addAll(config.fallback());
        routed.addAll(config.mirror());
        routed.addAll(config.tiers().values());
        for (String name : routed) {
            BackendConfig bc = config.backend(name);
            out.println("  " + name + " (" + bc.type() + ")");
            Map<String, String> own = new TreeMap<>(Secrets.mask(bc.settings()));
            own.keySet().removeIf(k -> k.startsWith("timeout.") || k.startsWith("retry.") || k.startsWith("circuit."));
            own.forEach((k, v) -> out.println("    " + k + ": " + v));
            LayerSettings l = LayerSettings.from(bc);
            Timeouts t = l.timeouts();
            RetrySettings r = l.retry();
            CircuitBreakerSettings c = l.circuitBreaker();
            out.println("    timeout: metadata " + human(t.metadata()) + ", first byte " + human(t.firstByte())
                    + ", read idle " + human(t.readIdle()) + ", write " + human(t.write()));
            out.println("    retry:   " + r.maxAttempts() + " attempts, backoff " + human(r.initialBackoff()) + " to "
                    + human(r.maxBackoff()) + ", budget " + human(r.budget()));
            out.println("    circuit: opens at " + Math.round(c.failureRatePercent()) + "% failures of the last "
                    + c.window() + " calls (" + c.minimumCalls() + " at least), open " + human(c.openFor()) + ", "
                    + c.halfOpenCalls() + " trial calls");
            if (l.readOnly() || l.prefix().isPresent()) {
                out.println("    " + (l.readOnly() ? "read-only" : "") + (l.readOnly() && l.prefix().isPresent() ? ", " : "")
                        + l.prefix().map(p -> "prefix " + p).orElse(""));
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

    private static String health(StowageConfig config, String name, CliContext ctx) {
        try (BlobStore store = config.open(name, ctx.providers())) {
            HealthReport h = store.health();
            String detail = h.detail() == null || h.detail().isBlank() ? "" : "  " + h.detail();
            String state = h.healthy() ? "healthy" : h.refusing() ? "refusing" : "down";
            return state + "  " + h.latency().toMillis() + " ms" + (h.healthy() ? "" : detail);
        } catch (StorageException e) {
            return (e.kind().outage() ? "down  " : "refusing  ") + e.reason();
        }
    }
}
